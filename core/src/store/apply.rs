//! Remote records: verify, sort into applied / pending / deferred /
//! quarantined / refused, apply in one transaction per batch, and keep the
//! state a pure function of the accepted records (rebuilding when a
//! revocation takes records back out).

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::entities::{load_entity, save_entity};
use super::preverified::Preverified;
use super::{Ctx, FLAG_FORKED, FLAG_SKEWED, Store, author_head, load_roster};
use crate::error::{Error, Result};
use crate::identity::DeviceId;
use crate::merge;
use crate::record::{
    Body, Header, RecordId, SignedRecord, TeamId, VersionId, verify_batch, wall_clock_ms,
};
use crate::team::Standing;

/// What became of a batch of remote records.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// Records added to the log and applied.
    pub applied: usize,
    /// Records already held (or already waiting or quarantined).
    pub duplicates: usize,
    /// Verified records waiting, after this batch, for their author's
    /// admission or an earlier record (all waiting, not only this batch's).
    pub pending: usize,
    /// Records of a newer body format: kept and forwarded, not yet applied.
    pub deferred: usize,
    /// Second records for an (author, seq) already held: kept apart.
    pub forks: Vec<(DeviceId, u64)>,
    /// Records carrying a clock far ahead of ours (accepted, flagged).
    pub skewed: usize,
    /// Records refused, with the reason.
    pub refused: Vec<Refusal>,
    /// Whether derived state had to be rebuilt (a revocation took records out).
    pub rebuilt: bool,
}

/// A record that was refused and why.
#[derive(Debug)]
pub struct Refusal {
    /// Its position in the batch.
    pub index: usize,
    /// Its author and seq, when they could be read.
    pub source: Option<(DeviceId, u64)>,
    /// Why it was refused.
    pub error: Error,
}

/// A batch of remote records parsed, team-checked and signature-verified,
/// ready for [`Store::apply_verified`]. Making one needs no database.
pub struct VerifiedBatch {
    team: TeamId,
    records: Vec<SignedRecord>,
    verdicts: Vec<Result<()>>,
    index_of: Vec<usize>,
    report: ApplyReport,
}

impl VerifiedBatch {
    /// Number of records that passed parsing and the team check.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record passed parsing and the team check.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// Parses, team-checks and verifies (in one ed25519 batch) records received
/// for `team`. Pure CPU work: run it on any thread.
pub fn verify_remote(team: TeamId, batch: Vec<Vec<u8>>) -> VerifiedBatch {
    verify_remote_with(team, batch, None)
}

/// Signature verdicts for `records`, checking only those not verified
/// ahead (see [`Preverified`]).
fn verify_unless_preverified(records: &[SignedRecord], pre: &Preverified) -> Vec<Result<()>> {
    let ahead: Vec<bool> = records.iter().map(|r| pre.take(&r.id())).collect();
    if ahead.iter().all(|&a| a) {
        return records.iter().map(|_| Ok(())).collect();
    }
    let rest: Vec<SignedRecord> = records
        .iter()
        .zip(&ahead)
        .filter(|(_, a)| !**a)
        .map(|(r, _)| r.clone())
        .collect();
    let mut rest_verdicts = verify_batch(&rest).into_iter();
    ahead
        .iter()
        .map(|&a| match a {
            true => Ok(()),
            false => rest_verdicts.next().unwrap_or(Ok(())),
        })
        .collect()
}

/// [`verify_remote`], skipping the signature check of records in
/// `preverified`.
pub(crate) fn verify_remote_with(
    team: TeamId,
    batch: Vec<Vec<u8>>,
    preverified: Option<&Preverified>,
) -> VerifiedBatch {
    let mut report = ApplyReport::default();
    let mut records = Vec::with_capacity(batch.len());
    let mut index_of = Vec::with_capacity(batch.len());
    for (index, bytes) in batch.into_iter().enumerate() {
        match SignedRecord::parse(bytes)
            .map_err(Refused::from)
            .and_then(|r| check_team(r, team))
        {
            Ok(rec) => {
                records.push(rec);
                index_of.push(index);
            }
            Err((source, error)) => report.refused.push(Refusal {
                index,
                source,
                error,
            }),
        }
    }
    let verdicts = match preverified {
        Some(pre) => verify_unless_preverified(&records, pre),
        None => verify_batch(&records),
    };
    VerifiedBatch {
        team,
        records,
        verdicts,
        index_of,
        report,
    }
}

enum Outcome {
    Applied,
    Duplicate,
    Pending,
    Deferred,
    Fork,
}

impl Store {
    /// Verifies and applies a batch of records received from a peer, in one
    /// transaction. Bad records are refused one by one (see the report);
    /// nothing they carry is stored. An `Err` (database failure) keeps nothing
    /// of the batch.
    pub fn apply_remote(&mut self, batch: Vec<Vec<u8>>) -> Result<ApplyReport> {
        self.ctx.refresh(&self.conn)?;
        let Some(team) = self.ctx.team else {
            return Err(Error::invalid(
                "this database has no team yet: create or join one first",
            ));
        };
        let checked = verify_remote_with(team, batch, self.preverified.as_ref());
        self.apply_verified(checked)
    }

