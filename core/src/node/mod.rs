//! The top-level handle: the only place that wires the CRM (store), the
//! sync protocol and the network together. The CLI and the FFI layer hold a
//! [`Node`].

mod relay;
mod sync_store;
mod tickets;

pub use relay::DIRECT_TIMEOUT;
pub use sync_store::StoreSync;
pub use tickets::make_ticket;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::identity::{DeviceId, DeviceKey};
use crate::model::Crm;
use crate::net::discovery::{Discovery, DiscoveryBackend};
use crate::net::ticket::Ticket;
use crate::net::{Endpoint, Host, JoinRequest, PeerPolicy, SyncEvent};
use crate::record::{Role, TeamId};
use crate::store::Preverified;
use crate::sync::{SessionStats, SyncStore};

/// Receives sync events (the CLI prints them; the apps show them).
pub type Listener = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

struct Inner {
    crm: Mutex<Crm>,
    team: [u8; 16],
    listeners: Mutex<Vec<Listener>>,
    /// The user allows syncing with team peers found on the LAN.
    auto_sync: AtomicBool,
    /// Peers found on the LAN at the last look.
    nearby: Mutex<Vec<(DeviceId, Vec<SocketAddr>)>>,
    /// Records whose signatures the sessions' readers checked ahead; shared
    /// with the store, which then skips those checks.
    preverified: Preverified,
}

fn now_s() -> u64 {
    crate::record::wall_clock_ms() / 1000
}

impl Inner {
    fn crm(&self) -> MutexGuard<'_, Crm> {
        self.crm.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Policy(std::sync::Weak<Inner>);

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("deko team policy")
    }
}

impl PeerPolicy for Policy {
    /// Members that are not revoked may connect; others only while this
    /// device has an open invite (they must then present it).
    fn allows(&self, device: &DeviceId) -> bool {
        let Some(inner) = self.0.upgrade() else {
            return false;
        };
        let mut crm = inner.crm();
        let member = crm
            .store_mut()
            .roster()
            .ok()
            .flatten()
            .is_some_and(|r| r.is_active(device));
        member || crm.store().has_open_invites(now_s()).unwrap_or(false)
    }
}

impl Inner {
    fn admit_peer(&self, device: &DeviceId, join: Option<&JoinRequest>) -> Result<()> {
        let mut crm = self.crm();
        let store = crm.store_mut();
        if let Some(j) = join {
            store.redeem_invite(&j.secret, *device, &j.person_name, now_s())?;
        }
        match store.roster()? {
            Some(r) if r.is_active(device) => Ok(()),
            Some(r) if r.members.contains_key(device) => Err(Error::Refused(format!(
                "device {} was revoked",
                device.fingerprint()
            ))),
            _ => Err(Error::Refused(format!(
                "device {} is not a member of this team",
                device.fingerprint()
            ))),
        }
    }

    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        let mut crm = self.crm();
        f(&mut StoreSync(crm.store_mut()))
    }

    fn on_event(&self, event: SyncEvent) {
        let listeners = self
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for l in listeners {
            l(&event);
        }
        // The peer is free; now bring the views up to date with what a
        // large transfer stored (before the caller of the sync gets control).
        if matches!(event, SyncEvent::Finished { .. } | SyncEvent::Failed { .. }) {
            let caught_up =
                tokio::task::block_in_place(|| self.crm().store_mut().catch_up_projections());
            if let Err(e) = caught_up {
                log::error!("bringing the views up to date after a sync: {e}");
            }
        }
    }
}

