//! The generic entity layer: writes, reads, trash, conflicts, durability.

use deko_core::error::StoreError;
use deko_core::record::{EntityId, Value};
use deko_core::store::{DELETED_FIELD, ListOptions, Store};

use super::common::*;

#[test]
fn put_get_update_and_no_op_writes() {
    let mut s = team(1).remove(0);
    let id = s
        .put(
            "person",
            None,
            fields(&[("name", text("Jana Nováková")), ("age", Value::Int(41))]),
        )
        .unwrap();
    let e = s.get(&id).unwrap().unwrap();
    assert_eq!(e.kind, "person");
    assert_eq!(e.text("name"), Some("Jana Nováková"));
    assert_eq!(e.value("age"), Some(&Value::Int(41)));
    let before = s.record_count().unwrap();
    s.put(
        "person",
        Some(id),
        fields(&[("name", text("Jana Nováková"))]),
    )
    .unwrap();
    assert_eq!(
        s.record_count().unwrap(),
        before,
        "an unchanged value writes no record"
    );
    s.put(
        "person",
        Some(id),
        fields(&[("name", text("Jana Svobodová"))]),
    )
    .unwrap();
    assert_eq!(
        s.get(&id).unwrap().unwrap().text("name"),
        Some("Jana Svobodová")
    );
    assert_eq!(s.record_count().unwrap(), before + 1);
    let err = s
        .put("company", Some(id), fields(&[("name", text("x"))]))
        .unwrap_err();
    assert!(err.to_string().contains("is a person"), "{err}");
    let err = s
        .put("person", None, fields(&[("_deleted", Value::Bool(true))]))
        .unwrap_err();
    assert!(err.to_string().contains("reserved"), "{err}");
}

#[test]
fn references_and_typed_values_round_trip() {
    let mut s = team(1).remove(0);
    let company = s
        .put("company", None, fields(&[("name", text("Žlutý kůň a.s."))]))
        .unwrap();
    let values = vec![
        ("company", Value::Ref(company)),
        ("score", Value::Float(0.75)),
        ("since", Value::Date(19_000)),
        ("last_call", Value::Time(1_700_000_000_000)),
        (
            "budget",
            Value::Money {
                minor: 1_250_000,
                currency: "CZK".into(),
            },
        ),
        ("tags", Value::Texts(vec!["vip".into(), "praha".into()])),
        ("attendees", Value::Refs(vec![company])),
        ("active", Value::Bool(true)),
        (
            "phones",
            Value::Labeled(vec![deko_core::record::Labeled {
                label: "mobile".into(),
                value: "+420603123456".into(),
            }]),
        ),
    ];
    let id = s.put("person", None, fields(&values)).unwrap();
    let e = s.get(&id).unwrap().unwrap();
    for (f, v) in &values {
        assert_eq!(e.value(f), Some(v), "{f}");
    }
    assert_eq!(e.value("company").and_then(Value::as_ref_id), Some(company));
}

#[test]
fn delete_trash_restore() {
    let mut s = team(1).remove(0);
    let id = s
        .put("person", None, fields(&[("name", text("Karel"))]))
        .unwrap();
    assert_eq!(s.count("person").unwrap(), 1);
    s.delete(id).unwrap();
    assert!(s.get(&id).unwrap().unwrap().deleted);
    assert_eq!(s.count("person").unwrap(), 0);
    assert_eq!(s.list("person", &ListOptions::default()).unwrap().len(), 0);
    let all = ListOptions {
        include_deleted: true,
        ..Default::default()
    };
    assert_eq!(s.list("person", &all).unwrap().len(), 1);
    assert_eq!(s.trash(Some("person")).unwrap()[0].id, id);
    s.restore(id).unwrap();
    assert!(!s.get(&id).unwrap().unwrap().deleted);
    assert!(s.trash(None).unwrap().is_empty());
    assert!(
        s.delete(EntityId::new()).is_err(),
        "deleting an unknown id is an error"
    );
}

