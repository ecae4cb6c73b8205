//! Property tests with membership in the mix: replicas admit, promote and
//! revoke (mutual, of the founder, of themselves, with any cutoff: crafted
//! records where the store's own rules would refuse to write them) while
//! they edit data and exchange records in random orders, with duplicates
//! and partitions that heal. Every replica ends with the same roster, the
//! same log, the same views and the same state digest.

use deko_core::Result;
use deko_core::identity::{DeviceId, DeviceKey};
use deko_core::merge::EntityState;
use deko_core::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Header, Hlc, Put, RecordId, Revoke, Role,
    SignedRecord, Value, wall_clock_ms,
};
use deko_core::store::{ApplyReport, Projection, Store};
use proptest::prelude::*;
use rusqlite::Connection;

use super::common::*;

/// Declares `stage` admin-only, as the CRM model does for its definitions.
struct Definitions;

impl Projection for Definitions {
    fn name(&self) -> &'static str {
        "definitions"
    }
    fn clear(&self, _: &Connection) -> Result<()> {
        Ok(())
    }
    fn project(&self, _: &Connection, _: &EntityId, _: &EntityState) -> Result<()> {
        Ok(())
    }
    fn admin_only(&self, kind: &str) -> bool {
        kind == "stage"
    }
}

#[derive(Clone, Debug)]
enum Op {
    Edit {
        at: usize,
        entity: usize,
        value: u8,
    },
    /// A pipeline stage: admin-only. Written through the store when `at` is
    /// an admin, crafted (signed by hand) when it is not.
    Stage {
        at: usize,
        entity: usize,
        value: u8,
    },
    Promote {
        by: usize,
        who: usize,
    },
    /// Through `Store::revoke` (which refuses what the rules forbid).
    Revoke {
        by: usize,
        who: usize,
    },
    /// Signed by hand with any cutoff, self-revocations included: what a
    /// modified build could send.
    Craft {
        by: usize,
        who: usize,
        cutoff: u8,
    },
    Deliver {
        from: usize,
        to: usize,
        keep: u8,
        shuffle: bool,
        seed: u64,
    },
}

fn op(n: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..n, 0..4usize, 0..4u8).prop_map(|(at, entity, value)| Op::Edit { at, entity, value }),
        1 => (0..n, 0..2usize, 0..4u8).prop_map(|(at, entity, value)| Op::Stage { at, entity, value }),
        1 => (0..n, 0..n).prop_map(|(by, who)| Op::Promote { by, who }),
        1 => (0..n, 0..n).prop_map(|(by, who)| Op::Revoke { by, who }),
        1 => (0..n, 0..n, 0..6u8).prop_map(|(by, who, cutoff)| Op::Craft { by, who, cutoff }),
        4 => (0..n, 0..n, 1..=4u8, any::<bool>(), any::<u64>())
            .prop_map(|(from, to, keep, shuffle, seed)| Op::Deliver { from, to, keep, shuffle, seed }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (3..=5usize).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 10..50)))
}

/// Entities every replica writes to (fixed ids, so concurrent edits meet).
fn entity(i: usize) -> EntityId {
    EntityId([i as u8 + 1; 16])
}

fn stage(i: usize) -> EntityId {
    EntityId([i as u8 + 100; 16])
}

/// Signs `body` as `store`'s next record and hands it to `store` as if it
/// came from a peer, so the store's chain stays whole. Returns what the
/// store made of it.
fn craft(store: &mut Store, body: &Body) -> ApplyReport {
    let me = store.device_id();
    let key = DeviceKey::from_secret(store.device_secret().unwrap());
    let seq = store
        .version_vector()
        .unwrap()
        .get(&me)
        .copied()
        .unwrap_or(0);
    let prev = store.record(&me, seq).unwrap();
    let hlc = prev
        .as_ref()
        .map_or(Hlc(0), |r| Hlc(r.header().hlc.0 + 1))
        .max(Hlc::from_millis(wall_clock_ms()));
    let header = Header {
        team: store.team_id().unwrap(),
        author: me,
        seq: seq + 1,
        prev: prev.map_or(RecordId::ZERO, |r| r.id()),
        hlc,
        body_version: BODY_VERSION,
    };
    let rec = SignedRecord::sign(&key, header, &body.encode()).unwrap();
    store.apply_remote(vec![rec.into_bytes()]).unwrap()
}

fn put(kind: &str, id: EntityId, value: u8) -> Body {
    Body::Put(Put {
        kind: kind.into(),
        entity: id,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: Value::Int(value as i64),
            replaces: vec![],
        }],
    })
}

