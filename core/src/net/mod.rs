//! The network: a QUIC endpoint (quinn, rustls with the ring provider)
//! whose TLS identities are device keys, pairing tickets, and the driver
//! that runs the sans-IO sync session over one bidirectional stream. `net`
//! never touches the store: it reaches it only through [`Host`]. The
//! [`relay`] carries sessions between devices that cannot reach each other,
//! inside an end-to-end channel with the same pinning as a direct one.

pub mod discovery;
mod driver;
pub mod error;
pub mod relay;
pub mod ticket;
pub mod tls;

pub use driver::{JoinRequest, Preamble, SyncEvent, Via};
pub use error::{NetError, NoAnswer};
pub use tls::PeerPolicy;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::identity::{DeviceId, DeviceKey};
use crate::sync::{SessionStats, SyncStore};

/// What the network needs from the device it runs for.
pub trait Host: Send + Sync + 'static {
    /// The team both sides must belong to.
    fn team(&self) -> [u8; 16];
    /// Who may complete a TLS handshake with this device.
    fn policy(&self) -> Arc<dyn PeerPolicy>;
    /// After the handshake and before any record moves: may `device` sync
    /// (admitting it first if it presents a valid invite)?
    fn admit_peer(&self, device: &DeviceId, join: Option<&JoinRequest>) -> Result<()>;
    /// Runs `f` with the store (blocking; called from a runtime worker).
    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()>;
    /// For a revoked `peer` that was let through to learn of it: per author,
    /// the last record it may be sent (see [`crate::sync::SessionConfig::notice`]).
    /// `None` for a member. By default, every peer is a member.
    fn notice_for(&self, _peer: &DeviceId) -> Option<BTreeMap<DeviceId, u64>> {
        None
    }
    /// Reports progress and outcomes.
    fn on_event(&self, event: SyncEvent);
    /// Checks the signatures of a record batch the session will get next
    /// (pure CPU, on a blocking thread), so the store need not check them
    /// again. By default nothing: the store verifies as it applies.
    fn verify_ahead(&self, _records: &[Vec<u8>]) {}
    /// Called when the session, on a link slower than this side, has
    /// waited 10 ms for the peer with nothing received left to handle
    /// (see `net/driver.rs`, `Pace`): the host may do one short piece of work
    /// the session made (bringing the views up to date with a large
    /// transfer's records) and says whether it did any; the driver then
    /// looks for input again before asking once more. By default none.
    fn work_while_waiting(&self) -> bool {
        false
    }
    /// How long a session may go without a byte moving either way (nothing
    /// read from the peer, nothing of ours taken by it) before it is given
    /// up as stalled. Any progress starts the wait again, so a slow but
    /// moving transfer never hits it. [`STALL_TIMEOUT`] by default.
    fn stall_timeout(&self) -> std::time::Duration {
        STALL_TIMEOUT
    }
}

