//! Creating many entities in one go (imports, generated sample data).
//!
//! A device's records form a chain (each names the id of the one before,
//! and the id is the hash of the signed bytes), so they are signed one
//! after the other; but signing need not wait for SQLite. Here a second
//! thread signs the chain while this one appends and applies the records
//! already signed: on two cores the signatures cost no time of their own.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use rusqlite::Connection;

use super::apply::{Merged, STATE_COUNTED, insert_record, store_merged};
use super::catch_up::{build_index, drop_fill_indexes};
use super::entities::{Prepared, Projection};
use super::write::check_allowed;
use super::{Ctx, Store, author_head};
use crate::error::{Error, Result, StoreError};
use crate::identity::{DeviceId, DeviceKey};
use crate::merge::{self, DELETED, EntityState};
use crate::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Header, Hlc, Put, RecordId, SignedRecord, TeamId,
    Value, VersionId, wall_clock_ms,
};

/// A new entity to create: its kind, its (fresh) id and its fields.
pub struct NewEntity {
    /// Its kind (`person`, `company`, ...).
    pub kind: String,
    /// Its id: fresh, not yet in the database (`EntityId::new()`), so
    /// that the caller can refer to it from entities created after it.
    pub id: EntityId,
    /// Its fields; `Null` values are left out.
    pub fields: Vec<(String, Value)>,
    /// What the store's projections worked out for it ahead, off the
    /// writing thread ([`Preparing::ahead`], from these very fields);
    /// empty: worked out as it is stored.
    pub ahead: Vec<Option<Prepared>>,
}

impl NewEntity {
    /// Entity `id` of `kind` with `fields`, nothing prepared ahead.
    pub fn new(kind: impl Into<String>, id: EntityId, fields: Vec<(String, Value)>) -> Self {
        NewEntity {
            kind: kind.into(),
            id,
            fields,
            ahead: Vec::new(),
        }
    }
}

impl std::fmt::Debug for NewEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEntity")
            .field("kind", &self.kind)
            .field("id", &self.id)
            .field("fields", &self.fields)
            .field("prepared", &self.ahead.iter().flatten().count())
            .finish()
    }
}

/// What the store's projections can work out for a new entity without the
/// database (sort keys, phone numbers read, search text), on any thread:
/// an import prepares each new person on the thread that reads its file,
/// so that the one thread that writes only writes ([`Store::preparing`]).
#[derive(Clone)]
pub struct Preparing {
    author: DeviceId,
    projections: Vec<Arc<dyn Projection>>,
}

impl Preparing {
    /// What each projection prepares for entity `id` of `kind` with
    /// `fields`, from the state its creating record will give it (its
    /// version not known yet): [`NewEntity::ahead`].
    pub fn ahead(
        &self,
        kind: &str,
        id: &EntityId,
        fields: &[(String, Value)],
    ) -> Vec<Option<Prepared>> {
        let put = creating_put(kind.to_string(), *id, fields.to_vec());
        let mut state = EntityState::default();
        let version = VersionId {
            author: self.author,
            seq: 0,
        };
        merge::apply_put(&mut state, version, Hlc::default(), &put, |_| false);
        self.projections
            .iter()
            .map(|p| p.prepare(id, &state))
            .collect()
    }
}

/// Records handed between the threads at once (each handover may wake a
/// thread: one per record cost a context switch per record), and how many
/// such batches may wait for their signatures, and signed for their turn:
/// enough to keep both threads busy, few enough to keep memory flat
/// however many entities are created.
const BATCH: usize = 64;
const QUEUE: usize = 8;

/// What the signing thread needs of a record besides the chain: its body,
/// a put (encoded there, and the entity it creates worked out there).
struct Job {
    seq: u64,
    hlc: Hlc,
    body: Body,
    ahead: Vec<Option<Prepared>>,
}

/// A record signed, with the entity it creates merged ahead on the signing
/// thread while the writer stores the entities before it (its state,
/// encoding and digest part).
struct Signed {
    record: SignedRecord,
    entity: EntityId,
    merged: Merged,
}

