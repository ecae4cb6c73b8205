//! Every refusal: a clear error, and the database (digest, log, pending)
//! unchanged.

use deko_core::error::{RecordError, StoreError};
use deko_core::identity::DeviceKey;
use deko_core::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Genesis, Header, Hlc, MAX_RECORD_LEN, Put, RecordId,
    Revoke, Role, SignedRecord, TeamId, Value, wall_clock_ms,
};
use deko_core::store::Store;
use deko_core::{Error, ErrorKind};

use super::common::*;

/// A hand-held author admitted to `store`'s team, writing its own records.
pub struct Author {
    pub key: DeviceKey,
    pub team: TeamId,
    pub seq: u64,
    pub prev: RecordId,
}

impl Author {
    pub fn admitted(store: &mut Store, role: Role) -> Author {
        let key = DeviceKey::generate().unwrap();
        store
            .admit(key.device_id(), EntityId::new(), "Hand", role)
            .unwrap();
        Author {
            key,
            team: store.team_id().unwrap(),
            seq: 0,
            prev: RecordId::ZERO,
        }
    }

    pub fn header(&self, seq: u64, prev: RecordId) -> Header {
        Header {
            team: self.team,
            author: self.key.device_id(),
            seq,
            prev,
            hlc: Hlc::from_millis(wall_clock_ms()),
            body_version: BODY_VERSION,
        }
    }

    /// The next record in this author's chain.
    pub fn next(&mut self, body: &Body) -> SignedRecord {
        let rec = SignedRecord::sign(
            &self.key,
            self.header(self.seq + 1, self.prev),
            &body.encode(),
        )
        .unwrap();
        self.seq += 1;
        self.prev = rec.id();
        rec
    }
}

pub fn put_name(entity: EntityId, name: &str) -> Body {
    Body::Put(Put {
        kind: "person".into(),
        entity,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: Value::Text(name.into()),
            replaces: vec![],
        }],
    })
}

fn refused_alone(store: &mut Store, bytes: Vec<u8>) -> Error {
    let before = snapshot(store).unwrap();
    let mut report = store.apply_remote(vec![bytes]).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert_eq!(snapshot(store).unwrap(), before, "nothing stored");
    report.refused.remove(0).error
}

#[test]
fn bad_signature() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let rec = a.next(&put_name(EntityId::new(), "x"));
    let mut bytes = rec.into_bytes();
    let n = bytes.len();
    bytes[n - 80] ^= 0x01; // inside the body: signature no longer matches
    let err = refused_alone(&mut s, bytes);
    assert!(
        matches!(err, Error::Record(RecordError::BadSignature { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("bad signature"));
}

#[test]
fn wrong_team() {
    let mut s = team(1).remove(0);
    let mut other = team(1).remove(0);
    let rec = {
        let mut a = Author::admitted(&mut other, Role::Member);
        a.next(&put_name(EntityId::new(), "x"))
    };
    let err = refused_alone(&mut s, rec.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::WrongTeam { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("not to this team"));
}

#[test]
fn broken_chain() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let first = a.next(&put_name(EntityId::new(), "one"));
    s.apply_remote(vec![first.bytes().to_vec()]).unwrap();
    // Seq 2 naming a prev that is not record 1.
    let bad = SignedRecord::sign(
        &a.key,
        a.header(2, RecordId([7; 32])),
        &put_name(EntityId::new(), "two").encode(),
    )
    .unwrap();
    let err = refused_alone(&mut s, bad.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::BrokenChain { seq: 2, .. })),
        "{err}"
    );
    // Seq 1 with a prev is refused at parse time.
    let bad = SignedRecord::sign(
        &a.key,
        a.header(1, RecordId([7; 32])),
        &put_name(EntityId::new(), "x").encode(),
    )
    .unwrap();
    let err = refused_alone(&mut s, bad.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::BrokenChain { seq: 1, .. })),
        "{err}"
    );
}