    /// Shares a set of records verified ahead (by a sync reader working on
    /// the next batch): [`Store::apply_remote`] skips their signature check.
    pub fn use_preverified(&mut self, preverified: Preverified) {
        self.preverified = Some(preverified);
    }

    /// Like [`Store::apply_remote`], but the projections (typed tables,
    /// search index) of the entities it touches are left for
    /// [`Store::catch_up_projections`]. For large transfers: the peer is
    /// needed only while records move, and each entity is projected once
    /// however many of its records arrived, in large transactions.
    pub fn apply_remote_deferred(&mut self, batch: Vec<Vec<u8>>) -> Result<ApplyReport> {
        self.ctx.defer_projection = true;
        let result = self.apply_remote(batch);
        self.ctx.defer_projection = false;
        result
    }

    /// Applies a batch checked by [`verify_remote`] (which may run on another
    /// thread, e.g. verifying the next batch while this one is written).
    pub fn apply_verified(&mut self, batch: VerifiedBatch) -> Result<ApplyReport> {
        self.ctx.refresh(&self.conn)?;
        if self.ctx.team != Some(batch.team) {
            return Err(Error::invalid("the batch was verified for another team"));
        }
        let VerifiedBatch {
            records,
            verdicts,
            index_of,
            mut report,
            ..
        } = batch;
        // A batch from a peer may be lost to a power cut after commit: the
        // version vector rolls back with it and the next sync fetches it
        // again. So remote batches skip the per-commit fsync (WAL stays
        // consistent); local writes keep synchronous=FULL.
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let result = self.apply_batch(records, verdicts, &index_of, &mut report);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        result?;
        report.refused.sort_by_key(|r| r.index);
        if !report.refused.is_empty() {
            log::warn!("refused {} of the records received", report.refused.len());
        }
        Ok(report)
    }

    fn apply_batch(
        &mut self,
        parsed: Vec<SignedRecord>,
        verdicts: Vec<Result<()>>,
        index_of: &[usize],
        report: &mut ApplyReport,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = apply_verified(&tx, &mut self.ctx, parsed, verdicts, index_of, report);
        match result.and_then(|_| tx.commit().map_err(Error::from)) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.ctx.reload(&self.conn)?;
                Err(e)
            }
        }
    }
}

type Refused = (Option<(DeviceId, u64)>, Error);

fn check_team(rec: SignedRecord, team: TeamId) -> Result<SignedRecord, Refused> {
    let h = *rec.header();
    if h.team != team {
        return Err((
            Some((h.author, h.seq)),
            Error::WrongTeam {
                expected: team.to_string(),
                found: h.team.to_string(),
            },
        ));
    }
    Ok(rec)
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        (None, e)
    }
}

