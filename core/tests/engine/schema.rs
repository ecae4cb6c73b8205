//! Migrations run at open, from every earlier schema version.

use deko_core::Error;
use deko_core::error::StoreError;
use deko_core::store::{SCHEMA_VERSION, Store};

use super::common::*;

#[test]
fn new_database_gets_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page_size, 8192, "new databases use 8 KiB pages");
}

#[test]
fn a_database_keeps_the_page_size_it_was_made_with() {
    // A database made by an older build has SQLite's 4 KiB pages: it
    // opens, takes writes and keeps its pages, and the WAL is still
    // checkpointed every 4 MB (counted in its own pages).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    deko_core::store::testing::create_at_version(&path, SCHEMA_VERSION).unwrap();
    let mut s = Store::open(&path).unwrap();
    s.create_team("Acme", "Eva").unwrap();
    let id = s
        .put("person", None, fields(&[("name", text("Eva"))]))
        .unwrap();
    let pragma = |s: &Store, name: &str| -> i64 {
        s.conn()
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma(&s, "page_size"), 4096);
    assert_eq!(pragma(&s, "wal_autocheckpoint"), 1000);
    drop(s);
    let s = Store::open(&path).unwrap();
    assert!(s.get(&id).unwrap().is_some());
    assert_eq!(pragma(&s, "page_size"), 4096);

    let path = dir.path().join("new.db");
    let s = Store::open(&path).unwrap();
    assert_eq!(pragma(&s, "page_size"), 8192);
    assert_eq!(pragma(&s, "wal_autocheckpoint"), 500);
}

#[test]
fn every_earlier_version_upgrades_keeping_the_data() {
    // Version 0 is an empty file; every later version is made by this
    // build's own migrations up to that point, then reopened.
    for from in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        deko_core::store::testing::create_at_version(&path, from).unwrap();
        let mut s = Store::open(&path).unwrap();
        s.create_team("Acme", "Eva").unwrap();
        let id = s
            .put("person", None, fields(&[("name", text("Eva"))]))
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert!(s.get(&id).unwrap().is_some(), "from version {from}");
    }
}

#[test]
fn newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
            .unwrap();
        conn.execute("CREATE TABLE future (x)", []).unwrap();
    }
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(err, Error::Store(StoreError::SchemaTooNew { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("newer than this build"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 5);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just text that is long enough to have a header",
    )
    .unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(err.to_string().contains("database"), "{err}");
    assert_eq!(err.kind(), deko_core::ErrorKind::Corrupt, "{err}");
}

#[test]
fn a_full_disk_is_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = deko_core::model::Crm::open(dir.path().join("d.db")).unwrap();
    c.create_team("Acme", "Eva").unwrap();
    // The file may not grow: SQLite answers SQLITE_FULL, as on a full disk.
    let pages: i64 = c
        .store()
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    c.store()
        .conn()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    let note = "x".repeat(4000);
    let err = (0..1000)
        .find_map(|i| {
            let draft = deko_core::model::PersonDraft {
                given: Some(format!("P{i}")),
                note: Some(note.clone()),
                ..Default::default()
            };
            c.create_person(draft).err()
        })
        .expect("the file cannot grow");
    assert_eq!(err.kind(), deko_core::ErrorKind::StorageFull, "{err}");
}

#[test]
fn known_peers_survive_reopen_and_keep_the_newest_addresses() {
    use deko_core::store::MAX_ADDRS_PER_PEER;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    // Made at version 2 (before the peers table), then upgraded.
    deko_core::store::testing::create_at_version(&path, 2).unwrap();
    let s = Store::open(&path).unwrap();
    let other = deko_core::identity::DeviceKey::generate()
        .unwrap()
        .device_id();
    for port in 0..(MAX_ADDRS_PER_PEER as u16 + 3) {
        let addr = format!("127.0.0.1:{}", 7000 + port).parse().unwrap();
        s.remember_peer(other, addr, 1_000 + u64::from(port))
            .unwrap();
    }
    // The device itself is never remembered.
    s.remember_peer(s.device_id(), "127.0.0.1:1".parse().unwrap(), 5_000)
        .unwrap();
    drop(s);
    let s = Store::open(&path).unwrap();
    let known = s.known_peers().unwrap();
    assert_eq!(known.len(), MAX_ADDRS_PER_PEER);
    assert!(known.iter().all(|p| p.device == other));
    assert_eq!(known[0].addr.port(), 7000 + MAX_ADDRS_PER_PEER as u16 + 2);
    assert!(known.windows(2).all(|w| w[0].seen >= w[1].seen));
    assert_eq!(s.forget_peer(&other).unwrap(), MAX_ADDRS_PER_PEER);
    assert!(s.known_peers().unwrap().is_empty());
}