#[test]
fn oversized_and_truncated() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let err = refused_alone(&mut s, vec![1u8; MAX_RECORD_LEN + 1]);
    assert!(
        matches!(err, Error::Record(RecordError::TooLarge { .. })),
        "{err}"
    );
    let rec = a.next(&put_name(EntityId::new(), "x"));
    for cut in [0, 1, 50, 162, rec.bytes().len() - 1] {
        let err = refused_alone(&mut s, rec.bytes()[..cut].to_vec());
        assert!(
            matches!(
                err,
                Error::Record(RecordError::Malformed(_))
                    | Error::Record(RecordError::BadSignature { .. })
            ),
            "cut {cut}: {err}"
        );
    }
    let mut long = rec.bytes().to_vec();
    long.push(0);
    let err = refused_alone(&mut s, long);
    assert!(
        matches!(err, Error::Record(RecordError::BadSignature { .. })),
        "{err}"
    );
    let mut v2 = rec.bytes().to_vec();
    v2[0] = 9;
    let err = refused_alone(&mut s, v2);
    assert!(err.to_string().contains("envelope version 9"), "{err}");
}

#[test]
fn undecodable_or_invalid_body() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let garbage =
        SignedRecord::sign(&a.key, a.header(1, RecordId::ZERO), &[0xff, 0xff, 0xff]).unwrap();
    let err = refused_alone(&mut s, garbage.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::Malformed(_))),
        "{err}"
    );
    let dup = Body::Put(Put {
        kind: "person".into(),
        entity: EntityId::new(),
        writes: vec![
            FieldWrite {
                field: "a".into(),
                value: Value::Null,
                replaces: vec![],
            },
            FieldWrite {
                field: "a".into(),
                value: Value::Null,
                replaces: vec![],
            },
        ],
    });
    let err = refused_alone(&mut s, a.next(&dup).into_bytes());
    assert!(err.to_string().contains("written twice"), "{err}");
}

#[test]
fn forged_genesis() {
    // A stranger cannot found (or re-found) someone else's team.
    let mut s = team(1).remove(0);
    let stranger = DeviceKey::generate().unwrap();
    let g = Body::Genesis(Genesis {
        nonce: [3; 16],
        team_name: "Evil".into(),
        person_id: EntityId::new(),
        person_name: "Mallory".into(),
    });
    let header = Header {
        team: s.team_id().unwrap(),
        author: stranger.device_id(),
        seq: 1,
        prev: RecordId::ZERO,
        hlc: Hlc::from_millis(wall_clock_ms()),
        body_version: BODY_VERSION,
    };
    let rec = SignedRecord::sign(&stranger, header, &g.encode()).unwrap();
    // Not admitted: it waits, but never founds anything and changes no state.
    let before = snapshot(&mut s).unwrap();
    let r = s.apply_remote(vec![rec.bytes().to_vec()]).unwrap();
    assert_eq!(r.applied, 0);
    assert_eq!(s.state_digest().unwrap().to_string(), before.0);
    assert_eq!(s.record_count().unwrap(), before.1);
    // A joining device without a genesis yet refuses it outright.
    let mut joiner = Store::open_in_memory().unwrap();
    joiner.join_team(s.team_id().unwrap()).unwrap();
    let err = refused_alone(&mut joiner, rec.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::InvalidGenesis(_))),
        "{err}"
    );
}

#[test]
fn revoked_author_past_cutoff_is_kept_but_left_out() {
    let mut t = team(2);
    let id = t[1]
        .put("person", None, fields(&[("name", text("before"))]))
        .unwrap();
    sync_all(&mut t);
    let member = t[1].device_id();
    let cutoff = t[0].revoke(member).unwrap();
    // The revoked device keeps writing (it has not heard yet).
    t[1].put("person", Some(id), fields(&[("name", text("after"))]))
        .unwrap();
    let late = t[1].records_after(&member, cutoff, 10).unwrap();
    assert_eq!(late.len(), 1);
    let digest = t[0].state_digest().unwrap();
    let report = t[0].apply_remote(late).unwrap();
    assert!(report.refused.is_empty(), "{report:?}");
    assert_eq!((report.applied, report.excluded), (0, 1));
    // Held (and passed on to peers), but it does not count.
    assert_eq!(t[0].version_vector().unwrap()[&member], cutoff + 1);
    assert_eq!(t[0].get(&id).unwrap().unwrap().text("name"), Some("before"));
    assert_eq!(t[0].state_digest().unwrap(), digest);
    // And the revoked device itself can no longer write once it hears.
    push_pair(&mut t, 0, 1);
    let err = t[1]
        .put("person", None, fields(&[("name", text("x"))]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked, "{err}");
    assert!(err.to_string().contains("revoked"), "{err}");
    sync_all(&mut t);
    assert_eq!(t[0].state_digest().unwrap(), t[1].state_digest().unwrap());
}

fn push_pair(t: &mut [Store], from: usize, to: usize) {
    let (a, b) = pair(t, from, to);
    push(a, b);
}

#[test]
fn only_admins_admit_and_revoke_locally() {
    let mut t = team(2);
    let err = t[1]
        .admit(
            DeviceKey::generate().unwrap().device_id(),
            EntityId::new(),
            "X",
            Role::Member,
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::Store(StoreError::NotAdmin(_))),
        "{err}"
    );
    let founder = t[0].device_id();
    let err = t[1].revoke(founder).unwrap_err();
    assert!(
        matches!(err, Error::Store(StoreError::NotAdmin(_))),
        "{err}"
    );
    // A stranger's database cannot write at all.
    let mut lone = Store::open_in_memory().unwrap();
    lone.join_team(t[0].team_id().unwrap()).unwrap();
    assert!(matches!(
        lone.put("person", None, fields(&[("n", text("x"))])),
        Err(Error::Store(StoreError::NotAMember))
    ));
}

