//! Remote records: verify, sort into applied / excluded / pending /
//! deferred / forked / refused, store in one transaction per batch, and keep
//! the state a pure function of the records held (the roster decides which
//! of them count; see `membership`).

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::entities::{Prepared, load_entity, save_encoded};
use super::preverified::Preverified;
use super::{Ctx, FLAG_FORKED, FLAG_SKEWED, Head, Store, author_head, membership, pending};
use crate::error::{Error, RecordError, Result, StoreError};
use crate::identity::DeviceId;
use crate::merge::{self, EntityState};
use crate::record::{
    Body, EntityId, Header, SignedRecord, TeamId, VersionId, verify_batch, wall_clock_ms,
};
use crate::team::{TeamChange, check_team_record};

/// What became of a batch of remote records.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// Records added to the log and applied.
    pub applied: usize,
    /// Records added to the log (and forwarded) that the roster leaves out
    /// of the state: their author was revoked before them, or they needed
    /// admin authority their author lacked. Not refusals: every device holds
    /// them, and they count should the roster change.
    pub excluded: usize,
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
    /// Whether derived state had to be rebuilt (the roster changed which
    /// records count).
    pub rebuilt: bool,
    /// Records kept aside that were let go: waiting too long for an author
    /// no team record names, or forks beyond the bound on them (each also
    /// in the log).
    pub dropped: usize,
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

/// [`verify_remote`], taking the records verified ahead in `preverified`
/// as they are (parsed, signature checked) and checking only the others.
pub(crate) fn verify_remote_with(
    team: TeamId,
    batch: Vec<Vec<u8>>,
    preverified: Option<&Preverified>,
) -> VerifiedBatch {
    let mut report = ApplyReport::default();
    let mut records = Vec::with_capacity(batch.len());
    let mut index_of = Vec::with_capacity(batch.len());
    let mut ahead = Vec::with_capacity(batch.len());
    for (index, bytes) in batch.into_iter().enumerate() {
        let taken = preverified.and_then(|pre| pre.take(&bytes));
        let verified = taken.is_some();
        let parsed = match taken {
            Some(rec) => Ok(rec),
            None => SignedRecord::parse(bytes).map_err(Refused::from),
        };
        match parsed.and_then(|r| check_team(r, team)) {
            Ok(rec) => {
                records.push(rec);
                index_of.push(index);
                ahead.push(verified);
            }
            Err((source, error)) => report.refused.push(Refusal {
                index,
                source,
                error,
            }),
        }
    }
    let verdicts = if ahead.iter().all(|&a| a) {
        records.iter().map(|_| Ok(())).collect()
    } else {
        verdicts_of_rest(&records, &ahead)
    };
    VerifiedBatch {
        team,
        records,
        verdicts,
        index_of,
        report,
    }
}

