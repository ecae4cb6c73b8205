//! `state_digest()`: one hash of everything the state shows, in canonical
//! order, so two devices can tell whether they hold the same data.

use std::fmt;

use super::Store;
use crate::error::{Error, Result};
use crate::merge::EntityState;

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
    /// Hashes the roster and every entity's shown state (all heads of every
    /// field, deletion included) in id order. Equal on any two devices that
    /// hold the same accepted records, whatever order they came in.
    pub fn state_digest(&mut self) -> Result<StateDigest> {
        self.ctx.refresh(&self.conn)?;
        let mut h = blake3::Hasher::new_derive_key("deko state digest v1");
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
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, state FROM entities ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: Vec<u8> = row.get(0)?;
            let bytes: Vec<u8> = row.get(1)?;
            let state = EntityState::decode(&bytes).map_err(|e| Error::corrupt(e.to_string()))?;
            if state.fields.is_empty() {
                continue;
            }
            let canon = state.canonical_bytes();
            h.update(&id);
            h.update(&(canon.len() as u64).to_be_bytes());
            h.update(&canon);
        }
        Ok(StateDigest(*h.finalize().as_bytes()))
    }
}
