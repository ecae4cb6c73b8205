//! Sync benchmarks over real QUIC on loopback (design.md section 9):
//! - 100k new records from one device to another (a new device joining):
//!   records/s with verification, bytes on the wire, peak memory;
//! - a resync with nothing new between two devices holding 50 authors'
//!   records: time and bytes.
//!
//! Both devices run in this process, each on its own SQLite file, so the
//! peak memory reported is an upper bound for one device.
//! Run: `cargo bench -p deko-core --bench sync` (`-- --resync` for the
//! resync alone, `DEKO_BENCH_ROUNDS` rounds of it: 300 by default).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::model::Crm;
use deko_core::net::SyncEvent;
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncTarget};
use deko_core::record::{EntityId, Role, Value};
use deko_core::store::Store;

#[path = "common/stats.rs"]
mod stats;
use stats::percentiles;

const RECORDS: usize = 100_000;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Joining as `name` on a free loopback port.
fn options(name: &str) -> JoinOptions {
    JoinOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..JoinOptions::new(name)
    }
}

async fn first_sync() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let a = common::founder_with(dir.path(), RECORDS - 10);
        let a = Node::start(a, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let total = a.with_crm(|c| c.store().record_count().unwrap());
        let ticket = a
            .ticket(
                vec![a.local_addr().unwrap()],
                Some((Role::Member, Duration::from_secs(600))),
            )
            .unwrap()
            .to_uri()
            .unwrap();
        let b = Crm::open(dir.path().join("b.db")).unwrap();
        let rss0 = rss_kib();
        // The inviter's session ends when the new device has stored and
        // verified the last record: the transfer. Node::join returns after
        // the new device's views (typed tables, search) caught up too.
        let transferred = Arc::new(Mutex::new(None));
        let mark = transferred.clone();
        a.subscribe(Arc::new(move |e: &SyncEvent| {
            if matches!(e, SyncEvent::Finished { .. }) {
                mark.lock().unwrap().get_or_insert_with(Instant::now);
            }
        }));
        let t = Instant::now();
        let (b, joined) = Node::join(b, &ticket, options("B")).await.unwrap();
        let stats = joined.stats;
        let ready = t.elapsed();
        let took = transferred.lock().unwrap().expect("the session finished") - t;
        // The inviter wrote the Admit record while the join ran.
        assert_eq!(b.with_crm(|c| c.store().record_count().unwrap()), total + 1);
        eprintln!(
            "first sync {round}: {} records in {:?} = {:.0} records/s; views ready after {:?} \
             = {:.0} records/s end to end; {:.1} MiB received, {:.1} KiB sent; \
             peak RSS {} MiB (was {} MiB before the sync)",
            stats.received,
            took,
            stats.received as f64 / took.as_secs_f64(),
            ready,
            stats.received as f64 / ready.as_secs_f64(),
            stats.bytes_received as f64 / (1024.0 * 1024.0),
            stats.bytes_sent as f64 / 1024.0,
            peak_rss_kib() / 1024,
            rss0 / 1024
        );
        b.shutdown().await;
        a.shutdown().await;
    }
}

async fn resync_50_authors() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Crm::open(dir.path().join("a.db")).unwrap();
    a.create_team("Bench", "A").unwrap();
    // 49 more devices, admitted, each writing a few records.
    let mut batches = Vec::new();
    for i in 0..49 {
        let mut s = Store::open_in_memory().unwrap();
        s.join_team(a.store().team_id().unwrap()).unwrap();
        a.store_mut()
            .admit(
                s.device_id(),
                EntityId::new(),
                &format!("P{i}"),
                Role::Member,
            )
            .unwrap();
        let me = a.store().device_id();
        s.apply_remote(a.store().records_after(&me, 0, usize::MAX >> 1).unwrap())
            .unwrap();
        for j in 0..20 {
            s.put(
                "note",
                None,
                vec![("note".into(), Value::Text(format!("n{j}")))],
            )
            .unwrap();
        }
        let dev = s.device_id();
        batches.push(s.records_after(&dev, 0, 1000).unwrap());
    }
    for b in batches {
        a.store_mut().apply_remote(b).unwrap();
    }
    assert_eq!(a.store().version_vector().unwrap().len(), 50);
    let a = Node::start(a, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let ticket = a
        .ticket(
            vec![a.local_addr().unwrap()],
            Some((Role::Member, Duration::from_secs(600))),
        )
        .unwrap();
    let (b, _) = Node::join(
        Crm::open(dir.path().join("b.db")).unwrap(),
        &ticket.to_uri().unwrap(),
        options("B"),
    )
    .await
    .unwrap();
    let (addr, id) = (a.local_addr().unwrap(), a.device_id());
    let mut samples = Vec::new();
    let mut bytes = 0;
    let rounds = std::env::var("DEKO_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    for _ in 0..rounds {
        let t = Instant::now();
        let stats = b
            .sync(SyncTarget::at(addr, id), &SyncOptions::default())
            .await
            .unwrap()
            .into_stats()
            .unwrap();
        samples.push(t.elapsed());
        assert_eq!(stats.received + stats.sent, 0);
        bytes = stats.bytes_sent + stats.bytes_received;
    }
    eprintln!(
        "resync, nothing new, 50 authors: {bytes} bytes of sync messages each way together (plus the QUIC handshake)"
    );
    percentiles(
        "resync nothing new (connect, handshake, hello both ways, close)",
        samples,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        resync_50_authors().await;
        if !std::env::args().any(|a| a == "--resync") {
            first_sync().await;
        }
    });
}
