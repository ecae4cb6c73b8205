//! The device side of the relay: keep (or open on demand) a registration
//! with the relay named in the settings or a ticket, open relayed sessions
//! to peers and answer the ones peers open, each through the end-to-end
//! channel of [`super::e2e`] and then the unchanged sync session.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::e2e;
use super::proto::{self, Incoming, MAX_CONTROL_FRAME, RelayStats, Reply, Request};
use crate::error::{Error, NetError, Result, SyncError};
use crate::identity::{DeviceId, DeviceKey};
use crate::net::driver::{self, read_frame, write};
use crate::net::ticket::{Relay, Ticket};
use crate::net::{Endpoint, Host, JoinRequest, SyncEvent, Via, tls};
use crate::sync::SessionStats;

/// The name devices ask for when connecting to a relay (its identity is its key).
/// The TLS server name devices use towards a relay (its key, not a name,
/// is what is checked).
pub const RELAY_NAME: &str = "relay.deko.invalid";
/// Longest wait for the relay to answer a connection or a request.
const RELAY_TIMEOUT: Duration = Duration::from_secs(10);

/// Which relay a device uses, and the token that lets its team in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelaySettings {
    /// The relay's address or host name.
    pub relay: Relay,
    /// The team's relay token (1 to 32 bytes), if the relay wants one.
    pub token: Option<Vec<u8>>,
}

impl RelaySettings {
    /// A relay at a fixed address.
    pub fn new(addr: SocketAddr, token: Option<Vec<u8>>) -> RelaySettings {
        RelaySettings {
            relay: Relay::Addr(addr),
            token,
        }
    }

    /// The relay a ticket names, if any.
    pub fn from_ticket(ticket: &Ticket) -> Option<RelaySettings> {
        ticket.relay.clone().map(|relay| RelaySettings {
            relay,
            token: ticket.relay_token.clone(),
        })
    }

    /// Resolves the relay's socket address (DNS for a host name).
    pub async fn resolve(&self) -> Result<SocketAddr> {
        match &self.relay {
            Relay::Addr(a) => Ok(*a),
            Relay::Host { host, port } => tokio::net::lookup_host((host.as_str(), *port))
                .await
                .map_err(|e| {
                    Error::Net(NetError::Unreachable(format!(
                        "cannot resolve relay {host}: {e}"
                    )))
                })?
                .next()
                .ok_or_else(|| {
                    Error::Net(NetError::Unreachable(format!(
                        "relay {host} has no address"
                    )))
                }),
        }
    }
}

/// One relayed stream, joined by the relay with a stream of the peer.
/// Bytes pass unchanged; a reset by the relay reads as an error naming why
/// (idle, shutting down, the other device gone).
pub struct RelayStream {
    send: quinn::SendStream,
    recv: quinn::RecvStream,
}

fn explain(e: io::Error) -> io::Error {
    let lost = e
        .get_ref()
        .and_then(|inner| match inner.downcast_ref::<quinn::ReadError>() {
            Some(quinn::ReadError::ConnectionLost(c)) => Some(c.clone()),
            _ => match inner.downcast_ref::<quinn::WriteError>() {
                Some(quinn::WriteError::ConnectionLost(c)) => Some(c.clone()),
                _ => None,
            },
        });
    if let Some(quinn::ConnectionError::ApplicationClosed(close)) = lost {
        return io::Error::new(
            e.kind(),
            format!(
                "the relay closed the connection: {}",
                String::from_utf8_lossy(&close.reason)
            ),
        );
    }
    let code = e.get_ref().and_then(|inner| {
        if let Some(quinn::ReadError::Reset(code)) = inner.downcast_ref::<quinn::ReadError>() {
            Some(code.into_inner())
        } else if let Some(quinn::WriteError::Stopped(code)) =
            inner.downcast_ref::<quinn::WriteError>()
        {
            Some(code.into_inner())
        } else {
            None
        }
    });
    match code {
        Some(code) => io::Error::new(e.kind(), proto::reset_reason(code)),
        None => e,
    }
}

