//! A team at scale for the benchmarks of issue 18: a database written by
//! many devices, and the in-process figures measured on it.
//!
//! `team_db build DATA_DIR [--devices 200] [--people 100000] [--activities 900000]`
//!   fills the database of a `deko init`ed data directory (its device is the
//!   team's founder) with generated CRM data as if `--devices` members had
//!   written it: the founder admits them, the data is generated (people,
//!   companies, calls, meetings, notes, tasks, deals from `deko-testdata`),
//!   each entity's records are signed by one member (by the entity's id) on
//!   that member's own chain, and the founder's database takes them in as
//!   it takes a peer's batches (verified, applied, projected).
//!
//! `team_db measure A_DB B_DB [--rounds 50]`
//!   A and B are two devices of that team holding the same records (B
//!   joined A): times `state_digest` and what `deko status` reads on B,
//!   then runs B's sync with A with nothing new `--rounds` times over real
//!   QUIC on loopback (median, p95, p99 and the bytes of sync messages).
//!
//! `scripts/bench-process --team 200` runs both around the CLI's own
//! `serve`, `join`, `sync` and `status`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use deko_core::identity::DeviceKey;
use deko_core::model::Crm;
use deko_core::node::{Node, SyncOptions, SyncTarget};
use deko_core::record::{Body, EntityId, Header, RecordId, Role, SignedRecord, TeamId};
use deko_testdata::{Generator, Sizes};

#[path = "../benches/common/stats.rs"]
mod stats;
use stats::percentiles;

/// Records read from the scratch database, signed and applied at a time.
const PAGE: usize = 20_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(&args[1..]),
        Some("measure") => measure(&args[1..]),
        _ => Err(usage()),
    };
    if let Err(e) = result {
        eprintln!("team_db: {e}");
        std::process::exit(2);
    }
}

fn usage() -> String {
    "usage: team_db build DATA_DIR [--devices N] [--people N] [--activities N]\n       \
     team_db measure A_DB B_DB [--rounds N]"
        .to_string()
}

/// The value of `--name N` among `args`, or `default`.
fn flag(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.replace('_', "").parse().ok())
            .ok_or_else(|| format!("{name} needs a number")),
        None => Ok(default),
    }
}

/// One member's chain of records.
struct Chain {
    key: DeviceKey,
    seq: u64,
    prev: RecordId,
}

impl Chain {
    fn sign(&mut self, team: TeamId, like: &SignedRecord) -> SignedRecord {
        self.seq += 1;
        let header = Header {
            team,
            author: self.key.device_id(),
            seq: self.seq,
            prev: self.prev,
            ..*like.header()
        };
        let rec = SignedRecord::sign(&self.key, header, like.body_bytes()).expect("sign");
        self.prev = rec.id();
        rec
    }
}

/// The member (index into the chains) who writes `entity`.
fn member_of(entity: &EntityId, members: usize) -> usize {
    let b = entity.0;
    // The random tail of a UUIDv7, not its timestamp.
    (u64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]]) % members as u64)
        as usize
}