#[test]
fn member_admit_arriving_remotely_has_no_effect() {
    let mut s = team(1).remove(0);
    let mut member = Author::admitted(&mut s, Role::Member);
    let stranger = DeviceKey::generate().unwrap();
    let admit = Body::Admit(deko_core::record::Admit {
        device: stranger.device_id(),
        person_id: EntityId::new(),
        person_name: "Stranger".into(),
        role: Role::Admin,
    });
    let r = s
        .apply_remote(vec![member.next(&admit).into_bytes()])
        .unwrap();
    assert_eq!(
        r.applied, 1,
        "kept in the log: the member's chain stays whole"
    );
    let roster = s.roster().unwrap().unwrap();
    assert!(
        !roster.members.contains_key(&stranger.device_id()),
        "but admits nobody"
    );
}

#[test]
fn apply_without_team_is_a_clear_error() {
    let mut s = Store::open_in_memory().unwrap();
    let err = s.apply_remote(vec![vec![1, 2, 3]]).unwrap_err();
    assert!(err.to_string().contains("no team"), "{err}");
}

/// A joiner of `founder`'s team with `limits`, holding the founder's log.
fn aside(founder: &mut Store, limits: deko_core::store::KeptAside) -> Store {
    let mut s = Store::open_in_memory_with(deko_core::store::StoreOptions {
        limits,
        ..Default::default()
    })
    .unwrap();
    s.join_team(founder.team_id().unwrap()).unwrap();
    let me = founder.device_id();
    s.apply_remote(founder.records_after(&me, 0, 100).unwrap())
        .unwrap();
    s
}

/// `authors` made-up authors (nobody admitted them), 3 records each.
fn flood(team: TeamId, authors: usize) -> Vec<Vec<u8>> {
    let mut flood = Vec::new();
    for _ in 0..authors {
        let mut a = Author {
            key: DeviceKey::generate().unwrap(),
            team,
            seq: 0,
            prev: RecordId::ZERO,
        };
        for i in 0..3 {
            flood.push(
                a.next(&put_name(EntityId::new(), &format!("x{i}")))
                    .into_bytes(),
            );
        }
    }
    flood
}

#[test]
fn records_waiting_for_unknown_authors_are_bounded_in_bytes() {
    let mut founder = Store::open_in_memory().unwrap();
    let team = founder.create_team("Acme", "Founder").unwrap();
    let records = flood(team, 4);
    let size = records[0].len() as u64;
    let mut s = aside(
        &mut founder,
        deko_core::store::KeptAside {
            pending_bytes: 8 * size,
            ..Default::default()
        },
    );
    let before = s.state_digest().unwrap();
    let r = s.apply_remote(records).unwrap();
    assert_eq!(r.pending, 8, "{r:?}");
    assert_eq!(r.refused.len(), 4);
    assert!(
        matches!(&r.refused[0].error, Error::Store(StoreError::WaitingRoomFull(m)) if m.contains("MiB of records already wait")),
        "{:?}",
        r.refused[0].error
    );
    assert_eq!(s.pending_count().unwrap(), 8);
    assert_eq!(s.state_digest().unwrap(), before);
    // Real work still flows: the founder's new records apply.
    founder
        .put(
            "person",
            None,
            vec![("name".into(), Value::Text("Real".into()))],
        )
        .unwrap();
    let me = founder.device_id();
    let r = s
        .apply_remote(founder.records_after(&me, 1, 100).unwrap())
        .unwrap();
    assert_eq!((r.applied, r.refused.len()), (1, 0));
}

