//! `state_digest()`: one hash of everything the state shows, so two devices
//! can tell whether they hold the same data. Kept as it goes: each entity's
//! part (a hash of its id and shown state) is added to a 256-bit sum in the
//! same transaction that writes the entity (and the entity's old part taken
//! off), so the digest costs one read, not a walk of every entity. A sum of
//! hashes does not depend on the order entities were written in.

use std::fmt;

use rusqlite::Connection;

use super::{Store, get_meta, set_meta};
use crate::error::{Error, Result};
use crate::merge::EntityState;
use crate::record::EntityId;

/// The meta key of the running sum (32 bytes, little-endian).
const SUM_KEY: &str = "digest_sum";

/// An entity's part of the digest; none for an entity with no field.
pub(crate) fn entity_part(id: &EntityId, state: &EntityState) -> Option<[u8; 32]> {
    if state.fields.is_empty() {
        return None;
    }
    let canon = state.canonical_bytes();
    let mut h = blake3::Hasher::new_derive_key("deko entity digest v2");
    h.update(&id.0);
    h.update(&(canon.len() as u64).to_be_bytes());
    h.update(&canon);
    Some(*h.finalize().as_bytes())
}

/// `sum` plus (or minus) `part`, modulo 2^256.
fn add(sum: &mut [u8; 32], part: &[u8; 32], minus: bool) {
    let mut carry = 0u16;
    for i in 0..32 {
        let p = if minus { !part[i] } else { part[i] };
        let v = u16::from(sum[i]) + u16::from(p) + carry;
        sum[i] = v as u8;
        carry = v >> 8;
    }
    if minus {
        // Two's complement: !part + 1.
        let mut one = [0u8; 32];
        one[0] = 1;
        add(sum, &one, false);
    }
}

fn read_sum(conn: &Connection) -> Result<Option<[u8; 32]>> {
    match get_meta(conn, SUM_KEY)? {
        None => Ok(None),
        Some(b) => b
            .try_into()
            .map(Some)
            .map_err(|_| Error::corrupt("the state digest sum is not 32 bytes")),
    }
}

/// What a transaction's entity writes change in the kept sum and tallies,
/// gathered in memory and written once at the transaction's end (a sum
/// of parts and a count are the same whatever order they are added in).
/// Dropped, unwritten, when the transaction rolls back.
#[derive(Default)]
pub(crate) struct Pending {
    /// Added to the sum (modulo 2^256; parts taken off are added negated).
    delta: [u8; 32],
    /// Whether `delta` holds anything.
    changed: bool,
    /// Live entities gained (or lost) per kind.
    tallies: std::collections::HashMap<String, i64>,
    /// Records added to the log.
    pub(crate) records: i64,
}

impl Pending {
    /// Nothing gathered but `records` added to the log.
    pub(crate) fn with_records(records: i64) -> Pending {
        Pending {
            records,
            ..Default::default()
        }
    }

    /// Takes an entity's `old` part off the sum and adds its `new` one.
    pub(crate) fn replace_part(&mut self, old: Option<[u8; 32]>, new: Option<[u8; 32]>) {
        if old == new {
            return;
        }
        if let Some(o) = old {
            add(&mut self.delta, &o, true);
        }
        if let Some(n) = new {
            add(&mut self.delta, &n, false);
        }
        self.changed = true;
    }

    /// Counts a write of an entity that was live (`was_live`) or not and
    /// is now in `new`.
    pub(crate) fn tally(&mut self, was_live: bool, new: &EntityState) {
        let delta = i64::from(super::tally::live(new)) - i64::from(was_live);
        if delta != 0 {
            *self.tallies.entry(new.kind.clone()).or_default() += delta;
        }
    }

    /// Writes what was gathered.
    pub(crate) fn write(self, conn: &Connection) -> Result<()> {
        for (kind, delta) in &self.tallies {
            super::tally::add(conn, kind, *delta)?;
        }
        super::tally::add_records(conn, self.records)?;
        if !self.changed {
            return Ok(());
        }
        let mut sum = match read_sum(conn)? {
            Some(s) => s,
            // Not kept yet (a database from before): made whole at the next open.
            None => return Ok(()),
        };
        add(&mut sum, &self.delta, false);
        set_meta(conn, SUM_KEY, &sum)
    }
}

/// Sets the sum to that of an empty state (the entities were all removed
/// to be derived again).
pub(crate) fn reset_sum(conn: &Connection) -> Result<()> {
    set_meta(conn, SUM_KEY, &[0u8; 32])
}

/// Computes the sum over every entity (once, for a database written before
/// the sum was kept, or to check it) and stores it.
pub(crate) fn recompute_sum(conn: &Connection) -> Result<[u8; 32]> {
    let mut sum = [0u8; 32];
    let mut stmt = conn.prepare("SELECT id, state FROM entities")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id = EntityId::from_slice(&row.get::<_, Vec<u8>>(0)?)?;
        let bytes: Vec<u8> = row.get(1)?;
        let state = EntityState::decode(&bytes).map_err(|e| Error::corrupt(e.to_string()))?;
        if let Some(p) = entity_part(&id, &state) {
            add(&mut sum, &p, false);
        }
    }
    set_meta(conn, SUM_KEY, &sum)?;
    Ok(sum)
}

/// Makes sure the sum is kept (a database from before it was), under a
/// write lock so that no other process writes an entity meanwhile.
pub(crate) fn ensure_sum(conn: &Connection) -> Result<()> {
    if read_sum(conn)?.is_some() {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = (|| {
        if read_sum(conn)?.is_none() {
            log::info!("computing the state digest once; it is kept as records arrive from now on");
            recompute_sum(conn)?;
        }
        Ok(())
    })();
    match done {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// A BLAKE3 hash of the materialised state.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateDigest(pub [u8; 32]);

impl fmt::Display for StateDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for StateDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateDigest({})", &self.to_string()[..16])
    }
}

impl Store {
    /// Hashes the roster and the sum of every entity's part (its id and
    /// shown state: all heads of every field, deletion included). Equal on
    /// any two devices that hold the same accepted records, whatever order
    /// they came in; one read, whatever the number of entities.
    pub fn state_digest(&mut self) -> Result<StateDigest> {
        self.ctx.refresh(&self.conn)?;
        let mut h = blake3::Hasher::new_derive_key("deko state digest v2");
        match &self.ctx.roster {
            Some(r) => {
                let b = r.canonical_bytes();
                h.update(&(b.len() as u64).to_be_bytes());
                h.update(&b);
            }
            None => {
                h.update(&0u64.to_be_bytes());
            }
        }
        let sum = match read_sum(&self.conn)? {
            Some(s) => s,
            None => recompute_sum(&self.conn)?,
        };
        h.update(&sum);
        Ok(StateDigest(*h.finalize().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_and_come_off_in_any_order() {
        let parts: Vec<[u8; 32]> = (0u8..20).map(|i| *blake3::hash(&[i]).as_bytes()).collect();
        let mut a = [0u8; 32];
        for p in &parts {
            add(&mut a, p, false);
        }
        let mut b = [0u8; 32];
        for p in parts.iter().rev() {
            add(&mut b, p, false);
        }
        assert_eq!(a, b);
        for p in &parts {
            add(&mut a, p, true);
        }
        assert_eq!(a, [0u8; 32]);
        let mut c = [0u8; 32];
        add(&mut c, &[0xff; 32], false);
        add(&mut c, &[0xff; 32], true);
        assert_eq!(c, [0u8; 32]);
    }
}
