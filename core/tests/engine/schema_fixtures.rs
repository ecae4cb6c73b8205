//! Databases made by earlier builds, one per schema version
//! (core/tests/fixtures/schema/vN.db, each made by the deko-core of the
//! last commit at that version; see that directory's README), upgrade to
//! the current schema with every row they held, and show the same state as
//! a fresh database that received the same records.

use std::collections::BTreeSet;
use std::path::PathBuf;

use deko_core::model::{Crm, export_json_value};
use deko_core::record::EntityId;
use deko_core::store::{SCHEMA_VERSION, Store, load_entity_state};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema")
}

/// What the generator of a fixture wrote (vN.txt beside vN.db).
#[derive(Default, Debug)]
struct Manifest {
    schema: i64,
    records: u64,
    pending: u64,
    quarantine_revoked: u64,
    quarantine_other: u64,
    kinds: Vec<(String, u64)>,
    tables: Vec<(String, i64)>,
    /// Device (hex), role, cutoff ("-" if not revoked), name.
    members: BTreeSet<(String, String, String, String)>,
    phones: Vec<(String, String)>,
    searches: Vec<(String, String)>,
}

fn manifest(version: i64) -> Manifest {
    let path = dir().join(format!("v{version}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut m = Manifest::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (key, rest) = line.split_once(' ').unwrap();
        let n = || rest.parse::<u64>().unwrap();
        // "NAME COUNT" and "WORDS... LAST": split at the last space.
        let last = || {
            let (a, b) = rest.rsplit_once(' ').unwrap();
            (a.to_string(), b.to_string())
        };
        match key {
            "commit" => {}
            "schema" => m.schema = rest.parse().unwrap(),
            "records" => m.records = n(),
            "pending" => m.pending = n(),
            "quarantine_revoked" => m.quarantine_revoked = n(),
            "quarantine_other" => m.quarantine_other = n(),
            "kind" => {
                let (k, c) = last();
                m.kinds.push((k, c.parse().unwrap()));
            }
            "table" => {
                let (t, c) = last();
                m.tables.push((t, c.parse().unwrap()));
            }
            "member" => {
                let mut p = rest.splitn(4, ' ');
                let mut next = || p.next().unwrap().to_string();
                m.members.insert((next(), next(), next(), next()));
            }
            "phone" => m.phones.push(last()),
            "search" => m.searches.push(last()),
            _ => panic!("{path:?}: unknown line {line:?}"),
        }
    }
    m
}

fn user_version(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every row of a table, in key order, as SQLite values.
fn rows(s: &Store, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = s
        .conn()
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// The tables the CRM model derives from the log.
const VIEWS: &[&str] = &[
    "people",
    "companies",
    "activities",
    "links",
    "tasks",
    "deals",
    "stages",
    "field_defs",
    "phones",
    "emails",
];

#[test]
fn a_fixture_exists_for_every_schema_version() {
    // A migration comes with the fixture of the version it leaves behind
    // (and the new version's own, made by its build): see the README.
    for v in 1..=SCHEMA_VERSION {
        let db = dir().join(format!("v{v}.db"));
        assert!(
            db.is_file(),
            "{db:?} is missing: make it with core/tests/fixtures/schema/make.sh"
        );
        for side in ["-wal", "-shm"] {
            let mut p = db.clone().into_os_string();
            p.push(side);
            assert!(!PathBuf::from(p).exists(), "{db:?}{side}: checkpoint it");
        }
        assert_eq!(manifest(v).schema, v);
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("d.db");
        std::fs::copy(&db, &copy).unwrap();
        assert_eq!(user_version(&copy), v, "{db:?}");
    }
}

#[test]
fn every_fixture_upgrades_with_its_rows_intact() {
    for v in 1..=SCHEMA_VERSION {
        upgrade(v);
    }
}

fn upgrade(v: i64) {
    let m = manifest(v);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.db");
    std::fs::copy(dir().join(format!("v{v}.db")), &path).unwrap();

    let mut crm = Crm::open(&path).unwrap_or_else(|e| panic!("v{v}: {e}"));
    drop(crm);
    assert_eq!(user_version(&path), SCHEMA_VERSION, "v{v}");
    // Reopened: what a second start after the upgrade shows.
    crm = Crm::open(&path).unwrap();

    let s = crm.store_mut();
    // Records an older build quarantined past a revocation cutoff are in
    // the log now (kept, not counted); forks stay apart; waiting records
    // still wait.
    assert_eq!(
        s.record_count().unwrap(),
        m.records + m.quarantine_revoked,
        "v{v} records"
    );
    assert_eq!(s.pending_count().unwrap(), m.pending, "v{v} pending");
    assert_eq!(
        s.quarantine_count().unwrap(),
        m.quarantine_other,
        "v{v} quarantine"
    );
    for (k, n) in &m.kinds {
        assert_eq!(s.count(k).unwrap(), *n, "v{v} entities of kind {k}");
    }
    for (t, n) in &m.tables {
        assert_eq!(
            count(s, &format!("SELECT count(*) FROM {t}")),
            *n,
            "v{v} rows of {t}"
        );
    }
    // The typed views hold every live entity (for version 1, written
    // before the views existed, they are made at the upgrade).
    assert_eq!(
        count(s, "SELECT count(*) FROM people WHERE deleted = 0") as u64,
        s.count("person").unwrap(),
        "v{v} people"
    );
    assert_eq!(
        count(s, "SELECT count(*) FROM companies WHERE deleted = 0") as u64,
        s.count("company").unwrap(),
        "v{v} companies"
    );
    assert!(s.count("person").unwrap() > 0, "v{v}");

    let roster = s.roster().unwrap().unwrap();
    let members: BTreeSet<_> = roster
        .members
        .iter()
        .map(|(d, mem)| {
            (
                hex(d.as_bytes()),
                format!("{:?}", mem.role),
                mem.revoked_after.map_or("-".to_string(), |c| c.to_string()),
                mem.person_name.clone(),
            )
        })
        .collect();
    assert_eq!(members, m.members, "v{v} roster");
    assert!(members.iter().any(|x| x.2 != "-"), "v{v}: a revoked member");

    for (number, family) in &m.phones {
        let found = crm.lookup_number(number).unwrap();
        assert!(
            found
                .people
                .iter()
                .any(|p| p.family.as_deref() == Some(family)),
            "v{v}: {number} finds {family}: {found:?}"
        );
    }
    for (q, family) in &m.searches {
        let hits = crm.search(q, 0, 20).unwrap();
        assert!(
            hits.iter()
                .any(|h| h.kind == "person" && h.name.contains(family.as_str())),
            "v{v}: {q:?} finds {family}: {hits:?}"
        );
    }

    // A fresh database of the same team that receives every record held.
    let s = crm.store_mut();
    let mut fresh = Crm::open_in_memory().unwrap();
    fresh.store_mut().join_team(s.team_id().unwrap()).unwrap();
    for (author, _) in s.version_vector().unwrap() {
        let batch = s.records_after(&author, 0, usize::MAX >> 1).unwrap();
        let r = fresh.store_mut().apply_remote(batch).unwrap();
        assert!(r.refused.is_empty(), "v{v}: {r:?}");
    }
    let f = fresh.store_mut();
    assert_eq!(f.pending_count().unwrap(), 0, "v{v}");
    assert_eq!(
        f.version_vector().unwrap(),
        s.version_vector().unwrap(),
        "v{v}"
    );
    assert_eq!(f.record_count().unwrap(), s.record_count().unwrap(), "v{v}");
    assert_eq!(
        f.state_digest().unwrap(),
        s.state_digest().unwrap(),
        "v{v}: the upgraded state is the state of its records"
    );
    assert_eq!(f.roster().unwrap(), s.roster().unwrap(), "v{v}");
    // Every entity's state is the one the fresh database worked out.
    let ids: Vec<Vec<u8>> = s
        .conn()
        .prepare("SELECT id FROM entities")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(!ids.is_empty(), "v{v}");
    for id in ids {
        let id = EntityId::from_slice(&id).unwrap();
        let old = load_entity_state(s.conn(), &id).unwrap();
        assert!(old.is_some(), "v{v}: entity {id}");
        assert_eq!(
            old,
            load_entity_state(f.conn(), &id).unwrap(),
            "v{v}: entity {id}"
        );
    }
    for t in VIEWS {
        assert_eq!(rows(f, t), rows(s, t), "v{v}: table {t}");
    }
    assert_eq!(
        export_json_value(&fresh).unwrap(),
        export_json_value(&crm).unwrap(),
        "v{v}: export"
    );
}
