//! The relay server: devices connect over QUIC with their device-key
//! certificates and register for their team; a device asks for a session
//! with another registered device of its team; the relay joins the two
//! streams and forwards bytes both ways. It keeps no data: bytes pass
//! through a small buffer and are gone. The two devices run their own
//! pinned, end-to-end encrypted channel inside, so the relay sees only
//! ciphertext and can forge nothing.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::access::{Access, Denied};
use super::arrivals::Arrivals;
use super::forward::forward;
use super::limits::{Bucket, Limits};
use super::proto::{self, Incoming, MAX_CONTROL_FRAME, RelayStats, Reply, Request};
use crate::error::{Error, NetError, Result};
use crate::identity::{DeviceId, DeviceKey};
use crate::net::driver::{peer_device, read_frame, write};
use crate::net::tls;

/// Sees every chunk the relay forwards (from, to, bytes): for audits and
/// tests that show the relay only ever carries ciphertext.
pub type Observer = Arc<dyn Fn(&DeviceId, &DeviceId, &[u8]) + Send + Sync>;

/// A team the relay serves, and the token its devices must present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamAccess {
    /// The team id.
    pub team: [u8; 16],
    /// The relay token carried in the team's tickets (1 to 32 bytes), or
    /// `None` to serve the team on its id alone.
    pub token: Option<Vec<u8>>,
}

/// How a relay runs.
#[derive(Clone)]
pub struct RelayConfig {
    /// Where to listen (UDP).
    pub listen: SocketAddr,
    /// The relay's own key (its TLS identity).
    pub key: Arc<DeviceKey>,
    /// The teams it serves; every other device is refused.
    pub teams: Vec<TeamAccess>,
    /// How much it serves.
    pub limits: Limits,
    /// Optional observer of forwarded bytes.
    pub observer: Option<Observer>,
}

impl RelayConfig {
    /// A relay on `listen` with key `key`, default limits, serving no team yet.
    pub fn new(listen: SocketAddr, key: DeviceKey) -> RelayConfig {
        RelayConfig {
            listen,
            key: Arc::new(key),
            teams: Vec::new(),
            limits: Limits::default(),
            observer: None,
        }
    }
}

impl std::fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("listen", &self.listen)
            .field("key", &self.key.device_id().fingerprint())
            .field("teams", &self.teams.len())
            .field("limits", &self.limits)
            .finish()
    }
}

/// What the relay holds for one device: its connection and its budget.
pub(super) struct Usage {
    pub(super) sessions: AtomicUsize,
    pub(super) bucket: Bucket,
}

struct Registration {
    team: [u8; 16],
    /// The token it registered with (checked again when the allow list
    /// changes or a retired token's grace ends).
    token: Vec<u8>,
    conn: quinn::Connection,
    usage: Arc<Usage>,
}

pub(super) struct State {
    pub(super) config: RelayConfig,
    started: Instant,
    accepting: AtomicBool,
    pub(super) shutdown: watch::Sender<bool>,
    devices: Mutex<HashMap<DeviceId, Registration>>,
    /// The teams served and their tokens (retired ones for their grace).
    access: Mutex<Access>,
    /// Connections that have not registered yet.
    arrivals: Arc<Arrivals>,
    connections: AtomicU64,
    sessions_active: AtomicU64,
    sessions_total: AtomicU64,
    pub(super) bytes: AtomicU64,
    refusals: AtomicU64,
    pub(super) idle_closed: AtomicU64,
}

impl State {
    fn devices(&self) -> std::sync::MutexGuard<'_, HashMap<DeviceId, Registration>> {
        self.devices.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn access(&self) -> std::sync::MutexGuard<'_, Access> {
        self.access.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cuts every registered device whose token is no longer accepted.
    fn cut_refused_tokens(&self) {
        let access = self.access();
        let mut devices = self.devices();
        devices.retain(|device, r| {
            let keep = access.check(&r.team, &r.token).is_ok();
            if !keep {
                log::info!(
                    target: "deko::relay",
                    "event=cut device={} team={} reason=\"token no longer accepted\"",
                    device.fingerprint(),
                    team_tag(&r.team)
                );
                r.conn.close(
                    3u32.into(),
                    b"the relay no longer accepts this device's token",
                );
            }
            keep
        });
    }

