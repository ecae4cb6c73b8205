//! Sync throughput through the relay against direct, from one run: a new
//! device joins a founder holding 100k records, directly over loopback
//! QUIC, then (another new device) through a relay on loopback with no
//! direct address, alternating twice; prints records/s of each and the
//! relay/direct ratio of the best runs. The relay runs in this process with
//! no bandwidth limit, so the ratio shows the cost of the extra hop and the
//! end-to-end TLS layer, not a configured cap.
//! Run: `cargo bench -p deko-core --bench relay`.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::identity::DeviceKey;
use deko_core::model::Crm;
use deko_core::net::SyncEvent;
use deko_core::net::relay::{Limits, RelayConfig, RelayServer, RelaySettings, TeamAccess};
use deko_core::node::{JoinOptions, Node};
use deko_core::record::Role;

const RECORDS: usize = 100_000;

/// When the founder's last session finished: the end of the transfer (the
/// joiner's views catch up after it, before `Node::join` returns).
type Finished = Arc<Mutex<Option<Instant>>>;

async fn join(
    a: &Node,
    finished: &Finished,
    dir: &std::path::Path,
    name: &str,
    direct: bool,
) -> f64 {
    let addrs = if direct {
        vec![a.local_addr().unwrap()]
    } else {
        vec![]
    };
    let ticket = a
        .ticket(addrs, Some((Role::Member, Duration::from_secs(600))))
        .unwrap();
    let mut ticket = ticket;
    if direct {
        ticket.relay = None;
        ticket.relay_token = None;
    }
    let crm = Crm::open(dir.join(format!("{name}.db"))).unwrap();
    *finished.lock().unwrap() = None;
    let t = Instant::now();
    let options = JoinOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..JoinOptions::new(name)
    };
    let (b, joined) = Node::join(crm, &ticket.to_uri().unwrap(), options)
        .await
        .unwrap();
    let stats = joined.stats;
    let ready = t.elapsed();
    let took = finished.lock().unwrap().expect("the session finished") - t;
    let rate = stats.received as f64 / took.as_secs_f64();
    eprintln!(
        "{}: {} records in {took:.2?} = {rate:.0} records/s (views ready after {ready:.2?}; {:.1} MiB received)",
        if direct { "direct" } else { "relay " },
        stats.received,
        stats.bytes_received as f64 / (1024.0 * 1024.0)
    );
    b.shutdown().await;
    rate
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::founder_with(dir.path(), RECORDS - 10);
    let team = a.store().team_id().unwrap().0;
    let a = Node::start(a, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut cfg = RelayConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    cfg.teams = vec![TeamAccess {
        team,
        token: Some(b"bench".to_vec()),
    }];
    cfg.limits = Limits {
        bytes_per_second_per_device: 0,
        ..Limits::default()
    };
    let relay = RelayServer::bind(cfg).await.unwrap();
    a.set_relay(Some(RelaySettings::new(
        relay.local_addr().unwrap(),
        Some(b"bench".to_vec()),
    )))
    .unwrap();
    while relay.stats().registered == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let finished: Finished = Arc::new(Mutex::new(None));
    let mark = finished.clone();
    a.subscribe(Arc::new(move |e: &SyncEvent| {
        if matches!(e, SyncEvent::Finished { .. }) {
            *mark.lock().unwrap() = Some(Instant::now());
        }
    }));
    let (mut direct, mut relayed) = (0f64, 0f64);
    for round in 0..2 {
        direct = direct.max(join(&a, &finished, dir.path(), &format!("d{round}"), true).await);
        relayed = relayed.max(join(&a, &finished, dir.path(), &format!("r{round}"), false).await);
    }
    eprintln!(
        "best: direct {direct:.0} records/s, relay {relayed:.0} records/s; relay/direct = {:.2}",
        relayed / direct
    );
    eprintln!("relay counters: {:?}", relay.stats());
    relay.shutdown(Duration::from_secs(1)).await;
    a.shutdown().await;
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
    rt.block_on(run());
}
