//! Sync from the apps: starting and stopping the node, joining a team with
//! a ticket, tickets, syncing with a ticket or a known peer, discovered
//! peers, auto-sync, and sync events through a foreign [`SyncListener`].
//! Everything here that touches the network is async and runs on the
//! library's runtime.

use std::sync::Arc;
use std::time::Duration;

use deko_core::net::relay::RelaySettings as CoreRelay;
use deko_core::net::{SyncEvent, Via};
use deko_core::node::{Listener, Node};

use crate::convert;
use crate::database::{Database, State, lock};
use crate::discovery::{DiscoveryPlatform, PlatformBackend};
use crate::error::{DekoError, Result};
use crate::runtime;
use crate::types::{InviteOptions, SyncStats};

/// Implemented by the app: progress and outcome of sync sessions (called
/// from the library's threads; must not throw, should return quickly).
#[uniffi::export(foreign)]
pub trait SyncListener: Send + Sync {
    /// A session with `peer` (base32 device id) began, reached `via` a
    /// direct connection or the relay; `initiator` when this device opened it.
    fn on_started(&self, peer: String, via: SyncVia, initiator: bool);
    /// Records moved (about every 1,000 records).
    fn on_progress(&self, peer: String, stats: SyncStats);
    /// The session completed.
    fn on_done(&self, peer: String, stats: SyncStats);
    /// The session failed; `peer` is null if the handshake failed.
    fn on_error(&self, peer: Option<String>, message: String);
}

/// How sync runs on this device. New settings arrive as new fields with
/// defaults, so callers written today keep compiling.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SyncSettings {
    /// Where to listen for peers (`ip:port`; port 0 picks a free one,
    /// `0.0.0.0:0` listens on every interface).
    pub listen: String,
    /// The relay this device registers with and falls back to when no
    /// direct address of a peer answers; null for none (a join ticket's
    /// relay is then adopted after joining).
    #[uniffi(default = None)]
    pub relay: Option<RelaySettings>,
}

/// A relay and the team's token for it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct RelaySettings {
    /// The relay's address: `ip:port`, `[v6]:port` or `host:port`.
    pub address: String,
    /// The team's relay token as lowercase base32 without padding (read
    /// case-insensitively; 1 to 32 bytes), the form `relay()` returns for a
    /// token adopted from a ticket; null if the relay wants none.
    #[uniffi(default = None)]
    pub token: Option<String>,
}

/// How a sync session reached the peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SyncVia {
    /// A direct connection (local network or a reachable address).
    Direct,
    /// Through the relay (end-to-end encrypted; the relay sees no data).
    Relay,
}

impl From<Via> for SyncVia {
    fn from(v: Via) -> Self {
        match v {
            Via::Direct => SyncVia::Direct,
            Via::Relay => SyncVia::Relay,
        }
    }
}

impl RelaySettings {
    fn to_core(&self) -> Result<CoreRelay> {
        Ok(CoreRelay::parse(&self.address, self.token.as_deref())?)
    }

    fn from_core(s: &CoreRelay) -> Self {
        RelaySettings {
            address: s.relay_text(),
            token: s.token_text(),
        }
    }
}

/// The core's relay settings of `settings`, parsed before anything starts.
fn core_relay(settings: &SyncSettings) -> Result<Option<CoreRelay>> {
    settings.relay.as_ref().map(|r| r.to_core()).transpose()
}

/// A team device seen on the local network.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NearbyPeer {
    /// The device (base32 key).
    pub device: String,
    /// Its short fingerprint.
    pub fingerprint: String,
    /// Where it listens (`ip:port`).
    pub addrs: Vec<String>,
}

fn deliver(listeners: &[Arc<dyn SyncListener>], event: &SyncEvent) {
    for l in listeners {
        match event {
            SyncEvent::Started {
                peer,
                via,
                initiator,
            } => l.on_started(peer.to_string(), (*via).into(), *initiator),
            SyncEvent::Progress { peer, stats } => {
                l.on_progress(peer.to_string(), stats.clone().into())
            }
            SyncEvent::Finished { peer, stats } => {
                l.on_done(peer.to_string(), stats.clone().into())
            }
            SyncEvent::Failed { peer, error } => {
                l.on_error(peer.map(|p| p.to_string()), error.clone())
            }
        }
    }
}

