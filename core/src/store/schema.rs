//! The SQLite schema and its migrations, run at open.
//!
//! `PRAGMA user_version` holds the schema version. Each migration moves the
//! schema one version up inside one transaction; a database newer than this
//! build is refused rather than touched. Tables below "derived" hold state
//! computed from the log and can be rebuilt from it at any time.

use rusqlite::Connection;

use crate::error::{Error, Result, StoreError};

/// Migration `i` takes the schema from version `i` to `i + 1`. A migration
/// may run while a bulk fill has dropped a view's list indexes
/// (`catch_up.rs`): it drops an index with `IF EXISTS`, and one it redefines
/// under the same name is left as it is when the fill ends; one it removes
/// must also have its `meta` key `fill.index.<name>` deleted.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
-- Settings of this installation: the device key, the team, the clock.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- The log: every accepted record, its bytes verbatim. rowid is the order in
-- which records were applied here. state 0 = applied, 1 = deferred (a body
-- format newer than this build: kept and forwarded, applied after upgrade).
CREATE TABLE records (
    rowid  INTEGER PRIMARY KEY,
    id     BLOB NOT NULL,
    author BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    hlc    INTEGER NOT NULL,
    team   INTEGER NOT NULL,
    state  INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    UNIQUE (author, seq)
);
CREATE INDEX records_team ON records (hlc) WHERE team = 1;
CREATE INDEX records_deferred ON records (state) WHERE state = 1;