fn apply_verified(
    tx: &Connection,
    ctx: &mut Ctx,
    parsed: Vec<SignedRecord>,
    verdicts: Vec<Result<()>>,
    index_of: &[usize],
    report: &mut ApplyReport,
) -> Result<()> {
    ctx.refresh(tx)?;
    ctx.pending_seen = tx
        .prepare_cached("SELECT 1 FROM pending LIMIT 1")?
        .exists([])?;
    ctx.pending_rows = None;
    let mut progressed = false;
    for ((rec, verdict), &index) in parsed.into_iter().zip(verdicts).zip(index_of) {
        let source = Some((rec.header().author, rec.header().seq));
        if let Err(error) = verdict {
            report.refused.push(Refusal {
                index,
                source,
                error,
            });
            continue;
        }
        match admit_one(tx, ctx, &rec, false, report) {
            Ok(Outcome::Applied) => {
                report.applied += 1;
                progressed = true;
            }
            Ok(Outcome::Deferred) => {
                report.deferred += 1;
                progressed = true;
            }
            Ok(Outcome::Duplicate) => report.duplicates += 1,
            Ok(Outcome::Pending) => report.pending += 1,
            Ok(Outcome::Fork) => report.forks.push((rec.header().author, rec.header().seq)),
            Err(Error::Sqlite(e)) => return Err(Error::Sqlite(e)),
            Err(error) => report.refused.push(Refusal {
                index,
                source,
                error,
            }),
        }
    }
    if progressed {
        drain_pending(tx, ctx, report)?;
    }
    if report.pending > 0 || progressed {
        report.pending =
            tx.query_row("SELECT count(*) FROM pending", [], |r| r.get::<_, i64>(0))? as usize;
    }
    ctx.save_clock(tx)?;
    Ok(())
}

/// Decides and carries out the fate of one verified record.
fn admit_one(
    tx: &Connection,
    ctx: &mut Ctx,
    rec: &SignedRecord,
    from_pending: bool,
    report: &mut ApplyReport,
) -> Result<Outcome> {
    let h = *rec.header();
    let id = rec.id();
    let (have, last_id) = author_head(tx, &h.author)?;
    if h.seq <= have {
        let held: Option<Vec<u8>> = tx
            .prepare_cached("SELECT id FROM records WHERE author = ?1 AND seq = ?2")?
            .query_row(params![h.author.as_bytes(), h.seq], |r| r.get(0))
            .optional()?;
        if held.as_deref() == Some(&id.0[..]) {
            return Ok(Outcome::Duplicate);
        }
        if !from_pending && exists(tx, "quarantine", &id)? {
            return Ok(Outcome::Duplicate);
        }
        quarantine(tx, rec, "fork: another record with this seq is held")?;
        flag(tx, &h.author, FLAG_FORKED)?;
        log::warn!(
            "fork: device {} wrote two records with seq {}",
            h.author.fingerprint(),
            h.seq
        );
        return Ok(Outcome::Fork);
    }
    let body = if h.body_version > ctx.options.body_version_limit {
        None
    } else {
        rec.body()?
    };
    let standing = match &ctx.roster {
        Some(roster) => roster.standing(&h.author, h.seq),
        None if h.seq == 1 && matches!(body, Some(Body::Genesis(_))) => Standing::Accepted,
        None => Standing::NotAdmitted,
    };
    match standing {
        Standing::Revoked { cutoff } => {
            return Err(Error::Revoked {
                author: h.author,
                seq: h.seq,
                cutoff,
            });
        }
        Standing::NotAdmitted => return park(tx, ctx, rec, from_pending),
        Standing::Accepted => {}
    }
    if h.seq > have + 1 {
        return park(tx, ctx, rec, from_pending);
    }
    if h.prev != last_id {
        return Err(Error::BrokenChain {
            author: h.author,
            seq: h.seq,
        });
    }
    if let Some(body) = &body {
        validate_remote(ctx, &h, body)?;
    }
    if ctx.clock.observe(h.hlc, wall_clock_ms()) {
        // Observed: our clock now runs at or past this record.
    } else {
        report.skewed += 1;
        flag(tx, &h.author, FLAG_SKEWED)?;
        log::warn!(
            "device {} writes with a clock far ahead of ours",
            h.author.fingerprint()
        );
    }
    let team_op = body.as_ref().is_some_and(Body::is_team_op);
    let rowid = insert_record(tx, rec, team_op, body.is_none())?;
    // It may also have been waiting (it came before its predecessor once).
    if from_pending || ctx.pending_seen {
        tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
            .execute([&id.0[..]])?;
    }
    match body {
        Some(body) => {
            apply_body(tx, ctx, rowid, &h, &body)?;
            Ok(Outcome::Applied)
        }
        None => Ok(Outcome::Deferred),
    }
}