impl Database {
    /// A core listener forwarding to the app's listeners.
    fn forwarder(&self) -> Listener {
        let listeners = self.listeners.clone();
        Arc::new(move |event: &SyncEvent| {
            let now = lock(&listeners).clone();
            deliver(&now, event);
        })
    }

    /// The running node, waiting (on the blocking pool) for a start or stop
    /// under way.
    async fn running_node(self: &Arc<Self>) -> Result<Arc<Node>> {
        let this = self.clone();
        runtime::run_blocking(move || this.node()).await
    }

    /// Hands the CRM to a node made by `start`; if that fails, the database
    /// is opened again and the error returned.
    async fn become_node<F, Fut, T>(self: Arc<Self>, start: F) -> Result<T>
    where
        F: FnOnce(deko_core::model::Crm) -> Fut,
        Fut: std::future::Future<Output = deko_core::Result<(Node, T)>>,
    {
        // Waiting for another transition blocks: do it on the blocking pool.
        let this = self.clone();
        let crm = runtime::run_blocking(move || this.take_crm()).await?;
        match start(crm).await {
            Ok((node, out)) => {
                self.settle(State::Running(Arc::new(node)));
                Ok(out)
            }
            Err(e) => {
                self.settle(tokio::task::block_in_place(|| self.reopen()));
                Err(e.into())
            }
        }
    }
}

#[uniffi::export]
impl Database {
    /// Starts sync with `settings` and returns the address it listens on.
    /// The database must belong to a team.
    pub async fn start_sync(self: Arc<Self>, settings: SyncSettings) -> Result<String> {
        let listen = convert::addr(&settings.listen)?;
        let relay = core_relay(&settings)?;
        runtime::run(async move {
            let forward = self.forwarder();
            self.clone()
                .become_node(|crm| async move {
                    let node = Node::start(crm, listen).await?;
                    node.subscribe(forward);
                    node.set_relay(relay)?;
                    let addr = node.local_addr()?;
                    Ok((node, addr.to_string()))
                })
                .await
        })
        .await
    }

    /// Joins a team with a ticket carrying an invite: this (empty) database
    /// takes the ticket's team, starts sync with `settings`, is admitted by
    /// the inviting device and receives the whole database. Sync stays
    /// running. On failure the database is as before (except that it now
    /// expects the ticket's team: retry with another ticket of that team).
    pub async fn join(
        self: Arc<Self>,
        ticket: String,
        person_name: String,
        settings: SyncSettings,
    ) -> Result<SyncStats> {
        let listen = convert::addr(&settings.listen)?;
        let relay = core_relay(&settings)?;
        runtime::run(async move {
            let forward = self.forwarder();
            self.clone()
                .become_node(|crm| async move {
                    let (node, stats) =
                        Node::join_via(crm, &ticket, &person_name, listen, Some(forward), relay)
                            .await?;
                    Ok((node, stats.into()))
                })
                .await
        })
        .await
    }

    /// Stops sync (discovery too): closes the endpoint, waits briefly for
    /// sessions to end, and keeps the database open for CRM calls.
    pub async fn stop_sync(self: Arc<Self>) -> Result<()> {
        runtime::run(async move {
            lock(&self.discovery).take();
            let this = self.clone();
            let Some(node) = runtime::run_blocking(move || Ok(this.take_node())).await? else {
                return Ok(());
            };
            node.shutdown().await;
            drop(node);
            self.settle(tokio::task::block_in_place(|| self.reopen()));
            Ok(())
        })
        .await
    }

    /// Whether sync is running.
    pub fn sync_running(&self) -> bool {
        self.node().is_ok()
    }

    /// Where sync listens (`ip:port`).
    pub fn local_addr(&self) -> Result<String> {
        Ok(self.node()?.local_addr()?.to_string())
    }

    /// A ticket (`DEKO:...`, for a QR code or NFC) to reach this device at
    /// `addrs` (`ip:port` each, the addresses peers can use); with `invite`,
    /// a one-time invite so a new device can join (admins only).
    pub fn ticket(&self, addrs: Vec<String>, invite: Option<InviteOptions>) -> Result<String> {
        let node = self.node()?;
        let addrs = addrs
            .iter()
            .map(|a| convert::addr(a))
            .collect::<Result<Vec<_>>>()?;
        let invite = invite.map(|i| (i.role.into(), Duration::from_secs(i.ttl_s)));
        Ok(node.ticket(addrs, invite)?.to_uri()?)
    }