    fn stats(&self) -> RelayStats {
        RelayStats {
            uptime_s: self.started.elapsed().as_secs(),
            accepting: self.accepting.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
            registered: self.devices().len() as u64,
            unregistered: self.arrivals.waiting() as u64,
            sessions_active: self.sessions_active.load(Ordering::Relaxed),
            sessions_total: self.sessions_total.load(Ordering::Relaxed),
            bytes_forwarded: self.bytes.load(Ordering::Relaxed),
            refusals: self.refusals.load(Ordering::Relaxed),
            idle_closed: self.idle_closed.load(Ordering::Relaxed),
        }
    }

    fn refuse(&self, device: &DeviceId, what: &str, why: String) -> Reply {
        self.refusals.fetch_add(1, Ordering::Relaxed);
        log::info!(
            target: "deko::relay",
            "event=refused device={} request={what} reason={why:?}",
            device.fingerprint()
        );
        Reply::Refused(why)
    }
}

/// Decrements a counter when dropped.
struct Count<'a>(&'a AtomicU64);

impl Drop for Count<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Gives back a device's session slot when dropped.
struct Slot(Arc<Usage>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.sessions.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A running relay. Dropping it does not stop it: call
/// [`RelayServer::shutdown`].
pub struct RelayServer {
    state: Arc<State>,
    endpoint: quinn::Endpoint,
}

fn team_tag(team: &[u8; 16]) -> String {
    data_encoding::HEXLOWER.encode(&team[..4])
}

/// Checks that every token of `teams` is 1 to 32 bytes.
fn check_teams(teams: &[TeamAccess]) -> Result<()> {
    for t in teams {
        if let Some(token) = &t.token
            && (token.is_empty() || token.len() > 32)
        {
            return Err(Error::invalid(
                "teams",
                format!(
                    "relay token of team {} must be 1 to 32 bytes",
                    team_tag(&t.team)
                ),
            ));
        }
    }
    Ok(())
}

impl RelayServer {
    /// Binds `config.listen` and serves until [`RelayServer::shutdown`].
    /// Needs a Tokio runtime.
    pub async fn bind(config: RelayConfig) -> Result<RelayServer> {
        check_teams(&config.teams)?;
        let crypto = tls::relay_server_config(&config.key)?;
        let crypto = quinn::crypto::rustls::QuicServerConfig::try_from(crypto)
            .map_err(|e| Error::Net(NetError::Setup(format!("relay server config: {e}"))))?;
        let mut server = quinn::ServerConfig::with_crypto(Arc::new(crypto));
        let mut transport = quinn::TransportConfig::default();
        transport.max_idle_timeout(Some(Duration::from_secs(30).try_into().expect("30 s fits")));
        let streams = (config.limits.max_sessions_per_device as u32)
            .saturating_mul(2)
            .saturating_add(8);
        transport.max_concurrent_bidi_streams(streams.into());
        transport.max_concurrent_uni_streams(0u32.into());
        server.transport_config(Arc::new(transport));
        let endpoint = quinn::Endpoint::server(server, config.listen).map_err(|e| {
            Error::Net(NetError::Listen {
                addr: config.listen.to_string(),
                reason: e.to_string(),
            })
        })?;
        let (shutdown, _) = watch::channel(false);
        let arrivals = Arrivals::new(
            config.limits.max_unregistered,
            config.limits.max_unregistered_per_address,
        );
        let access = Access::new(config.teams.clone());
        let state = Arc::new(State {
            config,
            started: Instant::now(),
            accepting: AtomicBool::new(true),
            shutdown,
            devices: Mutex::new(HashMap::new()),
            access: Mutex::new(access),
            arrivals,
            connections: AtomicU64::new(0),
            sessions_active: AtomicU64::new(0),
            sessions_total: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            refusals: AtomicU64::new(0),
            idle_closed: AtomicU64::new(0),
        });
        log::info!(
            target: "deko::relay",
            "event=start listen={} key={} teams={}",
            endpoint.local_addr().map(|a| a.to_string()).unwrap_or_default(),
            state.config.key.device_id().fingerprint(),
            state.access().len()
        );
        let ep = endpoint.clone();
        let st = state.clone();
        tokio::spawn(async move {
            while let Some(incoming) = ep.accept().await {
                if !st.accepting.load(Ordering::Relaxed) {
                    st.refusals.fetch_add(1, Ordering::Relaxed);
                    incoming.refuse();
                    continue;
                }
                tokio::spawn(connection(st.clone(), incoming));
            }
        });
        // Ends the grace of retired tokens (once a second is precise enough
        // for periods of minutes to days) and cuts who registered with them.
        let st = state.clone();
        let mut stop = state.shutdown.subscribe();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tokio::select! {
                    _ = stop.wait_for(|s| *s) => break,
                    _ = tick.tick() => {}
                }
                let expired = st.access().expire(Instant::now());
                if expired {
                    st.cut_refused_tokens();
                }
            }
        });
        Ok(RelayServer { state, endpoint })
    }

    /// Serves `teams` from now on (the operator's allow list changed): a
    /// token no longer on the list is still accepted for `grace` (members
    /// that have not yet synced their team's new token keep the relay),
    /// then refused, and devices registered with it are cut. A team no
    /// longer on the list at all goes the same way.
    pub fn set_teams(&self, teams: Vec<TeamAccess>, grace: Duration) -> Result<()> {
        check_teams(&teams)?;
        let n = teams.len();
        self.state.access().replace(teams, grace, Instant::now());
        log::info!(
            target: "deko::relay",
            "event=teams entries={n} grace_s={}",
            grace.as_secs()
        );
        self.state.cut_refused_tokens();
        Ok(())
    }

    /// The address the relay listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.endpoint
            .local_addr()
            .map_err(|e| Error::Net(NetError::Setup(e.to_string())))
    }

    /// The relay's key (devices may pin it).
    pub fn device_id(&self) -> DeviceId {
        self.state.config.key.device_id()
    }

    /// Counters: connections, registrations, sessions, bytes, refusals.
    pub fn stats(&self) -> RelayStats {
        self.state.stats()
    }

    /// Stops taking connections and sessions, lets running sessions finish
    /// for up to `grace`, then closes them (devices see "the relay is
    /// shutting down") and every connection. `Duration::ZERO` stops at once.
    pub async fn shutdown(&self, grace: Duration) {
        self.state.accepting.store(false, Ordering::Relaxed);
        log::info!(target: "deko::relay", "event=shutdown grace_ms={}", grace.as_millis());
        let until = Instant::now() + grace;
        while self.state.sessions_active.load(Ordering::Relaxed) > 0 && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.state.shutdown.send_replace(true);
        self.endpoint
            .close(0u32.into(), b"the relay is shutting down");
        let _ = tokio::time::timeout(Duration::from_secs(2), self.endpoint.wait_idle()).await;
        let s = self.state.stats();
        log::info!(
            target: "deko::relay",
            "event=stopped sessions_total={} bytes_forwarded={} refusals={}",
            s.sessions_total,
            s.bytes_forwarded,
            s.refusals
        );
    }
}

