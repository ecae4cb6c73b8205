//! Projections that lag the entity state after a large transfer: which
//! entities, and bringing their views (typed tables, search index) up to
//! date in large transactions, each entity once.
//!
//! A catch-up of most of the state (a new device's first sync) is a bulk
//! fill: the views' indexes that only serve reads (lists by name or time)
//! are dropped first and built again at the end in one sorted pass each,
//! and what spans entities (a person's last contact) is worked out once at
//! the end. Which indexes were dropped is kept in `meta` in the same
//! transaction, so a fill stopped half-way (a crash, a killed process) is
//! finished by the next catch-up, at the latest when the CRM next opens.

use std::sync::{Arc, mpsc};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{Prepared, Projection, Store, get_meta, set_meta};
use crate::error::{Error, Result};
use crate::merge::EntityState;
use crate::record::EntityId;

/// Entities projected per transaction while catching up: large enough that
/// the search index flushes rarely, small enough that a local write waits
/// at most a fraction of a second for the write lock (readers never wait).
pub const CATCH_UP_CHUNK: usize = 5_000;

/// Entities projected per transaction in a bulk fill (a first sync): every
/// commit writes each page the chunk dirtied, and the views' keys that
/// follow no order (a timeline's people, phone numbers, the notes index)
/// touch most of their pages in every chunk, so fewer commits write far
/// less (a 312k-record team join: its commits 2.3 -> 1.2 s, with sync
/// batches of 4,096). A local write waits for one chunk at most, about
/// half a second here; a first sync is when the app asks for patience.
pub const FILL_CHUNK: usize = 20_000;

/// Entities decoded and prepared per handover in a large catch-up: the
/// writer projects one piece while a second thread prepares the next (each
/// handover may wake a thread, so not one by one).
const PIECE: usize = 256;
/// Pieces prepared ahead of the writer at most: enough to keep both
/// threads busy, few enough to keep memory flat.
const PIECES_AHEAD: usize = 4;

/// Lagging entities from which a catch-up is a bulk fill by default, when
/// they are also at least half of all entities: below it, dropping and
/// building the indexes again costs more than keeping them current saves.
pub const FILL_MIN: u64 = 50_000;

/// Entities a bulk fill projects between two moves of what the projections
/// staged ([`Projection::merge_fill`]): each move sorts what was staged (a
/// million-record first sync's links: about 150k per move) and then sweeps
/// the view's pages once. Measured on a join of 1.2M records (views ready,
/// two runs each): 40k 46.8-48.0 s, 100k 44.8-46.2 s, 300k 46.3-48.6 s
/// and 17 MB more at the peak (bigger sorts).
pub const FILL_MERGE: u64 = 100_000;

/// Set while a bulk fill is under way.
const META_FILL: &str = "fill";
/// Prefix of the keys holding the SQL of the indexes a fill dropped.
const META_FILL_INDEX: &str = "fill.index.";