fn build(args: &[String]) -> Result<(), String> {
    let dir = PathBuf::from(args.first().ok_or_else(usage)?);
    let devices = flag(args, "--devices", 200)?.max(2);
    let people = flag(args, "--people", 100_000)?.max(1);
    let activities = flag(args, "--activities", 900_000)?;
    let started = Instant::now();

    let mut founder = Crm::open(dir.join("deko.db")).map_err(|e| e.to_string())?;
    let team = founder
        .store()
        .team_id()
        .ok_or("run `deko init` on the data directory first")?;
    let mut chains = Vec::with_capacity(devices - 1);
    for i in 1..devices {
        let key = DeviceKey::generate().map_err(|e| e.to_string())?;
        founder
            .store_mut()
            .admit(
                key.device_id(),
                EntityId::new(),
                &format!("Member {i}"),
                Role::Member,
            )
            .map_err(|e| e.to_string())?;
        chains.push(Chain {
            key,
            seq: 0,
            prev: RecordId::ZERO,
        });
    }
    eprintln!("admitted {} members", devices - 1);

    // The data, written once by a scratch device through the model's API
    // (the same records `deko demo` writes), then signed again by members.
    let scratch_dir = tempfile::tempdir_in(&dir).map_err(|e| e.to_string())?;
    let mut scratch =
        Crm::open(scratch_dir.path().join("scratch.db")).map_err(|e| e.to_string())?;
    scratch
        .create_team("Scratch", "Scratch")
        .map_err(|e| e.to_string())?;
    let sizes = Sizes {
        people,
        companies: (people / 10).max(1),
        activities,
        tasks: people / 5,
        deals: people / 10,
    };
    let data = Generator::new(18).generate(&sizes, now_ms());
    let mut last = Instant::now();
    deko_testdata::demo::load_with_progress(&mut scratch, &data, &mut |done, total| {
        if last.elapsed() > Duration::from_secs(10) {
            eprintln!("generating: {done} of {total}");
            last = Instant::now();
        }
    })
    .map_err(|e| e.to_string())?;
    drop(data);
    eprintln!(
        "generated {} records in {:.1?}",
        scratch.store().record_count().map_err(|e| e.to_string())?,
        started.elapsed()
    );

    let writer = scratch.store().device_id();
    let mut after = 0;
    let mut applied = 0usize;
    let half = chains.len() / 2;
    loop {
        let page = scratch
            .store()
            .records_after(&writer, after, PAGE)
            .map_err(|e| e.to_string())?;
        if page.is_empty() {
            break;
        }
        let mut puts = Vec::with_capacity(page.len());
        for bytes in page {
            let rec = SignedRecord::parse(bytes).map_err(|e| e.to_string())?;
            after = rec.header().seq;
            if let Ok(Some(Body::Put(put))) = rec.body() {
                puts.push((member_of(&put.entity, chains.len()), rec));
            }
        }
        // Each half of the members signs on its own core.
        let (low, high) = chains.split_at_mut(half);
        let (mut a, b) = std::thread::scope(|s| {
            let puts = &puts;
            let other = s.spawn(move || {
                puts.iter()
                    .filter(|(m, _)| *m >= half)
                    .map(|(m, r)| high[m - half].sign(team, r).into_bytes())
                    .collect::<Vec<_>>()
            });
            let mine = puts
                .iter()
                .filter(|(m, _)| *m < half)
                .map(|(m, r)| low[*m].sign(team, r).into_bytes())
                .collect::<Vec<_>>();
            (mine, other.join().expect("signing thread"))
        });
        a.extend(b);
        applied += a.len();
        founder
            .store_mut()
            .apply_remote(a)
            .map_err(|e| e.to_string())?;
        eprintln!("applied {applied} records");
    }
    let store = founder.store();
    eprintln!(
        "{}: {} records from {} devices in {:.1?}",
        dir.display(),
        store.record_count().map_err(|e| e.to_string())?,
        store.version_vector().map_err(|e| e.to_string())?.len(),
        started.elapsed()
    );
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn measure(args: &[String]) -> Result<(), String> {
    let (a, b) = match args {
        [a, b, ..] => (Path::new(a), Path::new(b)),
        _ => return Err(usage()),
    };
    let rounds = flag(args, "--rounds", 50)?.max(1);
    let open = |p: &Path| Crm::open(p).map_err(|e| e.to_string());

    let mut crm = open(b)?;
    let mut digest = Vec::new();
    let mut status = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        crm.store_mut().state_digest().map_err(|e| e.to_string())?;
        digest.push(t.elapsed());
        // What `deko status` reads, in one process that stays open.
        let t = Instant::now();
        crm.stats().map_err(|e| e.to_string())?;
        let store = crm.store_mut();
        store.team_info().map_err(|e| e.to_string())?;
        store.devices().map_err(|e| e.to_string())?;
        store.known_peers().map_err(|e| e.to_string())?;
        store.version_vector().map_err(|e| e.to_string())?;
        store.state_digest().map_err(|e| e.to_string())?;
        status.push(t.elapsed());
    }
    println!(
        "B holds {} records from {} devices",
        crm.store().record_count().map_err(|e| e.to_string())?,
        crm.store()
            .version_vector()
            .map_err(|e| e.to_string())?
            .len()
    );
    percentiles("state_digest", digest);
    percentiles(
        "status reads (counts, team, devices, peers, vector, digest)",
        status,
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let a = open(a)?;
    rt.block_on(async move {
        let any = "127.0.0.1:0".parse().expect("address");
        let a = Node::start(a, any).await.map_err(|e| e.to_string())?;
        let b = Node::start(crm, any).await.map_err(|e| e.to_string())?;
        let target = SyncTarget::at(a.local_addr().map_err(|e| e.to_string())?, a.device_id());
        let mut samples = Vec::new();
        let mut bytes = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let stats = b
                .sync(target.clone(), &SyncOptions::default())
                .await
                .map_err(|e| e.to_string())?
                .into_stats()
                .map_err(|e| e.to_string())?;
            samples.push(t.elapsed());
            if stats.received + stats.sent != 0 {
                return Err(format!(
                    "A and B differ: {} records received, {} sent",
                    stats.received, stats.sent
                ));
            }
            bytes = stats.bytes_sent + stats.bytes_received;
        }
        println!("resync, nothing new: {bytes} bytes of sync messages both ways (plus the QUIC handshake)");
        percentiles("resync, nothing new (in-process)", samples);
        Ok::<_, String>(())
    })
}