#[test]
fn concurrent_edits_conflict_on_both_sides_and_resolve() {
    let mut t = team(2);
    let id = t[0]
        .put(
            "person",
            None,
            fields(&[("name", text("Jan")), ("title", text("CEO"))]),
        )
        .unwrap();
    sync_all(&mut t);
    t[0].put("person", Some(id), fields(&[("name", text("Jan Novák"))]))
        .unwrap();
    t[1].put("person", Some(id), fields(&[("name", text("Jan Nowak"))]))
        .unwrap();
    t[1].put("person", Some(id), fields(&[("title", text("Owner"))]))
        .unwrap();
    sync_all(&mut t);
    for s in t.iter_mut() {
        let c = s.conflicts().unwrap();
        assert_eq!(c.len(), 1, "only name conflicts");
        assert_eq!(c[0].field, "name");
        let mut vals: Vec<_> = c[0].values.iter().map(|v| v.value.clone()).collect();
        vals.sort_by_key(|v| format!("{v:?}"));
        assert_eq!(vals, vec![text("Jan Novák"), text("Jan Nowak")]);
        assert_eq!(s.get(&id).unwrap().unwrap().text("title"), Some("Owner"));
    }
    let (d0, d1) = (t[0].state_digest().unwrap(), t[1].state_digest().unwrap());
    assert_eq!(d0, d1);
    t[1].resolve(id, "name", text("Jan Novák")).unwrap();
    sync_all(&mut t);
    for s in t.iter_mut() {
        assert!(s.conflicts().unwrap().is_empty());
        assert_eq!(s.get(&id).unwrap().unwrap().text("name"), Some("Jan Novák"));
    }
}

#[test]
fn edit_wins_over_concurrent_delete_and_is_flagged() {
    let mut t = team(2);
    let id = t[0]
        .put("company", None, fields(&[("name", text("Müller GmbH"))]))
        .unwrap();
    sync_all(&mut t);
    t[0].delete(id).unwrap();
    t[1].put(
        "company",
        Some(id),
        fields(&[("phone", text("+49301234567"))]),
    )
    .unwrap();
    sync_all(&mut t);
    for s in t.iter_mut() {
        let e = s.get(&id).unwrap().unwrap();
        assert!(!e.deleted, "the edit wins");
        assert!(e.conflicted);
        let c = s.conflicts().unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, DELETED_FIELD);
    }
    // Deleting again (having seen both) deletes for good.
    t[0].delete(id).unwrap();
    sync_all(&mut t);
    assert!(t[1].get(&id).unwrap().unwrap().deleted);
    assert!(t[1].conflicts().unwrap().is_empty());
}

#[test]
fn local_writes_are_durable_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deko.db");
    let (id, device, digest) = {
        let mut s = Store::open(&path).unwrap();
        s.create_team("Acme", "Eva").unwrap();
        let id = s
            .put("person", None, fields(&[("name", text("Eva"))]))
            .unwrap();
        (id, s.device_id(), s.state_digest().unwrap())
    };
    let mut s = Store::open(&path).unwrap();
    assert_eq!(
        s.device_id(),
        device,
        "the device key is kept with the database"
    );
    assert_eq!(s.get(&id).unwrap().unwrap().text("name"), Some("Eva"));
    assert_eq!(s.state_digest().unwrap(), digest);
    s.put("person", Some(id), fields(&[("name", text("Eva K."))]))
        .unwrap();
    assert_eq!(
        s.version_vector().unwrap()[&device],
        3,
        "seq continues after reopen"
    );
}

#[test]
fn two_connections_to_one_file_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deko.db");
    let mut a = Store::open(&path).unwrap();
    a.create_team("Acme", "Eva").unwrap();
    let mut b = Store::open(&path).unwrap();
    let id = b
        .put("person", None, fields(&[("name", text("from b"))]))
        .unwrap();
    assert_eq!(a.get(&id).unwrap().unwrap().text("name"), Some("from b"));
    a.put("person", Some(id), fields(&[("name", text("from a"))]))
        .unwrap();
    b.put("person", Some(id), fields(&[("title", text("x"))]))
        .unwrap();
    assert_eq!(
        a.version_vector().unwrap()[&a.device_id()],
        4,
        "no seq reused across connections"
    );
    assert!(a.conflicts().unwrap().is_empty());
}

#[test]
fn rebuild_gives_the_same_state() {
    let mut t = team(3);
    let mut ids = Vec::new();
    for i in 0..30 {
        let w = i % 3;
        ids.push(
            t[w].put("person", None, fields(&[("name", text(&format!("P{i}")))]))
                .unwrap(),
        );
    }
    sync_all(&mut t);
    for (i, id) in ids.iter().enumerate() {
        let w = (i + 1) % 3;
        t[w].put(
            "person",
            Some(*id),
            fields(&[("name", text(&format!("Q{i}")))]),
        )
        .unwrap();
        if i % 4 == 0 {
            t[(w + 1) % 3].delete(*id).unwrap();
        }
    }
    sync_all(&mut t);
    let before = t[0].state_digest().unwrap();
    let conflicts = t[0].conflicts().unwrap();
    t[0].rebuild().unwrap();
    assert_eq!(t[0].state_digest().unwrap(), before);
    assert_eq!(t[0].conflicts().unwrap(), conflicts);
    assert_eq!(t[1].state_digest().unwrap(), before);
}

