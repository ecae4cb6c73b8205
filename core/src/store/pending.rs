//! Records that cannot go into the log yet (their author is not named by
//! any team record, or an earlier record of theirs is missing), forks kept
//! apart, and the flags raised on authors.

use rusqlite::{Connection, OptionalExtension, params};

use super::apply::{ApplyReport, Outcome, Refusal, admit_one, count};
use super::{Ctx, author_head};
use crate::error::{Error, Result, StoreError};
use crate::identity::DeviceId;
use crate::record::{RecordId, SignedRecord};

/// Keeps a verified record until it can go into the log.
pub(super) fn park(
    tx: &Connection,
    ctx: &mut Ctx,
    rec: &SignedRecord,
    from_pending: bool,
) -> Result<Outcome> {
    if from_pending {
        return Ok(Outcome::Pending);
    }
    if exists(tx, "quarantine", &rec.id())? {
        return Ok(Outcome::Duplicate);
    }
    ctx.pending_seen = true;
    let h = rec.header();
    let rows = match ctx.pending_rows {
        Some(n) => n,
        None => {
            let n =
                tx.query_row("SELECT count(*) FROM pending", [], |r| r.get::<_, i64>(0))? as u64;
            ctx.pending_rows = Some(n);
            n
        }
    };
    if rows >= ctx.options.max_pending {
        return Err(StoreError::WaitingRoomFull(format!(
            "{rows} records already wait for their authors' admission or predecessors; \
             record {} of device {} refused (it comes again at a later sync)",
            h.seq, h.author
        ))
        .into());
    }
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO pending (id, author, seq, bytes) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            &rec.id().0[..],
            h.author.as_bytes(),
            h.seq,
            rec.bytes()
        ])?;
    Ok(if added == 0 {
        Outcome::Duplicate
    } else {
        ctx.pending_rows = Some(rows + 1);
        Outcome::Pending
    })
}

/// Whether `table` holds a record with this id.
pub(super) fn exists(tx: &Connection, table: &str, id: &RecordId) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([&id.0[..]], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Keeps a record apart (never applied, never forwarded).
pub(super) fn quarantine(tx: &Connection, rec: &SignedRecord, reason: &str) -> Result<()> {
    let h = rec.header();
    tx.prepare_cached(
        "INSERT OR IGNORE INTO quarantine (id, author, seq, reason, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![&rec.id().0[..], h.author.as_bytes(), h.seq, reason, rec.bytes()])?;
    Ok(())
}

/// Raises a flag on an author.
pub(super) fn flag(tx: &Connection, author: &DeviceId, flag: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO authors (author, seq, last_id, flags) VALUES (?1, 0, ?2, ?3)
         ON CONFLICT (author) DO UPDATE SET flags = flags | excluded.flags",
    )?
    .execute(params![author.as_bytes(), &RecordId::ZERO.0[..], flag])?;
    Ok(())
}

/// Moves waiting records into the log once they can go there: their author
/// is known and their predecessor is held. Runs until nothing more moves.
pub(super) fn drain(tx: &Connection, ctx: &mut Ctx, report: &mut ApplyReport) -> Result<()> {
    loop {
        let ready: Vec<Vec<u8>> = {
            let mut stmt = tx.prepare_cached(
                "SELECT DISTINCT p.author FROM pending p
                 WHERE p.seq = COALESCE((SELECT a.seq FROM authors a WHERE a.author = p.author), 0) + 1",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut moved = false;
        for a in ready {
            let author = DeviceId::from_slice(&a)?;
            let known = ctx.roster.as_ref().is_some_and(|r| r.is_known(&author));
            if known {
                moved |= drain_author(tx, ctx, &author, report)?;
            }
        }
        if !moved {
            return Ok(());
        }
    }
}

fn drain_author(
    tx: &Connection,
    ctx: &mut Ctx,
    author: &DeviceId,
    report: &mut ApplyReport,
) -> Result<bool> {
    let mut moved = false;
    loop {
        let have = author_head(tx, author)?.seq;
        let rows: Vec<Vec<u8>> = {
            let mut stmt = tx.prepare_cached(
                "SELECT bytes FROM pending WHERE author = ?1 AND seq > ?2 ORDER BY seq LIMIT 512",
            )?;
            stmt.query_map(params![author.as_bytes(), have], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        if rows.is_empty() {
            return Ok(moved);
        }
        for (expected, bytes) in (have + 1..).zip(rows) {
            let rec = SignedRecord::parse(bytes)?;
            if rec.header().seq != expected {
                return Ok(moved);
            }
            let id = rec.id();
            match admit_one(tx, ctx, &rec, true, report) {
                Ok(Outcome::Pending) => return Ok(moved),
                Ok(outcome) => {
                    count(outcome, &rec, report);
                }
                Err(e @ Error::Store(StoreError::Sqlite(_))) => return Err(e),
                Err(error) => {
                    log::warn!("dropping a waiting record: {error}");
                    tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
                        .execute([&id.0[..]])?;
                    report.refused.push(Refusal {
                        index: usize::MAX,
                        source: Some((rec.header().author, rec.header().seq)),
                        error,
                    });
                    return Ok(moved);
                }
            }
            // Whatever happened, it no longer waits.
            tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
                .execute([&id.0[..]])?;
            moved = true;
        }
    }
}

/// Tries every waiting record again (at open, after an upgrade may have made
/// more of them readable), lowest seq first so a genesis comes before the
/// records that need it. Returns how many went into the log.
pub(super) fn retry(tx: &Connection, ctx: &mut Ctx) -> Result<usize> {
    let mut report = ApplyReport::default();
    let rows: Vec<Vec<u8>> = {
        let mut stmt = tx.prepare("SELECT bytes FROM pending ORDER BY seq, author")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut moved = 0;
    for bytes in rows {
        let rec = SignedRecord::parse(bytes)?;
        let id = rec.id();
        match admit_one(tx, ctx, &rec, true, &mut report) {
            Ok(outcome) => {
                if count(outcome, &rec, &mut report) {
                    moved += 1;
                }
            }
            Err(e @ Error::Store(StoreError::Sqlite(_))) => return Err(e),
            Err(error) => {
                log::warn!("dropping a waiting record: {error}");
                tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
                    .execute([&id.0[..]])?;
            }
        }
    }
    let before = report.applied + report.excluded + report.deferred;
    drain(tx, ctx, &mut report)?;
    Ok(moved + report.applied + report.excluded + report.deferred - before)
}