fn validate_remote(ctx: &Ctx, h: &Header, body: &Body) -> Result<()> {
    match body {
        Body::Genesis(g) => {
            if h.seq != 1 {
                return Err(Error::InvalidGenesis(format!(
                    "a genesis must be record 1, not {}",
                    h.seq
                )));
            }
            if TeamId::derive(&h.author, &g.nonce) != h.team {
                return Err(Error::InvalidGenesis(format!(
                    "device {} cannot found team {}",
                    h.author.fingerprint(),
                    h.team
                )));
            }
            if ctx.roster.is_some() {
                return Err(Error::InvalidGenesis(
                    "the team already has its genesis".into(),
                ));
            }
            Ok(())
        }
        Body::Put(put) => merge::validate_put(put).map_err(|e| {
            Error::MalformedRecord(format!("record {} of device {}: {e}", h.seq, h.author))
        }),
        Body::Admit(_) | Body::Revoke(_) => Ok(()),
    }
}

/// Keeps a verified record until it can be applied.
fn park(tx: &Connection, ctx: &mut Ctx, rec: &SignedRecord, from_pending: bool) -> Result<Outcome> {
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
        return Err(Error::Refused(format!(
            "{rows} records already wait for their authors' admission or predecessors; \
             record {} of device {} refused (it comes again at a later sync)",
            h.seq, h.author
        )));
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

fn exists(tx: &Connection, table: &str, id: &RecordId) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row([&id.0[..]], |_| Ok(()))
        .optional()?
        .is_some())
}

fn quarantine(tx: &Connection, rec: &SignedRecord, reason: &str) -> Result<()> {
    let h = rec.header();
    tx.prepare_cached(
        "INSERT OR IGNORE INTO quarantine (id, author, seq, reason, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![&rec.id().0[..], h.author.as_bytes(), h.seq, reason, rec.bytes()])?;
    Ok(())
}

fn flag(tx: &Connection, author: &DeviceId, flag: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO authors (author, seq, last_id, flags) VALUES (?1, 0, ?2, ?3)
         ON CONFLICT (author) DO UPDATE SET flags = flags | excluded.flags",
    )?
    .execute(params![author.as_bytes(), &RecordId::ZERO.0[..], flag])?;
    Ok(())
}

/// Appends a record to the log and advances its author's position.
pub(crate) fn insert_record(
    tx: &Connection,
    rec: &SignedRecord,
    team_op: bool,
    deferred: bool,
) -> Result<i64> {
    let h = rec.header();
    tx.prepare_cached(
        "INSERT INTO records (id, author, seq, hlc, team, state, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![&rec.id().0[..], h.author.as_bytes(), h.seq, h.hlc.0 as i64, team_op, deferred, rec.bytes()])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO authors (author, seq, last_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (author) DO UPDATE SET seq = excluded.seq, last_id = excluded.last_id",
    )?
    .execute(params![h.author.as_bytes(), h.seq, &rec.id().0[..]])?;
    Ok(rowid)
}