/// Serves one device connection: its requests, each on its own stream.
/// Until it registers it holds one of the few places for arrivals, and
/// must register within the deadline; a registered one counts among the
/// devices (bounded by `max_connections`).
async fn connection(state: Arc<State>, incoming: quinn::Incoming) {
    let remote = incoming.remote_address();
    let place = match state.arrivals.admit(remote.ip()) {
        Ok(p) => p,
        Err(why) => {
            state.refusals.fetch_add(1, Ordering::Relaxed);
            log::debug!(target: "deko::relay", "event=refused addr={remote} reason={why:?}");
            incoming.refuse();
            return;
        }
    };
    state.connections.fetch_add(1, Ordering::Relaxed);
    let _count = Count(&state.connections);
    let deadline = tokio::time::Instant::now() + state.config.limits.register_within;
    let conn = tokio::select! {
        c = incoming => match c {
            Ok(c) => c,
            Err(e) => {
                log::debug!(target: "deko::relay", "event=handshake_failed addr={remote} error={e}");
                return;
            }
        },
        () = place.evicted.notified() => return,
        () = tokio::time::sleep_until(deadline) => return,
    };
    place.handshake_done();
    let Ok(device) = peer_device(&conn) else {
        return;
    };
    log::debug!(
        target: "deko::relay",
        "event=connected device={} addr={remote}",
        device.fingerprint()
    );
    let (registered, mut is_registered) = watch::channel(false);
    let registered = Arc::new(registered);
    let flag = registered.clone();
    let requests = {
        let (state, conn) = (state.clone(), conn.clone());
        async move {
            while let Ok((send, recv)) = conn.accept_bi().await {
                tokio::spawn(request(
                    state.clone(),
                    conn.clone(),
                    device,
                    send,
                    recv,
                    registered.clone(),
                ));
            }
        }
    };
    tokio::pin!(requests);
    // Until it registers: the connection may close, register, be let go
    // for a newer arrival, or run out of time.
    // A registration wins over an eviction or the deadline that come at
    // the same moment.
    let registered_now = |why| (!*flag.borrow()).then_some(Some(why));
    let cut = tokio::select! {
        biased;
        r = is_registered.wait_for(|r| *r) => r.is_err().then_some(None),
        () = &mut requests => Some(None),
        () = place.evicted.notified() => registered_now("the relay is busy: register right after connecting"),
        () = tokio::time::sleep_until(deadline) => registered_now("register within the relay's deadline"),
    };
    match cut {
        None => {
            // Registered: no longer an arrival.
            drop(place);
            requests.await;
        }
        Some(Some(why)) => {
            log::debug!(
                target: "deko::relay",
                "event=cut device={} reason={why:?}",
                device.fingerprint()
            );
            conn.close(2u32.into(), why.as_bytes());
        }
        Some(None) => {}
    }
    let mut devices = state.devices();
    if devices
        .get(&device)
        .is_some_and(|r| r.conn.stable_id() == conn.stable_id())
    {
        devices.remove(&device);
        log::info!(
            target: "deko::relay",
            "event=unregistered device={}",
            device.fingerprint()
        );
    }
}

