//! CRM benchmarks on generated data of realistic shape (design.md section
//! 9): 100k people, 20k companies, 1M activities, 50k tasks, 20k deals.
//!
//! - log a call (durable: sign, store, index, fsync), median and p95;
//! - caller lookup by phone number, p99;
//! - full-text search, top 50, p95;
//! - a timeline page of a busy person;
//! - open the database.
//!
//! The database is generated once (seed 1) into `target/bench-data/` and
//! reused by later runs; the measuring process never holds the generated
//! data set (a run that builds the database measures in a fresh process).
//! Run: `cargo bench -p deko-core --bench crm`.

use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use deko_core::model::{CallInput, Crm, Direction, Page};
use deko_core::record::EntityId;
use deko_core::search::phone::{self, Region};
use deko_testdata::{Generator, Sizes};

#[path = "common/stats.rs"]
mod stats;
use stats::percentiles;

const NOW: i64 = 1_763_900_000_000;

struct Fixture {
    path: PathBuf,
    numbers: Vec<String>,
    busy: EntityId,
}

fn fixture() -> Fixture {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("crm-seed1.db");
    let sizes = Sizes::benchmark();
    let ready = path.exists()
        && Crm::open(&path)
            .unwrap()
            .store()
            .setting("bench")
            .unwrap()
            .is_some();
    if !ready {
        build(&path, &sizes);
        // Measured in a fresh process, as an app opening its database: a
        // process that has just generated (and freed) the gigabyte of the
        // data set reads 1.3-1.8x slower on its heavy queries (search for
        // "praha": 7.8 ms against 4.2 ms, the same database and build).
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(std::env::args_os().skip(1))
            .status()
            .unwrap();
        std::process::exit(status.code().unwrap_or(1));
    }
    // Numbers in the written forms of the data, read in their owner's
    // region. The people alone (the generator gives the same people
    // whatever else it makes), on a thread of their own, whose memory
    // (its own malloc arena) is gone before anything is measured.
    let numbers: Vec<String> = std::thread::spawn(move || {
        Generator::new(1)
            .people(sizes.people, sizes.companies)
            .iter()
            .step_by(97)
            .filter_map(|p| {
                let (_, n) = p.phones.first()?;
                phone::normalize(n, Region::by_code(p.country)?).ok()
            })
            .collect()
    })
    .join()
    .unwrap();
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|e| std::fs::metadata(format!("{}{e}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    eprintln!("database size {:.0} MiB", size as f64 / (1024.0 * 1024.0));
    let crm = Crm::open(&path).unwrap();
    // The person with the longest history.
    let busy: Vec<u8> = crm
        .store()
        .conn()
        .query_row(
            "SELECT l.target FROM links l JOIN people p ON p.id = l.target GROUP BY l.target ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let busy = EntityId::from_slice(&busy).unwrap();
    eprintln!(
        "busiest person has {} timeline entries",
        crm.timeline(
            &busy,
            &Page {
                offset: 0,
                limit: 100_000
            }
        )
        .unwrap()
        .len()
    );
    Fixture {
        path,
        numbers,
        busy,
    }
}

/// Generates the data set (seed 1) and writes it into a new database at
/// `path`.
fn build(path: &std::path::Path, sizes: &Sizes) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    let t = Instant::now();
    let data = Generator::new(1).generate(sizes, NOW);
    eprintln!(
        "generated {} people, {} companies, {} activities in {:?}",
        data.people.len(),
        data.companies.len(),
        data.activities.len(),
        t.elapsed()
    );
    let mut crm = Crm::open(path).unwrap();
    crm.create_team("Bench s.r.o.", "Bench").unwrap();
    let t = Instant::now();
    deko_testdata::load(&mut crm, &data).unwrap();
    eprintln!("loaded into {} in {:?}", path.display(), t.elapsed());
    crm.store().set_setting("bench", b"1").unwrap();
}

fn benches(c: &mut Criterion) {
    let f = fixture();

    let mut open_samples = Vec::new();
    c.bench_function("open a database of 100k people / 1M activities", |b| {
        b.iter(|| {
            let t = Instant::now();
            let crm = Crm::open(&f.path).unwrap();
            open_samples.push(t.elapsed());
            drop(crm);
        })
    });
    percentiles("open", open_samples);

    let mut crm = Crm::open(&f.path).unwrap();
    let mut i = 0usize;
    let mut lookup = Vec::new();
    c.bench_function("caller lookup by phone number", |b| {
        b.iter(|| {
            let n = &f.numbers[i % f.numbers.len()];
            i += 1;
            let t = Instant::now();
            let people = crm.lookup_number(n).unwrap().people;
            lookup.push(t.elapsed());
            assert!(!people.is_empty(), "{n}");
        })
    });
    percentiles("caller lookup", lookup);

    let queries = [
        "nov", "novák", "müller", "dvor", "smith", "praha", "brno", "nabídk", "angebot", "demo",
        "cnc", "jana", "schr", "o'brien", "veletrh", "zavolat",
    ];
    let mut search = Vec::new();
    let mut q = 0usize;
    c.bench_function("full-text search, top 50", |b| {
        b.iter(|| {
            let query = queries[q % queries.len()];
            q += 1;
            let t = Instant::now();
            let hits = crm.search(query, 0, 50).unwrap();
            search.push(t.elapsed());
            hits.len()
        })
    });
    percentiles("search top 50", search);

    let mut timeline = Vec::new();
    c.bench_function("timeline page (50) of a person", |b| {
        b.iter(|| {
            let t = Instant::now();
            let page = crm
                .timeline(
                    &f.busy,
                    &Page {
                        offset: 0,
                        limit: 50,
                    },
                )
                .unwrap();
            timeline.push(t.elapsed());
            page.len()
        })
    });
    percentiles("timeline page", timeline);

    let mut log = Vec::new();
    let mut k = 0i64;
    c.bench_function("log a call (durable, matched, with history)", |b| {
        b.iter(|| {
            let n = f.numbers[k as usize % f.numbers.len()].clone();
            k += 1;
            let t = Instant::now();
            let logged = crm
                .log_call(CallInput {
                    number: n,
                    start: NOW + k,
                    duration_s: 120,
                    direction: Direction::Out,
                    note: Some("Bench call".into()),
                    outcome: None,
                    give_to: None,
                    follow_up: None,
                })
                .unwrap();
            log.push(t.elapsed());
            assert!(logged.person.is_some());
        })
    });
    percentiles("log a call", log);
}

criterion_group!(crm, benches);
criterion_main!(crm);