    /// One sync session with the device a ticket names.
    pub async fn sync_with_ticket(self: Arc<Self>, ticket: String) -> Result<SyncStats> {
        let node = self.running_node().await?;
        runtime::run(async move { Ok(node.sync_ticket(&ticket).await?.into()) }).await
    }

    /// One sync session with a known team device (`device` base32, from
    /// the roster or [`Database::nearby_peers`]) at `addr` (`ip:port`).
    pub async fn sync_with_peer(
        self: Arc<Self>,
        device: String,
        addr: String,
    ) -> Result<SyncStats> {
        let device = convert::device(&device)?;
        let node = self.running_node().await?;
        let addr = convert::addr(&addr)?;
        runtime::run(async move { Ok(node.sync_with(addr, device).await?.into()) }).await
    }

    /// Changes this device's relay while sync runs (null stops using one):
    /// the device registers with it, answers sessions peers open through
    /// it, falls back to it when no direct address answers, and names it in
    /// the tickets it makes. A refusal by the relay (another team, a wrong
    /// token, full) arrives with the sync that needed it.
    pub async fn set_relay(self: Arc<Self>, relay: Option<RelaySettings>) -> Result<()> {
        let relay = relay.map(|r| r.to_core()).transpose()?;
        let node = self.running_node().await?;
        runtime::run(async move { Ok(node.set_relay(relay)?) }).await
    }

    /// The relay this device uses (set in the settings, by `set_relay`, or
    /// adopted from a join ticket), or null.
    pub fn relay(&self) -> Result<Option<RelaySettings>> {
        Ok(self
            .node()?
            .relay_settings()
            .as_ref()
            .map(RelaySettings::from_core))
    }

    /// Registers a listener for sync events (every session, joins included).
    pub fn add_sync_listener(&self, listener: Arc<dyn SyncListener>) {
        lock(&self.listeners).push(listener);
    }

    /// Removes every sync listener.
    pub fn clear_sync_listeners(&self) {
        lock(&self.listeners).clear();
    }

    /// Announces this device on the local network and looks for team peers
    /// every `interval_ms`, through the app's `platform` discovery
    /// (NsdManager, NWBrowser) or, when null, the library's own mDNS (only
    /// in builds with the `mdns` feature, for desktops; the phones' library
    /// has none and refuses null with a discovery error).
    /// Replaces an earlier discovery; stops with [`Database::stop_discovery`]
    /// or [`Database::stop_sync`].
    pub fn start_discovery(
        &self,
        platform: Option<Arc<dyn DiscoveryPlatform>>,
        interval_ms: u64,
    ) -> Result<()> {
        let node = self.node()?;
        if interval_ms == 0 {
            return Err(DekoError::from(deko_core::Error::invalid(
                "the discovery interval must be longer than 0 ms",
            )));
        }
        let backend: Box<dyn deko_core::net::discovery::DiscoveryBackend> = match platform {
            Some(p) => Box::new(PlatformBackend::new(p)),
            #[cfg(feature = "mdns")]
            None => Box::new(deko_core::net::discovery::MdnsBackend::new(None)?),
            #[cfg(not(feature = "mdns"))]
            None => {
                return Err(DekoError::from(deko_core::Error::Discovery(
                    "this build of the library has no mDNS of its own: pass the platform's discovery"
                        .into(),
                )));
            }
        };
        let _entered = runtime::handle().enter();
        let task = node.start_discovery(backend, Duration::from_millis(interval_ms))?;
        *lock(&self.discovery) = Some(task);
        Ok(())
    }

    /// Stops announcing and looking.
    pub fn stop_discovery(&self) {
        lock(&self.discovery).take();
    }

    /// Team devices seen on the local network at the last look.
    pub fn nearby_peers(&self) -> Result<Vec<NearbyPeer>> {
        Ok(self
            .node()?
            .nearby_peers()
            .into_iter()
            .map(|(d, addrs)| NearbyPeer {
                device: d.to_string(),
                fingerprint: d.fingerprint(),
                addrs: convert::addr_strings(&addrs),
            })
            .collect())
    }

    /// Whether team devices found on the local network are synced with
    /// automatically (off until the user allows it).
    pub fn set_auto_sync(&self, on: bool) -> Result<()> {
        self.node()?.set_auto_sync(on);
        Ok(())
    }
}
