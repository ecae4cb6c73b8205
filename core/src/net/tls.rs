//! TLS 1.3 identities from device keys, and verifiers that pin them.
//!
//! Each device presents a self-signed X.509 certificate whose key is its
//! ed25519 device key. The verifiers do not trust any CA: they extract the
//! certificate's SubjectPublicKeyInfo with a strict DER walk, accept only an
//! ed25519 key, check the TLS 1.3 handshake signature themselves with that
//! key (so the key that is pinned is exactly the key that proved
//! possession), and ask a policy whether that device may connect.

use std::sync::Arc;

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

use crate::error::{Error, NetError, Result};
use crate::identity::{DeviceId, DeviceKey};

/// The ALPN protocol id: names the sync protocol version.
pub fn alpn() -> Vec<u8> {
    format!("deko-sync/{}", crate::sync::PROTOCOL_VERSION).into_bytes()
}

/// The server name clients ask for (identity comes from the pinned key).
pub const SERVER_NAME: &str = "deko.invalid";

/// Decides which devices may complete a handshake.
pub trait PeerPolicy: Send + Sync + std::fmt::Debug {
    /// Whether `device` may connect (as client or server).
    fn allows(&self, device: &DeviceId) -> bool;
}

/// Builds a self-signed certificate and PKCS#8 key for the device key.
pub fn certificate(key: &DeviceKey) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    let mut pkcs8 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    pkcs8.extend_from_slice(&key.secret_bytes());
    let der = PrivatePkcs8KeyDer::from(pkcs8.clone());
    let pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&der, &rcgen::PKCS_ED25519)
        .map_err(|e| Error::Net(NetError::Setup(format!("device certificate: {e}"))))?;
    let params = rcgen::CertificateParams::new(vec![SERVER_NAME.to_string()])
        .map_err(|e| Error::Net(NetError::Setup(format!("device certificate: {e}"))))?;
    let cert = params
        .self_signed(&pair)
        .map_err(|e| Error::Net(NetError::Setup(format!("device certificate: {e}"))))?;
    Ok((
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pkcs8)),
    ))
}

/// The ed25519 key in a certificate's SubjectPublicKeyInfo, found by walking
/// the DER structure (Certificate -> tbsCertificate -> 7th field).
pub fn device_of(cert: &[u8]) -> Option<DeviceId> {
    let (tag, cert_body, rest) = tlv(cert)?;
    if tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let (tag, mut tbs, _) = tlv(cert_body)?;
    if tag != 0x30 {
        return None;
    }
    // Optional [0] version, then serial, signature, issuer, validity, subject.
    let (tag, _, after) = tlv(tbs)?;
    if tag == 0xa0 {
        tbs = after;
    }
    for expected in [0x02, 0x30, 0x30, 0x30, 0x30] {
        let (tag, _, after) = tlv(tbs)?;
        if tag != expected {
            return None;
        }
        tbs = after;
    }
    let (tag, spki, _) = tlv(tbs)?;
    const ED25519_SPKI: [u8; 10] = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    if tag != 0x30 || spki.len() != 42 || spki[..10] != ED25519_SPKI {
        return None;
    }
    DeviceId::from_slice(&spki[10..]).ok()
}

/// One DER tag-length-value: (tag, value, rest). Short and long lengths.
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let value = input.get(header..end)?;
    Some((tag, value, &input[end..]))
}

fn verify_ed25519(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    if dss.scheme != SignatureScheme::ED25519 {
        return Err(rustls::Error::General(
            "deko devices sign with ed25519 only".into(),
        ));
    }
    let device = device_of(cert).ok_or(rustls::Error::General(
        "not a deko device certificate".into(),
    ))?;
    let key = VerifyingKey::from_bytes(device.as_bytes())
        .map_err(|_| rustls::Error::General("invalid device key".into()))?;
    let sig: [u8; 64] = dss
        .signature()
        .try_into()
        .map_err(|_| rustls::Error::General("bad signature length".into()))?;
    key.verify(message, &Signature::from_bytes(&sig))
        .map_err(|_| {
            rustls::Error::General("handshake signature does not match the device key".into())
        })?;
    Ok(HandshakeSignatureValid::assertion())
}