fn run(n: usize, ops: &[Op]) {
    let mut t = team(n);
    for s in t.iter_mut() {
        s.add_projection(Box::new(Definitions)).unwrap();
    }
    let devices: Vec<DeviceId> = t.iter().map(Store::device_id).collect();
    for op in ops {
        match *op {
            Op::Edit {
                at,
                entity: e,
                value,
            } => {
                let id = entity(e);
                // Refused once the replica knows it was revoked: fine.
                let _ = t[at].put(
                    "person",
                    Some(id),
                    vec![("name".into(), Value::Int(value as i64))],
                );
            }
            Op::Stage {
                at,
                entity: e,
                value,
            } => {
                let me = t[at].device_id();
                let admin = t[at].roster().unwrap().is_some_and(|r| r.is_admin(&me));
                if admin {
                    let _ = t[at].put(
                        "stage",
                        Some(stage(e)),
                        vec![("name".into(), Value::Int(value as i64))],
                    );
                } else if t[at].roster().unwrap().is_some_and(|r| r.is_active(&me)) {
                    let r = craft(&mut t[at], &put("stage", stage(e), value));
                    assert_eq!(r.applied, 0, "a member's stage counted: {r:?}");
                }
            }
            Op::Promote { by, who } => {
                let _ = t[by].admit(devices[who], EntityId::new(), "Promoted", Role::Admin);
            }
            Op::Revoke { by, who } => {
                let _ = t[by].revoke(devices[who]);
            }
            Op::Craft { by, who, cutoff } => {
                let me = t[by].device_id();
                if t[by].roster().unwrap().is_some_and(|r| r.is_active(&me)) {
                    let body = Body::Revoke(Revoke {
                        device: devices[who],
                        cutoff: cutoff as u64,
                    });
                    let r = craft(&mut t[by], &body);
                    if by == who || (who == 0 && cutoff == 0) {
                        assert_eq!(r.refused.len(), 1, "refused on receipt: {r:?}");
                    }
                }
            }
            Op::Deliver {
                from,
                to,
                keep,
                shuffle,
                seed,
            } => {
                if from != to {
                    deliver(&mut t, from, to, keep, shuffle, seed);
                }
            }
        }
    }
    sync_all(&mut t);
    let digest = t[0].state_digest().unwrap();
    let roster = t[0].roster().unwrap();
    let vector = t[0].version_vector().unwrap();
    for s in t.iter_mut() {
        assert_eq!(s.roster().unwrap(), roster, "rosters diverged");
        assert_eq!(s.version_vector().unwrap(), vector, "logs diverged");
        assert_eq!(s.state_digest().unwrap(), digest, "replicas diverged");
        assert_eq!(s.pending_count().unwrap(), 0);
        // The founder's genesis always stands.
        assert!(roster.as_ref().unwrap().is_known(&devices[0]));
    }
    // The views are a function of the records held: a rebuild from the log
    // gives the same state.
    t[0].rebuild().unwrap();
    assert_eq!(t[0].state_digest().unwrap(), digest, "rebuild differs");
}

/// Sends a share of `from`'s log to `to`, possibly shuffled into two
/// batches (so records wait for their predecessors or their authors).
fn deliver(t: &mut [Store], from: usize, to: usize, keep: u8, shuffle: bool, mut seed: u64) {
    let (src, dst) = pair(t, from, to);
    let mut batch = Vec::new();
    for (author, seq) in src.version_vector().unwrap() {
        let all = src.records_after(&author, 0, 1 << 20).unwrap();
        let take = ((seq as usize) * keep as usize).div_ceil(4);
        batch.extend(all.into_iter().take(take));
    }
    if shuffle {
        for i in (1..batch.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            batch.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let second = batch.split_off(batch.len() / 2);
        dst.apply_remote(batch).unwrap();
        dst.apply_remote(second).unwrap();
    } else {
        dst.apply_remote(batch).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn replicas_converge_on_roster_log_and_state((n, ops) in scenario()) {
        run(n, &ops);
    }
}

/// The scenario on stores: F founds, A and B are admins, M a
/// member. Apart, A revokes B and B revokes A; M hears B first, F hears A
/// first. Once F and M meet they agree: both revocations hold (concurrent
/// removals all apply), and nothing is refused.
#[test]
fn concurrent_mutual_revocation_converges_with_both_out() {
    let mut t = team(4);
    let (a, b) = (t[1].device_id(), t[2].device_id());
    t[0].admit(a, EntityId::new(), "A", Role::Admin).unwrap();
    t[0].admit(b, EntityId::new(), "B", Role::Admin).unwrap();
    sync_all(&mut t);
    t[1].revoke(b).unwrap();
    t[2].revoke(a).unwrap();
    let note = t[2]
        .put("person", None, fields(&[("name", text("by B"))]))
        .unwrap();
    {
        let (m, bb) = pair(&mut t, 3, 2);
        push(bb, m);
        let (f, aa) = pair(&mut t, 0, 1);
        push(aa, f);
    }
    let r = t[0].roster().unwrap().unwrap();
    assert!(!r.is_active(&b) && r.is_active(&a), "F heard only A");
    let r = t[3].roster().unwrap().unwrap();
    assert!(!r.is_active(&a) && r.is_active(&b), "M heard only B");
    // F and M meet, both ways: nothing refused, one roster, one digest.
    let (f, m) = pair(&mut t, 0, 3);
    let there = push(f, m);
    let back = push(m, f);
    assert!(there.refused.is_empty() && back.refused.is_empty());
    let (rf, rm) = (
        t[0].roster().unwrap().unwrap(),
        t[3].roster().unwrap().unwrap(),
    );
    assert_eq!(rf, rm);
    assert!(!rf.is_active(&a) && !rf.is_active(&b), "both out");
    assert_eq!(t[0].state_digest().unwrap(), t[3].state_digest().unwrap());
    // B's person, written after B's record the revocation kept, is out.
    assert!(t[0].get(&note).unwrap().is_none());
}