impl Store {
    /// Prepares ahead for [`NewEntity::ahead`], on any thread.
    pub fn preparing(&self) -> Preparing {
        Preparing {
            author: self.ctx.device,
            projections: self.ctx.projections.clone(),
        }
    }

    /// Creates `items` in order, in one durable transaction (or as part of
    /// the open bulk write): one signed record each, made, signed, stored
    /// and applied as by [`Store::put`], with the signatures made on a
    /// second thread. `progress` is told how many are stored, now and
    /// then. All or nothing: a refused item (a reserved field name, an id
    /// already here, a field the record format refuses) fails the call and
    /// nothing of it is kept.
    pub fn create_many(
        &mut self,
        items: Vec<NewEntity>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let expected = items.len();
        let mut items = items.into_iter();
        self.create_streamed(expected, &mut |_| Ok(items.next()), progress)
    }

    /// [`Store::create_many`] of the entities `next` hands out, one at a
    /// time, until it returns `None`: an import can decide what to create
    /// while the entities decided before are signed and stored. `next` is
    /// given the connection, to read what the transaction has stored so
    /// far (it must not write); an error from it fails the call, and
    /// nothing of it is kept.
    ///
    /// `expected`: about how many entities `next` will hand out. When they
    /// are many ([`StoreOptions::fill_min`](super::StoreOptions)) and at
    /// least as many as the entities already here, the views' indexes that
    /// only serve reads are dropped for the while and built again at the
    /// end, in one sorted pass each, inside the same transaction (a bulk
    /// fill, as a first sync's catch-up does; a 100k-person vCard import:
    /// 24.2 -> 23.3 s, the median of 10 interleaved runs, 8% less CPU).
    pub fn create_streamed(
        &mut self,
        expected: usize,
        next: &mut dyn FnMut(&Connection) -> Result<Option<NewEntity>>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        let started = self.begin_bulk()?;
        if !started {
            self.bulk_alive()?;
        }
        let mut changed;
        let result = match self.fill_if_worth(expected) {
            // Some indexes may be gone already: the bulk must not commit.
            Err(e) => {
                changed = true;
                Err(e)
            }
            Ok(dropped) => {
                changed = !dropped.is_empty();
                create_in(&self.conn, &mut self.ctx, next, &mut changed, progress).and_then(|()| {
                    dropped
                        .iter()
                        .try_for_each(|(name, sql)| build_index(&self.conn, name, sql.as_bytes()))
                })
            }
        };
        if let Err(e) = &result {
            if !started && changed {
                self.bulk_spoiled = Some((e.to_string(), e.kind()));
            }
            if !started {
                self.ctx.reload(&self.conn)?;
            }
        }
        self.end_bulk(started, result)
    }

    /// Drops the projections' fill indexes in the open transaction if
    /// creating `expected` entities is worth a bulk fill; returns what was
    /// dropped, to build again before the transaction ends.
    fn fill_if_worth(&self, expected: usize) -> Result<Vec<(String, String)>> {
        if self.ctx.projections.is_empty() || (expected as u64) < self.ctx.options.fill_min {
            return Ok(Vec::new());
        }
        let here: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM entities")?
            .query_row([], |r| r.get(0))?;
        if (expected as u64) < here as u64 {
            return Ok(Vec::new());
        }
        let dropped = drop_fill_indexes(&self.conn, &self.ctx.projections)?;
        log::info!(
            "creating {expected} entities as a bulk fill: {} indexes built at the end",
            dropped.len()
        );
        Ok(dropped)
    }
}