/// The running discovery of a node; dropping it stops announcing and looking.
pub struct DiscoveryTask {
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for DiscoveryTask {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// A device on the network: its CRM, its QUIC endpoint, its sessions.
pub struct Node {
    inner: Arc<Inner>,
    endpoint: Endpoint,
    relay: Mutex<Option<relay::RelayLink>>,
}

/// A host wrapper whose policy is the node's own.
struct NodeHost {
    inner: Arc<Inner>,
    policy: Arc<dyn PeerPolicy>,
}

impl Host for NodeHost {
    fn team(&self) -> [u8; 16] {
        self.inner.team
    }
    fn policy(&self) -> Arc<dyn PeerPolicy> {
        self.policy.clone()
    }
    fn admit_peer(&self, device: &DeviceId, join: Option<&JoinRequest>) -> Result<()> {
        self.inner.admit_peer(device, join)
    }
    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        self.inner.with_store(f)
    }
    fn on_event(&self, event: SyncEvent) {
        self.inner.on_event(event)
    }
    fn verify_ahead(&self, records: &[Vec<u8>]) {
        self.inner.preverified.verify(records)
    }
}

impl Node {
    /// Starts a node for `crm` (which must belong to a team) listening on
    /// `listen` (port 0 picks a free one). Needs a multi-threaded Tokio
    /// runtime.
    pub async fn start(mut crm: Crm, listen: SocketAddr) -> Result<Node> {
        let team = crm.store().team_id().ok_or(Error::NotAMember)?.0;
        let key = DeviceKey::from_secret(crm.store().device_secret()?);
        let preverified = Preverified::default();
        crm.store_mut().use_preverified(preverified.clone());
        let inner = Arc::new(Inner {
            crm: Mutex::new(crm),
            team,
            listeners: Mutex::new(Vec::new()),
            auto_sync: AtomicBool::new(false),
            nearby: Mutex::new(Vec::new()),
            preverified,
        });
        let host = Arc::new(NodeHost {
            inner: inner.clone(),
            policy: Arc::new(Policy(Arc::downgrade(&inner))),
        });
        let endpoint = Endpoint::bind(key, listen, host).await?;
        Ok(Node {
            inner,
            endpoint,
            relay: Mutex::new(None),
        })
    }

    /// Joins a team with a ticket that carries an invite: sets the team,
    /// starts the node on `listen`, connects to the inviting device, is
    /// admitted by it and receives the whole database.
    pub async fn join(
        crm: Crm,
        ticket: &str,
        person_name: &str,
        listen: SocketAddr,
    ) -> Result<(Node, SessionStats)> {
        Self::join_observed(crm, ticket, person_name, listen, None).await
    }

    /// [`Node::join`] with `listener` subscribed before the first session,
    /// so the apps see the joining sync's progress too.
    pub async fn join_observed(
        crm: Crm,
        ticket: &str,
        person_name: &str,
        listen: SocketAddr,
        listener: Option<Listener>,
    ) -> Result<(Node, SessionStats)> {
        Self::join_via(crm, ticket, person_name, listen, listener, None).await
    }

    /// [`Node::join_observed`] with this device's own `relay` set before the
    /// joining session (so a ticket without a reachable address or relay can
    /// still be used through it). Without `relay`, the ticket's relay is
    /// adopted after joining.
    pub async fn join_via(
        mut crm: Crm,
        ticket: &str,
        person_name: &str,
        listen: SocketAddr,
        listener: Option<Listener>,
        relay: Option<crate::net::relay::RelaySettings>,
    ) -> Result<(Node, SessionStats)> {
        let ticket = Ticket::parse(ticket, now_s())?;
        let invite = ticket
            .invite
            .clone()
            .ok_or_else(|| Error::InvalidTicket("this ticket carries no invite".into()))?;
        crm.store_mut().join_team(TeamId(ticket.team))?;
        let node = Node::start(crm, listen).await?;
        if let Some(listener) = listener {
            node.subscribe(listener);
        }
        if relay.is_some() {
            node.set_relay(relay)?;
        }
        let join = JoinRequest {
            secret: invite.secret,
            person_name: person_name.to_string(),
        };
        let stats = node.sync_ticket_with(&ticket, Some(join)).await?;
        if node.relay_settings().is_none() {
            if let Some(relay) = crate::net::relay::RelaySettings::from_ticket(&ticket) {
                node.set_relay(Some(relay))?;
            }
        }
        Ok((node, stats))
    }

