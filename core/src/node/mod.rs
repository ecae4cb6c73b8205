//! The top-level handle: the only place that wires the CRM (store), the
//! sync protocol and the network together, and the owner of a device's
//! whole sync life. The CLI and the FFI layer hold a [`Node`] and call:
//!
//! - [`Node::join`] (`join.rs`): a new device joins a team with a ticket;
//! - [`Node::sync`] (`sync.rs`): one sync with every known peer, a device,
//!   an address or a ticket, reported per peer;
//! - [`Node::start_discovery`] and [`Node::set_auto_sync`] (`auto.rs`): LAN
//!   discovery and automatic sync with retry and backoff.
//!
//! How one peer is reached (each address with its own timeout, then the
//! relay, remembering where it answered) is `attempt.rs`; the device's own
//! relay is `relay.rs`; what the network and the sync protocol see of the
//! node is `host.rs` and `sync_store.rs`; tickets are `tickets.rs`. Every
//! session is reported to the node's listeners as [`SyncEvent`]s.

mod attempt;
mod auto;
mod host;
mod join;
mod relay;
mod sync;
mod sync_store;
mod team_relay;
mod tickets;

pub use auto::{AutoSyncPolicy, DiscoveryTask};
pub use host::{AHEAD_CHUNK, CATCH_UP_STEP};
pub use join::{JoinOptions, Joined};
pub use sync::{DIRECT_TIMEOUT, SyncOptions, SyncOutcome, SyncReport, SyncTarget};
pub use sync_store::StoreSync;
pub use team_relay::{
    TEAM_RELAY_ID, effective_relay, new_relay_token, rotate_relay_token, set_team_relay, team_relay,
};
pub use tickets::make_ticket;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::error::{Error, Result, StoreError};
use crate::identity::{DeviceId, DeviceKey};
use crate::model::Crm;
use crate::net::ticket::Ticket;
use crate::net::{Endpoint, SyncEvent};
use crate::record::Role;
use crate::store::Preverified;

use host::{NodeHost, Policy};

/// Receives sync events (the CLI prints them; the apps show them).
pub type Listener = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

/// What the node's sessions and tasks share.
struct Inner {
    crm: Mutex<Crm>,
    team: [u8; 16],
    listeners: Mutex<Vec<Listener>>,
    /// The user allows syncing with team peers found on the LAN.
    auto_sync: AtomicBool,
    /// When auto-sync may next try each peer.
    schedule: Mutex<auto::Schedule>,
    /// Peers found on the LAN at the last look.
    nearby: Mutex<Vec<(DeviceId, Vec<SocketAddr>)>>,
    /// Records whose signatures the sessions' readers checked ahead; shared
    /// with the store, which then skips those checks.
    preverified: Preverified,
    /// How long a session may stall, in ms ([`Node::set_stall_timeout`]).
    stall_ms: AtomicU64,
}

fn now_s() -> u64 {
    crate::record::wall_clock_ms() / 1000
}

/// Locks a mutex, taking over one a panicking thread left behind.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Inner {
    fn crm(&self) -> MutexGuard<'_, Crm> {
        lock(&self.crm)
    }
}

/// A device on the network: its CRM, its QUIC endpoint, its relay, its
/// sessions.
pub struct Node {
    inner: Arc<Inner>,
    endpoint: Endpoint,
    relay: Arc<Mutex<Option<relay::RelayLink>>>,
}

impl Node {
    /// Starts a node for `crm` (which must belong to a team) listening on
    /// `listen` (port 0 picks a free one). Needs a multi-threaded Tokio
    /// runtime.
    pub async fn start(mut crm: Crm, listen: SocketAddr) -> Result<Node> {
        let team = crm
            .store()
            .team_id()
            .ok_or(Error::Store(StoreError::NotAMember))?
            .0;
        let key = DeviceKey::from_secret(crm.store().device_secret()?);
        let preverified = Preverified::default();
        crm.store_mut().use_preverified(preverified.clone());
        let inner = Arc::new(Inner {
            crm: Mutex::new(crm),
            team,
            listeners: Mutex::new(Vec::new()),
            auto_sync: AtomicBool::new(false),
            schedule: Mutex::new(auto::Schedule::default()),
            nearby: Mutex::new(Vec::new()),
            preverified,
            stall_ms: AtomicU64::new(crate::net::STALL_TIMEOUT.as_millis() as u64),
        });
        let host = Arc::new(NodeHost {
            inner: inner.clone(),
            policy: Arc::new(Policy(Arc::downgrade(&inner))),
        });
        let endpoint = Endpoint::bind(key, listen, host).await?;
        Ok(Node {
            inner,
            endpoint,
            relay: Arc::new(Mutex::new(None)),
        })
    }

    /// Another handle on the same node, for its background tasks.
    fn share(&self) -> Node {
        Node {
            inner: self.inner.clone(),
            endpoint: self.endpoint.clone(),
            relay: self.relay.clone(),
        }
    }

    /// How long a session of this node may go without a byte moving
    /// before it is given up as stalled ([`crate::net::STALL_TIMEOUT`] by
    /// default); sessions that start later use it.
    pub fn set_stall_timeout(&self, limit: std::time::Duration) {
        self.inner
            .stall_ms
            .store(limit.as_millis().max(1) as u64, Ordering::Relaxed);
    }

    /// Adds a listener for sync events.
    pub fn subscribe(&self, listener: Listener) {
        lock(&self.inner.listeners).push(listener);
    }

    /// Runs `f` with the CRM (blocking other users for its duration).
    pub fn with_crm<R>(&self, f: impl FnOnce(&mut Crm) -> R) -> R {
        f(&mut self.inner.crm())
    }

    /// This device's id.
    pub fn device_id(&self) -> DeviceId {
        self.inner.crm().store().device_id()
    }

    /// Where the node listens.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.endpoint.local_addr()
    }

    /// A ticket to reach this device at `addrs` (and through its relay, if
    /// set); with `invite`, a one-time invite for that role valid for `ttl`
    /// (admins only).
    pub fn ticket(
        &self,
        addrs: Vec<SocketAddr>,
        invite: Option<(Role, Duration)>,
    ) -> Result<Ticket> {
        let relay = self.relay_settings();
        make_ticket(&mut self.inner.crm(), addrs, invite, relay)
    }

    fn host(&self) -> Arc<NodeHost> {
        Arc::new(NodeHost {
            inner: self.inner.clone(),
            policy: Arc::new(Policy(Arc::downgrade(&self.inner))),
        })
    }

    /// Stops the endpoint and waits (at most 3 s) for connections to close.
    pub async fn shutdown(&self) {
        self.close(Duration::from_secs(3)).await;
    }

    /// Leaves the relay, closes the endpoint and waits at most `wait` for
    /// connections to close.
    async fn close(&self, wait: Duration) {
        self.close_relay().await;
        self.endpoint.close();
        let _ = tokio::time::timeout(wait, self.endpoint.wait_idle()).await;
    }
}
