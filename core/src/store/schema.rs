//! The SQLite schema and its migrations, run at open.
//!
//! `PRAGMA user_version` holds the schema version. Each migration moves the
//! schema one version up inside one transaction; a database newer than this
//! build is refused rather than touched. Tables below "derived" hold state
//! computed from the log and can be rebuilt from it at any time.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1];

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

/// Brings the schema up to [`SCHEMA_VERSION`]; returns the version found.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the schema up to `target` (tests build every older version).
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for version in found..target {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        log::info!("database schema migrated to version {}", version + 1);
    }
    Ok(found)
}