/// Client side: the server must be exactly the expected device (pinned).
#[derive(Debug)]
pub struct PinnedServer {
    /// The device the client means to reach.
    pub expected: DeviceId,
    /// Another device that answered instead, when one did (so the caller
    /// can tell "someone else is there" from a network failure).
    pub presented: Arc<std::sync::Mutex<Option<DeviceId>>>,
}

/// The handshake-signature methods every Deko verifier shares: TLS 1.3
/// only, ed25519 only, checked against the certificate's device key.
macro_rules! ed25519_tls13_only {
    () => {
        fn verify_tls12_signature(
            &self,
            _m: &[u8],
            _c: &CertificateDer<'_>,
            _d: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            Err(rustls::Error::General("TLS 1.2 is not used".into()))
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            verify_ed25519(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            vec![SignatureScheme::ED25519]
        }
    };
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match device_of(end_entity) {
            Some(d) if d == self.expected => Ok(ServerCertVerified::assertion()),
            Some(d) => {
                *self.presented.lock().unwrap_or_else(|p| p.into_inner()) = Some(d);
                Err(rustls::Error::General(format!(
                    "the peer is device {}, not the expected {}",
                    d.fingerprint(),
                    self.expected.fingerprint()
                )))
            }
            None => Err(rustls::Error::General(
                "not a deko device certificate".into(),
            )),
        }
    }

    ed25519_tls13_only!();
}

/// Server side: the client must present a device key the policy allows.
#[derive(Debug)]
pub struct PolicyClients {
    /// Who may connect.
    pub policy: Arc<dyn PeerPolicy>,
}

impl ClientCertVerifier for PolicyClients {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        match device_of(end_entity) {
            Some(d) if self.policy.allows(&d) => Ok(ClientCertVerified::assertion()),
            Some(d) => Err(rustls::Error::General(format!(
                "device {} is not a member of this team",
                d.fingerprint()
            ))),
            None => Err(rustls::Error::General(
                "not a deko device certificate".into(),
            )),
        }
    }

    ed25519_tls13_only!();
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls server config of a device (ring provider, TLS 1.3 only).
pub fn server_config(key: &DeviceKey, policy: Arc<dyn PeerPolicy>) -> Result<rustls::ServerConfig> {
    let (cert, secret) = certificate(key)?;
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?
        .with_client_cert_verifier(Arc::new(PolicyClients { policy }))
        .with_single_cert(vec![cert], secret)
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?;
    cfg.alpn_protocols = vec![alpn()];
    Ok(cfg)
}

/// The rustls client config for reaching `expected` (ring provider, TLS 1.3).
pub fn client_config(key: &DeviceKey, expected: DeviceId) -> Result<rustls::ClientConfig> {
    Ok(client_config_observed(key, expected)?.0)
}

/// [`client_config`], with the slot where the verifier notes another
/// device that answered instead of `expected`.
pub fn client_config_observed(
    key: &DeviceKey,
    expected: DeviceId,
) -> Result<(
    rustls::ClientConfig,
    Arc<std::sync::Mutex<Option<DeviceId>>>,
)> {
    let presented = Arc::new(std::sync::Mutex::new(None));
    let verifier = PinnedServer {
        expected,
        presented: presented.clone(),
    };
    Ok((
        device_client_config(key, Arc::new(verifier), alpn())?,
        presented,
    ))
}

