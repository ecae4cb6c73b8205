//! Membership benchmarks (issue 11): a team of 200 devices with 1,000 team
//! records (admissions, promotions, revocations, among them mutual
//! revocations that settle as rings) and 20,000 data records.
//! - the roster computed from the team records (pure);
//! - the roster with every revocation in a ring (the slow path);
//! - a rebuild of the whole derived state from the log;
//! - one more revocation arriving at a database holding all of it (the
//!   roster computed again, and what counts checked).
//!
//! Run: `cargo bench -p deko-core --bench team`.

use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use deko_core::identity::{DeviceId, DeviceKey};
use deko_core::record::{
    Admit, BODY_VERSION, Body, EntityId, FieldWrite, Genesis, Header, Hlc, Put, RecordId, Revoke,
    Role, SignedRecord, TeamId, Value, wall_clock_ms,
};
use deko_core::store::Store;
use deko_core::team::{Roster, TeamChange, TeamOp};

const DEVICES: usize = 200;
const ADMINS: usize = 40;
const TEAM_RECORDS: usize = 1_000;
const DATA_PER_DEVICE: usize = 100;

/// One device's chain of hand-signed records.
struct Chain {
    key: DeviceKey,
    seq: u64,
    prev: RecordId,
    /// Timestamps start after the founder's admissions.
    base: u64,
}

impl Chain {
    fn sign(&mut self, team: TeamId, hlc: u64, body: &Body) -> SignedRecord {
        self.seq += 1;
        let header = Header {
            team,
            author: self.key.device_id(),
            seq: self.seq,
            prev: self.prev,
            hlc: Hlc::from_millis(self.base + hlc),
            body_version: BODY_VERSION,
        };
        let rec = SignedRecord::sign(&self.key, header, &body.encode()).unwrap();
        self.prev = rec.id();
        rec
    }
}

fn admit(device: DeviceId, i: usize, role: Role) -> Body {
    Body::Admit(Admit {
        device,
        person_id: EntityId([(i % 250) as u8; 16]),
        person_name: format!("Person {i}"),
        role,
    })
}

/// The team's database file (founder's view, holding everything) and the
/// team records as the roster sees them.
fn build(dir: &Path) -> (std::path::PathBuf, Vec<TeamOp>, TeamId, DeviceId, Genesis) {
    let path = dir.join("team.db");
    let mut store = Store::open(&path).unwrap();
    let team = store.create_team("Bench", "Founder").unwrap();
    let founder = store.device_id();
    let base = wall_clock_ms() + 60_000;
    let mut chains: Vec<Chain> = (0..DEVICES)
        .map(|_| Chain {
            key: DeviceKey::generate().unwrap(),
            seq: 0,
            prev: RecordId::ZERO,
            base,
        })
        .collect();
    let ids: Vec<DeviceId> = chains.iter().map(|c| c.key.device_id()).collect();
    let mut clock = 0u64;
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut team_records = 0;
    // The founder admits every device (the first ADMINS as admins).
    store
        .bulk(|s| {
            for (i, d) in ids.iter().enumerate() {
                let role = if i < ADMINS {
                    Role::Admin
                } else {
                    Role::Member
                };
                s.admit(
                    *d,
                    EntityId([(i % 250) as u8; 16]),
                    &format!("Person {i}"),
                    role,
                )?;
            }
            Ok(())
        })
        .unwrap();
    team_records += DEVICES;
    clock += 10_000_000;
    // Each device writes its data.
    for (i, chain) in chains.iter_mut().enumerate() {
        for j in 0..DATA_PER_DEVICE {
            clock += 1;
            let body = Body::Put(Put {
                kind: "person".into(),
                entity: EntityId::new(),
                writes: vec![FieldWrite {
                    field: "name".into(),
                    value: Value::Text(format!("Customer {i}-{j}")),
                    replaces: vec![],
                }],
            });
            batch.push(chain.sign(team, clock, &body).into_bytes());
        }
    }
    // Admins promote and re-admit members, and revoke some; ten pairs of
    // admins revoke each other at the same moment (rings).
    let mut k = 0;
    while team_records < TEAM_RECORDS - 2 * 10 - 150 {
        let by = k % ADMINS;
        let who = ADMINS + (k * 7) % (DEVICES - ADMINS);
        clock += 1;
        let role = if k % 3 == 0 {
            Role::Admin
        } else {
            Role::Member
        };
        batch.push(
            chains[by]
                .sign(team, clock, &admit(ids[who], who, role))
                .into_bytes(),
        );
        team_records += 1;
        k += 1;
    }
    for n in 0..150 {
        let by = ADMINS - 1 - n % 20;
        let who = ADMINS + 10 + n;
        clock += 1;
        let body = Body::Revoke(Revoke {
            device: ids[who],
            cutoff: DATA_PER_DEVICE as u64 / 2,
        });
        batch.push(chains[by].sign(team, clock, &body).into_bytes());
    }
    for p in 0..10 {
        let (a, b) = (2 * p, 2 * p + 1);
        clock += 1;
        let (ca, cb) = (chains[a].seq, chains[b].seq);
        let ra = Body::Revoke(Revoke {
            device: ids[b],
            cutoff: cb,
        });
        let rb = Body::Revoke(Revoke {
            device: ids[a],
            cutoff: ca,
        });
        batch.push(chains[a].sign(team, clock, &ra).into_bytes());
        batch.push(chains[b].sign(team, clock, &rb).into_bytes());
    }
    let report = store.apply_remote(batch).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused.first());
    let mut ops = Vec::new();
    let mut genesis = None;
    for (author, _) in store.version_vector().unwrap() {
        for bytes in store.records_after(&author, 0, usize::MAX >> 1).unwrap() {
            let rec = SignedRecord::parse(bytes).unwrap();
            let h = *rec.header();
            let change = match rec.body().unwrap() {
                Some(Body::Admit(a)) => TeamChange::Admit(a),
                Some(Body::Revoke(r)) => TeamChange::Revoke(r),
                Some(Body::Genesis(g)) => {
                    genesis = Some(g);
                    continue;
                }
                _ => continue,
            };
            ops.push(TeamOp {
                author: h.author,
                seq: h.seq,
                hlc: h.hlc,
                change,
            });
        }
    }
    eprintln!(
        "team: {} devices, {} team records, {} records in all",
        DEVICES + 1,
        ops.len() + 1,
        store.record_count().unwrap(),
    );
    (path, ops, team, founder, genesis.unwrap())
}