/// A version-3 database as the previous build left it: revoked records past
/// their cutoff in quarantine, entity states without the creating record's
/// timestamp, no author timestamps. Version 4 takes the records back into
/// the log (left out), rebuilds the states, and shows the same data.
#[test]
fn version_3_upgrades_with_revoked_records_back_in_the_log() {
    use std::collections::BTreeMap;

    use deko_core::merge::{EntityState, Head};
    use deko_core::record::{EntityId, Role, VersionId};
    use serde::Serialize;

    #[derive(Serialize)]
    struct V3State<'a> {
        kind: &'a str,
        kind_from: Option<VersionId>,
        fields: &'a BTreeMap<String, Vec<Head>>,
        tombstones: &'a [(String, VersionId)],
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut f = Store::open(&path).unwrap();
    let team = f.create_team("Acme", "Eva").unwrap();
    let mut m = Store::open_in_memory().unwrap();
    m.join_team(team).unwrap();
    let member = m.device_id();
    f.admit(member, EntityId::new(), "Petr", Role::Member)
        .unwrap();
    push(&f, &mut m);
    let id = m
        .put("person", None, fields(&[("name", text("ok"))]))
        .unwrap();
    push(&m, &mut f);
    let cutoff = f.revoke(member).unwrap();
    m.put("person", Some(id), fields(&[("name", text("late"))]))
        .unwrap();
    assert_eq!(push(&m, &mut f).excluded, 1);
    let digest = f.state_digest().unwrap();
    let vector = f.version_vector().unwrap();
    drop(f);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO quarantine (id, author, seq, reason, bytes)
               SELECT id, author, seq, 'revoked: past the cutoff', bytes FROM records
               WHERE author = x'{m}' AND seq > {cutoff};
             DELETE FROM records WHERE author = x'{m}' AND seq > {cutoff};
             UPDATE authors SET seq = {cutoff},
               last_id = (SELECT id FROM records WHERE author = x'{m}' AND seq = {cutoff})
               WHERE author = x'{m}';
             ALTER TABLE authors DROP COLUMN hlc;
             ALTER TABLE pending DROP COLUMN received;
             DELETE FROM meta WHERE key = 'rebuild';
             DROP TABLE links_fill;
             PRAGMA user_version = 3;",
            m = data_encoding::HEXLOWER.encode(member.as_bytes()),
        ))
        .unwrap();
        let rows: Vec<(Vec<u8>, Vec<u8>)> = conn
            .prepare("SELECT id, state FROM entities")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (id, state) in rows {
            let s = EntityState::decode(&state).unwrap();
            let old = postcard::to_stdvec(&V3State {
                kind: &s.kind,
                kind_from: s.kind_from,
                fields: &s.fields,
                tombstones: &s.tombstones,
            })
            .unwrap();
            conn.execute("UPDATE entities SET state = ?2 WHERE id = ?1", (id, old))
                .unwrap();
        }
    }
    let mut f = Store::open(&path).unwrap();
    assert_eq!(f.quarantine_count().unwrap(), 0);
    assert_eq!(f.version_vector().unwrap(), vector);
    assert_eq!(f.state_digest().unwrap(), digest);
    assert_eq!(f.get(&id).unwrap().unwrap().text("name"), Some("ok"));
    // The next record of the member chains on the right head.
    m.put("person", Some(id), fields(&[("name", text("later"))]))
        .unwrap();
    let r = push(&m, &mut f);
    assert!(r.refused.is_empty(), "{r:?}");
    assert_eq!(r.excluded, 1);
}

#[test]
fn full_text_indexes_buffer_8_mb_of_terms_new_or_upgraded() {
    // A bulk write (import, a first sync's catch-up) flushes the full-text
    // terms as a segment when the buffer is full: 1 MB by default made
    // small segments and merging them cost a third of each insert.
    let hashsize = |path: &std::path::Path, table: &str| -> Option<i64> {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            &format!("SELECT v FROM {table}_config WHERE k = 'hashsize'"),
            [],
            |r| r.get(0),
        )
        .ok()
    };
    // Version 8 set it: from 7, the version before.
    for from in [None, Some(7)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        if let Some(v) = from {
            deko_core::store::testing::create_at_version(&path, v).unwrap();
            assert_eq!(hashsize(&path, "search"), None);
        }
        drop(Store::open(&path).unwrap());
        for table in ["search", "search_notes"] {
            assert_eq!(
                hashsize(&path, table),
                Some(8 << 20),
                "{table} from {from:?}"
            );
        }
    }
}
