//! Records that cannot go into the log yet (their author is not named by
//! any team record, or an earlier record of theirs is missing), forks kept
//! apart, and the flags raised on authors.

use rusqlite::{Connection, OptionalExtension, params};

use super::Ctx;
use super::apply::{ApplyReport, Outcome, Refusal, admit_one, count};
use crate::error::{Error, Result, StoreError};
use crate::identity::DeviceId;
use crate::record::{RecordId, SignedRecord, wall_clock_ms};

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
    let size = rec.bytes().len() as u64;
    let limits = ctx.options.limits.clone();
    let (total, per_author) = match &mut ctx.pending_bytes {
        Some(t) => t,
        None => {
            let total: i64 = tx.query_row(
                "SELECT coalesce(sum(length(bytes)), 0) FROM pending",
                [],
                |r| r.get(0),
            )?;
            ctx.pending_bytes.insert((total as u64, Default::default()))
        }
    };
    let author_bytes = match per_author.get(&h.author) {
        Some(n) => *n,
        None => {
            let n: i64 = tx
                .prepare_cached(
                    "SELECT coalesce(sum(length(bytes)), 0) FROM pending WHERE author = ?1",
                )?
                .query_row([h.author.as_bytes()], |r| r.get(0))?;
            per_author.insert(h.author, n as u64);
            n as u64
        }
    };
    if *total + size > limits.pending_bytes {
        return Err(StoreError::WaitingRoomFull(format!(
            "{} already wait here for their authors' admission or predecessors; \
             record {} of device {} refused (it comes again at a later sync)",
            bytes_text(*total),
            h.seq,
            h.author
        ))
        .into());
    }
    if author_bytes + size > limits.pending_bytes_per_author {
        return Err(StoreError::WaitingRoomFull(format!(
            "{} of device {}'s records already wait here; record {} refused \
             (it comes again at a later sync)",
            bytes_text(author_bytes),
            h.author,
            h.seq
        ))
        .into());
    }
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO pending (id, author, seq, bytes, received) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            &rec.id().0[..],
            h.author.as_bytes(),
            h.seq,
            rec.bytes(),
            wall_clock_ms() as i64
        ])?;
    Ok(if added == 0 {
        Outcome::Duplicate
    } else {
        *total += size;
        per_author.insert(h.author, author_bytes + size);
        Outcome::Pending
    })
}

/// "12.5 MiB", for messages.
fn bytes_text(n: u64) -> String {
    format!("{:.1} MiB of records", n as f64 / (1 << 20) as f64)
}

/// Drops records that have waited longer than the expiry for an author no
/// team record names (looking at most once an hour); returns how many.
pub(super) fn expire(tx: &Connection, ctx: &mut Ctx) -> Result<usize> {
    let now = wall_clock_ms();
    let expiry = ctx.options.limits.pending_expiry_ms;
    if now.saturating_sub(ctx.expired_at) < expiry.min(3_600_000) {
        return Ok(0);
    }
    ctx.expired_at = now;
    let before = now.saturating_sub(expiry) as i64;
    let stale: Vec<Vec<u8>> = tx
        .prepare_cached("SELECT DISTINCT author FROM pending WHERE received <= ?1")?
        .query_map([before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut dropped = 0;
    for a in stale {
        let author = DeviceId::from_slice(&a)?;
        if ctx.roster.as_ref().is_some_and(|r| r.is_known(&author)) {
            continue;
        }
        let n = tx.execute(
            "DELETE FROM pending WHERE author = ?1 AND received <= ?2",
            params![&a, before],
        )?;
        if n > 0 {
            log::warn!(
                "dropped {n} records that waited over {} days for device {}, which no team record names",
                ctx.options.limits.pending_expiry_ms / 86_400_000,
                author.fingerprint()
            );
            dropped += n;
        }
    }
    if dropped > 0 {
        ctx.pending_bytes = None;
    }
    Ok(dropped)
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

/// Keeps a record apart (never applied, never forwarded), within the
/// bounds on forks kept; returns whether it was kept.
pub(super) fn quarantine(
    tx: &Connection,
    ctx: &Ctx,
    rec: &SignedRecord,
    reason: &str,
) -> Result<bool> {
    let h = rec.header();
    let size = rec.bytes().len() as i64;
    let (total, author): (i64, i64) = tx
        .prepare_cached(
            "SELECT coalesce(sum(length(bytes)), 0),
                    coalesce(sum(CASE WHEN author = ?1 THEN length(bytes) END), 0)
             FROM quarantine",
        )?
        .query_row([h.author.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let limits = &ctx.options.limits;
    if (total + size) as u64 > limits.quarantine_bytes
        || (author + size) as u64 > limits.quarantine_bytes_per_author
    {
        log::warn!(
            "not keeping another fork of device {} (record {}): the forks kept are at their bound",
            h.author.fingerprint(),
            h.seq
        );
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO quarantine (id, author, seq, reason, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![&rec.id().0[..], h.author.as_bytes(), h.seq, reason, rec.bytes()])?;
    Ok(true)
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
        // The query below reads `authors`.
        super::apply::flush_heads(tx, ctx)?;
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
        let have = super::apply::head_of(tx, ctx, author)?.seq;
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