#[test]
fn one_author_cannot_take_the_whole_waiting_room() {
    let mut founder = Store::open_in_memory().unwrap();
    let team = founder.create_team("Acme", "Founder").unwrap();
    let records = flood(team, 2);
    let size = records[0].len() as u64;
    let mut s = aside(
        &mut founder,
        deko_core::store::KeptAside {
            pending_bytes_per_author: 2 * size,
            ..Default::default()
        },
    );
    let r = s.apply_remote(records).unwrap();
    // Two of each author's three wait; the third of each is refused.
    assert_eq!((r.pending, r.refused.len()), (4, 2), "{r:?}");
    assert!(
        r.refused[0]
            .error
            .to_string()
            .contains("records already wait here"),
        "{}",
        r.refused[0].error
    );
}

#[test]
fn records_of_an_author_that_never_comes_expire() {
    let mut founder = Store::open_in_memory().unwrap();
    let team = founder.create_team("Acme", "Founder").unwrap();
    let mut s = aside(
        &mut founder,
        deko_core::store::KeptAside {
            pending_expiry_ms: 0,
            ..Default::default()
        },
    );
    let r = s.apply_remote(flood(team, 2)).unwrap();
    assert_eq!(r.pending, 6);
    // A record waiting for its predecessor from a known author stays.
    founder
        .put(
            "person",
            None,
            vec![("name".into(), Value::Text("a".into()))],
        )
        .unwrap();
    founder
        .put(
            "person",
            None,
            vec![("name".into(), Value::Text("b".into()))],
        )
        .unwrap();
    let me = founder.device_id();
    let last = founder.records_after(&me, 0, 100).unwrap().pop().unwrap();
    // At the next batch, those of the unknown authors are let go.
    let r = s.apply_remote(vec![last]).unwrap();
    assert_eq!(r.dropped, 6, "{r:?}");
    assert_eq!(s.pending_count().unwrap(), 1);
    // And the one that waited for its predecessor goes into the log.
    let r = s
        .apply_remote(founder.records_after(&me, 0, 100).unwrap())
        .unwrap();
    assert_eq!(s.pending_count().unwrap(), 0, "{r:?}");
}

#[test]
fn forks_kept_apart_are_bounded() {
    let mut founder = Store::open_in_memory().unwrap();
    founder.create_team("Acme", "Founder").unwrap();
    let mut m = Author::admitted(&mut founder, Role::Member);
    let me = founder.device_id();
    let real = m.next(&put_name(EntityId::new(), "real"));
    let size = real.bytes().len() as u64;
    let mut s = aside(
        &mut founder,
        deko_core::store::KeptAside {
            quarantine_bytes_per_author: size + size / 2,
            ..Default::default()
        },
    );
    s.apply_remote(founder.records_after(&me, 0, 100).unwrap())
        .unwrap();
    s.apply_remote(vec![real.into_bytes()]).unwrap();
    // Three other records with the same seq: the first is kept as evidence,
    // the others are let go (the author is flagged either way).
    let forks: Vec<Vec<u8>> = (0..3)
        .map(|i| {
            SignedRecord::sign(
                &m.key,
                m.header(1, RecordId::ZERO),
                &put_name(EntityId::new(), &format!("fork {i}")).encode(),
            )
            .unwrap()
            .into_bytes()
        })
        .collect();
    let r = s.apply_remote(forks).unwrap();
    assert_eq!((r.forks.len(), r.dropped), (3, 2), "{r:?}");
    assert_eq!(s.quarantine_count().unwrap(), 1);
    assert!(s.flagged_authors().unwrap()[0].1.forked);
}

#[test]
fn records_verified_ahead_still_refuse_bad_signatures() {
    use deko_core::store::Preverified;
    let mut t = team(2);
    let mut a = Author::admitted(&mut t[0], Role::Member);
    let (f, m) = pair(&mut t, 0, 1);
    push(f, m);
    let id = EntityId::new();
    let mut batch: Vec<Vec<u8>> = (0..300)
        .map(|i| a.next(&put_name(id, &format!("v{i}"))).into_bytes())
        .collect();
    // One record's signature broken after it was signed.
    let last = batch.last_mut().unwrap();
    let n = last.len();
    last[n - 1] ^= 1;
    let pre = Preverified::default();
    pre.verify(&batch[..200]);
    pre.verify(&batch[200..]);
    t[1].use_preverified(pre.clone());
    let r = t[1].apply_remote(batch).unwrap();
    assert_eq!((r.applied, r.refused.len()), (299, 1), "{r:?}");
    assert!(matches!(
        r.refused[0].error,
        Error::Record(RecordError::BadSignature { .. })
    ));
    assert_eq!(
        format!("{pre:?}"),
        "Preverified(0 records)",
        "each record used once"
    );
}

