//! The SQLite store: the log of records (the truth), the version vector, the
//! pending and quarantined records, and the entity state derived from the
//! log, which [`Store::rebuild`] can recompute at any time.
//!
//! One `Store` owns one connection. Several processes may open the same file
//! (the CLI next to `deko serve`): writes take SQLite's write lock, and cached
//! state (roster, clock) is reloaded whenever another connection committed.

mod apply;
mod catch_up;
mod create_many;
mod devices;
mod digest;
mod entities;
mod error;
mod files;
mod invites;
mod membership;
mod peers;
mod pending;
mod preverified;
pub mod salvage;
mod schema;
mod tally;
mod write;

pub use apply::{ApplyReport, Refusal, VerifiedBatch, verify_remote};
pub use catch_up::{CATCH_UP_CHUNK, FILL_MERGE, FILL_MIN};
pub use create_many::{NewEntity, Preparing};
pub use devices::{Device, TeamInfo};
pub use digest::StateDigest;
pub use entities::{
    Conflict, ConflictValue, DELETED_FIELD, Entity, ListOptions, Prepared, Projection, TrashItem,
    load_entity_state,
};
pub use error::StoreError;
pub use peers::{KnownPeer, MAX_ADDRS_PER_PEER};
pub use preverified::Preverified;
pub use schema::SCHEMA_VERSION;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::identity::{DeviceId, DeviceKey};
use crate::record::{BODY_VERSION, Body, Hlc, HlcClock, RecordId, SignedRecord, TeamId};
use crate::team::{Roster, TeamChange, TeamOp};

const META_DEVICE_KEY: &str = "device_key";
const META_TEAM: &str = "team";
const META_CLOCK: &str = "hlc";
/// Set by a migration that changes how the state is derived from the log.
const META_REBUILD: &str = "rebuild";
/// Which projections kept the derived tables current at the last write.
const META_PROJECTIONS: &str = "projections";

/// Settings of a store that tests and tools may change.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// The newest record body format this store applies. Records of newer
    /// formats are kept and forwarded but not applied. Lower it only to play
    /// an older build in tests.
    pub body_version_limit: u16,
    /// What a peer may make this device keep aside (records waiting for
    /// their author or a predecessor, forks).
    pub limits: KeptAside,
    /// Lagging entities from which a catch-up is a bulk fill, when they are
    /// also at least half of all entities (see
    /// [`Store::catch_up_projections`]); [`FILL_MIN`] by default.
    pub fill_min: u64,
    /// Entities a bulk fill projects between two moves of what the
    /// projections staged into their views ([`Projection::merge_fill`]);
    /// [`FILL_MERGE`] by default.
    pub fill_merge: u64,
}

/// Bounds on the records a device keeps aside for peers: a member (or a
/// stranger relaying through one) sending records of made-up authors, or
/// a device forking its log, cannot fill the disk. Records refused for a
/// full waiting room come again at a later sync, once what waits has gone
/// into the log.
#[derive(Clone, Debug)]
pub struct KeptAside {
    /// Bytes of records waiting, all authors together.
    pub pending_bytes: u64,
    /// Bytes of records waiting for one author.
    pub pending_bytes_per_author: u64,
    /// Records waiting this long for an author no team record names are
    /// dropped (milliseconds).
    pub pending_expiry_ms: u64,
    /// Bytes of forks kept apart, all authors together.
    pub quarantine_bytes: u64,
    /// Bytes of forks kept apart for one author.
    pub quarantine_bytes_per_author: u64,
}

impl Default for KeptAside {
    /// 64 MiB waiting (16 MiB per author: a first sync parks only what
    /// arrives before its author's admission), unknown authors dropped after
    /// 14 days, 16 MiB of forks (1 MiB per author: evidence, not data).
    fn default() -> Self {
        KeptAside {
            pending_bytes: 64 << 20,
            pending_bytes_per_author: 16 << 20,
            pending_expiry_ms: 14 * 24 * 3600 * 1000,
            quarantine_bytes: 16 << 20,
            quarantine_bytes_per_author: 1 << 20,
        }
    }
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            body_version_limit: BODY_VERSION,
            limits: KeptAside::default(),
            fill_min: FILL_MIN,
            fill_merge: FILL_MERGE,
        }
    }
}