fn team(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (path, ops, team, founder, genesis) = build(dir.path());
    let roster = Roster::compute(team, founder, &genesis, &ops);
    let out = roster
        .members
        .values()
        .filter(|m| m.revoked_after.is_some())
        .count();
    eprintln!("roster: {} members, {out} revoked", roster.members.len());
    c.bench_function("roster from 1,000 team records (200 devices)", |b| {
        b.iter(|| Roster::compute(team, founder, &genesis, &ops))
    });
    // Every admin revokes the next one with cutoff 0, all at once: one
    // ring of forty, settled on the slow path.
    let mut ringed = ops.clone();
    let admins: Vec<DeviceId> = roster.active_admins().map(|m| m.device).collect();
    for (i, a) in admins.iter().enumerate() {
        if *a == founder {
            continue;
        }
        let next = admins[(i + 1) % admins.len()];
        ringed.push(TeamOp {
            author: *a,
            seq: 1_000,
            hlc: Hlc::from_millis(wall_clock_ms() + 86_400_000),
            change: TeamChange::Revoke(Revoke {
                device: next,
                cutoff: 0,
            }),
        });
    }
    c.bench_function("roster with a ring of 40 mutual revocations", |b| {
        b.iter(|| Roster::compute(team, founder, &genesis, &ringed))
    });
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    let mut store = Store::open(&path).unwrap();
    group.bench_function("rebuild (1,000 team + 20,000 data records)", |b| {
        b.iter(|| store.rebuild().unwrap())
    });
    drop(store);
    // Records arriving one at a time at a warm database holding all of it
    // (what a sync does per record): the founder admits new devices (each
    // a new roster), or writes data for comparison. Each copy of the file
    // takes at most 100 of them, so the team does not grow with the count
    // of iterations.
    for (name, team_record) in [
        ("a team record arriving (roster + what counts)", true),
        ("a data record arriving", false),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let copy = dir.path().join("arrive.db");
                    std::fs::copy(&path, &copy).unwrap();
                    let mut s = Store::open(&copy).unwrap();
                    let me = s.device_id();
                    let seq = s.version_vector().unwrap()[&me];
                    let last = s.record(&me, seq).unwrap().unwrap();
                    let mut chain = Chain {
                        key: DeviceKey::from_secret(s.device_secret().unwrap()),
                        seq,
                        prev: last.id(),
                        base: last.header().hlc.millis() + 1,
                    };
                    for n in 0..(iters - done).min(100) {
                        let body = if team_record {
                            let device = DeviceKey::generate().unwrap().device_id();
                            admit(device, n as usize, Role::Member)
                        } else {
                            Body::Put(Put {
                                kind: "person".into(),
                                entity: EntityId::new(),
                                writes: vec![FieldWrite {
                                    field: "name".into(),
                                    value: Value::Text(format!("New customer {n}")),
                                    replaces: vec![],
                                }],
                            })
                        };
                        let rec = chain.sign(team, n, &body).into_bytes();
                        let started = std::time::Instant::now();
                        let r = s.apply_remote(vec![rec]).unwrap();
                        spent += started.elapsed();
                        assert_eq!(r.applied, 1);
                        done += 1;
                    }
                }
                spent
            })
        });
    }
    // A revocation of a device holding records past the cutoff: the state
    // is rebuilt (left out: its later half).
    group.bench_function("a revocation that takes records out (rebuild)", |b| {
        b.iter_batched(
            || {
                let copy = dir.path().join("revoke.db");
                std::fs::copy(&path, &copy).unwrap();
                let mut s = Store::open(&copy).unwrap();
                let victim = s
                    .roster()
                    .unwrap()
                    .unwrap()
                    .members
                    .values()
                    .find(|m| m.revoked_after.is_none() && m.device != founder)
                    .unwrap()
                    .device;
                let me = s.device_id();
                let seq = s.version_vector().unwrap()[&me];
                let last = s.record(&me, seq).unwrap().unwrap();
                let mut chain = Chain {
                    key: DeviceKey::from_secret(s.device_secret().unwrap()),
                    seq,
                    prev: last.id(),
                    base: last.header().hlc.millis() + 1,
                };
                let body = Body::Revoke(Revoke {
                    device: victim,
                    cutoff: 10,
                });
                (s, chain.sign(team, 1, &body).into_bytes())
            },
            |(mut s, rec)| {
                let r = s.apply_remote(vec![rec]).unwrap();
                assert!(r.rebuilt);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, team);
criterion_main!(benches);