/// Signature verdicts for `records`, checking those not verified `ahead`.
fn verdicts_of_rest(records: &[SignedRecord], ahead: &[bool]) -> Vec<Result<()>> {
    let rest: Vec<SignedRecord> = records
        .iter()
        .zip(ahead)
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

/// What became of one record.
pub(super) enum Outcome {
    /// Stored and counted in the state.
    Applied,
    /// Stored and forwarded, not counted (the roster leaves it out).
    Excluded,
    /// Already held.
    Duplicate,
    /// Waiting for its author to be named or for an earlier record.
    Pending,
    /// Stored, of a newer body format: applied after an upgrade.
    Deferred,
    /// A second record for an (author, seq) held: kept apart.
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
                "batch",
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
            return Err(Error::invalid(
                "batch",
                "the batch was verified for another team",
            ));
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
        let result = self.relaxed(|s| s.apply_batch(records, verdicts, &index_of, &mut report));
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
            Error::Record(RecordError::WrongTeam {
                expected: team.to_string(),
                found: h.team.to_string(),
            }),
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
    ctx.heads = Some(Default::default());
    let result = apply_all(tx, ctx, parsed, verdicts, index_of, report);
    let flushed = flush_heads(tx, ctx);
    ctx.heads = None;
    result.and(flushed)?;
    ctx.save_clock(tx)
}

fn apply_all(
    tx: &Connection,
    ctx: &mut Ctx,
    parsed: Vec<SignedRecord>,
    verdicts: Vec<Result<()>>,
    index_of: &[usize],
    report: &mut ApplyReport,
) -> Result<()> {
    ctx.pending_seen = tx
        .prepare_cached("SELECT 1 FROM pending LIMIT 1")?
        .exists([])?;
    ctx.pending_bytes = None;
    report.dropped += pending::expire(tx, ctx)?;
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
            Ok(outcome) => {
                progressed |= count(outcome, &rec, report);
            }
            Err(e @ Error::Store(StoreError::Sqlite(_))) => return Err(e),
            Err(error) => report.refused.push(Refusal {
                index,
                source,
                error,
            }),
        }
    }
    if progressed {
        pending::drain(tx, ctx, report)?;
    }
    if report.pending > 0 || progressed {
        report.pending =
            tx.query_row("SELECT count(*) FROM pending", [], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(())
}

/// Adds an outcome to the report; whether it stored something new.
pub(super) fn count(outcome: Outcome, rec: &SignedRecord, report: &mut ApplyReport) -> bool {
    match outcome {
        Outcome::Applied => report.applied += 1,
        Outcome::Excluded => report.excluded += 1,
        Outcome::Deferred => report.deferred += 1,
        Outcome::Duplicate => {
            report.duplicates += 1;
            return false;
        }
        Outcome::Pending => {
            report.pending += 1;
            return false;
        }
        Outcome::Fork => {
            report.forks.push((rec.header().author, rec.header().seq));
            return false;
        }
    }
    true
}

/// Decides and carries out the fate of one verified record.
///
/// Kept in the log: every record of a known author (the founder, or a
/// device some team record admits, whether or not that admission holds)
/// that follows the author's previous record and passes the checks every
/// device makes alike. Whether it counts in the state is the roster's to
/// say, now and whenever team records arrive.
pub(super) fn admit_one(
    tx: &Connection,
    ctx: &mut Ctx,
    rec: &SignedRecord,
    from_pending: bool,
    report: &mut ApplyReport,
) -> Result<Outcome> {
    let h = *rec.header();
    let id = rec.id();
    let head = head_of(tx, ctx, &h.author)?;
    if h.seq <= head.seq {
        let held: Option<Vec<u8>> = tx
            .prepare_cached("SELECT id FROM records WHERE author = ?1 AND seq = ?2")?
            .query_row(params![h.author.as_bytes(), h.seq], |r| r.get(0))
            .optional()?;
        if held.as_deref() == Some(&id.0[..]) {
            return Ok(Outcome::Duplicate);
        }
        if !from_pending && pending::exists(tx, "quarantine", &id)? {
            return Ok(Outcome::Duplicate);
        }
        if !pending::quarantine(tx, ctx, rec, "fork: another record with this seq is held")? {
            report.dropped += 1;
        }
        pending::flag(tx, &h.author, FLAG_FORKED)?;
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
    let known = match &ctx.roster {
        Some(roster) => roster.is_known(&h.author),
        None => h.seq == 1 && matches!(body, Some(Body::Genesis(_))),
    };
    if !known || h.seq > head.seq + 1 {
        return pending::park(tx, ctx, rec, from_pending);
    }
    if h.prev != head.id {
        return Err(Error::Record(RecordError::BrokenChain {
            author: h.author,
            seq: h.seq,
        }));
    }
    if h.hlc < head.hlc {
        return Err(Error::Record(RecordError::Backdated {
            author: h.author,
            seq: h.seq,
        }));
    }
    if let Some(body) = &body {
        validate_remote(ctx, &h, body)?;
    }
    if ctx.clock.observe(h.hlc, wall_clock_ms()) {
        // Observed: our clock now runs at or past this record.
    } else {
        report.skewed += 1;
        pending::flag(tx, &h.author, FLAG_SKEWED)?;
        log::warn!(
            "device {} writes with a clock far ahead of ours",
            h.author.fingerprint()
        );
    }
    let counts = body.as_ref().map(|b| membership::counts(ctx, &h, b));
    let state = match counts {
        None => STATE_DEFERRED,
        Some(true) => STATE_COUNTED,
        Some(false) => STATE_EXCLUDED,
    };
    let team_op = body.as_ref().is_some_and(Body::is_team_op);
    let rowid = insert_record(tx, ctx, rec, team_op, state)?;
    // It may also have been waiting (it came before its predecessor once).
    if from_pending || ctx.pending_seen {
        tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?
            .execute([&id.0[..]])?;
    }
    let Some(body) = body else {
        return Ok(Outcome::Deferred);
    };
    apply_body(tx, ctx, rowid, &h, &body, counts == Some(true), report)?;
    Ok(match counts {
        Some(true) => Outcome::Applied,
        _ => Outcome::Excluded,
    })
}

/// The checks of a record's body that every device makes alike, whatever
/// its roster says.
fn validate_remote(ctx: &Ctx, h: &Header, body: &Body) -> Result<()> {
    match body {
        Body::Genesis(g) => {
            if h.seq != 1 {
                return Err(Error::Record(RecordError::InvalidGenesis(format!(
                    "a genesis must be record 1, not {}",
                    h.seq
                ))));
            }
            if TeamId::derive(&h.author, &g.nonce) != h.team {
                return Err(Error::Record(RecordError::InvalidGenesis(format!(
                    "device {} cannot found team {}",
                    h.author.fingerprint(),
                    h.team
                ))));
            }
            if ctx.roster.is_some() {
                return Err(Error::Record(RecordError::InvalidGenesis(
                    "the team already has its genesis".into(),
                )));
            }
            Ok(())
        }
        Body::Put(put) => merge::validate_put(put).map_err(|e| {
            Error::Record(RecordError::Malformed(format!(
                "record {} of device {}: {e}",
                h.seq, h.author
            )))
        }),
        Body::Admit(_) | Body::Revoke(_) => {
            let (Some(roster), Some(change)) = (&ctx.roster, team_change(body)) else {
                return Ok(());
            };
            check_team_record(&roster.founder, &h.author, &change).map_err(|reason| {
                Error::Record(RecordError::InvalidTeamRecord {
                    author: h.author,
                    seq: h.seq,
                    reason,
                })
            })
        }
    }
}

/// The roster change a body carries, if any.
pub(crate) fn team_change(body: &Body) -> Option<TeamChange> {
    match body {
        Body::Admit(a) => Some(TeamChange::Admit(a.clone())),
        Body::Revoke(r) => Some(TeamChange::Revoke(r.clone())),
        Body::Genesis(_) | Body::Put(_) => None,
    }
}

/// `records.state`: counted in the state.
pub(crate) const STATE_COUNTED: i64 = 0;
/// `records.state`: a newer body format, applied after an upgrade.
pub(crate) const STATE_DEFERRED: i64 = 1;
/// `records.state`: held and forwarded, left out by the roster.
pub(crate) const STATE_EXCLUDED: i64 = 2;

/// Appends a record to the log and advances its author's position.
pub(crate) fn insert_record(
    tx: &Connection,
    ctx: &mut Ctx,
    rec: &SignedRecord,
    team_op: bool,
    state: i64,
) -> Result<i64> {
    let h = rec.header();
    tx.prepare_cached(
        "INSERT INTO records (id, author, seq, hlc, team, state, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![&rec.id().0[..], h.author.as_bytes(), h.seq, h.hlc.0 as i64, team_op, state, rec.bytes()])?;
    let rowid = tx.last_insert_rowid();
    ctx.kept.records += 1;
    let head = Head {
        seq: h.seq,
        id: rec.id(),
        hlc: h.hlc,
    };
    match &mut ctx.heads {
        Some(heads) => {
            heads.insert(h.author, (head, true));
        }
        None => write_head(tx, &h.author, &head)?,
    }
    Ok(rowid)
}

fn write_head(tx: &Connection, author: &DeviceId, head: &Head) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO authors (author, seq, last_id, hlc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (author) DO UPDATE SET seq = excluded.seq, last_id = excluded.last_id,
             hlc = excluded.hlc",
    )?
    .execute(params![
        author.as_bytes(),
        head.seq,
        &head.id.0[..],
        head.hlc.0 as i64
    ])?;
    Ok(())
}

/// Where `author`'s log stands in this transaction (the batch's heads
/// first, see `Ctx::heads`).
pub(super) fn head_of(tx: &Connection, ctx: &mut Ctx, author: &DeviceId) -> Result<Head> {
    if let Some(heads) = &mut ctx.heads {
        if let Some((head, _)) = heads.get(author) {
            return Ok(*head);
        }
        let head = author_head(tx, author)?;
        heads.insert(*author, (head, false));
        return Ok(head);
    }
    author_head(tx, author)
}

/// Writes the heads the batch moved to `authors` (before anything reads
/// that table with SQL, and at the batch's end).
pub(super) fn flush_heads(tx: &Connection, ctx: &mut Ctx) -> Result<()> {
    if let Some(heads) = &mut ctx.heads {
        for (author, (head, dirty)) in heads.iter_mut() {
            if *dirty {
                write_head(tx, author, head)?;
                *dirty = false;
            }
        }
    }
    Ok(())
}

/// Applies a decoded body of the record at `rowid`: a put that `counts`
/// changes its entity; a team record has the roster computed again.
pub(crate) fn apply_body(
    tx: &Connection,
    ctx: &mut Ctx,
    rowid: i64,
    h: &Header,
    body: &Body,
    counts: bool,
    report: &mut ApplyReport,
) -> Result<()> {
    match body {
        Body::Put(put) if counts => apply_put(tx, ctx, rowid, h, put),
        Body::Put(_) => Ok(()),
        Body::Genesis(_) | Body::Admit(_) | Body::Revoke(_) => {
            report.rebuilt |= membership::roster_changed(tx, ctx, h, body)?;
            Ok(())
        }
    }
}

/// Merges a counted put into its entity and projects it (or marks it for a
/// later catch-up).
pub(crate) fn apply_put(
    tx: &Connection,
    ctx: &mut Ctx,
    rowid: i64,
    h: &Header,
    put: &crate::record::Put,
) -> Result<()> {
    let mut state = load_entity(tx, &put.entity)?.unwrap_or_default();
    let old_part = super::digest::entity_part(&put.entity, &state);
    let was_live = super::tally::live(&state);
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
    let merged = Merged {
        encoded: state.encode(),
        part: super::digest::entity_part(&put.entity, &state),
        ahead: Vec::new(),
        state,
    };
    store_merged(tx, ctx, &put.entity, (old_part, was_live), merged)
}

/// An entity's state after a put, with what storing it takes that needs no
/// database: its encoding, its digest part, and what each projection
/// prepared for it (empty: nothing; an import's signing thread prepares).
pub(crate) struct Merged {
    pub(crate) state: EntityState,
    pub(crate) encoded: Vec<u8>,
    pub(crate) part: Option<[u8; 32]>,
    pub(crate) ahead: Vec<Option<Prepared>>,
}

/// Stores `merged` as entity `id`'s state, moves the digest and the tallies
/// from `before` (the old state's digest part and whether it was live),
/// and projects it, or marks it for a later catch-up: the end of every
/// applied put, whether merged here or ahead (`create_many`).
pub(crate) fn store_merged(
    tx: &Connection,
    ctx: &mut Ctx,
    id: &EntityId,
    before: (Option<[u8; 32]>, bool),
    merged: Merged,
) -> Result<()> {
    let Merged {
        state,
        encoded,
        part,
        ahead,
    } = merged;
    save_encoded(tx, id, &state, encoded)?;
    ctx.kept.tally(before.1, &state);
    ctx.kept.replace_part(before.0, part);
    if ctx.defer_projection && !ctx.projections.is_empty() {
        tx.prepare_cached("INSERT OR IGNORE INTO projection_dirty (entity) VALUES (?1)")?
            .execute([&id.0[..]])?;
        return Ok(());
    }
    let mut ahead = ahead.iter();
    for p in &ctx.projections {
        p.project_prepared(tx, id, &state, ahead.next().and_then(Option::as_ref))?;
    }
    Ok(())
}

/// Whether version `v`'s record is counted and came before `rowid`.
fn applied_before(tx: &Connection, v: &VersionId, rowid: i64) -> Result<bool> {
    let found: Option<i64> = tx
        .prepare_cached("SELECT rowid FROM records WHERE author = ?1 AND seq = ?2 AND state = 0")?
        .query_row(params![v.author.as_bytes(), v.seq], |r| r.get(0))
        .optional()?;
    Ok(found.is_some_and(|r| r < rowid))
}
