//! LAN discovery driving automatic sync: two nodes on loopback share an
//! in-process "network" backend (the platform plug-in point), find each
//! other by their rotating tags and sync once the user allows it. The real
//! mDNS backend is tested in `core` inside a private network namespace.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::model::PersonDraft;
use deko_core::net::discovery::{DiscoveryBackend, Seen};
use deko_core::node::Node;
use deko_core::record::Role;
use deko_tests::{Device, join_team, loopback, people};

/// A shared in-memory "network": every backend sees every announcement.
#[derive(Clone, Default)]
struct FakeLan(Arc<Mutex<Vec<Seen>>>);

struct FakeBackend {
    lan: FakeLan,
    mine: Mutex<Option<String>>,
}

impl DiscoveryBackend for FakeBackend {
    fn announce(&self, instance: &str, port: u16) -> Result<(), deko_core::Error> {
        let mut lan = self.lan.0.lock().unwrap();
        if let Some(old) = self.mine.lock().unwrap().replace(instance.to_string()) {
            lan.retain(|s| s.instance != old);
        }
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        lan.push(Seen {
            instance: instance.to_string(),
            addrs: vec![addr],
        });
        Ok(())
    }
    fn seen(&self) -> Vec<Seen> {
        self.lan.0.lock().unwrap().clone()
    }
    fn shutdown(&self) {}
}

fn backend(lan: &FakeLan) -> Box<dyn DiscoveryBackend> {
    Box::new(FakeBackend {
        lan: lan.clone(),
        mine: Mutex::new(None),
    })
}

fn digest(n: &Node) -> String {
    n.with_crm(|c| c.store_mut().state_digest().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_found_on_the_lan_sync_when_allowed() {
    let mut d = Device::founder("Acme");
    people(&mut d.crm, 20, "a");
    let a = Node::start(d.crm, loopback()).await.unwrap();
    let ticket = a
        .ticket(
            vec![a.local_addr().unwrap()],
            Some((Role::Member, Duration::from_secs(60))),
        )
        .unwrap();
    let db = Device::new();
    let (b, _) = join_team(db.crm, &ticket.to_uri().unwrap(), "B")
        .await
        .unwrap();
    // A stranger announces on the same LAN: never recognised.
    let stranger = Node::start(Device::founder("Other").crm, loopback())
        .await
        .unwrap();
    let lan = FakeLan::default();
    let _ta = a
        .start_discovery(backend(&lan), Duration::from_millis(100))
        .unwrap();
    let _tb = b
        .start_discovery(backend(&lan), Duration::from_millis(100))
        .unwrap();
    let _ts = stranger
        .start_discovery(backend(&lan), Duration::from_millis(100))
        .unwrap();
    // Nothing announced reveals the team or the device.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for s in lan.0.lock().unwrap().iter() {
        assert_eq!(s.instance.len(), 20);
        assert!(!s.instance.contains(&a.device_id().to_string()[..8]));
    }
    // Found, but not synced until allowed.
    b.with_crm(|c| {
        c.create_person(PersonDraft {
            given: Some("from B".into()),
            ..Default::default()
        })
        .unwrap()
    });
    let nearby = b.nearby_peers();
    assert_eq!(nearby.len(), 1, "only A is recognised: {nearby:?}");
    assert_eq!(nearby[0].0, a.device_id());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_ne!(digest(&a), digest(&b));
    b.set_auto_sync(true);
    let start = Instant::now();
    while digest(&a) != digest(&b) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "auto-sync did not happen"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stranger.nearby_peers().is_empty());
}