#[test]
fn a_record_verified_ahead_is_taken_only_for_its_very_bytes() {
    use deko_core::store::Preverified;
    let mut t = team(2);
    let mut a = Author::admitted(&mut t[0], Role::Member);
    let (f, m) = pair(&mut t, 0, 1);
    push(f, m);
    let id = EntityId::new();
    let good = a.next(&put_name(id, "Ada")).into_bytes();
    // The same signature over other bytes (one byte of the body changed):
    // found by its signature among the records verified ahead, but not
    // the bytes that were verified.
    let mut forged = good.clone();
    forged[120] ^= 1;
    let pre = Preverified::default();
    pre.verify(std::slice::from_ref(&good));
    assert_eq!(format!("{pre:?}"), "Preverified(1 records)");
    t[1].use_preverified(pre.clone());
    let r = t[1].apply_remote(vec![forged]).unwrap();
    assert_eq!((r.applied, r.refused.len()), (0, 1), "{r:?}");
    assert!(matches!(
        r.refused[0].error,
        Error::Record(RecordError::BadSignature { .. })
    ));
    // The genuine record still applies (verified again by the store).
    let r = t[1].apply_remote(vec![good]).unwrap();
    assert_eq!((r.applied, r.refused.len()), (1, 0), "{r:?}");
}

#[test]
fn a_device_cannot_revoke_itself_anywhere() {
    let mut s = team(1).remove(0);
    let me = s.device_id();
    let err = s.revoke(me).unwrap_err();
    assert!(err.to_string().contains("cannot revoke itself"), "{err}");
    // Signed by a modified build: refused on receipt, on every device.
    let mut a = Author::admitted(&mut s, Role::Admin);
    let rec = a.next(&Body::Revoke(Revoke {
        device: a.key.device_id(),
        cutoff: 0,
    }));
    let err = refused_alone(&mut s, rec.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::InvalidTeamRecord { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("cannot revoke itself"), "{err}");
}

#[test]
fn no_revocation_takes_out_the_genesis() {
    let mut s = team(1).remove(0);
    let founder = s.device_id();
    let mut a = Author::admitted(&mut s, Role::Admin);
    let rec = a.next(&Body::Revoke(Revoke {
        device: founder,
        cutoff: 0,
    }));
    let err = refused_alone(&mut s, rec.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::InvalidTeamRecord { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("genesis"), "{err}");
    // Cutoff 1 keeps the genesis but would cut off the admission of the
    // revoker (the founder's record 2): kept, and without effect.
    let rec = a.next(&Body::Revoke(Revoke {
        device: founder,
        cutoff: 1,
    }));
    let r = s.apply_remote(vec![rec.into_bytes()]).unwrap();
    assert!(r.refused.is_empty(), "{r:?}");
    assert!(s.roster().unwrap().unwrap().is_admin(&founder));
    s.put("person", None, fields(&[("name", text("still writing"))]))
        .unwrap();
}

#[test]
fn a_backdated_record_is_refused() {
    let mut s = team(1).remove(0);
    let mut a = Author::admitted(&mut s, Role::Member);
    let first = a.next(&put_name(EntityId::new(), "first"));
    s.apply_remote(vec![first.clone().into_bytes()]).unwrap();
    let mut header = a.header(2, first.id());
    header.hlc = Hlc(first.header().hlc.0 - 1);
    let rec = SignedRecord::sign(&a.key, header, &put_name(EntityId::new(), "x").encode()).unwrap();
    let err = refused_alone(&mut s, rec.into_bytes());
    assert!(
        matches!(err, Error::Record(RecordError::Backdated { .. })),
        "{err}"
    );
    assert!(
        err.to_string().contains("timestamp before its previous"),
        "{err}"
    );
}

#[test]
fn a_revoked_device_is_not_revoked_twice() {
    let mut t = team(2);
    let member = t[1].device_id();
    t[0].revoke(member).unwrap();
    let err = t[0].revoke(member).unwrap_err();
    assert!(err.to_string().contains("already revoked"), "{err}");
}
