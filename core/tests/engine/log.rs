//! The log: pending records, gaps, duplicates, forks, newer formats, clock
//! skew, and a joining device receiving everything in any order.

use deko_core::identity::DeviceKey;
use deko_core::record::{
    BODY_VERSION, EntityId, Hlc, MAX_DRIFT_MS, Role, SignedRecord, wall_clock_ms,
};
use deko_core::store::{Store, StoreOptions};

use super::common::*;
use super::refusals::{Author, put_name};

#[test]
fn records_of_an_unadmitted_author_wait_for_the_admission() {
    let mut t = team(2);
    let key = DeviceKey::generate().unwrap();
    let mut a = Author {
        key,
        team: t[0].team_id().unwrap(),
        seq: 0,
        prev: deko_core::record::RecordId::ZERO,
    };
    let id = EntityId::new();
    let recs: Vec<Vec<u8>> = (0..5)
        .map(|i| a.next(&put_name(id, &format!("v{i}"))).into_bytes())
        .collect();
    let before = t[1].state_digest().unwrap();
    let r = t[1].apply_remote(recs).unwrap();
    assert_eq!((r.applied, r.pending), (0, 5));
    assert_eq!(
        t[1].state_digest().unwrap(),
        before,
        "waiting records show nothing"
    );
    assert_eq!(t[1].pending_count().unwrap(), 5);
    // The admission arrives (written by the founder, synced to t[1]).
    t[0].admit(a.key.device_id(), EntityId::new(), "Late", Role::Member)
        .unwrap();
    let (f, m) = pair(&mut t, 0, 1);
    let r = push(f, m);
    assert_eq!(r.applied, 6, "the admit and the five waiting records");
    assert_eq!(t[1].pending_count().unwrap(), 0);
    assert!(t[1].get(&id).unwrap().is_some());
}

#[test]
fn gaps_wait_and_duplicates_are_ignored() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let id = EntityId::new();
    let recs: Vec<Vec<u8>> = (0..10)
        .map(|i| a.next(&put_name(id, &format!("v{i}"))).into_bytes())
        .collect();
    let r = s.apply_remote(recs[5..].to_vec()).unwrap();
    assert_eq!((r.applied, r.pending), (0, 5));
    let r = s.apply_remote(recs[..5].to_vec()).unwrap();
    assert_eq!((r.applied, r.pending), (10, 0));
    let r = s.apply_remote(recs.clone()).unwrap();
    assert_eq!((r.applied, r.duplicates), (0, 10));
    assert_eq!(s.version_vector().unwrap()[&a.key.device_id()], 10);
}

#[test]
fn forks_are_kept_apart_and_reported() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let first = a.next(&put_name(EntityId::new(), "first"));
    let twin = SignedRecord::sign(
        &a.key,
        a.header(1, deko_core::record::RecordId::ZERO),
        &put_name(EntityId::new(), "twin").encode(),
    )
    .unwrap();
    s.apply_remote(vec![first.bytes().to_vec()]).unwrap();
    let before = snapshot(&mut s).unwrap();
    let r = s.apply_remote(vec![twin.bytes().to_vec()]).unwrap();
    assert_eq!(r.forks, vec![(a.key.device_id(), 1)]);
    assert_eq!(
        snapshot(&mut s).unwrap(),
        before,
        "the first stays, the twin changes nothing"
    );
    assert_eq!(s.quarantine_count().unwrap(), 1);
    let flags = s.flagged_authors().unwrap();
    assert!(
        flags
            .iter()
            .any(|(d, f)| *d == a.key.device_id() && f.forked)
    );
    assert_eq!(
        s.record(&a.key.device_id(), 1).unwrap().unwrap().id(),
        first.id()
    );
}

