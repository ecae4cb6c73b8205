//! Helpers of the node tests: devices with real SQLite files in temporary
//! folders, running real QUIC nodes on loopback, and what they saw.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::identity::DeviceId;
use deko_core::model::{Crm, PersonDraft};
use deko_core::net::SyncEvent;
use deko_core::node::{JoinOptions, Joined, Node};
use deko_core::record::Role;

pub const TTL: Duration = Duration::from_secs(600);

/// Loopback with a free port.
pub fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// A loopback address where nothing listens (a port just freed).
pub fn dead_addr() -> SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.local_addr().unwrap()
}

/// A database file in its own temporary folder.
pub struct Db {
    pub dir: tempfile::TempDir,
}

impl Db {
    pub fn new() -> Db {
        Db {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("deko.db")
    }

    pub fn open(&self) -> Crm {
        Crm::open(self.path()).unwrap()
    }
}

/// A founder of team "Acme" with `people` people, not started.
pub fn founder(people: usize) -> (Db, Crm) {
    let db = Db::new();
    let mut crm = db.open();
    crm.create_team("Acme", "Eva").unwrap();
    for i in 0..people {
        add_person(&mut crm, &format!("Person {i}"));
    }
    (db, crm)
}

pub fn add_person(crm: &mut Crm, given: &str) {
    crm.create_person(PersonDraft {
        given: Some(given.into()),
        ..Default::default()
    })
    .unwrap();
}

/// An invite ticket of `node` naming `addrs` (and its relay, if any).
pub fn invite(node: &Node, addrs: Vec<SocketAddr>) -> String {
    node.ticket(addrs, Some((Role::Member, TTL)))
        .unwrap()
        .to_uri()
        .unwrap()
}

/// Joining as `name` on loopback.
pub fn joining(name: &str) -> JoinOptions {
    JoinOptions {
        listen: loopback(),
        ..JoinOptions::new(name)
    }
}

/// A new device joined to `founder` through its own address.
pub async fn joined(founder: &Node, name: &str) -> (Db, Node, Joined) {
    let ticket = invite(founder, vec![founder.local_addr().unwrap()]);
    let db = Db::new();
    let (node, joined) = Node::join(db.open(), &ticket, joining(name)).await.unwrap();
    (db, node, joined)
}

pub fn digest(n: &Node) -> String {
    n.with_crm(|c| c.store_mut().state_digest().unwrap().to_string())
}

/// The remembered addresses of `peer` on `n`, first tried first.
pub fn known(n: &Node, peer: DeviceId) -> Vec<SocketAddr> {
    n.with_crm(|c| c.store().known_peers().unwrap())
        .into_iter()
        .filter(|k| k.device == peer)
        .map(|k| k.addr)
        .collect()
}

/// Every event `n` reports from now on.
pub fn events(n: &Node) -> Arc<Mutex<Vec<SyncEvent>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    n.subscribe(Arc::new(move |e: &SyncEvent| {
        ev.lock().unwrap().push(e.clone())
    }));
    events
}

/// Failures reported for sessions with `peer`.
pub fn failures(events: &Mutex<Vec<SyncEvent>>, peer: DeviceId) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            SyncEvent::Failed {
                peer: Some(p),
                error,
                ..
            } if *p == peer => Some(error.clone()),
            _ => None,
        })
        .collect()
}

/// Waits (polling) until `f` holds; fails the test after a generous bound.
pub async fn until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