/// Per-author flags raised by what arrived from the author.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuthorFlags {
    /// Two different records with the same seq were seen.
    pub forked: bool,
    /// A record came with a clock far ahead of ours.
    pub skewed: bool,
}

const FLAG_FORKED: i64 = 1;
const FLAG_SKEWED: i64 = 2;

/// Cached state next to the connection.
pub(crate) struct Ctx {
    pub(crate) key: DeviceKey,
    pub(crate) device: DeviceId,
    pub(crate) team: Option<TeamId>,
    pub(crate) roster: Option<Arc<Roster>>,
    /// The team records the roster was computed from (kept so that a team
    /// record arriving costs one computation, not a read of them all).
    pub(crate) founding: Founding,
    pub(crate) team_ops: Vec<TeamOp>,
    pub(crate) clock: HlcClock,
    pub(crate) options: StoreOptions,
    pub(crate) projections: Vec<std::sync::Arc<dyn Projection>>,
    /// Whether the pending table may hold records (saves a delete per record).
    pub(crate) pending_seen: bool,
    /// Bytes in `pending`, in all and per author, counted once per batch
    /// that parks records.
    pub(crate) pending_bytes: Option<(u64, std::collections::HashMap<DeviceId, u64>)>,
    /// When waiting records of unknown authors were last expired.
    pub(crate) expired_at: u64,
    /// While set, puts applied from a peer mark their entity in
    /// `projection_dirty` instead of projecting it (see
    /// [`Store::apply_remote_deferred`]).
    pub(crate) defer_projection: bool,
    /// What this transaction's entity writes changed in the state digest's
    /// sum and in the tallies, written once at its end (`save_clock`), not
    /// once per entity.
    pub(crate) kept: digest::Pending,
    /// While a peer's batch is applied: the authors' heads as the batch
    /// leaves them, written to `authors` once (`apply::flush_heads`), not
    /// once per record. `Some` only inside `apply_verified`.
    pub(crate) heads: Option<std::collections::HashMap<DeviceId, (Head, bool)>>,
    data_version: i64,
}

/// The page size of a new database (SQLite's default is 4 KiB). With 8 KiB
/// pages every bulk write is faster, since a b-tree (the log, the indexes,
/// the search index's segments) is split, balanced and written in half as
/// many pages: `scripts/bench-process 30000`, 2 runs each, 4 -> 8 KiB:
/// generated data 19.1-19.6 -> 16.3-16.4 s, the vCard import 14.1-14.3k
/// -> 16.0-16.6k people/s, a join's views ready 25.7-25.9k -> 27.7-28.6k
/// records/s. The reads a salesperson waits for did not get slower (crm
/// bench, 100k people and 1M activities, 2 alternating runs: caller lookup
/// 24-26 vs 25 us median, a timeline page 243-250 vs 217-218 us, opening
/// 400 us both, logging a call and search within their noise). 16 KiB
/// pages made the caller lookup 25% slower for no more import speed. A
/// database keeps the page size it was made with (changing it means
/// rewriting the file); older ones stay at 4 KiB.
const NEW_PAGE_SIZE: i64 = 8192;
/// WAL bytes after which a commit copies the WAL into the database file
/// (SQLite's default of 1000 pages of 4 KiB).
const CHECKPOINT_BYTES: i64 = 4_096_000;
/// The same while peers' batches or a catch-up run (see `Store::relaxed`).
const RELAXED_CHECKPOINT_BYTES: i64 = 64 << 20;