-- The version vector: per author the highest contiguous seq held, the id of
-- that record (the next one's prev) and flags (1 = forked, 2 = clock skew).
CREATE TABLE authors (
    author  BLOB PRIMARY KEY,
    seq     INTEGER NOT NULL,
    last_id BLOB NOT NULL,
    flags   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Verified records that cannot be applied yet: their author is not admitted
-- (yet) or an earlier record of the author is missing.
CREATE TABLE pending (
    id     BLOB PRIMARY KEY,
    author BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX pending_by_author ON pending (author, seq);

-- Records kept apart: the second record of a fork, records of a revoked
-- author past its cutoff. Never applied, never forwarded.
CREATE TABLE quarantine (
    id     BLOB PRIMARY KEY,
    author BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    reason TEXT NOT NULL,
    bytes  BLOB NOT NULL
) WITHOUT ROWID;

-- Derived: the merged state of each entity.
CREATE TABLE entities (
    id         BLOB PRIMARY KEY,
    kind       TEXT NOT NULL,
    deleted    INTEGER NOT NULL,
    conflicted INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    state      BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX entities_by_kind ON entities (kind, deleted, updated);
CREATE INDEX entities_conflicted ON entities (conflicted) WHERE conflicted = 1;
"#;

const V2: &str = r#"
-- Derived (by the CRM model's projection): typed tables for the queries a
-- salesperson makes, the phone index and the full-text index. Empty here;
-- the projection fills them (a rebuild runs when they are stale).
CREATE TABLE people (
    id           BLOB PRIMARY KEY,
    given        TEXT,
    family       TEXT,
    sort_name    TEXT NOT NULL,
    title        TEXT,
    company      BLOB,
    email        TEXT,
    deleted      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    last_contact INTEGER
) WITHOUT ROWID;
CREATE INDEX people_by_name ON people (deleted, sort_name);
CREATE INDEX people_by_company ON people (company) WHERE company IS NOT NULL;
CREATE INDEX people_by_contact ON people (deleted, last_contact);
CREATE INDEX people_by_updated ON people (deleted, updated);

CREATE TABLE companies (
    id        BLOB PRIMARY KEY,
    name      TEXT,
    sort_name TEXT NOT NULL,
    industry  TEXT,
    website   TEXT,
    deleted   INTEGER NOT NULL,
    updated   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX companies_by_name ON companies (deleted, sort_name);
CREATE INDEX companies_by_updated ON companies (deleted, updated);

-- Calls, meetings and notes.
CREATE TABLE activities (
    id        BLOB PRIMARY KEY,
    kind      TEXT NOT NULL,
    at        INTEGER NOT NULL,
    company   BLOB,
    number    TEXT,
    direction TEXT,
    linked    INTEGER NOT NULL,
    deleted   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX activities_by_time ON activities (deleted, kind, at);
CREATE INDEX activities_unlinked ON activities (number, at) WHERE linked = 0 AND deleted = 0;

-- Timeline index: what (activity, task, deal) concerns whom (person,
-- company), at what time. Only entities not in the trash.
CREATE TABLE links (
    target BLOB NOT NULL,
    at     INTEGER NOT NULL,
    entity BLOB NOT NULL,
    kind   TEXT NOT NULL,
    PRIMARY KEY (target, at, entity)
) WITHOUT ROWID;
CREATE INDEX links_by_entity ON links (entity);

CREATE TABLE tasks (
    id       BLOB PRIMARY KEY,
    title    TEXT NOT NULL,
    due      INTEGER,
    done     INTEGER NOT NULL,
    assignee BLOB,
    deleted  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tasks_open_by_due ON tasks (due) WHERE done = 0 AND deleted = 0;

CREATE TABLE deals (
    id             BLOB PRIMARY KEY,
    title          TEXT NOT NULL,
    company        BLOB,
    contact        BLOB,
    value_minor    INTEGER,
    currency       TEXT,
    stage          BLOB,
    expected_close INTEGER,
    owner          BLOB,
    deleted        INTEGER NOT NULL,
    updated        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX deals_by_stage ON deals (deleted, stage);

-- Pipeline stages and custom-field definitions are data, synced.
CREATE TABLE stages (
    id       BLOB PRIMARY KEY,
    name     TEXT NOT NULL,
    position REAL NOT NULL,
    outcome  TEXT NOT NULL,
    deleted  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE field_defs (
    id         BLOB PRIMARY KEY,
    name       TEXT NOT NULL,
    target     TEXT NOT NULL,
    type       TEXT NOT NULL,
    choices    TEXT NOT NULL,
    position   REAL NOT NULL,
    created_by BLOB NOT NULL,
    deleted    INTEGER NOT NULL
) WITHOUT ROWID;

-- Caller lookup: every phone number of a person or company, in E.164.
CREATE TABLE phones (
    number TEXT NOT NULL,
    entity BLOB NOT NULL,
    label  TEXT NOT NULL,
    PRIMARY KEY (number, entity)
) WITHOUT ROWID;
CREATE INDEX phones_by_entity ON phones (entity);

-- Invites this device issued (local, never synced): the one-time secrets of
-- its pairing tickets. used_by is the device that redeemed it.
CREATE TABLE invites (
    secret  BLOB PRIMARY KEY,
    role    INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    used_by BLOB
) WITHOUT ROWID;

-- Every email address of a person or company, lowercased (duplicates on
-- import, "who wrote me").
CREATE TABLE emails (
    email  TEXT NOT NULL,
    entity BLOB NOT NULL,
    PRIMARY KEY (email, entity)
) WITHOUT ROWID;
CREATE INDEX emails_by_entity ON emails (entity);

-- Full-text search: case- and diacritics-insensitive, with prefix indexes
-- for search as you type. docid maps to the entity in search_docs. People,
-- companies, deals and tasks are ranked (bm25); the far more numerous
-- activity notes have their own index, read newest first.
CREATE VIRTUAL TABLE search USING fts5 (
    name, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
CREATE VIRTUAL TABLE search_notes USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TABLE search_docs (
    docid  INTEGER PRIMARY KEY,
    entity BLOB NOT NULL UNIQUE,
    kind   TEXT NOT NULL
);
"#;

const V3: &str = r#"
-- Entities whose projections (typed tables, search index) lag their state:
-- a large transfer from a peer stores the state and marks the entity here,
-- and the projections catch up after the session (or at the next open, if
-- the process stopped first).
CREATE TABLE projection_dirty (
    entity BLOB PRIMARY KEY
) WITHOUT ROWID;

-- Where team devices were reached (tickets, sync sessions, LAN discovery):
-- local to this installation, never synced. `deko sync` with no peer named
-- tries these. seen = Unix seconds of the last time the address was learnt
-- or answered.
CREATE TABLE peers (
    device BLOB NOT NULL,
    addr   TEXT NOT NULL,
    seen   INTEGER NOT NULL,
    PRIMARY KEY (device, addr)
) WITHOUT ROWID;
"#;

const V4: &str = r#"
-- Every validly signed record of a device the team records name is kept in
-- the log, whatever the roster says of it now: records.state 2 = held and
-- forwarded but not counted (its author is out of the roster at it, or it
-- needed admin authority its author lacked). The roster decides again
-- whenever team records arrive.
-- authors.hlc: the timestamp of the author's last record held (the next may
-- not be lower: a backdated record is refused).
ALTER TABLE authors ADD COLUMN hlc INTEGER NOT NULL DEFAULT 0;
UPDATE authors SET hlc = COALESCE(
    (SELECT r.hlc FROM records r WHERE r.author = authors.author AND r.seq = authors.seq), 0);
-- Records an older build quarantined for lying past a revocation cutoff go
-- back through admission into the log (at open).
INSERT OR IGNORE INTO pending (id, author, seq, bytes)
    SELECT id, author, seq, bytes FROM quarantine WHERE reason = 'revoked: past the cutoff';
DELETE FROM quarantine WHERE reason = 'revoked: past the cutoff';
-- Entity states now remember their creating record's timestamp: the
-- derived state is rebuilt at open.
INSERT OR REPLACE INTO meta (key, value) VALUES ('rebuild', x'01');
"#;

const V5: &str = r#"
-- When a waiting record arrived (Unix ms): records waiting too long for an
-- author no team record names are dropped. Those already waiting count
-- from the upgrade.
ALTER TABLE pending ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
UPDATE pending SET received = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
"#;

const V6: &str = r#"
-- Indexes that let lists read a page instead of the table (found by the
-- query-plan test, core/tests/engine/query_plans.rs):
-- a company's people in name order;
DROP INDEX IF EXISTS people_by_company;
CREATE INDEX people_by_company ON people (company, sort_name) WHERE company IS NOT NULL;
-- people not contacted lately: never contacted (-1) first, then longest
-- ago, by name; the expression makes "before the cutoff" one range;
DROP INDEX IF EXISTS people_by_contact;
CREATE INDEX people_by_contact ON people (deleted, ifnull(last_contact, -1), sort_name);
-- calls from numbers nobody has, newest first.
CREATE INDEX IF NOT EXISTS activities_unlinked_by_time ON activities (at)
    WHERE linked = 0 AND deleted = 0 AND number IS NOT NULL;
"#;

const V7: &str = r#"
-- Phone numbers are read with libphonenumber's metadata (every region; a
-- trunk prefix written after the country code is dropped, "+40 0721 ..."),
-- and list sort keys come from the locale's Unicode collation. The records
-- stay as they are; the CRM views derived from them (the phone index, sort
-- keys, search terms) are made anew at open: forgetting which projections
-- kept them current makes the store rebuild them when the CRM opens.
DELETE FROM meta WHERE key = 'projections';
"#;

const V8: &str = r#"
-- Full-text indexes gather the terms of a transaction in memory and write
-- them out as a segment whenever that buffer is full (1 MB by default);
-- segments are then merged. A bulk import or a first sync's catch-up wrote
-- a small segment every few hundred people, and the merging cost a third
-- of each insert. 8 MB makes a segment of a few thousand people (the
-- memory is held only while a large transaction writes; small writes
-- never fill it).
INSERT INTO search (search, rank) VALUES ('hashsize', 8388608);
INSERT INTO search_notes (search_notes, rank) VALUES ('hashsize', 8388608);
"#;

const V9: &str = r#"
-- The links a bulk fill (a first sync's catch-up) makes wait here, keyed by
-- the activity in the order activities are projected, and go into `links`
-- a few hundred thousand at a time in `links`' own key order. Written one
-- by one, each went to the page of its person, anywhere in a table far
-- larger than the page cache: two fifths of a million-record fill went to
-- reading and writing back those pages.
CREATE TABLE IF NOT EXISTS links_fill (
    entity BLOB NOT NULL,
    target BLOB NOT NULL,
    at     INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    PRIMARY KEY (entity, target)
) WITHOUT ROWID;
"#;

/// Brings the schema up to [`SCHEMA_VERSION`]; returns the version found.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the schema up to `target` (tests build every older version). The
/// version is read again inside one `BEGIN IMMEDIATE` transaction, so
/// several processes opening a fresh file at once migrate it once.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::Store(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        }));
    }
    if found >= target {
        return Ok(found);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now = user_version(&tx)?;
    if now > SCHEMA_VERSION {
        return Err(Error::Store(StoreError::SchemaTooNew {
            found: now,
            supported: SCHEMA_VERSION,
        }));
    }
    for version in now..target {
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        log::info!("database schema migrated to version {}", version + 1);
    }
    tx.commit()?;
    Ok(found)
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}