#[test]
fn a_join_that_received_nothing_may_switch_teams_but_data_stays_with_its_team() {
    let mut a = Store::open_in_memory().unwrap();
    let team_a = a.create_team("A", "Founder A").unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let team_b = b.create_team("B", "Founder B").unwrap();
    let mut joiner = Store::open_in_memory().unwrap();
    // The first join never reached its inviter: nothing arrived.
    joiner.join_team(team_a).unwrap();
    joiner.join_team(team_b).unwrap();
    assert_eq!(joiner.team_id(), Some(team_b));
    // Once records of a team are held, the database belongs to it.
    let founder = b.device_id();
    joiner
        .apply_remote(b.records_after(&founder, 0, 100).unwrap())
        .unwrap();
    assert!(matches!(
        joiner.join_team(team_a),
        Err(deko_core::Error::Store(StoreError::AlreadyInTeam(_)))
    ));
    assert!(matches!(
        a.join_team(team_b),
        Err(deko_core::Error::Store(StoreError::AlreadyInTeam(_)))
    ));
    assert_eq!(joiner.team_id(), Some(team_b));
}

/// Two processes (here two connections on one file, in two threads)
/// redeeming one invite at once for two devices: exactly one is admitted.
#[test]
fn one_invite_is_redeemed_once_across_connections() {
    use deko_core::identity::DeviceKey;
    use deko_core::record::Role;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut s = Store::open(&path).unwrap();
    s.create_team("Acme", "Eva").unwrap();
    for _ in 0..10 {
        let secret = s.create_invite(Role::Member, u64::MAX / 2).unwrap();
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut s = Store::open(&path).unwrap();
                    let device = DeviceKey::generate().unwrap().device_id();
                    s.redeem_invite(&secret, device, &format!("P{i}"), 1)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        let err = results.into_iter().find_map(|r| r.err()).unwrap();
        assert!(err.to_string().contains("already used"), "{err}");
    }
    // Ten invites, ten devices admitted, not twenty.
    assert_eq!(s.roster().unwrap().unwrap().members.len(), 11);
}

/// The digest is kept as entities are written; computed afresh over every
/// entity (a database from before it was kept) it is the same.
#[test]
fn the_kept_digest_equals_one_computed_over_every_entity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deko.db");
    let kept = {
        let mut s = Store::open(&path).unwrap();
        s.create_team("Acme", "Eva").unwrap();
        let mut ids = Vec::new();
        for i in 0..50 {
            ids.push(
                s.put("person", None, fields(&[("name", text(&format!("P{i}")))]))
                    .unwrap(),
            );
        }
        for id in &ids[..10] {
            s.put("person", Some(*id), fields(&[("name", text("renamed"))]))
                .unwrap();
        }
        for id in &ids[10..15] {
            s.delete(*id).unwrap();
        }
        s.state_digest().unwrap()
    };
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'digest_sum'", [])
        .unwrap();
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.state_digest().unwrap(), kept);
}

