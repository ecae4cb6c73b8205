//! The end-to-end channel inside a relayed stream: TLS 1.3 (rustls, ring)
//! between the two devices with exactly the identities and pinning of a
//! direct connection (the configs of [`crate::net::tls`]), so the relay
//! sees only ciphertext and cannot pose as either device.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::{TlsAcceptor, TlsConnector, client, server};

use crate::error::{Error, NetError, Result};
use crate::identity::DeviceId;
use crate::net::tls;

/// Longest an end-to-end handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// Runs the client side of the handshake over `stream` with `config`
/// (built by [`tls::client_config`], which pins the expected device);
/// returns the authenticated peer and the encrypted channel.
pub async fn connect<S>(
    stream: S,
    config: Arc<rustls::ClientConfig>,
) -> Result<(DeviceId, client::TlsStream<S>)>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let name = ServerName::try_from(tls::SERVER_NAME).expect("a valid name");
    let tls = tokio::time::timeout(
        HANDSHAKE_TIMEOUT,
        TlsConnector::from(config).connect(name, stream),
    )
    .await
    .map_err(|_| Error::Net(NetError::TimedOut("end-to-end handshake timed out".into())))?
    .map_err(|e| Error::Net(NetError::Lost(format!("end-to-end handshake: {e}"))))?;
    let peer = tls::peer_device_of(tls.get_ref().1.peer_certificates())?;
    Ok((peer, tls))
}

/// Runs the server side of the handshake over `stream` with `config`
/// (built by [`tls::server_config`] with the device's policy); returns the
/// authenticated peer and the encrypted channel.
pub async fn accept<S>(
    stream: S,
    config: Arc<rustls::ServerConfig>,
) -> Result<(DeviceId, server::TlsStream<S>)>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, TlsAcceptor::from(config).accept(stream))
        .await
        .map_err(|_| Error::Net(NetError::TimedOut("end-to-end handshake timed out".into())))?
        .map_err(|e| Error::Net(NetError::Lost(format!("end-to-end handshake: {e}"))))?;
    let peer = tls::peer_device_of(tls.get_ref().1.peer_certificates())?;
    Ok((peer, tls))
}
