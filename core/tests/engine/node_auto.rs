//! Discovery-driven auto-sync with retry and backoff, over real QUIC on
//! loopback between real SQLite files. Discovery runs through the
//! platform plug-in point with an in-process "network" that every backend
//! sees (the real mDNS backend is tested in `net::discovery`). A peer that
//! went away is retried with growing waits and synced with once it is back;
//! where discovery found it is remembered.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deko_core::model::Crm;
use deko_core::net::SyncEvent;
use deko_core::net::discovery::{DiscoveryBackend, Seen};
use deko_core::node::{AutoSyncPolicy, Node};

use super::nodes::*;

/// Announcements on a shared in-process network.
#[derive(Clone, Default)]
struct Lan(Arc<Mutex<Vec<Seen>>>);

struct LanBackend {
    lan: Lan,
    mine: Mutex<Option<String>>,
}

impl DiscoveryBackend for LanBackend {
    fn announce(&self, instance: &str, port: u16) -> Result<(), deko_core::Error> {
        let mut lan = self.lan.0.lock().unwrap();
        if let Some(old) = self.mine.lock().unwrap().replace(instance.to_string()) {
            lan.retain(|s| s.instance != old);
        }
        lan.push(Seen {
            instance: instance.to_string(),
            addrs: vec![SocketAddr::from(([127, 0, 0, 1], port))],
        });
        Ok(())
    }
    fn seen(&self) -> Vec<Seen> {
        self.lan.0.lock().unwrap().clone()
    }
    fn shutdown(&self) {}
}

fn backend(lan: &Lan) -> Box<dyn DiscoveryBackend> {
    Box::new(LanBackend {
        lan: lan.clone(),
        mine: Mutex::new(None),
    })
}

/// Starts a node for `crm` on `addr`, waiting for the port to be free.
async fn start_on(crm_path: &std::path::Path, addr: SocketAddr) -> Node {
    for _ in 0..100 {
        match Node::start(Crm::open(crm_path).unwrap(), addr).await {
            Ok(n) => return n,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("cannot listen on {addr} again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_went_away_is_retried_with_backoff_until_it_is_back() {
    let (da, crm) = founder(5);
    let a = Node::start(crm, loopback()).await.unwrap();
    let a_addr = a.local_addr().unwrap();
    let a_id = a.device_id();
    let (_db, b, _) = joined(&a, "Petr").await;
    let lan = Lan::default();
    let interval = Duration::from_millis(50);
    let a_discovery = a.start_discovery(backend(&lan), interval).unwrap();
    b.set_auto_sync_policy(AutoSyncPolicy {
        timeout: Duration::from_millis(500),
        rest: Duration::from_millis(200),
        first_retry: Duration::from_millis(100),
        max_retry: Duration::from_millis(400),
    });
    let _b_discovery = b.start_discovery(backend(&lan), interval).unwrap();
    until("B sees A", || {
        b.nearby_peers().iter().any(|(d, _)| *d == a_id)
    })
    .await;
    // Where discovery found A is remembered.
    assert!(known(&b, a_id).contains(&a_addr));

    // A goes away; its announcement stays on the network for a while.
    drop(a_discovery);
    a.shutdown().await;
    drop(a);
    let b_events = events(&b);
    b.with_crm(|c| add_person(c, "From B"));
    b.set_auto_sync(true);
    until("B tried A three times", || {
        failures(&b_events, a_id).len() >= 3
    })
    .await;

    // A is back at the same address: the next retry syncs.
    let a = start_on(&da.path(), a_addr).await;
    until("auto-sync brought B's person to A", || {
        a.with_crm(|c| c.store().count("person").unwrap()) == 6
    })
    .await;
    until("B's session with A finished", || {
        b_events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, SyncEvent::Finished { peer, .. } if *peer == a_id))
    })
    .await;
    until("digests meet", || digest(&a) == digest(&b)).await;
}