/// Answers one request; a granted `Connect` goes on to forward the session.
/// A refused registration closes the connection.
async fn request(
    state: Arc<State>,
    conn: quinn::Connection,
    device: DeviceId,
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    registered: Arc<watch::Sender<bool>>,
) {
    let frame = tokio::time::timeout(
        Duration::from_secs(10),
        read_frame(&mut recv, MAX_CONTROL_FRAME),
    )
    .await;
    let req: Request = match frame {
        Ok(Ok(bytes)) => match proto::decode(&bytes) {
            Ok(r) => r,
            Err(e) => {
                let reply = state.refuse(&device, "malformed", e.to_string());
                let _ = write(&mut send, &proto::encode(&reply)).await;
                let _ = send.finish();
                return;
            }
        },
        _ => return,
    };
    let reply = match &req {
        Request::Health => Reply::Health(state.stats()),
        _ if !state.accepting.load(Ordering::Relaxed) => {
            state.refuse(&device, "connect", "the relay is shutting down".into())
        }
        Request::Register { team, token } => {
            let reply = register(&state, &conn, device, team, token);
            if matches!(reply, Reply::Registered) {
                registered.send_replace(true);
            }
            reply
        }
        Request::Connect { peer } => {
            return connect(state, device, DeviceId(*peer), send, recv).await;
        }
    };
    let cut = matches!(
        (&req, &reply),
        (Request::Register { .. }, Reply::Refused(_))
    );
    let _ = write(&mut send, &proto::encode(&reply)).await;
    let _ = send.finish();
    if cut {
        // Let the refusal reach the device, then end the connection: a
        // device the relay will not serve holds no place.
        let _ = tokio::time::timeout(Duration::from_secs(2), send.stopped()).await;
        conn.close(1u32.into(), b"registration refused");
    }
}

fn register(
    state: &State,
    conn: &quinn::Connection,
    device: DeviceId,
    team: &[u8; 16],
    token: &[u8],
) -> Reply {
    // Held until the device is in the table, so a change of the allow list
    // cannot slip between the check and the registration (lock order:
    // access, then devices).
    let access = state.access();
    let why = match access.check(team, token) {
        Ok(()) => None,
        Err(Denied::UnknownTeam) => {
            Some(format!("this relay does not serve team {}", team_tag(team)))
        }
        Err(Denied::NoToken) => Some(format!(
            "team {} needs a relay token and this device presented none",
            team_tag(team)
        )),
        Err(Denied::WrongToken) => Some(format!("wrong relay token for team {}", team_tag(team))),
    };
    if let Some(why) = why {
        return state.refuse(&device, "register", why);
    }
    let mut devices = state.devices();
    let max = state.config.limits.max_connections;
    if devices.len() >= max && !devices.contains_key(&device) {
        return state.refuse(
            &device,
            "register",
            format!("the relay is full: it serves at most {max} devices at once"),
        );
    }
    let usage = match devices.get(&device) {
        Some(r) => r.usage.clone(),
        None => Arc::new(Usage {
            sessions: AtomicUsize::new(0),
            bucket: Bucket::new(state.config.limits.bytes_per_second_per_device),
        }),
    };
    devices.insert(
        device,
        Registration {
            team: *team,
            token: token.to_vec(),
            conn: conn.clone(),
            usage,
        },
    );
    log::info!(
        target: "deko::relay",
        "event=registered device={} team={} addr={}",
        device.fingerprint(),
        team_tag(team),
        conn.remote_address()
    );
    Reply::Registered
}