impl AsyncRead for RelayStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.recv).poll_read(cx, buf).map_err(explain)
    }
}

impl AsyncWrite for RelayStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        AsyncWrite::poll_write(Pin::new(&mut self.send), cx, buf).map_err(explain)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.send).poll_flush(cx).map_err(explain)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.send).poll_shutdown(cx).map_err(explain)
    }
}

/// Connects to the relay at `addr` as `key` (no registration yet).
async fn dial(
    endpoint: &quinn::Endpoint,
    key: &DeviceKey,
    addr: SocketAddr,
) -> Result<quinn::Connection> {
    let crypto = tls::relay_client_config(key, None)?;
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(crypto)
        .map_err(|e| Error::Net(NetError::Setup(format!("relay client config: {e}"))))?;
    let mut cfg = quinn::ClientConfig::new(Arc::new(crypto));
    cfg.transport_config(Arc::new(crate::net::transport()));
    let connecting = endpoint.connect_with(cfg, addr, RELAY_NAME).map_err(|e| {
        Error::Net(NetError::Unreachable(format!(
            "cannot connect to the relay at {addr}: {e}"
        )))
    })?;
    tokio::time::timeout(RELAY_TIMEOUT, connecting)
        .await
        .map_err(|_| {
            Error::Net(NetError::Unreachable(format!(
                "the relay at {addr} did not answer"
            )))
        })?
        .map_err(|e| {
            Error::Net(NetError::connecting(
                &format!("connecting to the relay at {addr}"),
                &e,
            ))
        })
}

/// Sends one request on a new stream and reads the relay's reply.
async fn request(
    conn: &quinn::Connection,
    req: &Request,
) -> Result<(quinn::SendStream, quinn::RecvStream, Reply)> {
    let (mut send, mut recv) = conn
        .open_bi()
        .await
        .map_err(|e| Error::Net(NetError::Lost(format!("relay connection: {e}"))))?;
    write(&mut send, &proto::encode(req)).await?;
    let reply = tokio::time::timeout(RELAY_TIMEOUT, read_frame(&mut recv, MAX_CONTROL_FRAME))
        .await
        .map_err(|_| {
            Error::Net(NetError::TimedOut(
                "the relay did not answer in time".into(),
            ))
        })??;
    Ok((send, recv, proto::decode(&reply)?))
}

fn refused(why: String) -> Error {
    NetError::RelayRefused(why.to_string()).into()
}

/// Asks the relay at `addr` how it is doing (for operators and scripts):
/// a throwaway key, no registration needed.
pub async fn relay_health(addr: SocketAddr) -> Result<RelayStats> {
    let key = DeviceKey::generate()?;
    let bind: SocketAddr = if addr.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let endpoint = quinn::Endpoint::client(bind)
        .map_err(|e| Error::Net(NetError::Setup(format!("cannot open a socket: {e}"))))?;
    let result = async {
        let conn = dial(&endpoint, &key, addr).await?;
        let (_, _, reply) = request(&conn, &Request::Health).await?;
        conn.close(0u32.into(), b"done");
        match reply {
            Reply::Health(stats) => Ok(stats),
            Reply::Refused(why) => Err(refused(why)),
            other => Err(Error::Sync(SyncError::Protocol(format!(
                "unexpected relay reply {other:?}"
            )))),
        }
    }
    .await;
    endpoint.close(0u32.into(), b"done");
    result
}

struct ClientInner {
    endpoint: quinn::Endpoint,
    key: Arc<DeviceKey>,
    /// The device's certificate for the end-to-end handshakes.
    cert: tls::DeviceCert,
    team: [u8; 16],
    settings: RelaySettings,
    conn: tokio::sync::Mutex<Option<quinn::Connection>>,
    closed: AtomicBool,
}