/// Applies a decoded body of the record at `rowid`.
pub(crate) fn apply_body(
    tx: &Connection,
    ctx: &mut Ctx,
    rowid: i64,
    h: &Header,
    body: &Body,
) -> Result<()> {
    match body {
        Body::Put(put) => apply_put(tx, ctx, rowid, h, put),
        Body::Genesis(_) | Body::Admit(_) | Body::Revoke(_) => {
            ctx.roster = load_roster(tx, ctx.team)?;
            enforce_roster(tx, ctx)
        }
    }
}

fn apply_put(
    tx: &Connection,
    ctx: &Ctx,
    rowid: i64,
    h: &Header,
    put: &crate::record::Put,
) -> Result<()> {
    let mut state = load_entity(tx, &put.entity)?.unwrap_or_default();
    let mut failure = None;
    merge::apply_put(
        &mut state,
        h.version(),
        h.hlc,
        put,
        |v| match applied_before(tx, v, rowid) {
            Ok(b) => b,
            Err(e) => {
                failure = Some(e);
                false
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    save_entity(tx, &put.entity, &state)?;
    if ctx.defer_projection && !ctx.projections.is_empty() {
        tx.prepare_cached("INSERT OR IGNORE INTO projection_dirty (entity) VALUES (?1)")?
            .execute([&put.entity.0[..]])?;
        return Ok(());
    }
    for p in &ctx.projections {
        p.project(tx, &put.entity, &state)?;
    }
    Ok(())
}

/// Whether version `v`'s record is applied and came before `rowid`.
fn applied_before(tx: &Connection, v: &VersionId, rowid: i64) -> Result<bool> {
    let found: Option<i64> = tx
        .prepare_cached("SELECT rowid FROM records WHERE author = ?1 AND seq = ?2 AND state = 0")?
        .query_row(params![v.author.as_bytes(), v.seq], |r| r.get(0))
        .optional()?;
    Ok(found.is_some_and(|r| r < rowid))
}

/// After the roster changed: takes out records it no longer accepts (past a
/// revocation cutoff: quarantined; author no longer admitted: back to
/// pending) and rebuilds the state if any were taken out.
fn enforce_roster(tx: &Connection, ctx: &mut Ctx) -> Result<()> {
    let mut changed = false;
    loop {
        let Some(roster) = ctx.roster.clone() else {
            return Ok(());
        };
        let authors: Vec<(Vec<u8>, u64)> = {
            let mut stmt = tx.prepare_cached("SELECT author, seq FROM authors WHERE seq > 0")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut round = false;
        for (a, seq) in authors {
            let author = DeviceId::from_slice(&a)?;
            let keep = match roster.standing(&author, 1) {
                Standing::NotAdmitted if author != roster.founder => 0,
                _ => match roster.standing(&author, seq) {
                    Standing::Revoked { cutoff } => cutoff,
                    _ => continue,
                },
            };
            take_out(
                tx,
                &author,
                keep,
                roster.standing(&author, 1) == Standing::NotAdmitted,
            )?;
            round = true;
        }
        if !round {
            break;
        }
        changed = true;
        ctx.roster = load_roster(tx, ctx.team)?;
    }
    if changed {
        log::warn!("a revocation took records back out; rebuilding the state");
        rebuild(tx, ctx)?;
    }
    Ok(())
}

/// Removes `author`'s records after `keep` from the log: back to pending if
/// the author may yet be admitted, else into quarantine.
fn take_out(tx: &Connection, author: &DeviceId, keep: u64, to_pending: bool) -> Result<()> {
    let target = if to_pending {
        "INSERT OR IGNORE INTO pending (id, author, seq, bytes) SELECT id, author, seq, bytes FROM records WHERE author = ?1 AND seq > ?2"
    } else {
        "INSERT OR IGNORE INTO quarantine (id, author, seq, reason, bytes) SELECT id, author, seq, 'revoked: past the cutoff', bytes FROM records WHERE author = ?1 AND seq > ?2"
    };
    tx.execute(target, params![author.as_bytes(), keep])?;
    tx.execute(
        "DELETE FROM records WHERE author = ?1 AND seq > ?2",
        params![author.as_bytes(), keep],
    )?;
    if !to_pending {
        tx.execute(
            "INSERT OR IGNORE INTO quarantine (id, author, seq, reason, bytes) SELECT id, author, seq, 'revoked: past the cutoff', bytes FROM pending WHERE author = ?1 AND seq > ?2",
            params![author.as_bytes(), keep],
        )?;
        tx.execute(
            "DELETE FROM pending WHERE author = ?1 AND seq > ?2",
            params![author.as_bytes(), keep],
        )?;
    }
    let last: Option<Vec<u8>> = tx
        .query_row(
            "SELECT id FROM records WHERE author = ?1 AND seq = ?2",
            params![author.as_bytes(), keep],
            |r| r.get(0),
        )
        .optional()?;
    let last = last.unwrap_or_else(|| RecordId::ZERO.0.to_vec());
    tx.execute(
        "UPDATE authors SET seq = ?2, last_id = ?3 WHERE author = ?1",
        params![author.as_bytes(), keep, last],
    )?;
    Ok(())
}

/// Applies waiting records that can now be applied: their author is admitted
/// and their predecessor is held. Runs until nothing more moves.
fn drain_pending(tx: &Connection, ctx: &mut Ctx, report: &mut ApplyReport) -> Result<()> {
    loop {
        let Some(roster) = ctx.roster.clone() else {
            return Ok(());
        };
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
            if roster.standing(&author, 1) == Standing::NotAdmitted {
                continue;
            }
            moved |= drain_author(tx, ctx, &author, report)?;
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
        let (have, _) = author_head(tx, author)?;
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
                Ok(Outcome::Applied) => report.applied += 1,
                Ok(Outcome::Deferred) => report.deferred += 1,
                Ok(Outcome::Pending) => return Ok(moved),
                Ok(Outcome::Duplicate) | Ok(Outcome::Fork) => {}
                Err(Error::Sqlite(e)) => return Err(Error::Sqlite(e)),
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

/// Recomputes every entity (and projection) from the applied records, in
/// the order they were applied.
pub(crate) fn rebuild(tx: &Connection, ctx: &mut Ctx) -> Result<()> {
    ctx.roster = load_roster(tx, ctx.team)?;
    tx.execute("DELETE FROM entities", [])?;
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
    Ok(())
}

/// Tries every waiting record again (at open, after an upgrade may have made
/// more of them readable), lowest seq first so a genesis comes before the
/// records that need it. Returns how many were applied.
pub(crate) fn retry_pending(tx: &Connection, ctx: &mut Ctx) -> Result<usize> {
    let mut report = ApplyReport::default();
    let rows: Vec<Vec<u8>> = {
        let mut stmt = tx.prepare("SELECT bytes FROM pending ORDER BY seq, author")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for bytes in rows {
        let rec = SignedRecord::parse(bytes)?;
        let id = rec.id();
        match admit_one(tx, ctx, &rec, true, &mut report) {
            Ok(Outcome::Applied) => report.applied += 1,
            Ok(Outcome::Deferred) => report.deferred += 1,
            Ok(Outcome::Pending) | Ok(Outcome::Duplicate) | Ok(Outcome::Fork) => {}
            Err(Error::Sqlite(e)) => return Err(Error::Sqlite(e)),
            Err(error) => {
                log::warn!("dropping a waiting record: {error}");
                tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
                    .execute([&id.0[..]])?;
            }
        }
    }
    drain_pending(tx, ctx, &mut report)?;
    Ok(report.applied + report.deferred)
}
