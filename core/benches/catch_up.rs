//! App calls while the views catch up after a large sync (issue 16): a
//! device receives 100k new people from a peer; while its views (typed
//! tables, search) catch up, another thread reads the people list and
//! searches, as an app screen would, and the worst latency of those reads is
//! reported, beside the catch-up's own duration.
//!
//! Run: `cargo bench -p deko-core --bench catch_up` (not criterion: one run
//! of a long operation, with every read timed).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use deko_core::model::{Crm, Page, PersonDraft, SortBy};
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncTarget};
use deko_core::record::Role;

#[path = "common/stats.rs"]
mod stats;
use stats::percentiles;

const PEOPLE: usize = 100_000;
/// Pause between two reads (an app screen refreshing as the user types).
const READ_EVERY_MS: u64 = 50;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Crm::open(dir.path().join("a.db")).unwrap();
    a.create_team("Bench", "Eva").unwrap();
    let a = Node::start(a, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let ticket = a
        .ticket(
            vec![a.local_addr().unwrap()],
            Some((Role::Member, Duration::from_secs(600))),
        )
        .unwrap()
        .to_uri()
        .unwrap();
    let options = JoinOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..JoinOptions::new("Petr")
    };
    let b = Crm::open(dir.path().join("b.db")).unwrap();
    let (b, _) = Node::join(b, &ticket, options).await.unwrap();
    let b = Arc::new(b);
    eprintln!("writing {PEOPLE} people on the first device...");
    a.with_crm(|c| {
        let started = c.store_mut().begin_bulk().unwrap();
        for i in 0..PEOPLE {
            c.create_person(PersonDraft {
                given: Some(format!("Jana {i}")),
                family: Some("Nováková".into()),
                phones: Some(vec![(
                    deko_core::model::PhoneLabel::Mobile,
                    format!("+420 603 {:06}", i),
                )]),
                ..Default::default()
            })
            .unwrap();
        }
        c.store_mut().end_bulk(started, Ok(())).unwrap();
    });
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (b, done) = (b.clone(), done.clone());
        tokio::task::spawn_blocking(move || {
            let mut reads: Vec<(Instant, Duration, u64)> = Vec::new();
            let page = Page {
                offset: 0,
                limit: 50,
            };
            while !done.load(Ordering::SeqCst) {
                let t = Instant::now();
                let behind = b.with_crm(|c| {
                    c.people(SortBy::Name, &page).unwrap();
                    c.search("nov", 0, 50).unwrap();
                    c.store().projections_behind().unwrap()
                });
                reads.push((t, t.elapsed(), behind));
                std::thread::sleep(Duration::from_millis(READ_EVERY_MS));
            }
            reads
        })
    };
    // When the session ends and the catch-up begins.
    let finished: Arc<std::sync::Mutex<Option<Instant>>> = Default::default();
    {
        let finished = finished.clone();
        b.subscribe(Arc::new(move |e: &deko_core::net::SyncEvent| {
            if matches!(e, deko_core::net::SyncEvent::Finished { .. }) {
                *finished.lock().unwrap() = Some(Instant::now());
            }
        }));
    }
    let started = Instant::now();
    let report = b
        .sync(SyncTarget::Device(a.device_id()), &SyncOptions::default())
        .await
        .unwrap();
    let total = started.elapsed();
    done.store(true, Ordering::SeqCst);
    assert!(report.outcomes[0].result.is_ok(), "{report:?}");
    let reads = reader.await.unwrap();
    let finished = finished.lock().unwrap().expect("the session finished");
    eprintln!(
        "sync of {PEOPLE} people: transfer {:?}, views ready {total:?}",
        finished - started
    );
    let transfer: Vec<Duration> = reads
        .iter()
        .filter(|(t, _, _)| *t < finished)
        .map(|r| r.1)
        .collect();
    let catch_up: Vec<Duration> = reads
        .iter()
        .filter(|(t, _, behind)| *t >= finished && *behind > 0)
        .map(|r| r.1)
        .collect();
    report_reads("during the transfer", transfer);
    report_reads("during the catch-up", catch_up);
}

fn report_reads(phase: &str, reads: Vec<Duration>) {
    if reads.is_empty() {
        eprintln!("no reads {phase}");
    }
    percentiles(&format!("reads (people list + search) {phase}"), reads);
}