/// The counts a status screen shows are kept as entities change (not
/// counted): they must always equal a count of the rows.
#[test]
fn kept_counts_match_a_count_of_the_rows_through_writes_sync_trash_and_rebuild() {
    fn check(s: &Store) {
        for kind in ["person", "company"] {
            let counted: u64 = s
                .conn()
                .query_row(
                    "SELECT count(*) FROM entities WHERE kind = ?1 AND deleted = 0",
                    [kind],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(s.count(kind).unwrap(), counted, "{kind}");
        }
        let records: u64 = s
            .conn()
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(s.record_count().unwrap(), records);
    }
    let mut stores = team(2);
    let mut ids = Vec::new();
    for i in 0..20 {
        let kind = if i % 3 == 0 { "company" } else { "person" };
        ids.push(
            stores[0]
                .put(kind, None, fields(&[("name", text(&format!("E{i}")))]))
                .unwrap(),
        );
    }
    check(&stores[0]);
    stores[0].delete(ids[1]).unwrap();
    stores[0].delete(ids[2]).unwrap();
    stores[0].delete(ids[2]).unwrap();
    stores[0].restore(ids[1]).unwrap();
    stores[0]
        .put("person", Some(ids[4]), fields(&[("name", text("Renamed"))]))
        .unwrap();
    check(&stores[0]);
    assert_eq!(stores[0].count("person").unwrap(), 12);
    // The other device counts what it applied, and a concurrent trash
    // and edit of the same entity on both.
    sync_all(&mut stores);
    stores[1].delete(ids[5]).unwrap();
    stores[0]
        .put("person", Some(ids[5]), fields(&[("name", text("Edited"))]))
        .unwrap();
    sync_all(&mut stores);
    for s in &mut stores {
        check(s);
        s.rebuild().unwrap();
        check(s);
    }
    // A database whose tallies were never kept counts once at open.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.create_team("Acme", "Eva").unwrap();
        s.put("person", None, fields(&[("name", text("A"))]))
            .unwrap();
        s.conn()
            .execute("DELETE FROM meta WHERE key LIKE 'tall%'", [])
            .unwrap();
    }
    let s = Store::open(&path).unwrap();
    check(&s);
    assert_eq!(s.count("person").unwrap(), 1);
}

/// A database whose entity states were stored in the first storage form
/// (postcard of the state as it is, before each author was listed once)
/// reads, edits, checks and syncs as one in the compact form: the states
/// are read as they are and rewritten only when they change.
#[test]
fn states_stored_in_the_first_form_keep_working() {
    use deko_core::merge::EntityState;
    use deko_core::store::load_entity_state;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut peers = team(2);
    let mut s = Store::open(&path).unwrap();
    s.join_team(peers[0].team_id().unwrap()).unwrap();
    let dev = s.device_id();
    peers[0]
        .admit(
            dev,
            EntityId::new(),
            "On disk",
            deko_core::record::Role::Member,
        )
        .unwrap();
    push(&peers[0], &mut s);
    let a = s
        .put(
            "person",
            None,
            fields(&[("name", text("Jana")), ("age", Value::Int(41))]),
        )
        .unwrap();
    let b = peers[1]
        .put("company", None, fields(&[("name", text("Acme"))]))
        .unwrap();
    push(&peers[1], &mut s);
    // Two authors in one state, and a conflict.
    push(&s, &mut peers[1]);
    peers[1]
        .put("person", Some(a), fields(&[("name", text("Jana N."))]))
        .unwrap();
    s.put("person", Some(a), fields(&[("name", text("Jana S."))]))
        .unwrap();
    push(&peers[1], &mut s);
    let before: Vec<(EntityId, EntityState)> = [a, b]
        .iter()
        .map(|id| (*id, load_entity_state(s.conn(), id).unwrap().unwrap()))
        .collect();
    assert_eq!(before[0].1.heads("name").len(), 2);
    let digest = s.state_digest().unwrap();
    for (id, state) in &before {
        let first_form = postcard::to_stdvec(state).unwrap();
        assert_ne!(first_form, state.encode());
        s.conn()
            .execute(
                "UPDATE entities SET state = ?2 WHERE id = ?1",
                rusqlite::params![&id.0[..], first_form],
            )
            .unwrap();
    }
    drop(s);

    let check = deko_core::store::salvage::check(&path).unwrap();
    assert!(check.is_healthy(), "{:?}", check.problems);
    let mut s = Store::open(&path).unwrap();
    for (id, state) in &before {
        assert_eq!(
            load_entity_state(s.conn(), id).unwrap().as_ref(),
            Some(state)
        );
    }
    assert_eq!(s.state_digest().unwrap(), digest);
    assert_eq!(s.get(&b).unwrap().unwrap().text("name"), Some("Acme"));
    // An edit reads the first form and stores the compact one.
    s.put(
        "person",
        Some(a),
        fields(&[("name", text("Jana Svobodová"))]),
    )
    .unwrap();
    let stored: Vec<u8> = s
        .conn()
        .query_row(
            "SELECT state FROM entities WHERE id = ?1",
            [&a.0[..]],
            |r| r.get(0),
        )
        .unwrap();
    let now = load_entity_state(s.conn(), &a).unwrap().unwrap();
    assert_eq!(stored, now.encode());
    assert_eq!(now.heads("name").len(), 1);
    // Peers that hold the same records hold the same state.
    push(&s, &mut peers[1]);
    push(&peers[1], &mut s);
    assert_eq!(s.state_digest().unwrap(), peers[1].state_digest().unwrap());
}