impl Store {
    /// How many entities' projections lag their state (see
    /// [`Store::apply_remote_deferred`]).
    pub fn projections_behind(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM projection_dirty")?
            .query_row([], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Projects up to `limit` lagging entities in one transaction; returns
    /// how many were brought up to date. Without projections (a bare store)
    /// nothing is done: the marks wait for the projection that needs them.
    pub fn catch_up_some(&mut self, limit: usize) -> Result<usize> {
        let behind = self
            .conn
            .prepare_cached("SELECT 1 FROM projection_dirty LIMIT 1")?
            .exists([])?;
        if !behind || self.ctx.projections.is_empty() {
            return Ok(0);
        }
        self.ctx.refresh(&self.conn)?;
        // Derived rows only: like a peer's batch, a power cut may lose the
        // commit, and the marks roll back with it.
        self.relaxed(|s| s.catch_up_in_tx(limit, false, None))
    }

    /// Projects up to `limit` lagging entities in one transaction, their
    /// states decoded and prepared by `preparer` if given (else here).
    fn catch_up_in_tx(
        &mut self,
        limit: usize,
        fill: bool,
        preparer: Option<&mut Preparer>,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The first `limit` marks in key order with their states, read a
        // piece at a time as the writer goes (a chunk's states are never
        // all in memory at once); the transaction holds the write lock, so
        // the range is ours to clear.
        let mut marks = tx.prepare_cached(
            "SELECT d.entity, e.state FROM projection_dirty d
             LEFT JOIN entities e ON e.id = d.entity
             ORDER BY d.entity LIMIT ?1",
        )?;
        let mut rows = marks.query([limit.min(i64::MAX as usize) as i64])?;
        let mut n = 0;
        let mut last = None;
        let mut next_piece = || -> Result<Marked> {
            let mut piece: Marked = Vec::with_capacity(PIECE);
            while piece.len() < PIECE {
                let Some(row) = rows.next()? else { break };
                piece.push((row.get(0)?, row.get(1)?));
            }
            n += piece.len();
            if let Some((id, _)) = piece.last() {
                last = Some(id.clone());
            }
            Ok(piece)
        };
        let projections = &self.ctx.projections;
        let project = |piece: &Piece| -> Result<()> {
            for (p, ahead) in projections.iter().zip(&piece.ahead) {
                match fill {
                    true => p.project_fill(&tx, &piece.entities, ahead)?,
                    false => p.project_many(&tx, &piece.entities, ahead)?,
                }
            }
            Ok(())
        };
        let first = next_piece()?;
        let more = first.len() == PIECE;
        match preparer.filter(|_| more).and_then(Preparer::running) {
            Some(running) => running.project(first, &mut next_piece, project)?,
            None => {
                let mut marked = first;
                while !marked.is_empty() {
                    project(&prepare_piece(projections, &marked)?)?;
                    marked = next_piece()?;
                }
            }
        }
        drop(rows);
        drop(marks);
        if let Some(last) = last {
            tx.prepare_cached("DELETE FROM projection_dirty WHERE entity <= ?1")?
                .execute([last])?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Brings every lagging projection up to date, [`CATCH_UP_CHUNK`]
    /// entities per transaction; returns how many entities were projected.
    /// Of most of the state, as a bulk fill (see the module's doc), in
    /// chunks of `FILL_CHUNK` (20,000).
    pub fn catch_up_projections(&mut self) -> Result<usize> {
        self.catch_up_projections_with(&mut |_, _| {})
    }

    /// [`Store::catch_up_projections`], telling `progress` how many of the
    /// lagging entities are projected (`done`, `total`), if any lag at all:
    /// `(0, total)` before the first chunk, after every chunk, and
    /// `(total, total)` once everything is done, always last.
    pub fn catch_up_projections_with(
        &mut self,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<usize> {
        if self.ctx.projections.is_empty() {
            return Ok(0);
        }
        let behind = self.projections_behind()?;
        let fill = self.filling()? || self.worth_filling(behind)?;
        if behind > 0 {
            progress(0, behind);
        }
        if fill {
            self.begin_fill()?;
        }
        let mut preparer = Preparer::new(self.ctx.projections.clone());
        let chunk = if fill { FILL_CHUNK } else { CATCH_UP_CHUNK };
        let mut total = 0;
        let mut unmerged = 0u64;
        loop {
            let n = self.catch_up_chunk(chunk, fill, &mut preparer)?;
            total += n;
            unmerged += n as u64;
            if fill && unmerged >= self.ctx.options.fill_merge {
                self.merge_fill()?;
                unmerged = 0;
            }
            if n > 0 && (total as u64) < behind {
                progress(total as u64, behind);
            }
            if n < chunk {
                break;
            }
        }
        drop(preparer);
        if fill {
            self.finish_fill()?;
        }
        // The end, once the fill's indexes are built too (also when another
        // connection projected some of the entities meanwhile).
        if behind > 0 {
            progress(behind, behind);
        }
        if total > 0 {
            log::info!("projected {total} entities received in bulk");
        }
        Ok(total)
    }

    /// During a large transfer, while the session waits for the peer:
    /// once `limit` entities lag and they make a bulk fill, projects
    /// `limit` of them as a chunk of the fill, so that the views fill
    /// while records still arrive instead of all after the transfer (on a
    /// phone's Wi-Fi or a relay the writer mostly waits for the network).
    /// The catch-up after the session finishes the fill. Returns how many
    /// entities it projected (0: too few lag, they make no fill, or a
    /// chunk failed before: nothing more is tried until
    /// [`Store::end_ahead`], and the catch-up meets the failure again).
    pub fn catch_up_ahead(&mut self, limit: usize) -> Result<usize> {
        if self.ctx.projections.is_empty() || self.ahead.as_ref().is_some_and(|a| a.failed) {
            return Ok(0);
        }
        let behind = self.projections_behind()?;
        if behind < limit.max(1) as u64 {
            return Ok(0);
        }
        if !self.filling()? {
            if !self.worth_filling(behind)? {
                return Ok(0);
            }
            self.begin_fill()?;
        }
        let mut ahead = self.ahead.take().unwrap_or_else(|| Ahead {
            preparer: Preparer::new(self.ctx.projections.clone()),
            unmerged: 0,
            failed: false,
        });
        let result = self
            .catch_up_chunk(limit, true, &mut ahead.preparer)
            .and_then(|n| {
                ahead.unmerged += n as u64;
                if ahead.unmerged >= self.ctx.options.fill_merge {
                    ahead.unmerged = 0;
                    self.merge_fill()?;
                }
                Ok(n)
            });
        ahead.failed = result.is_err();
        self.ahead = Some(ahead);
        result
    }

    /// Ends what [`Store::catch_up_ahead`] keeps between calls (its
    /// preparing thread, a failure): once the session is over.
    pub fn end_ahead(&mut self) {
        self.ahead = None;
    }

    /// [`Store::catch_up_some`], as a chunk of a bulk fill or not.
    fn catch_up_chunk(
        &mut self,
        limit: usize,
        fill: bool,
        preparer: &mut Preparer,
    ) -> Result<usize> {
        let behind = self
            .conn
            .prepare_cached("SELECT 1 FROM projection_dirty LIMIT 1")?
            .exists([])?;
        if !behind {
            return Ok(0);
        }
        self.ctx.refresh(&self.conn)?;
        self.relaxed(|s| s.catch_up_in_tx(limit, fill, Some(preparer)))
    }

    /// A bulk fill was begun and not finished.
    fn filling(&self) -> Result<bool> {
        Ok(get_meta(&self.conn, META_FILL)?.is_some())
    }

    /// Whether `behind` lagging entities are many and most of the state.
    fn worth_filling(&self, behind: u64) -> Result<bool> {
        if behind < self.ctx.options.fill_min {
            return Ok(false);
        }
        let all: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM entities")?
            .query_row([], |r| r.get(0))?;
        Ok(behind.saturating_mul(2) >= all as u64)
    }

    /// Drops the indexes the projections can build again after a fill,
    /// keeping their SQL (an index a fill stopped half-way already dropped
    /// is not found, and stays kept).
    fn begin_fill(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (name, sql) in drop_fill_indexes(&tx, &self.ctx.projections)? {
            set_meta(&tx, &format!("{META_FILL_INDEX}{name}"), sql.as_bytes())?;
        }
        set_meta(&tx, META_FILL, &[])?;
        tx.commit()?;
        log::info!("bulk fill of the views begun");
        Ok(())
    }

    /// Moves what the projections staged during a bulk fill into their
    /// views, in one transaction ([`Projection::merge_fill`]).
    fn merge_fill(&mut self) -> Result<()> {
        self.relaxed(|s| {
            let tx = s
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let started = std::time::Instant::now();
            for p in &s.ctx.projections {
                p.merge_fill(&tx)?;
            }
            tx.commit()?;
            log::debug!(
                "staged view rows of the bulk fill moved in {} ms",
                started.elapsed().as_millis()
            );
            Ok(())
        })
    }

    /// Ends a bulk fill in one transaction: the projections work out what
    /// they left, then the dropped indexes are built again (each in one
    /// sorted pass; one that exists again is left as it is).
    fn finish_fill(&mut self) -> Result<()> {
        self.relaxed(|s| {
            let tx = s
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another connection's catch-up may have finished it meanwhile.
            if get_meta(&tx, META_FILL)?.is_none() {
                return Ok(());
            }
            let started = std::time::Instant::now();
            for p in &s.ctx.projections {
                p.merge_fill(&tx)?;
                p.finish_fill(&tx)?;
            }
            let dropped: Vec<(String, Vec<u8>)> = tx
                .prepare("SELECT key, value FROM meta WHERE substr(key, 1, ?2) = ?1")?
                .query_map(
                    rusqlite::params![META_FILL_INDEX, META_FILL_INDEX.len() as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            for (key, sql) in &dropped {
                build_index(&tx, &key[META_FILL_INDEX.len()..], sql)?;
                tx.execute("DELETE FROM meta WHERE key = ?1", [key])?;
            }
            tx.execute("DELETE FROM meta WHERE key = ?1", [META_FILL])?;
            tx.commit()?;
            log::info!(
                "bulk fill of the views finished: {} indexes built in {} ms",
                dropped.len(),
                started.elapsed().as_millis()
            );
            Ok(())
        })
    }
}

/// Drops, in `conn`'s transaction, the indexes `projections` can build
/// again after a bulk write ([`Projection::fill_indexes`]) that exist;
/// returns each one's name and SQL.
pub(super) fn drop_fill_indexes(
    conn: &Connection,
    projections: &[Arc<dyn Projection>],
) -> Result<Vec<(String, String)>> {
    let mut dropped = Vec::new();
    for p in projections {
        for name in p.fill_indexes() {
            let sql: Option<String> = conn
                .prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1")?
                .query_row([name], |r| r.get(0))
                .optional()?;
            if let Some(sql) = sql {
                conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                dropped.push((name.to_string(), sql));
            }
        }
    }
    Ok(dropped)
}

/// Builds index `name` again from its kept definition `sql` (in one sorted
/// pass), unless it exists. Only a single `CREATE INDEX` statement runs:
/// a damaged definition is refused and nothing of it is run.
pub(super) fn build_index(conn: &Connection, name: &str, sql: &[u8]) -> Result<()> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1")?
        .exists([name])?;
    if !exists {
        // `prepare` refuses a second statement after the first.
        let sql = std::str::from_utf8(sql)
            .ok()
            .filter(|sql| sql.starts_with("CREATE INDEX "))
            .ok_or_else(|| Error::corrupt(format!("the kept definition of index {name}")))?;
        conn.prepare(sql)?.execute([])?;
    }
    Ok(())
}

/// What [`Store::catch_up_ahead`] keeps between two batches of a transfer.
pub(super) struct Ahead {
    preparer: Preparer,
    /// Entities projected since the last move of staged rows.
    unmerged: u64,
    /// A chunk failed: no more until the session is over.
    failed: bool,
}

/// Entities ready for the writer: decoded, and what each projection
/// prepared for them.
struct Piece {
    entities: Vec<(EntityId, EntityState)>,
    /// Per projection (in the store's order), per entity.
    ahead: Vec<Vec<Option<Prepared>>>,
}

/// Decodes marked entities (an entity with no state is skipped: nothing to
/// project) and lets every projection prepare them.
fn prepare_piece(
    projections: &[Arc<dyn Projection>],
    marked: &[(Vec<u8>, Option<Vec<u8>>)],
) -> Result<Piece> {
    let mut entities = Vec::with_capacity(marked.len());
    for (raw, state) in marked {
        let Some(state) = state else { continue };
        let id = EntityId::from_slice(raw)
            .map_err(|_| Error::corrupt("a projection mark is not an entity id"))?;
        let state =
            EntityState::decode(state).map_err(|e| Error::corrupt(format!("entity {id}: {e}")))?;
        entities.push((id, state));
    }
    let ahead = projections
        .iter()
        .map(|p| entities.iter().map(|(id, s)| p.prepare(id, s)).collect())
        .collect();
    Ok(Piece { entities, ahead })
}

/// The rows of a catch-up chunk: each lagging entity's id and state.
type Marked = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// What the writer hands the preparing thread.
enum Job {
    /// Marks to decode and prepare.
    Prepare(Marked),
    /// A piece the writer projected, to be freed there: the decoded states
    /// and what was prepared for them were allocated on that thread, and
    /// freeing them took a tenth of the writer's time in a first sync's
    /// catch-up (many small allocations, each freed into another thread's
    /// arena).
    Spent(Piece),
}

/// A thread that decodes and prepares a catch-up's chunks in pieces while
/// the writer (on the catch-up's own thread) projects the piece before: on
/// two cores the writer does little but write (a 100k-person catch-up
/// spends about a third of its time decoding states, reading phone
/// numbers, making sort keys and search text). One thread for the whole
/// catch-up, so that what the projections keep per thread (the phone
/// parser's compiled patterns and their caches) is made once: a thread per
/// chunk raised a 1M-record join's peak memory by 17 MiB.
struct Preparer {
    projections: Vec<Arc<dyn Projection>>,
    /// The thread and its channels, once a chunk needed them.
    running: Option<Running>,
}

/// A started preparing thread: marks in, prepared pieces out, a piece
/// (at most [`PIECE`] entities) at a time; projected pieces go back to it
/// to be freed.
struct Running {
    jobs: Option<mpsc::SyncSender<Job>>,
    pieces: Option<mpsc::Receiver<Result<Piece>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Preparer {
    /// A preparer for `projections`; its thread starts with the first chunk
    /// large enough to need it (opening a database with nothing behind
    /// starts none).
    fn new(projections: Vec<Arc<dyn Projection>>) -> Preparer {
        Preparer {
            projections,
            running: None,
        }
    }

    /// The thread, started if need be; `None` if none can be had (the
    /// writer then prepares itself).
    fn running(&mut self) -> Option<&Running> {
        if self.running.is_none() {
            let projections = self.projections.clone();
            // Room for the pieces handed over and as many spent ones.
            let (jobs, jobs_rx) = mpsc::sync_channel::<Job>(2 * PIECES_AHEAD);
            let (piece_tx, pieces) = mpsc::sync_channel::<Result<Piece>>(PIECES_AHEAD);
            let thread = std::thread::Builder::new()
                .name("deko-prepare".into())
                .spawn(move || {
                    for job in jobs_rx {
                        let marked = match job {
                            Job::Prepare(marked) => marked,
                            Job::Spent(piece) => {
                                drop(piece);
                                continue;
                            }
                        };
                        let piece = prepare_piece(&projections, &marked);
                        let failed = piece.is_err();
                        if piece_tx.send(piece).is_err() || failed {
                            return;
                        }
                    }
                });
            match thread {
                Ok(thread) => {
                    self.running = Some(Running {
                        jobs: Some(jobs),
                        pieces: Some(pieces),
                        thread: Some(thread),
                    })
                }
                Err(e) => log::warn!("catch-up without a preparing thread: {e}"),
            }
        }
        self.running.as_ref()
    }
}

impl Running {
    /// Projects `first` and the pieces `next` reads after it (until an
    /// empty one) with `project`, each piece prepared on the thread while
    /// the writer projects the one before; at most [`PIECES_AHEAD`] pieces
    /// are handed over and not yet projected.
    fn project(
        &self,
        first: Marked,
        next: &mut dyn FnMut() -> Result<Marked>,
        mut project: impl FnMut(&Piece) -> Result<()>,
    ) -> Result<()> {
        let stopped = || Error::invalid("projection", "the preparing thread stopped");
        let (Some(jobs), Some(pieces)) = (&self.jobs, &self.pieces) else {
            return Err(stopped());
        };
        let mut ahead = 0;
        let mut marked = first;
        loop {
            // Keep the thread fed, then project what it has ready.
            while ahead < PIECES_AHEAD && !marked.is_empty() {
                if jobs.send(Job::Prepare(marked)).is_err() {
                    // The thread stopped at a piece it could not prepare:
                    // that piece's error is the one to tell.
                    return match pieces.iter().find_map(Result::err) {
                        Some(e) => Err(e),
                        None => Err(stopped()),
                    };
                }
                ahead += 1;
                marked = next()?;
            }
            if ahead == 0 {
                return Ok(());
            }
            let piece = pieces.recv().map_err(|_| stopped())??;
            project(&piece)?;
            ahead -= 1;
            // Freed there; here only if the thread is busy with a full
            // queue (never wait for it) or gone.
            let _ = jobs.try_send(Job::Spent(piece));
        }
    }
}

impl Drop for Running {
    /// Ends the thread: no more marks, and nobody takes what it still has
    /// (pieces of a chunk the writer gave up on part-way).
    fn drop(&mut self) {
        self.jobs.take();
        self.pieces.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the catch-up's preparing thread panicked");
        }
    }
}
