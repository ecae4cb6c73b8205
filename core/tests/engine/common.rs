//! Helpers shared by the engine tests: teams of in-memory or on-disk stores
//! and a plain exchange of records by version vector (the sync issue builds
//! the real protocol; this is the same data movement without a network).

#![allow(dead_code)]

use deko_core::Result;
use deko_core::record::EntityId;
use deko_core::record::{Role, Value};
use deko_core::store::{ApplyReport, Store};

/// A founder plus `n - 1` admitted members, all in memory, all in sync.
pub fn team(n: usize) -> Vec<Store> {
    let mut stores = vec![Store::open_in_memory().unwrap()];
    let team = stores[0].create_team("Acme s.r.o.", "Founder").unwrap();
    for i in 1..n {
        let mut s = Store::open_in_memory().unwrap();
        s.join_team(team).unwrap();
        let dev = s.device_id();
        stores[0]
            .admit(dev, EntityId::new(), &format!("Member {i}"), Role::Member)
            .unwrap();
        stores.push(s);
    }
    sync_all(&mut stores);
    stores
}

/// Sends `from` every record `to` lacks, in one batch per author.
pub fn push(from: &Store, to: &mut Store) -> ApplyReport {
    let mut total = ApplyReport::default();
    let theirs = to.version_vector().unwrap();
    for (author, seq) in from.version_vector().unwrap() {
        let have = theirs.get(&author).copied().unwrap_or(0);
        if seq > have {
            let batch = from.records_after(&author, have, usize::MAX >> 1).unwrap();
            let r = to.apply_remote(batch).unwrap();
            total.applied += r.applied;
            total.excluded += r.excluded;
            total.duplicates += r.duplicates;
            total.pending = r.pending;
            total.deferred += r.deferred;
            total.refused.extend(r.refused);
        }
    }
    total
}

/// Both ways.
pub fn exchange(a: &mut Store, b: &mut Store) {
    push(a, b);
    push(b, a);
}

/// Everyone with everyone until nobody learns anything.
pub fn sync_all(stores: &mut [Store]) {
    for _ in 0..10 {
        let mut learned = false;
        for i in 0..stores.len() {
            for j in 0..stores.len() {
                if i != j {
                    let (a, b) = pair(stores, i, j);
                    let r = push(a, b);
                    learned |= r.applied + r.excluded + r.deferred > 0;
                }
            }
        }
        if !learned {
            return;
        }
    }
}

/// Two distinct mutable references into a slice.
pub fn pair(stores: &mut [Store], i: usize, j: usize) -> (&mut Store, &mut Store) {
    assert_ne!(i, j);
    if i < j {
        let (l, r) = stores.split_at_mut(j);
        (&mut l[i], &mut r[0])
    } else {
        let (l, r) = stores.split_at_mut(i);
        (&mut r[0], &mut l[j])
    }
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub fn fields(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Digest and log size: what "nothing changed" compares.
pub fn snapshot(s: &mut Store) -> Result<(String, u64, u64)> {
    Ok((
        s.state_digest()?.to_string(),
        s.record_count()?,
        s.pending_count()?,
    ))
}