/// A device's link to one relay: a registration opened on demand and
/// reopened after a loss, shared by the sessions it opens and answers.
#[derive(Clone)]
pub struct RelayClient {
    inner: Arc<ClientInner>,
}

impl RelayClient {
    /// A client of the relay in `settings` for a device of `team`, using
    /// the device's endpoint (its key, its UDP socket). Connects lazily.
    pub fn new(endpoint: &Endpoint, team: [u8; 16], settings: RelaySettings) -> RelayClient {
        RelayClient {
            inner: Arc::new(ClientInner {
                endpoint: endpoint.endpoint.clone(),
                key: endpoint.key.clone(),
                cert: endpoint.cert.clone(),
                team,
                settings,
                conn: tokio::sync::Mutex::new(None),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// A client with its own UDP socket on `bind`, for tools and tests that
    /// have no [`Endpoint`] (it answers no direct connections).
    pub fn standalone(
        key: DeviceKey,
        bind: SocketAddr,
        team: [u8; 16],
        settings: RelaySettings,
    ) -> Result<RelayClient> {
        let endpoint = quinn::Endpoint::client(bind).map_err(|e| {
            Error::Net(NetError::Setup(format!(
                "cannot open a socket on {bind}: {e}"
            )))
        })?;
        Ok(RelayClient {
            inner: Arc::new(ClientInner {
                endpoint,
                cert: tls::DeviceCert::new(&key)?,
                key: Arc::new(key),
                team,
                settings,
                conn: tokio::sync::Mutex::new(None),
                closed: AtomicBool::new(false),
            }),
        })
    }

    /// The relay this client uses.
    pub fn settings(&self) -> &RelaySettings {
        &self.inner.settings
    }

    /// The registered connection: the current one while it lives, else a
    /// new connection and registration (a refusal names its reason).
    pub async fn connection(&self) -> Result<quinn::Connection> {
        if self.inner.closed.load(Ordering::Relaxed) {
            return Err(Error::Net(NetError::Lost(
                "the relay client was closed".into(),
            )));
        }
        let mut slot = self.inner.conn.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| c.close_reason().is_none()) {
            return Ok(c.clone());
        }
        let addr = self.inner.settings.resolve().await?;
        let conn = dial(&self.inner.endpoint, &self.inner.key, addr).await?;
        let register = Request::Register {
            team: self.inner.team,
            token: self.inner.settings.token.clone().unwrap_or_default(),
        };
        let (mut send, _, reply) = request(&conn, &register).await?;
        let _ = send.finish();
        match reply {
            Reply::Registered => {
                log::info!("registered with the relay at {addr}");
                *slot = Some(conn.clone());
                Ok(conn)
            }
            Reply::Refused(why) => {
                conn.close(0u32.into(), b"refused");
                Err(refused(why))
            }
            other => Err(Error::Sync(SyncError::Protocol(format!(
                "unexpected relay reply {other:?}"
            )))),
        }
    }

    /// Asks the relay for a raw stream to `peer` (no end-to-end channel
    /// yet: see [`RelayClient::sync_with`]).
    pub async fn open(&self, peer: DeviceId) -> Result<RelayStream> {
        let conn = self.connection().await?;
        let (send, recv, reply) = request(&conn, &Request::Connect { peer: peer.0 }).await?;
        match reply {
            Reply::Connected => Ok(RelayStream { send, recv }),
            Reply::Refused(why) => Err(refused(why)),
            other => Err(Error::Sync(SyncError::Protocol(format!(
                "unexpected relay reply {other:?}"
            )))),
        }
    }

    /// Waits for the next raw stream a peer opens through the relay; returns
    /// who the relay says opened it (unproven until the end-to-end
    /// handshake) and the stream.
    pub async fn accept(&self) -> Result<(DeviceId, RelayStream)> {
        let conn = self.connection().await?;
        let (send, mut recv) = conn
            .accept_bi()
            .await
            .map_err(|e| Error::Net(NetError::Lost(format!("relay connection: {e}"))))?;
        let header = tokio::time::timeout(RELAY_TIMEOUT, read_frame(&mut recv, MAX_CONTROL_FRAME))
            .await
            .map_err(|_| {
                Error::Net(NetError::TimedOut(
                    "the relay sent no session header".into(),
                ))
            })??;
        let header: Incoming = proto::decode(&header)?;
        Ok((DeviceId(header.from), RelayStream { send, recv }))
    }

    /// One sync session with `peer` through the relay: a relayed stream,
    /// the pinned end-to-end handshake, then the sync protocol. Events say
    /// `Via::Relay`.
    pub async fn sync_with<H: Host>(
        &self,
        host: &Arc<H>,
        peer: DeviceId,
        join: Option<JoinRequest>,
    ) -> Result<SessionStats> {
        let result = async {
            let stream = self.open(peer).await?;
            let (config, _) = tls::client_config_observed(&self.inner.cert, peer)?;
            let config = Arc::new(config);
            let (_, channel) = e2e::connect(stream, config).await?;
            let (read, write) = tokio::io::split(channel);
            driver::open(host, peer, write, read, join, Via::Relay).await
        }
        .await;
        if let Err(e) = &result {
            host.on_event(SyncEvent::failed(Some(peer), e));
        }
        result
    }

    /// Keeps the registration (reconnecting with backoff after a loss) and
    /// answers every session peers open through the relay. Runs until
    /// aborted or [`RelayClient::close`].
    pub fn serve<H: Host>(&self, host: Arc<H>) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let mut backoff = Duration::from_millis(100);
            while !me.inner.closed.load(Ordering::Relaxed) {
                let conn = match me.connection().await {
                    Ok(c) => {
                        backoff = Duration::from_millis(100);
                        c
                    }
                    Err(e) => {
                        log::warn!("relay: {e}; retrying in {backoff:?}");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                        continue;
                    }
                };
                loop {
                    match conn.accept_bi().await {
                        Ok((send, recv)) => {
                            let host = host.clone();
                            let cert = me.inner.cert.clone();
                            tokio::spawn(async move {
                                if let Err(e) = answer(&host, &cert, send, recv).await {
                                    log::info!("relayed session ended: {e}");
                                    host.on_event(SyncEvent::failed(None, &e));
                                }
                            });
                        }
                        Err(e) => {
                            log::info!("relay connection lost: {e}");
                            break;
                        }
                    }
                }
            }
        })
    }