/// How long a session may stall (see [`Host::stall_timeout`]): a peer that
/// keeps its QUIC connection alive but sends nothing is left after this.
/// Generous, because a sender sees nothing move while the receiver applies
/// the last message it took (at most 1 MiB of records: about 0.1 s on a
/// notebook, a second on a slow phone).
pub const STALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Transport settings of both sides: 30 s idle timeout, 5 s keep-alive (a
/// peer that vanished is noticed; a slow batch does not time out).
fn transport() -> quinn::TransportConfig {
    let mut transport = quinn::TransportConfig::default();
    transport.max_idle_timeout(Some(
        std::time::Duration::from_secs(30)
            .try_into()
            .expect("30 s fits"),
    ));
    transport.keep_alive_interval(Some(std::time::Duration::from_secs(5)));
    transport
}

/// A bound QUIC endpoint serving sync sessions and opening them.
#[derive(Clone)]
pub struct Endpoint {
    endpoint: quinn::Endpoint,
    key: Arc<DeviceKey>,
    /// This device's certificate, presented on every connection it opens
    /// or answers (and by the relay sessions of its relay clients).
    cert: tls::DeviceCert,
}

impl Endpoint {
    /// Binds `listen` and serves incoming sessions for `host` until closed.
    pub async fn bind<H: Host>(
        key: DeviceKey,
        listen: SocketAddr,
        host: Arc<H>,
    ) -> Result<Endpoint> {
        let cert = tls::DeviceCert::new(&key)?;
        let server = tls::server_config_presenting(&cert, host.policy())?;
        let server = quinn::crypto::rustls::QuicServerConfig::try_from(server)
            .map_err(|e| Error::Net(NetError::Setup(format!("server config: {e}"))))?;
        let mut server = quinn::ServerConfig::with_crypto(Arc::new(server));
        let mut transport = transport();
        transport.max_concurrent_bidi_streams(4u32.into());
        server.transport_config(Arc::new(transport));
        let endpoint = quinn::Endpoint::server(server, listen).map_err(|e| {
            Error::Net(NetError::Listen {
                addr: listen.to_string(),
                reason: e.to_string(),
            })
        })?;
        let key = Arc::new(key);
        let ep = endpoint.clone();
        tokio::spawn(async move {
            while let Some(incoming) = ep.accept().await {
                let host = host.clone();
                tokio::spawn(async move {
                    if let Err(e) = driver::serve(incoming, host.clone()).await {
                        log::info!("incoming sync ended: {e}");
                        host.on_event(SyncEvent::failed(None, &e));
                    }
                });
            }
        });
        Ok(Endpoint {
            endpoint,
            key,
            cert,
        })
    }

    /// The address the endpoint listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.endpoint
            .local_addr()
            .map_err(|e| Error::Net(NetError::Setup(e.to_string())))
    }

    /// Connects to `peer` at `addr` (pinning its key), optionally presenting
    /// an invite, and runs one sync session.
    pub async fn sync_with<H: Host>(
        &self,
        host: &Arc<H>,
        addr: SocketAddr,
        peer: DeviceId,
        join: Option<JoinRequest>,
    ) -> Result<SessionStats> {
        self.sync_with_timeout(host, addr, peer, join, None).await
    }

    /// Like [`Endpoint::sync_with`], giving up if the QUIC handshake does
    /// not complete within `connect_timeout` (used when a relay can take
    /// over from an address that does not answer).
    pub async fn sync_with_timeout<H: Host>(
        &self,
        host: &Arc<H>,
        addr: SocketAddr,
        peer: DeviceId,
        join: Option<JoinRequest>,
        connect_timeout: Option<std::time::Duration>,
    ) -> Result<SessionStats> {
        let (client, presented) = tls::client_config_observed(&self.cert, peer)?;
        let client = quinn::crypto::rustls::QuicClientConfig::try_from(client)
            .map_err(|e| Error::Net(NetError::Setup(format!("client config: {e}"))))?;
        let mut cfg = quinn::ClientConfig::new(Arc::new(client));
        cfg.transport_config(Arc::new(transport()));
        let connecting = self
            .endpoint
            .connect_with(cfg, addr, tls::SERVER_NAME)
            .map_err(|e| {
                Error::Net(NetError::Unreachable(format!(
                    "cannot connect to {addr}: {e}"
                )))
            })?;
        let conn = match connect_timeout {
            Some(t) => tokio::time::timeout(t, connecting).await.map_err(|_| {
                Error::Net(NetError::Unreachable(format!(
                    "{addr} did not answer within {t:?}"
                )))
            })?,
            None => connecting.await,
        }
        .map_err(
            |e| match *presented.lock().unwrap_or_else(|p| p.into_inner()) {
                Some(found) => Error::Net(NetError::UnexpectedPeer {
                    expected: peer,
                    found,
                }),
                None => Error::Net(NetError::connecting(&format!("connecting to {addr}"), &e)),
            },
        )?;
        let result = driver::initiate(&conn, host.clone(), peer, join).await;
        match &result {
            Ok(_) => conn.close(0u32.into(), b"done"),
            Err(e) => conn.close(1u32.into(), e.to_string().as_bytes()),
        }
        if let Err(e) = &result {
            host.on_event(SyncEvent::failed(Some(peer), e));
        }
        result
    }

    /// Stops serving and closes every connection.
    pub fn close(&self) {
        self.endpoint.close(0u32.into(), b"closing");
    }

    /// Waits until every connection is closed (after [`Endpoint::close`]).
    pub async fn wait_idle(&self) {
        self.endpoint.wait_idle().await;
    }
}
