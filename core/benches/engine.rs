//! Engine benchmarks (design.md section 9):
//! - sign and commit one durable local write (file database, synchronous=FULL);
//! - verify and apply 100k remote records, in batches of 1,000 as a sync does;
//! - rebuild the derived state of 100k records from the log.
//!
//! Run: `cargo bench -p deko-core --bench engine`. Besides criterion's
//! estimates, each bench prints median and p95 of its own timings.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use deko_core::record::{EntityId, Role, SignedRecord, Value, verify_batch};
use deko_core::store::{Store, verify_remote};

#[path = "common/stats.rs"]
mod stats;
use stats::percentiles;

const REMOTE_RECORDS: usize = 100_000;
const BATCH: usize = 1_000;

fn person_fields(i: usize) -> Vec<(String, Value)> {
    vec![
        ("given".into(), Value::Text(format!("Jana{i}"))),
        ("family".into(), Value::Text("Nováková".into())),
        ("email".into(), Value::Text(format!("jana{i}@example.cz"))),
        (
            "phone".into(),
            Value::Text(format!("+420603{:06}", i % 1_000_000)),
        ),
        (
            "note".into(),
            Value::Text("Met at the trade fair in Brno; wants a quote for 40 units.".into()),
        ),
    ]
}

/// An author with `n` records (a founder writing people), as record bytes.
fn remote_log(n: usize) -> (Store, Vec<Vec<u8>>) {
    let mut author = Store::open_in_memory().unwrap();
    author.create_team("Bench", "Author").unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        // Mostly new people, some edits of earlier ones (realistic mix).
        if i % 5 == 4 {
            let id: EntityId = ids[i / 7];
            author
                .put(
                    "person",
                    Some(id),
                    vec![("note".into(), Value::Text(format!("edit {i}")))],
                )
                .unwrap();
        } else {
            ids.push(author.put("person", None, person_fields(i)).unwrap());
        }
    }
    let me = author.device_id();
    let bytes = author.records_after(&me, 0, usize::MAX >> 1).unwrap();
    (author, bytes)
}

fn local_write(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    store.create_team("Bench", "Writer").unwrap();
    let mut i = 0;
    let mut samples = Vec::new();
    c.bench_function("local write (sign, store, apply, durable)", |b| {
        b.iter(|| {
            let t = Instant::now();
            store.put("call", None, person_fields(i)).unwrap();
            samples.push(t.elapsed());
            i += 1;
        })
    });
    percentiles("local write", samples);
}

fn remote_apply(c: &mut Criterion) {
    let (author, records) = remote_log(REMOTE_RECORDS);
    let team = author.team_id().unwrap();
    let mut group = c.benchmark_group("remote");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    let mut samples = Vec::new();
    group.bench_function(
        "verify and apply 100k records (batches of 1000, file db)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let dir = tempfile::tempdir().unwrap();
                    let mut s = Store::open(dir.path().join("recv.db")).unwrap();
                    s.join_team(team).unwrap();
                    let t = Instant::now();
                    for chunk in records.chunks(BATCH) {
                        let r = s.apply_remote(chunk.to_vec()).unwrap();
                        assert!(r.refused.is_empty());
                    }
                    let took = t.elapsed();
                    assert_eq!(s.record_count().unwrap() as usize, records.len());
                    samples.push(took);
                    total += took;
                }
                total
            })
        },
    );
    let mut piped = Vec::new();
    group.bench_function(
        "verify and apply 100k records, verification pipelined",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let dir = tempfile::tempdir().unwrap();
                    let mut s = Store::open(dir.path().join("recv.db")).unwrap();
                    s.join_team(team).unwrap();
                    let t = Instant::now();
                    let records = &records;
                    std::thread::scope(|scope| {
                        let (tx, rx) = std::sync::mpsc::sync_channel(2);
                        scope.spawn(move || {
                            for chunk in records.chunks(BATCH) {
                                if tx.send(verify_remote(team, chunk.to_vec())).is_err() {
                                    return;
                                }
                            }
                        });
                        for verified in rx {
                            let r = s.apply_verified(verified).unwrap();
                            assert!(r.refused.is_empty());
                        }
                    });
                    let took = t.elapsed();
                    assert_eq!(s.record_count().unwrap() as usize, records.len());
                    piped.push(took);
                    total += took;
                }
                total
            })
        },
    );
    group.finish();
    percentiles("apply 100k pipelined", piped.clone());
    if let Some(best) = piped.iter().min() {
        eprintln!(
            "apply 100k pipelined: best {:.0} records/s",
            records.len() as f64 / best.as_secs_f64()
        );
    }
    let rate: Vec<Duration> = samples.clone();
    percentiles("apply 100k", rate);
    if let Some(best) = samples.iter().min() {
        eprintln!(
            "apply 100k: best {:.0} records/s",
            records.len() as f64 / best.as_secs_f64()
        );
    }
}