    /// Closes the registration; the client refuses further use.
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::Relaxed);
        if let Some(c) = self.inner.conn.lock().await.take() {
            c.close(0u32.into(), b"closing");
        }
    }
}

/// Answers one relayed session: the header, the end-to-end handshake as
/// the server side (the device's own policy decides who may connect), then
/// the sync session.
async fn answer<H: Host>(
    host: &Arc<H>,
    cert: &tls::DeviceCert,
    send: quinn::SendStream,
    mut recv: quinn::RecvStream,
) -> Result<()> {
    let header = tokio::time::timeout(RELAY_TIMEOUT, read_frame(&mut recv, MAX_CONTROL_FRAME))
        .await
        .map_err(|_| {
            Error::Net(NetError::TimedOut(
                "the relay sent no session header".into(),
            ))
        })??;
    let header: Incoming = proto::decode(&header)?;
    let config = Arc::new(tls::server_config_presenting(cert, host.policy())?);
    let (peer, channel) = e2e::accept(RelayStream { send, recv }, config).await?;
    if peer.0 != header.from {
        log::warn!(
            "the relay announced device {} but the handshake proved {}",
            DeviceId(header.from).fingerprint(),
            peer.fingerprint()
        );
    }
    let (read, write) = tokio::io::split(channel);
    driver::respond(host, peer, write, read, Via::Relay).await
}
