//! Sync from the apps: starting and stopping the node, joining a team with
//! a ticket, tickets, syncing (every known peer, a device, an address, a
//! ticket), discovered peers, auto-sync, and sync events through a foreign
//! [`SyncListener`]. Each call is one call of the core's `Node` (which
//! tries addresses, falls back to the relay, remembers peers, retries);
//! this file only translates. Everything here that touches the network is
//! async and runs on the library's runtime.

use std::sync::Arc;
use std::time::Duration;

use deko_core::ErrorKind;
#[cfg(not(feature = "mdns"))]
use deko_core::net::NetError;
use deko_core::net::relay::RelaySettings as CoreRelay;
use deko_core::net::{SyncEvent, Via};
use deko_core::node::{self as core, JoinOptions, Listener, Node, SyncOptions};
use deko_core::sync::SessionStats;

use crate::convert;
use crate::database::{Database, State, lock};
use crate::discovery::{DiscoveryPlatform, PlatformBackend};
use crate::error::{DekoError, Result};
use crate::runtime;
use crate::types::InviteOptions;

/// Implemented by the app: progress and outcome of sync sessions (called
/// from the library's threads; should return quickly). Each method returns
/// a `Result` so that what the app's code throws only loses that event
/// (logged) instead of panicking inside the session that reported it.
#[uniffi::export(foreign)]
pub trait SyncListener: Send + Sync {
    /// A session with `peer` (base32 device id) began, reached `via` a
    /// direct connection or the relay; `initiator` when this device opened it.
    fn on_started(&self, peer: String, via: Via, initiator: bool) -> Result<(), DekoError>;
    /// Records moved (once a batch, about every 4,000 records).
    fn on_progress(&self, peer: String, stats: SessionStats) -> Result<(), DekoError>;
    /// The session completed; `stats` lists the records this device
    /// refused, with their reasons.
    fn on_done(&self, peer: String, stats: SessionStats) -> Result<(), DekoError>;
    /// After a large transfer (a first sync), the lists, search and caller
    /// lookup catching up with what arrived: `done` of `total` entities.
    /// Comes after `on_done`; the sync or join call returns once `done`
    /// reaches `total`.
    fn on_views(&self, done: u64, total: u64) -> Result<(), DekoError>;
    /// The session failed; `peer` is null if the handshake failed.
    /// `kind` names the failure for a sentence in the app's language (as
    /// `DekoError`'s kinds); `reason` is a refusing peer's or relay's own
    /// words; `message` the core's English sentence.
    fn on_error(
        &self,
        peer: Option<String>,
        message: String,
        kind: ErrorKind,
        reason: Option<String>,
    ) -> Result<(), DekoError>;
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

/// Whom to sync with.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SyncTarget {
    /// Every team device this device knows an address of; with a relay,
    /// every other team device too.
    AllKnown,
    /// One team device (base32 key): its remembered addresses, then the
    /// relay.
    Device {
        /// The device.
        device: String,
    },
    /// Whoever answers at `addr` (`ip:port`); with `device`, that device
    /// (then through the relay), else any team device, directly only.
    Address {
        /// The address.
        addr: String,
        /// The device expected there (base32 key), if known.
        device: Option<String>,
    },
    /// The device a ticket (`DEKO:...`) names: its addresses, then its
    /// relay (or this device's).
    Ticket {
        /// The ticket.
        ticket: String,
    },
}

impl SyncTarget {
    fn to_core(&self) -> Result<core::SyncTarget> {
        Ok(match self {
            SyncTarget::AllKnown => core::SyncTarget::AllKnown,
            SyncTarget::Device { device } => core::SyncTarget::Device(convert::device(device)?),
            SyncTarget::Address { addr, device } => core::SyncTarget::Address {
                addrs: vec![convert::addr("addr", addr)?],
                device: device.as_deref().map(convert::device).transpose()?,
            },
            SyncTarget::Ticket { ticket } => core::SyncTarget::Ticket(ticket.clone()),
        })
    }
}

/// What became of one peer in a sync.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct PeerSync {
    /// The peer (base32 key).
    pub device: String,
    /// Its short fingerprint.
    pub fingerprint: String,
    /// The last address tried directly (where it answered, when direct);
    /// null when the relay was tried last.
    pub addr: Option<String>,
    /// The relay tried after the addresses (`host:port`), if any.
    pub relay: Option<String>,
    /// How the session reached the peer, if it started.
    pub via: Option<Via>,
    /// The session's counters when it completed (refused records included).
    pub stats: Option<SessionStats>,
    /// Why no session completed (the core's message), or null.
    pub error: Option<String>,
    /// The kind of that failure, for a sentence in the app's language.
    pub error_kind: Option<ErrorKind>,
    /// For a refusal, the peer's or the relay's own words.
    pub error_reason: Option<String>,
}

impl From<core::SyncOutcome> for PeerSync {
    fn from(o: core::SyncOutcome) -> Self {
        let (stats, error, error_kind, error_reason) = match o.result {
            Ok(s) => (Some(s), None, None, None),
            Err(e) => (
                None,
                Some(e.to_string()),
                Some(e.kind()),
                e.reason().map(str::to_string),
            ),
        };
        PeerSync {
            device: o.device.to_string(),
            fingerprint: o.device.fingerprint(),
            addr: o.addr.map(|a| a.to_string()),
            relay: o.relay.map(|r| r.relay_text()),
            via: o.via,
            stats,
            error,
            error_kind,
            error_reason,
        }
    }
}

/// Every peer a sync tried, in order.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// One per peer.
    pub sessions: Vec<PeerSync>,
}