fn create_in(
    conn: &Connection,
    ctx: &mut Ctx,
    next: &mut dyn FnMut(&Connection) -> Result<Option<NewEntity>>,
    changed: &mut bool,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    ctx.refresh(conn)?;
    let team = ctx.team.ok_or(Error::Store(StoreError::NotAMember))?;
    let head = author_head(conn, &ctx.device)?;
    let key = ctx.key.duplicate();
    // Our head moves with every record: kept in the context and written to
    // `authors` once at the end, as a peer's batch does (nothing here reads
    // that table meanwhile).
    ctx.heads = Some(Default::default());
    let result = std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::sync_channel::<Vec<Job>>(QUEUE);
        let (rec_tx, rec_rx) = mpsc::sync_channel::<Vec<Result<Signed>>>(QUEUE);
        let signer = scope.spawn(move || sign_chain(&key, team, head.id, job_rx, rec_tx));
        // Records handed to the signer and not yet stored.
        let mut outstanding = 0usize;
        let mut applied = 0usize;
        // Stores the next batch of signed records.
        let mut apply_batch = |ctx: &mut Ctx, outstanding: &mut usize| -> Result<()> {
            let recs = rec_rx
                .recv()
                .map_err(|_| Error::invalid("records", "the signing thread stopped"))?;
            for rec in recs {
                let rec = rec?;
                *changed = true;
                *outstanding -= 1;
                insert_record(conn, ctx, &rec.record, false, STATE_COUNTED)?;
                // New (`new_body` checked, and the ids of one call are
                // distinct): nothing before it to count or merge with.
                store_merged(conn, ctx, &rec.entity, (None, false), rec.merged)?;
                applied += 1;
                if applied.is_multiple_of(1024) {
                    progress(applied);
                }
            }
            Ok(())
        };
        // Hands a batch to the signer. Never blocks on a full queue while
        // the signer may block on ours: stores signed records instead,
        // then tries again.
        let send = |tx: &SyncSender<Vec<Job>>,
                    jobs: Vec<Job>,
                    ctx: &mut Ctx,
                    outstanding: &mut usize,
                    apply_batch: &mut dyn FnMut(&mut Ctx, &mut usize) -> Result<()>|
         -> Result<()> {
            let mut jobs = jobs;
            loop {
                match tx.try_send(jobs) {
                    Ok(()) => return Ok(()),
                    Err(TrySendError::Full(j)) => {
                        jobs = j;
                        apply_batch(ctx, outstanding)?;
                    }
                    Err(TrySendError::Disconnected(_)) => return Err(signer_failed(&rec_rx)),
                }
            }
        };
        let mut ids = std::collections::HashSet::new();
        let mut jobs = Vec::with_capacity(BATCH);
        let mut i = 0u64;
        while let Some(mut item) = next(conn)? {
            if !ids.insert(item.id) {
                return Err(Error::invalid("id", format!("{} is given twice", item.id)));
            }
            let seq = head.seq + 1 + i;
            i += 1;
            let ahead = std::mem::take(&mut item.ahead);
            let body = new_body(conn, ctx, item, seq)?;
            jobs.push(Job {
                seq,
                hlc: ctx.clock.tick(wall_clock_ms()),
                body,
                ahead,
            });
            outstanding += 1;
            if jobs.len() == BATCH {
                let full = std::mem::replace(&mut jobs, Vec::with_capacity(BATCH));
                send(&job_tx, full, ctx, &mut outstanding, &mut apply_batch)?;
            }
        }
        if !jobs.is_empty() {
            send(&job_tx, jobs, ctx, &mut outstanding, &mut apply_batch)?;
        }
        drop(job_tx); // the signer ends once it has signed the rest
        while outstanding > 0 {
            apply_batch(ctx, &mut outstanding)?;
        }
        if !applied.is_multiple_of(1024) {
            progress(applied);
        }
        signer
            .join()
            .map_err(|_| Error::invalid("records", "the signing thread panicked"))
    });
    let flushed = super::apply::flush_heads(conn, ctx);
    ctx.heads = None;
    result.and(flushed)?;
    ctx.save_clock(conn)
}