fn verify_only(c: &mut Criterion) {
    let (_author, records) = remote_log(REMOTE_RECORDS);
    let parsed: Vec<SignedRecord> = records
        .iter()
        .map(|b| SignedRecord::parse(b.clone()).unwrap())
        .collect();
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.bench_function("verify 100k signatures (batches of 1000)", |b| {
        b.iter(|| {
            for chunk in parsed.chunks(BATCH) {
                assert!(verify_batch(chunk).iter().all(|r| r.is_ok()));
            }
        })
    });
    group.finish();
}

/// The same check when each batch holds records of 200 authors (a team's
/// sync, records of every member interleaved): the batch equation has a
/// point per author, so this is its costliest realistic case.
fn verify_many_authors(c: &mut Criterion) {
    use deko_core::identity::DeviceKey;
    use deko_core::record::{BODY_VERSION, Body, FieldWrite, Header, Hlc, Put, RecordId, TeamId};
    let keys: Vec<DeviceKey> = (0..200u8)
        .map(|i| DeviceKey::from_secret([i; 32]))
        .collect();
    let mut prev = vec![RecordId::ZERO; keys.len()];
    let parsed: Vec<SignedRecord> = (0..REMOTE_RECORDS)
        .map(|i| {
            let k = i % keys.len();
            let body = Body::Put(Put {
                kind: "person".into(),
                entity: EntityId::new(),
                writes: person_fields(i)
                    .into_iter()
                    .map(|(field, value)| FieldWrite {
                        field,
                        value,
                        replaces: vec![],
                    })
                    .collect(),
            })
            .encode();
            let header = Header {
                team: TeamId([1; 16]),
                author: keys[k].device_id(),
                seq: (i / keys.len()) as u64 + 1,
                prev: prev[k],
                hlc: Hlc::from_millis(1_700_000_000_000 + i as u64),
                body_version: BODY_VERSION,
            };
            let rec = SignedRecord::sign(&keys[k], header, &body).unwrap();
            prev[k] = rec.id();
            rec
        })
        .collect();
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.bench_function(
        "verify 100k signatures of 200 authors (batches of 1000)",
        |b| {
            b.iter(|| {
                for chunk in parsed.chunks(BATCH) {
                    assert!(verify_batch(chunk).iter().all(|r| r.is_ok()));
                }
            })
        },
    );
    group.finish();
}

fn rebuild(c: &mut Criterion) {
    let (_author, records) = remote_log(REMOTE_RECORDS);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("rebuild.db")).unwrap();
    s.join_team(_author.team_id().unwrap()).unwrap();
    for chunk in records.chunks(10 * BATCH) {
        s.apply_remote(chunk.to_vec()).unwrap();
    }
    let digest = s.state_digest().unwrap();
    let mut group = c.benchmark_group("rebuild");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40));
    let mut samples = Vec::new();
    group.bench_function("rebuild state of 100k records from the log", |b| {
        b.iter(|| {
            let t = Instant::now();
            s.rebuild().unwrap();
            samples.push(t.elapsed());
        })
    });
    group.finish();
    assert_eq!(s.state_digest().unwrap(), digest);
    percentiles("rebuild 100k", samples);
    let _ = Role::Member;
}

criterion_group!(
    benches,
    local_write,
    remote_apply,
    verify_only,
    verify_many_authors,
    rebuild
);
criterion_main!(benches);