    /// Adds a listener for sync events.
    pub fn subscribe(&self, listener: Listener) {
        self.inner
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(listener);
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

    /// One sync session with `peer` at `addr`.
    pub async fn sync_with(&self, addr: SocketAddr, peer: DeviceId) -> Result<SessionStats> {
        let host = self.host();
        self.endpoint.sync_with(&host, addr, peer, None).await
    }

    /// One sync session with the device a ticket names (its addresses in
    /// order, the first that answers; then the ticket's relay, or this
    /// device's).
    pub async fn sync_ticket(&self, ticket: &str) -> Result<SessionStats> {
        let ticket = Ticket::parse(ticket, now_s())?;
        ticket.check_team(&self.inner.team)?;
        self.sync_ticket_with(&ticket, None).await
    }

    /// Joins with a ticket's invite on a node already started for the
    /// ticket's team (after `Store::join_team`), so the caller can subscribe
    /// to events before the session starts. [`Node::join`] does it all in one.
    pub async fn join_ticket(&self, ticket: &str, person_name: &str) -> Result<SessionStats> {
        let ticket = Ticket::parse(ticket, now_s())?;
        ticket.check_team(&self.inner.team)?;
        let invite = ticket
            .invite
            .clone()
            .ok_or_else(|| Error::InvalidTicket("this ticket carries no invite".into()))?;
        let join = JoinRequest {
            secret: invite.secret,
            person_name: person_name.to_string(),
        };
        self.sync_ticket_with(&ticket, Some(join)).await
    }

    async fn sync_ticket_with(
        &self,
        ticket: &Ticket,
        join: Option<JoinRequest>,
    ) -> Result<SessionStats> {
        let relay = crate::net::relay::RelaySettings::from_ticket(ticket);
        self.reach(DeviceId(ticket.device), &ticket.addrs, relay, join)
            .await
    }

    fn host(&self) -> Arc<NodeHost> {
        Arc::new(NodeHost {
            inner: self.inner.clone(),
            policy: Arc::new(Policy(Arc::downgrade(&self.inner))),
        })
    }

    /// Announces this device on the local network through `backend` (mDNS
    /// on desktops and servers, the platform's own service discovery in the
    /// apps) and looks for team peers every `interval`. The announcement
    /// carries only an hourly-rotating tag that team members can recognise;
    /// no team id, name or key. Found peers are synced with when
    /// [`Node::set_auto_sync`] allows it. Runs until the handle is dropped.
    pub fn start_discovery(
        &self,
        backend: Box<dyn DiscoveryBackend>,
        interval: Duration,
    ) -> Result<DiscoveryTask> {
        let port = self.local_addr()?.port();
        let discovery = Discovery::new(backend, self.inner.team, self.device_id().0, port);
        let inner = self.inner.clone();
        let endpoint = self.endpoint.clone();
        let host = self.host();
        let handle = tokio::spawn(async move {
            let mut last_sync: Vec<(DeviceId, std::time::Instant)> = Vec::new();
            loop {
                if let Err(e) = discovery.refresh(now_s()) {
                    log::warn!("cannot announce on the local network: {e}");
                }
                let roster: Vec<[u8; 32]> = {
                    let mut crm = inner.crm();
                    match crm.store_mut().roster() {
                        Ok(Some(r)) => r
                            .members
                            .values()
                            .filter(|m| m.revoked_after.is_none())
                            .map(|m| m.device.0)
                            .collect(),
                        _ => Vec::new(),
                    }
                };
                let found: Vec<(DeviceId, Vec<SocketAddr>)> = discovery
                    .peers(&roster, now_s())
                    .into_iter()
                    .map(|(d, a)| (DeviceId(d), a))
                    .collect();
                *inner.nearby.lock().unwrap_or_else(|p| p.into_inner()) = found.clone();
                if inner.auto_sync.load(Ordering::Relaxed) {
                    for (peer, addrs) in found {
                        let recent = last_sync
                            .iter()
                            .any(|(d, t)| *d == peer && t.elapsed() < interval * 5);
                        if recent {
                            continue;
                        }
                        for addr in addrs {
                            match endpoint.sync_with(&host, addr, peer, None).await {
                                Ok(_) => {
                                    last_sync.retain(|(d, _)| *d != peer);
                                    last_sync.push((peer, std::time::Instant::now()));
                                    break;
                                }
                                Err(e) => log::info!(
                                    "auto-sync with {} at {addr}: {e}",
                                    peer.fingerprint()
                                ),
                            }
                        }
                    }
                }
                tokio::time::sleep(interval).await;
            }
        });
        Ok(DiscoveryTask { handle })
    }

    /// Whether peers found on the local network are synced with
    /// automatically (off until the user allows it).
    pub fn set_auto_sync(&self, on: bool) {
        self.inner.auto_sync.store(on, Ordering::Relaxed);
    }

    /// Team peers seen on the local network at the last look.
    pub fn nearby_peers(&self) -> Vec<(DeviceId, Vec<SocketAddr>)> {
        self.inner
            .nearby
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Stops the endpoint and waits for connections to close.
    pub async fn shutdown(&self) {
        self.close_relay().await;
        self.endpoint.close();
        let _ = tokio::time::timeout(Duration::from_secs(3), self.endpoint.wait_idle()).await;
    }
}