/// An open Deko database.
pub struct Store {
    conn: Connection,
    /// The database's page size, which the WAL's checkpoint interval is
    /// counted in.
    page_size: i64,
    ctx: Ctx,
    /// Inside [`Store::bulk`]: writes join its transaction.
    in_bulk: bool,
    /// A write inside the bulk transaction failed half-way: why. The bulk
    /// is then rolled back whole.
    bulk_spoiled: Option<(String, crate::error::ErrorKind)>,
    /// Records whose signatures a sync reader verified ahead.
    preverified: Option<Preverified>,
    /// A bulk fill projecting while its transfer still arrives
    /// ([`Store::catch_up_ahead`]).
    ahead: Option<catch_up::Ahead>,
}

impl Store {
    /// Opens (or creates) the database at `path`, running migrations and
    /// making the device key on first open.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Self::open_with(path, StoreOptions::default())
    }

    /// [`Store::open`] with options.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Store> {
        files::secure(path.as_ref())?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        Self::setup(conn, options)
    }

    /// A database in memory (tests, tools).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, StoreOptions::default())
    }

    /// An in-memory database with options.
    pub fn open_in_memory_with(options: StoreOptions) -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, options)
    }

    /// Runs `f` as a peer's batch or a catch-up runs: without the fsync
    /// of each commit (what a power cut loses comes again, see
    /// `apply_verified`) and with the WAL checkpointed into the database
    /// file every 64 MiB instead of every 4 MiB, so that the pages a bulk
    /// transfer rewrites again and again (indexes, the search index) are
    /// copied into the file once per 64 MiB, not once per batch (a join of
    /// 245k records: the checkpoints were a fifth of the catch-up's time).
    pub(crate) fn relaxed<R>(&mut self, f: impl FnOnce(&mut Store) -> Result<R>) -> Result<R> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(
            None,
            "wal_autocheckpoint",
            RELAXED_CHECKPOINT_BYTES / self.page_size,
        )?;
        let result = f(self);
        let restored = self
            .conn
            .pragma_update(
                None,
                "wal_autocheckpoint",
                CHECKPOINT_BYTES / self.page_size,
            )
            .and_then(|_| self.conn.pragma_update(None, "synchronous", "FULL"));
        let value = result?;
        restored?;
        Ok(value)
    }

    fn setup(mut conn: Connection, options: StoreOptions) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Before the first write (WAL's header): a no-op on an existing file.
        conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
        use_wal(&conn)?;
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_BYTES / page_size)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", false)?;
        // 32 MiB of page cache (the default is 2 MiB): a sync's batches and
        // a catch-up's chunks come back to the same index pages (every
        // author's place in the log, the views' indexes) batch after batch.
        conn.pragma_update(None, "cache_size", -32_768)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The store and the CRM projection use about a hundred distinct statements;
        // a smaller cache re-prepares them on every batch.
        conn.set_prepared_statement_cache_capacity(256);
        // SQLite re-prepares a cached statement on every new binding of a
        // parameter the planner looked at (a third of the time of a sync
        // went there). Our plans never depend on bound values: keep them.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        schema::migrate(&mut conn)?;
        let key = {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let key = match get_meta(&tx, META_DEVICE_KEY)? {
                Some(bytes) => {
                    let secret: [u8; 32] = bytes
                        .try_into()
                        .map_err(|_| Error::corrupt("the device key is not 32 bytes"))?;
                    DeviceKey::from_secret(secret)
                }
                None => {
                    let key = DeviceKey::generate()?;
                    set_meta(&tx, META_DEVICE_KEY, &key.secret_bytes())?;
                    log::info!("new device key {}", key.device_id().fingerprint());
                    key
                }
            };
            tx.commit()?;
            key
        };
        let device = key.device_id();
        let mut store = Store {
            page_size,
            in_bulk: false,
            bulk_spoiled: None,
            preverified: None,
            ahead: None,
            conn,
            ctx: Ctx {
                key,
                device,
                team: None,
                roster: None,
                founding: None,
                team_ops: Vec::new(),
                clock: HlcClock::default(),
                options,
                projections: Vec::new(),
                pending_seen: true,
                pending_bytes: None,
                expired_at: 0,
                defer_projection: false,
                kept: digest::Pending::default(),
                heads: None,
                data_version: -1,
            },
        };
        store.ctx.reload(&store.conn)?;
        if get_meta(&store.conn, META_REBUILD)?.is_some() {
            // A migration changed how the state is derived.
            log::info!("rebuilding the derived state for the new schema");
            store.rebuild()?;
            store
                .conn
                .execute("DELETE FROM meta WHERE key = ?1", [META_REBUILD])?;
            // The model's views are rebuilt when its projection is added.
            set_meta(&store.conn, META_PROJECTIONS, b"")?;
        }
        // (After a rebuild: entities of an older format are derived anew first.)
        digest::ensure_sum(&store.conn)?;
        tally::ensure(&store.conn)?;
        store.upgrade_deferred()?;
        Ok(store)
    }

    /// Adds a projection: a derived view (typed tables, search index) kept
    /// current on every entity change and rebuilt with the state. If the
    /// database was written without it since it last ran, it is rebuilt now.
    pub fn add_projection(&mut self, projection: Box<dyn Projection>) -> Result<()> {
        self.ctx.projections.push(projection.into());
        let names = self.ctx.projection_names();
        let recorded = get_meta(&self.conn, META_PROJECTIONS)?;
        if recorded.as_deref() != Some(names.as_bytes()) {
            let has_data: bool = self
                .conn
                .prepare("SELECT 1 FROM entities LIMIT 1")?
                .exists([])?;
            if has_data {
                log::info!("derived views are stale ({names}); rebuilding from the log");
                self.rebuild()?;
            }
            set_meta(&self.conn, META_PROJECTIONS, names.as_bytes())?;
        }
        Ok(())
    }

    /// Replaces the projection of the same name (e.g. after a setting it
    /// depends on changed) and rebuilds the derived state with it.
    pub fn replace_projection(&mut self, projection: Box<dyn Projection>) -> Result<()> {
        let name = projection.name();
        self.ctx.projections.retain(|p| p.name() != name);
        self.ctx.projections.push(projection.into());
        self.rebuild()
    }

    /// A local setting of this installation (never synced).
    pub fn setting(&self, key: &str) -> Result<Option<Vec<u8>>> {
        get_meta(&self.conn, &format!("setting:{key}"))
    }

    /// Sets a local setting of this installation (never synced).
    pub fn set_setting(&self, key: &str, value: &[u8]) -> Result<()> {
        set_meta(&self.conn, &format!("setting:{key}"), value)
    }

    /// The device's secret key bytes, for its TLS identity. Never leaves
    /// the device.
    pub fn device_secret(&self) -> Result<[u8; 32]> {
        Ok(self.ctx.key.secret_bytes())
    }

    /// This device's id.
    pub fn device_id(&self) -> DeviceId {
        self.ctx.device
    }

    /// The team this database belongs to (or waits to join).
    pub fn team_id(&self) -> Option<TeamId> {
        self.ctx.team
    }

    /// The roster, once the genesis is known: shared, not copied (a
    /// 200-member roster is read at every session's admission).
    pub fn roster(&mut self) -> Result<Option<Arc<Roster>>> {
        self.ctx.refresh(&self.conn)?;
        Ok(self.ctx.roster.clone())
    }

    /// Per author, its newest revocation of `device` held here (the seq of
    /// that record): what a revoked device is sent to learn of it.
    pub fn revocations_of(&self, device: &DeviceId) -> BTreeMap<DeviceId, u64> {
        let mut out = BTreeMap::new();
        for op in &self.ctx.team_ops {
            if let TeamChange::Revoke(r) = &op.change
                && r.device == *device
            {
                let seq = out.entry(op.author).or_insert(0);
                *seq = op.seq.max(*seq);
            }
        }
        out
    }

    /// The database file, if the store has one (not in memory): for a
    /// second connection that works beside this one.
    pub fn file_path(&self) -> Option<PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// Gives back the memory of this connection's page cache that no
    /// transaction holds (up to 32 MiB after a large transfer): before a
    /// second connection does the catch-up, so that the two caches are not
    /// both full at once (a 100k-person join peaked about 40 MB higher). The
    /// cache fills again as the connection reads.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// The connection, for modules layered on the store (model, search) to
    /// read their tables. Writes must go through the store's methods.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The version vector: per author the highest contiguous seq held.
    pub fn version_vector(&self) -> Result<BTreeMap<DeviceId, u64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT author, seq FROM authors")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, u64>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (a, s) = row?;
            out.insert(
                DeviceId::from_slice(&a).map_err(|e| Error::corrupt(e.to_string()))?,
                s,
            );
        }
        Ok(out)
    }

    /// Up to `limit` records of `author` after `after_seq`, in seq order, as
    /// their verbatim bytes (what a peer lacking them is sent).
    pub fn records_after(
        &self,
        author: &DeviceId,
        after_seq: u64,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT bytes FROM records WHERE author = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![author.as_bytes(), after_seq, limit as i64], |r| {
            r.get(0)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<Vec<u8>>>>()?)
    }

    /// Number of records in the log (kept as records are added, see
    /// `tally`; counted only in a database from before).
    pub fn record_count(&self) -> Result<u64> {
        if let Some(n) = tally::records(&self.conn)? {
            return Ok(n);
        }
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))?)
    }

    /// Number of verified records waiting for their author's admission or an
    /// earlier record.
    pub fn pending_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM pending", [], |r| r.get(0))?)
    }

    /// Number of records kept apart (the second records of forks).
    pub fn quarantine_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM quarantine", [], |r| r.get(0))?)
    }

    /// Authors flagged for a fork or a clock far ahead.
    pub fn flagged_authors(&self) -> Result<Vec<(DeviceId, AuthorFlags)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT author, flags FROM authors WHERE flags != 0")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (a, f) = row?;
            let id = DeviceId::from_slice(&a).map_err(|e| Error::corrupt(e.to_string()))?;
            out.push((
                id,
                AuthorFlags {
                    forked: f & FLAG_FORKED != 0,
                    skewed: f & FLAG_SKEWED != 0,
                },
            ));
        }
        Ok(out)
    }

    /// One record of the log by author and seq.
    pub fn record(&self, author: &DeviceId, seq: u64) -> Result<Option<SignedRecord>> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT bytes FROM records WHERE author = ?1 AND seq = ?2",
                params![author.as_bytes(), seq],
                |r| r.get(0),
            )
            .optional()?;
        bytes.map(SignedRecord::parse).transpose()
    }

    /// Recomputes all derived state from the log, in one transaction.
    pub fn rebuild(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let res = membership::rebuild(&tx, &mut self.ctx);
        match res.and_then(|_| tx.commit().map_err(Error::from)) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.ctx.reload(&self.conn)?;
                Err(e)
            }
        }
    }

    /// Applies deferred records whose body format this build now reads, and
    /// retries records that were waiting.
    fn upgrade_deferred(&mut self) -> Result<()> {
        let limit = self.ctx.options.body_version_limit;
        let mut ready = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT rowid, bytes FROM records WHERE state = 1")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            for row in rows {
                let (rowid, bytes) = row?;
                let rec = SignedRecord::parse(bytes)?;
                if rec.header().body_version <= limit {
                    let team = matches!(rec.body(), Ok(Some(b)) if b.is_team_op());
                    ready.push((rowid, team));
                }
            }
        }
        let pending = self.pending_count()?;
        if ready.is_empty() && pending == 0 {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if !ready.is_empty() {
            log::info!(
                "applying {} records whose format this build now reads",
                ready.len()
            );
            for (rowid, team) in ready {
                tx.execute(
                    "UPDATE records SET state = 0, team = ?2 WHERE rowid = ?1",
                    params![rowid, team],
                )?;
            }
            membership::rebuild(&tx, &mut self.ctx)?;
        }
        if pending > 0 {
            let moved = pending::retry(&tx, &mut self.ctx)?;
            if moved > 0 {
                log::info!("applied {moved} records that were waiting");
            }
        }
        self.ctx.save_clock(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

impl Ctx {
    /// Reloads the cached team, roster and clock if another connection
    /// committed since we last looked.
    pub(crate) fn refresh(&mut self, conn: &Connection) -> Result<()> {
        let dv: i64 = data_version(conn)?;
        if dv != self.data_version {
            self.reload(conn)?;
            self.data_version = dv;
        }
        Ok(())
    }

    /// Reloads the cached team, roster and clock unconditionally.
    pub(crate) fn reload(&mut self, conn: &Connection) -> Result<()> {
        // What the rolled-back transaction would have changed.
        self.kept = digest::Pending::default();
        self.heads = None;
        self.team = match get_meta(conn, META_TEAM)? {
            Some(b) => Some(TeamId(
                b.try_into()
                    .map_err(|_| Error::corrupt("team id is not 16 bytes"))?,
            )),
            None => None,
        };
        let last = match get_meta(conn, META_CLOCK)? {
            Some(b) => u64::from_be_bytes(
                b.try_into()
                    .map_err(|_| Error::corrupt("clock is not 8 bytes"))?,
            ),
            None => 0,
        };
        self.clock = HlcClock::new(Hlc(last));
        self.load_team(conn)?;
        self.data_version = data_version(conn)?;
        Ok(())
    }

    /// Saves the clock, and notes which projections this write kept current
    /// (so a later open with a projection that missed writes rebuilds it).
    pub(crate) fn save_clock(&mut self, conn: &Connection) -> Result<()> {
        std::mem::take(&mut self.kept).write(conn)?;
        set_meta(conn, META_CLOCK, &self.clock.last().0.to_be_bytes())?;
        let names = self.projection_names();
        if get_meta(conn, META_PROJECTIONS)?.as_deref() != Some(names.as_bytes()) {
            set_meta(conn, META_PROJECTIONS, names.as_bytes())?;
        }
        Ok(())
    }

    /// Reads the team records from the log and computes the roster.
    pub(crate) fn load_team(&mut self, conn: &Connection) -> Result<()> {
        let (founding, ops) = load_team_ops(conn)?;
        self.founding = founding;
        self.team_ops = ops;
        self.compute_roster();
        Ok(())
    }

    /// Computes the roster from the team records held in memory.
    pub(crate) fn compute_roster(&mut self) {
        self.roster = match (self.team, &self.founding) {
            (Some(team), Some((founder, genesis))) => Some(Arc::new(Roster::compute(
                team,
                *founder,
                genesis,
                &self.team_ops,
            ))),
            _ => None,
        };
    }

    /// Whether records of `kind` count only with admin authority (a
    /// projection says so).
    pub(crate) fn admin_only(&self, kind: &str) -> bool {
        self.projections.iter().any(|p| p.admin_only(kind))
    }

    fn projection_names(&self) -> String {
        let mut names: Vec<&str> = self.projections.iter().map(|p| p.name()).collect();
        names.sort_unstable();
        names.join(",")
    }
}

/// Switches the database to WAL. Several processes opening a fresh file at
/// once race for the exclusive lock this takes, and SQLite reports the
/// loser busy without waiting: retry for as long as the busy timeout.
fn use_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut wait = std::time::Duration::from_millis(2);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(wait);
                wait = (wait * 2).min(std::time::Duration::from_millis(100));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The genesis with its author (the founder), once held.
pub(crate) type Founding = Option<(DeviceId, crate::record::Genesis)>;

/// The genesis (with its author) and every Admit and Revoke record in the
/// log (whether its author's authority holds is the roster's to decide).
pub(crate) fn load_team_ops(conn: &Connection) -> Result<(Founding, Vec<TeamOp>)> {
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM records WHERE team = 1 AND state != 1")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut genesis = None;
    let mut ops = Vec::new();
    for row in rows {
        let rec = SignedRecord::parse(row?)?;
        let h = *rec.header();
        match rec.body()? {
            Some(Body::Genesis(g)) => genesis = Some((h.author, g)),
            Some(Body::Admit(a)) => ops.push(TeamOp {
                author: h.author,
                seq: h.seq,
                hlc: h.hlc,
                change: TeamChange::Admit(a),
            }),
            Some(Body::Revoke(r)) => ops.push(TeamOp {
                author: h.author,
                seq: h.seq,
                hlc: h.hlc,
                change: TeamChange::Revoke(r),
            }),
            _ => {}
        }
    }
    Ok((genesis, ops))
}

/// SQLite's counter of changes made by other connections.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Where an author's log stands here: the last record held.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Head {
    /// Its seq (0: nothing held).
    pub(crate) seq: u64,
    /// Its id (the next record's prev).
    pub(crate) id: RecordId,
    /// Its timestamp (the next record's may not be lower).
    pub(crate) hlc: Hlc,
}

/// Position of an author's log as held here.
pub(crate) fn author_head(conn: &Connection, author: &DeviceId) -> Result<Head> {
    let row: Option<(u64, Vec<u8>, i64)> = conn
        .prepare_cached("SELECT seq, last_id, hlc FROM authors WHERE author = ?1")?
        .query_row([author.as_bytes()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match row {
        Some((seq, id, hlc)) => Ok(Head {
            seq,
            id: RecordId::from_slice(&id)?,
            hlc: Hlc(hlc as u64),
        }),
        None => Ok(Head {
            seq: 0,
            id: RecordId::ZERO,
            hlc: Hlc(0),
        }),
    }
}

/// Helpers for tests of other crates and of upgrades; not for applications
/// (only with the `testing` feature, which only dev-dependencies enable).
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing {
    use std::path::Path;

    use crate::error::Result;

    /// What one run of a statement did, as SQLite's trace hook tells it.
    #[derive(Clone, Debug)]
    pub struct TracedRun {
        /// The statement as written (placeholders kept).
        pub sql: String,
        /// The statement with this run's bound values expanded.
        pub expanded: String,
        /// Virtual-machine steps of the statement so far (all its runs).
        pub vm_steps: i64,
        /// How many times the statement has run (this run included).
        pub runs: i64,
        /// Rows this run returned.
        pub rows: i64,
        /// How long this run took, as SQLite measured it.
        pub took: std::time::Duration,
    }

    /// Hands every finished statement run of `store` to `f`, or stops with
    /// `None`: for tests of query plans and of the work per query. Cached
    /// statements are dropped first, so counters start at zero.
    pub fn trace(store: &mut super::Store, f: Option<fn(TracedRun)>) -> Result<()> {
        use rusqlite::StatementStatus;
        use rusqlite::trace::{TraceEvent, TraceEventCodes};
        let hook = f.map(|f| {
            let mut rows = 0;
            move |e: TraceEvent<'_>| match e {
                TraceEvent::Row(_) => rows += 1,
                TraceEvent::Profile(stmt, took) => {
                    let sql = stmt.sql().into_owned();
                    f(TracedRun {
                        expanded: stmt.expanded_sql().unwrap_or_else(|| sql.clone()),
                        sql,
                        vm_steps: i64::from(stmt.get_status(StatementStatus::VmStep)),
                        runs: i64::from(stmt.get_status(StatementStatus::Run)),
                        rows: std::mem::take(&mut rows),
                        took,
                    });
                }
                _ => {}
            }
        });
        store.conn.flush_prepared_statement_cache();
        store.conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_PROFILE | TraceEventCodes::SQLITE_TRACE_ROW,
            hook,
        )?;
        Ok(())
    }

    /// Creates a database file whose schema stops at `version`, as an
    /// older build would have left it.
    pub fn create_at_version(path: &Path, version: i64) -> Result<()> {
        let mut conn = rusqlite::Connection::open(path)?;
        super::schema::migrate_to(&mut conn, version)?;
        Ok(())
    }
}
