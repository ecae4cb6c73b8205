//! Property tests: replicas given random operations and random exchange
//! orders, duplicates and partial deliveries end with equal state digests,
//! and every concurrent value is listed as a conflict, never dropped.

use std::collections::{BTreeMap, BTreeSet};

use deko_core::merge::DELETED;
use deko_core::record::{Body, EntityId, SignedRecord, Value, VersionId};
use deko_core::store::Store;
use proptest::prelude::*;

use super::common::*;

#[derive(Clone, Debug)]
enum Op {
    Create {
        at: usize,
    },
    Edit {
        at: usize,
        entity: usize,
        field: usize,
        value: u8,
    },
    Delete {
        at: usize,
        entity: usize,
    },
    Restore {
        at: usize,
        entity: usize,
    },
    /// Send `from`'s records to `to`: for each author a prefix (or, with
    /// `shuffle`, a random-order subset, so gaps wait in pending), possibly
    /// again (duplicates).
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
        1 => (0..n).prop_map(|at| Op::Create { at }),
        5 => (0..n, 0..6usize, 0..3usize, 0..4u8).prop_map(|(at, entity, field, value)| Op::Edit { at, entity, field, value }),
        1 => (0..n, 0..6usize).prop_map(|(at, entity)| Op::Delete { at, entity }),
        1 => (0..n, 0..6usize).prop_map(|(at, entity)| Op::Restore { at, entity }),
        3 => (0..n, 0..n, 1..=4u8, any::<bool>(), any::<u64>())
            .prop_map(|(from, to, keep, shuffle, seed)| Op::Deliver { from, to, keep, shuffle, seed }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (3..=5usize).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 10..60)))
}

const FIELDS: [&str; 3] = ["name", "phone", "note"];

fn run(n: usize, ops: &[Op]) {
    let mut t = team(n);
    // Entities each replica knows about, in creation order.
    let mut known: Vec<Vec<EntityId>> = vec![Vec::new(); n];
    for op in ops {
        match *op {
            Op::Create { at } => {
                let id = t[at]
                    .put("person", None, fields(&[("name", text("new"))]))
                    .unwrap();
                known[at].push(id);
            }
            Op::Edit {
                at,
                entity,
                field,
                value,
            } => {
                if let Some(id) = pick(&t[at], &known[at], entity) {
                    let v = Value::Int(value as i64);
                    t[at]
                        .put("person", Some(id), vec![(FIELDS[field].to_string(), v)])
                        .unwrap();
                }
            }
            Op::Delete { at, entity } => {
                if let Some(id) = pick(&t[at], &known[at], entity) {
                    t[at].delete(id).unwrap();
                }
            }
            Op::Restore { at, entity } => {
                if let Some(id) = pick(&t[at], &known[at], entity) {
                    t[at].restore(id).unwrap();
                }
            }
            Op::Deliver {
                from,
                to,
                keep,
                shuffle,
                seed,
            } => {
                if from == to {
                    continue;
                }
                deliver(&mut t, from, to, keep, shuffle, seed);
                let learned: Vec<EntityId> = known[from].clone();
                for id in learned {
                    if t[to].get(&id).unwrap().is_some() && !known[to].contains(&id) {
                        known[to].push(id);
                    }
                }
            }
        }
    }
    sync_all(&mut t);
    let digest = t[0].state_digest().unwrap();
    for s in t.iter_mut() {
        assert_eq!(s.state_digest().unwrap(), digest, "replicas diverged");
        assert_eq!(s.pending_count().unwrap(), 0);
    }
    check_against_oracle(&mut t[0]);
}

fn pick(store: &Store, known: &[EntityId], i: usize) -> Option<EntityId> {
    let id = *known.get(i % known.len().max(1))?;
    store.get(&id).unwrap().map(|_| id)
}

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
        // Deliver in two batches to exercise pending across transactions.
        let second = batch.split_off(batch.len() / 2);
        dst.apply_remote(batch).unwrap();
        dst.apply_remote(second).unwrap();
    } else {
        dst.apply_remote(batch).unwrap();
    }
}

/// Independent oracle: the heads of every field are exactly the versions
/// that no other version replaces; the store must list each field with more
/// than one distinct head value as a conflict, with all of them.
fn check_against_oracle(s: &mut Store) {
    let mut written: BTreeMap<(EntityId, String), Vec<(VersionId, Value)>> = BTreeMap::new();
    let mut replaced: BTreeSet<(EntityId, String, VersionId)> = BTreeSet::new();
    for (author, _) in s.version_vector().unwrap() {
        for bytes in s.records_after(&author, 0, 1 << 20).unwrap() {
            let rec = SignedRecord::parse(bytes).unwrap();
            if let Some(Body::Put(put)) = rec.body().unwrap() {
                for w in &put.writes {
                    written
                        .entry((put.entity, w.field.clone()))
                        .or_default()
                        .push((rec.header().version(), w.value.clone()));
                    for r in &w.replaces {
                        replaced.insert((put.entity, w.field.clone(), *r));
                    }
                }
            }
        }
    }
    let conflicts = s.conflicts().unwrap();
    for ((entity, field), versions) in &written {
        let heads: Vec<&(VersionId, Value)> = versions
            .iter()
            .filter(|(v, _)| !replaced.contains(&(*entity, field.clone(), *v)))
            .collect();
        let e = s.get(entity).unwrap().unwrap();
        let store_heads: BTreeSet<VersionId> =
            e.state.heads(field).iter().map(|h| h.version).collect();
        let oracle_heads: BTreeSet<VersionId> = heads.iter().map(|(v, _)| *v).collect();
        assert_eq!(store_heads, oracle_heads, "heads of {entity}.{field}");
        let mut distinct: Vec<Value> = Vec::new();
        for (_, v) in &heads {
            if !distinct.contains(v) {
                distinct.push(v.clone());
            }
        }
        let listed = conflicts
            .iter()
            .find(|c| c.entity == *entity && c.field == *field);
        if distinct.len() > 1 {
            let c = listed.unwrap_or_else(|| {
                panic!(
                    "{entity}.{field} has {} values but no conflict",
                    distinct.len()
                )
            });
            for v in &distinct {
                assert!(
                    c.values.iter().any(|cv| cv.value == *v),
                    "value {v:?} dropped from the conflict"
                );
            }
        } else {
            assert!(
                listed.is_none(),
                "{entity}.{field} listed without a conflict"
            );
        }
        if field == DELETED {
            let all_true = !heads.is_empty() && heads.iter().all(|(_, v)| *v == Value::Bool(true));
            assert_eq!(e.deleted, all_true, "deleted flag of {entity}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_keep_every_concurrent_value((n, ops) in scenario()) {
        run(n, &ops);
    }
}

#[test]
fn a_handwritten_three_way_conflict_converges() {
    let ops = vec![
        Op::Create { at: 0 },
        Op::Deliver {
            from: 0,
            to: 1,
            keep: 4,
            shuffle: false,
            seed: 1,
        },
        Op::Deliver {
            from: 0,
            to: 2,
            keep: 4,
            shuffle: false,
            seed: 1,
        },
        Op::Edit {
            at: 0,
            entity: 0,
            field: 0,
            value: 1,
        },
        Op::Edit {
            at: 1,
            entity: 0,
            field: 0,
            value: 2,
        },
        Op::Edit {
            at: 2,
            entity: 0,
            field: 0,
            value: 3,
        },
        Op::Delete { at: 1, entity: 0 },
        Op::Deliver {
            from: 2,
            to: 0,
            keep: 2,
            shuffle: true,
            seed: 99,
        },
    ];
    run(3, &ops);
}
