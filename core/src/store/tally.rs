//! Live entities per kind, kept as they change (like the state digest's
//! sum), so a status screen reads a handful of rows instead of counting a
//! million. Each tally is a meta row `tally:KIND` holding an integer; the
//! entity write that makes an entity live (or trashes it, or brings it
//! back) moves its kind's tally in the same transaction.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::merge::EntityState;

/// Set once the tallies are kept (a database from before gets them
/// counted once at open).
const KEPT: &str = "tallies_kept";

fn key(kind: &str) -> String {
    format!("tally:{kind}")
}

/// Whether an entity in `state` counts as live (it exists and is not in
/// the trash).
pub(crate) fn live(state: &EntityState) -> bool {
    !state.fields.is_empty() && !state.is_deleted()
}

/// Moves the tally of `new`'s kind by what a write changed (`was_live`:
/// whether the entity was live before it).
pub(crate) fn entity_changed(conn: &Connection, was_live: bool, new: &EntityState) -> Result<()> {
    let delta = i64::from(live(new)) - i64::from(was_live);
    if delta == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
    )?
    .execute(rusqlite::params![key(&new.kind), delta])?;
    Ok(())
}

/// Live entities of `kind`, if the tallies are kept.
pub(crate) fn read(conn: &Connection, kind: &str) -> Result<Option<u64>> {
    if !kept(conn)? {
        return Ok(None);
    }
    let n: Option<i64> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key(kind)], |r| r.get(0))
        .optional()?;
    Ok(Some(n.unwrap_or(0).max(0) as u64))
}

fn kept(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM meta WHERE key = ?1")?
        .exists([KEPT])?)
}

/// Every tally to zero (the entities were all removed to be derived
/// again); they are kept from here on.
pub(crate) fn reset(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE key >= 'tally:' AND key < 'tally;'")?
        .execute([])?;
    mark_kept(conn)
}

fn mark_kept(conn: &Connection) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO meta (key, value) VALUES (?1, 1)")?
        .execute([KEPT])?;
    Ok(())
}

/// Counts every kind once, for a database written before the tallies
/// were kept. Runs inside the caller's write transaction.
pub(crate) fn recount(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE key >= 'tally:' AND key < 'tally;'")?
        .execute([])?;
    conn.execute(
        "INSERT INTO meta (key, value)
         SELECT 'tally:' || kind, count(*) FROM entities WHERE deleted = 0 GROUP BY kind",
        [],
    )?;
    mark_kept(conn)
}

/// Makes sure the tallies are kept, under a write lock.
pub(crate) fn ensure(conn: &Connection) -> Result<()> {
    if kept(conn)? {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = (|| {
        if !kept(conn)? {
            log::info!("counting the entities of each kind once; kept as they change from now on");
            recount(conn)?;
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