/// The signing thread: signs each body in chain order, works out the
/// entity each creates, and hands them back, a batch for a batch; stops at
/// the first failure or when no one listens.
fn sign_chain(
    key: &DeviceKey,
    team: TeamId,
    mut prev: RecordId,
    jobs: Receiver<Vec<Job>>,
    out: SyncSender<Vec<Result<Signed>>>,
) {
    let author = key.device_id();
    for batch in jobs {
        let mut signed = Vec::with_capacity(batch.len());
        let mut failed = false;
        for job in batch {
            let header = Header {
                team,
                author,
                seq: job.seq,
                prev,
                hlc: job.hlc,
                body_version: BODY_VERSION,
            };
            let rec = match &job.body {
                Body::Put(put) => SignedRecord::sign(key, header, &job.body.encode()).map(|r| {
                    prev = r.id();
                    created(r, put, job.ahead)
                }),
                _ => Err(Error::invalid("records", "only puts create entities")),
            };
            failed = rec.is_err();
            signed.push(rec);
            if failed {
                break;
            }
        }
        if out.send(signed).is_err() || failed {
            return;
        }
    }
}

/// `record`, with the state of the entity its `put` creates (merged from
/// nothing, as the writer would), that state's encoding and digest part,
/// and what each projection prepared for it (`ahead`, as its caller
/// prepared it).
fn created(record: SignedRecord, put: &Put, ahead: Vec<Option<Prepared>>) -> Signed {
    let h = record.header();
    let mut state = EntityState::default();
    // A put of `new_body` replaces nothing, so nothing is asked of earlier
    // versions.
    merge::apply_put(&mut state, h.version(), h.hlc, put, |_| false);
    Signed {
        entity: put.entity,
        merged: Merged {
            encoded: state.encode(),
            part: super::digest::entity_part(&put.entity, &state),
            // Not prepared here when the caller did not: a signing thread
            // is new with every import, and preparing here gave each one
            // its own phone-parser caches (a 100k-person import bench's
            // peak 589 -> 625 MB); an import prepares on its reading
            // thread, which reads the numbers anyway.
            ahead,
            state,
        },
        record,
    }
}

/// The error of a signing thread that stopped early (it sent it last).
fn signer_failed(rx: &Receiver<Vec<Result<Signed>>>) -> Error {
    while let Ok(batch) = rx.recv() {
        for r in batch {
            if let Err(e) = r {
                return e;
            }
        }
    }
    Error::invalid("records", "the signing thread stopped")
}

/// The put that creates entity `id` of `kind` with `fields` (`Null`s left
/// out, marked live).
fn creating_put(kind: String, id: EntityId, fields: Vec<(String, Value)>) -> Put {
    let mut writes: Vec<FieldWrite> = fields
        .into_iter()
        .filter(|(_, v)| *v != Value::Null)
        .map(|(field, value)| FieldWrite {
            field,
            value,
            replaces: Vec::new(),
        })
        .collect();
    writes.push(FieldWrite {
        field: DELETED.to_string(),
        value: Value::Bool(false),
        replaces: Vec::new(),
    });
    Put {
        kind,
        entity: id,
        writes,
    }
}

/// The put that creates `item`, checked as a local write is.
fn new_body(conn: &Connection, ctx: &Ctx, item: NewEntity, seq: u64) -> Result<Body> {
    for (f, _) in &item.fields {
        if f.starts_with('_') {
            return Err(Error::invalid(
                "field",
                format!("field name {f:?} is reserved"),
            ));
        }
    }
    let exists = conn
        .prepare_cached("SELECT 1 FROM entities WHERE id = ?1")?
        .exists([&item.id.0[..]])?;
    if exists {
        return Err(Error::invalid(
            "id",
            format!("{} is already here: only new entities are created", item.id),
        ));
    }
    let body = Body::Put(creating_put(item.kind, item.id, item.fields));
    check_allowed(ctx, &body, seq)?;
    if let Body::Put(put) = &body {
        merge::validate_put(put).map_err(|m| Error::invalid("field", m))?;
    }
    Ok(body)
}
