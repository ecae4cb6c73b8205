//! Waits without end (issue 16): a peer that keeps its QUIC connection
//! alive but stops sending is left after the node's stall timeout, whether
//! it answered this device's sync or opened one itself. The stalling peer
//! is a real device of the team whose store stops answering once its
//! session has begun; QUIC keeps the connection alive all the while.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::error::NetError;
use deko_core::identity::{DeviceId, DeviceKey};
use deko_core::model::Crm;
use deko_core::net::{Endpoint, Host, JoinRequest, PeerPolicy, SyncEvent};
use deko_core::node::{Node, StoreSync};
use deko_core::store::Store;
use deko_core::sync::SyncStore;
use deko_core::{Error, ErrorKind, Result};
use deko_tests::{Device, join_team, loopback, people, sync_at};

const TTL: Duration = Duration::from_secs(600);
const STALL: Duration = Duration::from_millis(1500);

#[derive(Debug)]
struct Anyone;

impl PeerPolicy for Anyone {
    fn allows(&self, _device: &DeviceId) -> bool {
        true
    }
}

/// A team member whose store stops answering as soon as a session needs
/// it, until released: it takes the handshake and the preamble, then
/// sends nothing more.
struct Stalling {
    team: [u8; 16],
    store: Mutex<Store>,
    released: AtomicBool,
}

impl Stalling {
    fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }
}

/// Lets the stalled store go when a test ends, passed or failed.
struct Release(Arc<Stalling>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Host for Stalling {
    fn team(&self) -> [u8; 16] {
        self.team
    }
    fn policy(&self) -> Arc<dyn PeerPolicy> {
        Arc::new(Anyone)
    }
    fn admit_peer(&self, _device: &DeviceId, _join: Option<&JoinRequest>) -> Result<()> {
        Ok(())
    }
    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        while !self.released.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut store = self.store.lock().unwrap();
        f(&mut StoreSync(&mut store))
    }
    fn on_event(&self, _event: SyncEvent) {}
    // Its own side waits far longer than the device under test.
    fn stall_timeout(&self) -> Duration {
        Duration::from_secs(600)
    }
}

/// A founder node with a few people, and a second member of its team whose
/// store then serves a stalling host on its own endpoint.
async fn founder_and_stalling_member()
-> (Node, tempfile::TempDir, Arc<Stalling>, Endpoint, DeviceId) {
    let mut a = Device::founder("Acme s.r.o.");
    people(&mut a.crm, 20, "A");
    let founder = Node::start(a.crm, loopback()).await.unwrap();
    founder.set_stall_timeout(STALL);
    let ticket = founder
        .ticket(
            vec![founder.local_addr().unwrap()],
            Some((deko_core::record::Role::Member, TTL)),
        )
        .unwrap()
        .to_uri()
        .unwrap();
    let b = Device::new();
    let path = b.dir.path().join("deko.db");
    let (member, _) = join_team(b.crm, &ticket, "Bob").await.unwrap();
    member.shutdown().await;
    drop(member);
    let store = Crm::open(&path).unwrap().into_store();
    let key = DeviceKey::from_secret(store.device_secret().unwrap());
    let id = store.device_id();
    let host = Arc::new(Stalling {
        team: store.team_id().unwrap().0,
        store: Mutex::new(store),
        released: AtomicBool::new(false),
    });
    let endpoint = Endpoint::bind(key, loopback(), host.clone()).await.unwrap();
    (founder, b.dir, host, endpoint, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_peer_that_stops_answering_a_sync_is_left_after_the_stall_timeout() {
    let (founder, _dir, stalling, endpoint, id) = founder_and_stalling_member().await;
    let _release = Release(stalling.clone());
    let began = Instant::now();
    let outcome = tokio::time::timeout(
        Duration::from_secs(20),
        sync_at(&founder, id, &[endpoint.local_addr().unwrap()]),
    )
    .await
    .expect("the sync must end by itself, not wait forever");
    let err = outcome.expect_err("a stalled session fails");
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
    assert!(err.to_string().contains("stalled"), "{err}");
    // Well after the bound (not at once), well before QUIC's own 30 s idle
    // limit, which the peer's keep-alives defeat.
    assert!(began.elapsed() >= STALL, "{:?}", began.elapsed());
    assert!(matches!(err, Error::Net(NetError::TimedOut(_))));
    stalling.release();
    founder.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_peer_that_opens_a_sync_and_goes_silent_is_left_after_the_stall_timeout() {
    let (founder, _dir, stalling, endpoint, _) = founder_and_stalling_member().await;
    let _release = Release(stalling.clone());
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = failed.clone();
    founder.subscribe(Arc::new(move |e: &SyncEvent| {
        if let SyncEvent::Failed { error, .. } = e {
            seen.lock().unwrap().push(error.clone());
        }
    }));
    // The silent member opens a session to the founder and then never
    // gets its store to answer: it sends the preamble, nothing more.
    let addr = founder.local_addr().unwrap();
    let peer = founder.device_id();
    let host = stalling.clone();
    let ep = endpoint.clone();
    let opener = tokio::spawn(async move { ep.sync_with(&host, addr, peer, None).await });
    let deadline = Instant::now() + Duration::from_secs(20);
    while failed.lock().unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the founder must give up the silent session by itself"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let errors = failed.lock().unwrap().clone();
    assert!(errors[0].contains("stalled"), "{errors:?}");
    stalling.release();
    let _ = opener.await;
    founder.shutdown().await;
}