fn deliver(listeners: &[Arc<dyn SyncListener>], event: &SyncEvent) {
    for l in listeners {
        let delivered = match event {
            SyncEvent::Started {
                peer,
                via,
                initiator,
            } => l.on_started(peer.to_string(), *via, *initiator),
            SyncEvent::Progress { peer, stats } => l.on_progress(peer.to_string(), stats.clone()),
            SyncEvent::Finished { peer, stats } => l.on_done(peer.to_string(), stats.clone()),
            SyncEvent::Views { done, total } => l.on_views(*done, *total),
            SyncEvent::Failed {
                peer,
                error,
                kind,
                reason,
            } => l.on_error(
                peer.map(|p| p.to_string()),
                error.clone(),
                *kind,
                reason.clone(),
            ),
        };
        if let Err(e) = delivered {
            log::warn!("an app's sync listener failed on an event: {e}");
        }
    }
}

impl Database {
    /// A sync with one peer: its counters, or its error.
    async fn sync_one(self: Arc<Self>, target: core::SyncTarget) -> Result<SessionStats> {
        let node = self.running_node().await?;
        runtime::run(async move {
            let report = node.sync(target, &SyncOptions::default()).await?;
            Ok(report.into_stats()?)
        })
        .await
    }

    /// A core listener forwarding to the app's listeners.
    /// Also lets the node follow a new token of the team's relay that a
    /// session a peer opened brought (syncs this device starts do so
    /// themselves).
    fn forwarder(self: &Arc<Self>) -> Listener {
        let listeners = self.listeners.clone();
        let db = Arc::downgrade(self);
        Arc::new(move |event: &SyncEvent| {
            let now = lock(&listeners).clone();
            deliver(&now, event);
            if matches!(event, SyncEvent::Finished { stats, .. } if stats.applied > 0) {
                let db = db.clone();
                // Not here: the session may still hold what the node needs.
                runtime::handle().spawn_blocking(move || {
                    if let Some(node) = db.upgrade().and_then(|d| d.node().ok()) {
                        node.follow_team_relay();
                    }
                });
            }
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
        let transition = self.transition();
        match start(crm).await {
            Ok((node, out)) => {
                transition.settle(State::Running(Arc::new(node)));
                Ok(out)
            }
            Err(e) => {
                transition.settle(tokio::task::block_in_place(|| self.reopen()));
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
        let listen = convert::addr("listen", &settings.listen)?;
        let relay = core_relay(&settings)?;
        runtime::run(async move {
            let forward = self.forwarder();
            self.clone()
                .become_node(|crm| async move {
                    // The team's relay when the app named none or the same
                    // one (its token is the team's newest).
                    let team = core::team_relay(&crm)?;
                    let node = Node::start(crm, listen).await?;
                    node.subscribe(forward);
                    node.set_relay(core::effective_relay(relay, team))?;
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
    ) -> Result<SessionStats> {
        let listen = convert::addr("listen", &settings.listen)?;
        let relay = core_relay(&settings)?;
        runtime::run(async move {
            let forward = self.forwarder();
            self.clone()
                .become_node(|crm| async move {
                    let options = JoinOptions {
                        listen,
                        relay,
                        listener: Some(forward),
                        ..JoinOptions::new(person_name)
                    };
                    let (node, joined) = Node::join(crm, &ticket, options).await?;
                    Ok((node, joined.stats))
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
            let transition = self.transition();
            node.shutdown().await;
            drop(node);
            transition.settle(tokio::task::block_in_place(|| self.reopen()));
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
            .map(|a| convert::addr("addrs", a))
            .collect::<Result<Vec<_>>>()?;
        let invite = invite.map(|i| (i.role, Duration::from_secs(i.ttl_s)));
        Ok(node.ticket(addrs, invite)?.to_uri()?)
    }

    /// Syncs with `target`, one peer after the other: each peer's
    /// addresses (each given a few seconds when a relay can take over),
    /// then the relay; where a peer answered is remembered. Throws only
    /// when the target cannot be used (a bad ticket, no known peer or
    /// address); each peer's outcome is in the report.
    pub async fn sync(self: Arc<Self>, target: SyncTarget) -> Result<SyncReport> {
        let target = target.to_core()?;
        let node = self.running_node().await?;
        runtime::run(async move {
            let report = node.sync(target, &SyncOptions::default()).await?;
            Ok(SyncReport {
                sessions: report.outcomes.into_iter().map(Into::into).collect(),
            })
        })
        .await
    }

    /// One sync session with the device a ticket names (`sync` with
    /// `SyncTarget.Ticket`, throwing that peer's error).
    pub async fn sync_with_ticket(self: Arc<Self>, ticket: String) -> Result<SessionStats> {
        self.sync_one(core::SyncTarget::Ticket(ticket)).await
    }

    /// One sync session with a known team device (`device` base32, from
    /// the roster or [`Database::nearby_peers`]) at `addr` (`ip:port`),
    /// then through the relay (`sync` with `SyncTarget.Address`, throwing
    /// that peer's error).
    pub async fn sync_with_peer(
        self: Arc<Self>,
        device: String,
        addr: String,
    ) -> Result<SessionStats> {
        let target = core::SyncTarget::at(convert::addr("addr", &addr)?, convert::device(&device)?);
        self.sync_one(target).await
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
                "interval_ms",
                "the discovery interval must be longer than 0 ms",
            )));
        }
        let backend: Box<dyn deko_core::net::discovery::DiscoveryBackend> = match platform {
            Some(p) => Box::new(PlatformBackend::new(p)),
            #[cfg(feature = "mdns")]
            None => Box::new(deko_core::net::discovery::MdnsBackend::new(None)?),
            #[cfg(not(feature = "mdns"))]
            None => {
                return Err(DekoError::from(deko_core::Error::Net(NetError::Discovery(
                    "this build of the library has no mDNS of its own: pass the platform's discovery"
                        .into(),
                ))));
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