#[test]
fn newer_body_format_is_kept_forwarded_and_applied_after_upgrade() {
    // An "old" device applies nothing newer than body version 0: every
    // record it receives plays the part of a future format.
    let mut t = team(2);
    let id = t[0]
        .put("person", None, fields(&[("name", text("Nová verze"))]))
        .unwrap();
    let old_opts = StoreOptions {
        body_version_limit: 0,
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut old = Store::open_with(&path, old_opts.clone()).unwrap();
        old.join_team(t[0].team_id().unwrap()).unwrap();
        // It cannot even read the genesis: everything waits or is deferred,
        // nothing is lost.
        let r = push(&t[0], &mut old);
        assert_eq!(r.refused.len(), 0);
    }
    // A correctly signed record of a newer format from an admitted author.
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let mut h = a.header(1, deko_core::record::RecordId::ZERO);
    h.body_version = BODY_VERSION + 1;
    let future = SignedRecord::sign(&a.key, h, b"a body from the future").unwrap();
    let before = s.state_digest().unwrap();
    let r = s.apply_remote(vec![future.bytes().to_vec()]).unwrap();
    assert_eq!((r.applied, r.deferred), (0, 1));
    assert_eq!(s.state_digest().unwrap(), before, "not applied");
    assert_eq!(
        s.version_vector().unwrap()[&a.key.device_id()],
        1,
        "but held"
    );
    let fwd = s.records_after(&a.key.device_id(), 0, 10).unwrap();
    assert_eq!(fwd, vec![future.bytes().to_vec()], "and forwarded verbatim");
    // Its author's later records still chain on it.
    a.seq = 1;
    a.prev = future.id();
    let next = a.next(&put_name(EntityId::new(), "after"));
    assert_eq!(s.apply_remote(vec![next.into_bytes()]).unwrap().applied, 1);

    // Upgrade: a device that deferred version-1 bodies applies them on reopen.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("member.db");
    let mut t2 = team(1);
    let founder_digest;
    {
        let mut old = Store::open_with(
            &path,
            StoreOptions {
                body_version_limit: 0,
                ..Default::default()
            },
        )
        .unwrap();
        old.join_team(t2[0].team_id().unwrap()).unwrap();
        let dev = old.device_id();
        t2[0]
            .admit(dev, EntityId::new(), "Old phone", Role::Member)
            .unwrap();
        t2[0]
            .put("person", Some(id), fields(&[("name", text("Upgraded"))]))
            .unwrap();
        founder_digest = t2[0].state_digest().unwrap();
        push(&t2[0], &mut old);
        assert!(
            old.get(&id).unwrap().is_none(),
            "the old build applies nothing it cannot read"
        );
    }
    let mut upgraded = Store::open(&path).unwrap();
    assert_eq!(
        upgraded.get(&id).unwrap().unwrap().text("name"),
        Some("Upgraded")
    );
    assert_eq!(upgraded.state_digest().unwrap(), founder_digest);
}

#[test]
fn far_future_clock_is_accepted_and_flagged_but_does_not_move_ours() {
    let mut s = team(1).remove(0);
    let a = Author::admitted(&mut s, Role::Member);
    let mut h = a.header(1, deko_core::record::RecordId::ZERO);
    h.hlc = Hlc::from_millis(wall_clock_ms() + 10 * MAX_DRIFT_MS);
    let id = EntityId::new();
    let rec = SignedRecord::sign(&a.key, h, &put_name(id, "from the future").encode()).unwrap();
    let r = s.apply_remote(vec![rec.into_bytes()]).unwrap();
    assert_eq!((r.applied, r.skewed), (1, 1));
    assert!(
        s.flagged_authors()
            .unwrap()
            .iter()
            .any(|(d, f)| *d == a.key.device_id() && f.skewed)
    );
    // Our next write is stamped with our own time, not the skewed one, and
    // still replaces the skewed value (replacement never depends on clocks).
    s.put("person", Some(id), fields(&[("name", text("fixed"))]))
        .unwrap();
    let e = s.get(&id).unwrap().unwrap();
    assert_eq!(e.text("name"), Some("fixed"));
    assert!(e.updated.millis() < wall_clock_ms() + MAX_DRIFT_MS * 10);
}

#[test]
fn joining_device_receives_everything_in_any_author_order() {
    let mut t = team(3);
    for i in 0..20 {
        t[i % 3]
            .put("company", None, fields(&[("name", text(&format!("C{i}")))]))
            .unwrap();
    }
    sync_all(&mut t);
    let digest = t[0].state_digest().unwrap();
    let mut joiner = Store::open_in_memory().unwrap();
    joiner.join_team(t[0].team_id().unwrap()).unwrap();
    let dev = joiner.device_id();
    t[2].put("company", None, fields(&[("name", text("last"))]))
        .unwrap();
    t[0].admit(dev, EntityId::new(), "New", Role::Member)
        .unwrap();
    sync_all(&mut t);
    let digest2 = t[0].state_digest().unwrap();
    assert_ne!(digest, digest2);
    // Authors in reverse order: the founder (genesis, admissions) comes last.
    let mut vv: Vec<_> = t[1].version_vector().unwrap().into_iter().collect();
    vv.sort_by_key(|(a, _)| *a != t[0].device_id());
    vv.reverse();
    for (author, _) in vv {
        let recs = t[1].records_after(&author, 0, 1 << 20).unwrap();
        joiner.apply_remote(recs).unwrap();
    }
    assert_eq!(joiner.pending_count().unwrap(), 0);
    assert_eq!(joiner.state_digest().unwrap(), digest2);
    assert_eq!(joiner.count("company").unwrap(), 21);
    joiner
        .put("company", None, fields(&[("name", text("mine"))]))
        .unwrap();
}
