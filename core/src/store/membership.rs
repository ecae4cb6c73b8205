//! Which records of the log count in the state: the roster's say, applied
//! when records arrive and again whenever team records change the roster.
//! The log keeps every record of a known author; the state is a function of
//! the records it holds.

use rusqlite::{Connection, params};

use super::Ctx;
use super::apply::{STATE_COUNTED, STATE_EXCLUDED, apply_put, team_change};
use crate::error::Result;
use crate::identity::DeviceId;
use crate::record::{Body, Header, SignedRecord};
use crate::team::{OrderKey, Standing, TeamOp};

/// Whether a record counts in the state as the roster now stands: its
/// author is a member at it, and a record of an admin-only kind was written
/// with admin authority.
pub(super) fn counts(ctx: &Ctx, h: &Header, body: &Body) -> bool {
    let Some(roster) = &ctx.roster else {
        return matches!(body, Body::Genesis(_));
    };
    if roster.standing(&h.author, h.seq) != Standing::Accepted {
        return false;
    }
    match body {
        Body::Put(put) if ctx.admin_only(&put.kind) => {
            roster.may_administer(OrderKey(h.hlc, h.author, h.seq))
        }
        _ => true,
    }
}

/// After a team record was stored: computes the roster again with it and,
/// if that changed what counts of records already held, rebuilds the state.
/// Returns whether it rebuilt.
pub(super) fn roster_changed(
    tx: &Connection,
    ctx: &mut Ctx,
    h: &Header,
    body: &Body,
) -> Result<bool> {
    match body {
        Body::Genesis(g) => ctx.founding = Some((h.author, g.clone())),
        _ => {
            if let Some(change) = team_change(body) {
                ctx.team_ops.push(TeamOp {
                    author: h.author,
                    seq: h.seq,
                    hlc: h.hlc,
                    change,
                });
            }
        }
    }
    // What follows reads `authors`.
    super::apply::flush_heads(tx, ctx)?;
    let old = ctx.roster.take();
    ctx.compute_roster();
    let (Some(old), Some(new)) = (old, ctx.roster.as_ref()) else {
        return Ok(false);
    };
    if old == *new {
        return Ok(false);
    }
    let authors: Vec<Vec<u8>> = tx
        .prepare_cached("SELECT author FROM authors WHERE seq > 0")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for a in authors {
        let author = DeviceId::from_slice(&a)?;
        if !old.same_standing(new, &author) && flips(tx, ctx, &author)? {
            log::info!(
                "the roster changed what counts of device {}'s records; rebuilding the state",
                author.fingerprint()
            );
            rebuild(tx, ctx)?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether any held record of `author` would now count differently.
fn flips(tx: &Connection, ctx: &Ctx, author: &DeviceId) -> Result<bool> {
    let mut stmt = tx.prepare_cached(
        "SELECT state, bytes FROM records WHERE author = ?1 AND state != 1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([author.as_bytes()])?;
    while let Some(row) = rows.next()? {
        let state: i64 = row.get(0)?;
        let rec = SignedRecord::parse(row.get(1)?)?;
        let Some(body) = rec.body()? else { continue };
        if counts(ctx, rec.header(), &body) != (state == STATE_COUNTED) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Marks each record counted or not as the roster now says, then
/// recomputes every entity (and projection) from the records that count, in
/// the order they were stored.
pub(crate) fn rebuild(tx: &Connection, ctx: &mut Ctx) -> Result<()> {
    ctx.load_team(tx)?;
    let mut changed: Vec<(i64, i64)> = Vec::new();
    {
        let mut stmt =
            tx.prepare("SELECT rowid, state, bytes FROM records WHERE state != 1 ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            let state: i64 = row.get(1)?;
            let rec = SignedRecord::parse(row.get(2)?)?;
            let Some(body) = rec.body()? else { continue };
            let want = match counts(ctx, rec.header(), &body) {
                true => STATE_COUNTED,
                false => STATE_EXCLUDED,
            };
            if want != state {
                changed.push((rowid, want));
            }
        }
    }
    for (rowid, state) in changed {
        tx.prepare_cached("UPDATE records SET state = ?2 WHERE rowid = ?1")?
            .execute(params![rowid, state])?;
    }
    tx.execute("DELETE FROM entities", [])?;
    // The entities' part starts again from nothing; records added earlier
    // in this transaction stay counted.
    ctx.kept = super::digest::Pending::with_records(ctx.kept.records);
    super::digest::reset_sum(tx)?;
    super::tally::reset(tx)?;
    for p in &ctx.projections {
        p.clear(tx)?;
    }
    if !ctx.defer_projection {
        tx.execute("DELETE FROM projection_dirty", [])?;
    }
    let mut stmt =
        tx.prepare("SELECT rowid, bytes FROM records WHERE state = 0 AND team = 0 ORDER BY rowid")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let rowid: i64 = row.get(0)?;
        let rec = SignedRecord::parse(row.get(1)?)?;
        if let Some(Body::Put(put)) = rec.body()? {
            apply_put(tx, ctx, rowid, rec.header(), &put)?;
        }
    }
    std::mem::take(&mut ctx.kept).write(tx)
}
