//! Live entities per kind and the log's records, kept as they change
//! (like the state digest's sum), so a status screen reads a handful of
//! rows instead of counting a million. Each tally is a meta row
//! `tally:KIND` holding an integer, the log's count `log_records`; a
//! transaction's writes move them once, at its end (`digest::Pending`).
//! A migration that adds or removes records or entities must count again
//! (`recount`).

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

/// Moves the tally of `kind` by `delta` (see `digest::Pending`, which
/// gathers a transaction's changes).
pub(crate) fn add(conn: &Connection, kind: &str, delta: i64) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
    )?
    .execute(rusqlite::params![key(kind), delta])?;
    Ok(())
}

/// The meta key of the log's record count (kept with the tallies; not
/// reset by a rebuild, which keeps the log).
const RECORDS: &str = "log_records";

/// Adds `delta` records to the log's count.
pub(crate) fn add_records(conn: &Connection, delta: i64) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
    )?
    .execute(rusqlite::params![RECORDS, delta])?;
    Ok(())
}

/// Records in the log, if the count is kept.
pub(crate) fn records(conn: &Connection) -> Result<Option<u64>> {
    if !kept(conn)? {
        return Ok(None);
    }
    let n: Option<i64> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([RECORDS], |r| r.get(0))
        .optional()?;
    Ok(Some(n.unwrap_or(0).max(0) as u64))
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
/// again; the log stays, and so does its count); they are kept from here
/// on.
pub(crate) fn reset(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE key >= 'tally:' AND key < 'tally;'")?
        .execute([])?;
    if !kept(conn)? {
        count_records(conn)?;
    }
    mark_kept(conn)
}

fn count_records(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT ?1, count(*) FROM records",
        [RECORDS],
    )?;
    Ok(())
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
    count_records(conn)?;
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