/// A client config presenting this device's certificate, checking the
/// server with `verifier`, speaking `alpn` (TLS 1.3, ring provider).
fn device_client_config(
    key: &DeviceKey,
    verifier: Arc<dyn ServerCertVerifier>,
    alpn: Vec<u8>,
) -> Result<rustls::ClientConfig> {
    let (cert, secret) = certificate(key)?;
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(vec![cert], secret)
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?;
    cfg.alpn_protocols = vec![alpn];
    Ok(cfg)
}

/// The ALPN protocol id of the relay protocol (devices to the relay).
pub fn relay_alpn() -> Vec<u8> {
    b"deko-relay/1".to_vec()
}

/// Lets any device with a well-formed ed25519 certificate connect: the
/// relay only needs to know which key it talks to (devices prove
/// possession in the handshake); who may *use* it is decided afterwards,
/// per team, by its access list.
#[cfg(feature = "relay-server")]
#[derive(Debug)]
pub struct AnyDevice;

#[cfg(feature = "relay-server")]
impl PeerPolicy for AnyDevice {
    fn allows(&self, _device: &DeviceId) -> bool {
        true
    }
}

/// Client side towards a relay: any ed25519 relay key whose handshake
/// signature checks, or exactly `pinned` when the relay's key is known.
/// The relay is not trusted with data either way: sessions through it run
/// their own pinned end-to-end handshake.
#[derive(Debug)]
pub struct RelayServerKey {
    /// The relay's key, when known.
    pub pinned: Option<DeviceId>,
}

impl ServerCertVerifier for RelayServerKey {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match (device_of(end_entity), self.pinned) {
            (Some(d), Some(p)) if d != p => Err(rustls::Error::General(format!(
                "the relay presented key {}, not the expected {}",
                d.fingerprint(),
                p.fingerprint()
            ))),
            (Some(_), _) => Ok(ServerCertVerified::assertion()),
            (None, _) => Err(rustls::Error::General(
                "not a deko relay certificate".into(),
            )),
        }
    }

    ed25519_tls13_only!();
}

/// The rustls server config of a relay: its own key, any device may
/// complete the handshake, ALPN `deko-relay/1`.
#[cfg(feature = "relay-server")]
pub fn relay_server_config(relay_key: &DeviceKey) -> Result<rustls::ServerConfig> {
    let mut cfg = server_config(relay_key, Arc::new(AnyDevice))?;
    cfg.alpn_protocols = vec![relay_alpn()];
    Ok(cfg)
}

/// The rustls client config of a device towards a relay.
pub fn relay_client_config(
    key: &DeviceKey,
    pinned: Option<DeviceId>,
) -> Result<rustls::ClientConfig> {
    device_client_config(key, Arc::new(RelayServerKey { pinned }), relay_alpn())
}

/// The device key in the first certificate of a finished handshake.
pub fn peer_device_of(certs: Option<&[CertificateDer<'_>]>) -> Result<DeviceId> {
    certs
        .and_then(|c| c.first())
        .ok_or_else(|| NetError::Refused("the peer presented no device key".into()).into())
        .and_then(|c| {
            device_of(c)
                .ok_or_else(|| NetError::Refused("not a deko device certificate".into()).into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_carries_the_device_key() {
        let key = DeviceKey::generate().unwrap();
        let (cert, _) = certificate(&key).unwrap();
        assert_eq!(device_of(&cert), Some(key.device_id()));
    }

    #[test]
    fn garbage_is_not_a_device_certificate() {
        assert_eq!(device_of(&[]), None);
        assert_eq!(device_of(&[0x30, 0x82, 0xff]), None);
        let key = DeviceKey::generate().unwrap();
        let (cert, _) = certificate(&key).unwrap();
        for cut in 0..cert.len() {
            assert_eq!(device_of(&cert[..cut]), None, "cut {cut}");
        }
        let mut x = 0x1234_5678u32;
        for _ in 0..2000 {
            let mut c = cert.to_vec();
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let i = x as usize % c.len();
            c[i] ^= (x >> 8) as u8 | 1;
            let _ = device_of(&c);
        }
    }
}