/// Takes a session slot of `usage` if the limit allows.
fn take_slot(usage: &Arc<Usage>, max: usize) -> Option<Slot> {
    let mut n = usage.sessions.load(Ordering::Relaxed);
    loop {
        if n >= max {
            return None;
        }
        match usage
            .sessions
            .compare_exchange(n, n + 1, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => return Some(Slot(usage.clone())),
            Err(now) => n = now,
        }
    }
}

async fn connect(
    state: Arc<State>,
    device: DeviceId,
    peer: DeviceId,
    mut send: quinn::SendStream,
    recv: quinn::RecvStream,
) {
    match join(&state, device, peer).await {
        Ok((slots, peer_conn, peer_send, peer_recv)) => {
            if write(&mut send, &proto::encode(&Reply::Connected))
                .await
                .is_err()
            {
                return;
            }
            state.sessions_total.fetch_add(1, Ordering::Relaxed);
            state.sessions_active.fetch_add(1, Ordering::Relaxed);
            let _active = Count(&state.sessions_active);
            log::info!(
                target: "deko::relay",
                "event=session_start from={} to={}",
                device.fingerprint(),
                peer.fingerprint()
            );
            let usage = (slots.0.0.clone(), slots.1.0.clone());
            let (end, bytes) = forward(
                &state,
                (device, send, recv, usage.0),
                (peer, peer_send, peer_recv, usage.1),
            )
            .await;
            drop(peer_conn);
            log::info!(
                target: "deko::relay",
                "event=session_end from={} to={} end={end:?} bytes={bytes}",
                device.fingerprint(),
                peer.fingerprint()
            );
        }
        Err(why) => {
            let reply = state.refuse(&device, "connect", why);
            let _ = write(&mut send, &proto::encode(&reply)).await;
            let _ = send.finish();
        }
    }
}

type Joined = (
    (Slot, Slot),
    quinn::Connection,
    quinn::SendStream,
    quinn::RecvStream,
);

/// Checks the request against registrations and limits and opens the
/// stream to the peer.
async fn join(
    state: &State,
    device: DeviceId,
    peer: DeviceId,
) -> std::result::Result<Joined, String> {
    let max = state.config.limits.max_sessions_per_device;
    let (mine, theirs, peer_conn) = {
        let devices = state.devices();
        let Some(me) = devices.get(&device) else {
            return Err("register with the relay before asking for a session".into());
        };
        if peer == device {
            return Err("a device cannot open a relayed session with itself".into());
        }
        let Some(them) = devices.get(&peer).filter(|r| r.team == me.team) else {
            return Err(format!(
                "device {} is not connected to this relay",
                peer.fingerprint()
            ));
        };
        (me.usage.clone(), them.usage.clone(), them.conn.clone())
    };
    let Some(my_slot) = take_slot(&mine, max) else {
        return Err(format!(
            "this device already has {max} sessions through the relay (its limit)"
        ));
    };
    let Some(their_slot) = take_slot(&theirs, max) else {
        return Err(format!(
            "device {} already has {max} sessions through the relay (its limit)",
            peer.fingerprint()
        ));
    };
    let opened = tokio::time::timeout(Duration::from_secs(5), async {
        let (mut s, r) = peer_conn.open_bi().await.map_err(|e| e.to_string())?;
        write(&mut s, &proto::encode(&Incoming { from: device.0 }))
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((s, r))
    })
    .await;
    match opened {
        Ok(Ok((s, r))) => Ok(((my_slot, their_slot), peer_conn, s, r)),
        Ok(Err(e)) => Err(format!("cannot reach device {}: {e}", peer.fingerprint())),
        Err(_) => Err(format!(
            "device {} did not answer the relay in time",
            peer.fingerprint()
        )),
    }
}
