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
use rustls::pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer, PrivatePkcs8KeyDer,
    ServerName, SignatureVerificationAlgorithm, UnixTime, alg_id,
};
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
///
/// The certificate is written here rather than by a certificate library
/// (rcgen, which links every algorithm its key type can hold: ECDSA and RSA
/// signing on top of ed25519): it is one fixed X.509 v3 layout in which only
/// the serial number, the key and the signature change. Version 3, a serial
/// from the key's hash, ed25519, issuer = subject = CN "deko device",
/// valid 1975-01-01 to 4096-01-01, the key, a subjectAltName of
/// [`SERVER_NAME`], signed by the device key. Peers read nothing but the
/// key ([`device_of`]); rustls parses it when it pairs it with the key.
pub fn certificate(key: &DeviceKey) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    const ED25519_ALG: &[u8] = &[0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
    let public = key.device_id();
    let name = der(
        0x30,
        &der(
            0x31,
            &der(
                0x30,
                &[
                    &[0x06, 0x03, 0x55, 0x04, 0x03][..],
                    &der(0x0c, b"deko device"),
                ]
                .concat(),
            ),
        ),
    );
    // The serial: 20 bytes (RFC 5280's most), positive and minimal (first
    // byte 0x40..=0x7f), unique per key.
    let mut serial = [0u8; 20];
    serial.copy_from_slice(&blake3::hash(public.as_bytes()).as_bytes()[..20]);
    serial[0] = (serial[0] & 0x3f) | 0x40;
    let validity = der(
        0x30,
        &[der(0x17, b"750101000000Z"), der(0x18, b"40960101000000Z")].concat(),
    );
    let spki = der(
        0x30,
        &[
            ED25519_ALG,
            &der(0x03, &[&[0u8][..], public.as_bytes()].concat()),
        ]
        .concat(),
    );
    let san = der(
        0x30,
        &[
            &[0x06, 0x03, 0x55, 0x1d, 0x11][..],
            &der(0x04, &der(0x30, &der(0x82, SERVER_NAME.as_bytes()))),
        ]
        .concat(),
    );
    let tbs = der(
        0x30,
        &[
            &der(0xa0, &der(0x02, &[2]))[..],
            &der(0x02, &serial),
            ED25519_ALG,
            &name,
            &validity,
            &name,
            &spki,
            &der(0xa3, &der(0x30, &san)),
        ]
        .concat(),
    );
    let signature = der(0x03, &[&[0u8][..], &key.sign(&tbs)].concat());
    let cert = der(0x30, &[&tbs[..], ED25519_ALG, &signature].concat());
    let mut pkcs8 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    pkcs8.extend_from_slice(&key.secret_bytes());
    Ok((
        CertificateDer::from(cert),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pkcs8)),
    ))
}

/// One DER value: `tag`, the length (short or long form), `content`.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 4);
    out.push(tag);
    match len {
        0..0x80 => out.push(len as u8),
        0x80..0x100 => out.extend_from_slice(&[0x81, len as u8]),
        _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
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

/// The crypto Deko's TLS uses, and nothing more (so the linker leaves
/// out ring's P-256, P-384 and RSA code): *ring*'s TLS 1.3 suites
/// AES-128-GCM (QUIC's initial packets need it) and ChaCha20-Poly1305,
/// X25519 key exchange, ed25519 keys and signatures only.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    use rustls::crypto::ring::{cipher_suite, kx_group};
    static ED25519: &[&dyn SignatureVerificationAlgorithm] = &[&Ed25519Only];
    static MAPPING: &[(SignatureScheme, &[&dyn SignatureVerificationAlgorithm])] =
        &[(SignatureScheme::ED25519, ED25519)];
    Arc::new(rustls::crypto::CryptoProvider {
        cipher_suites: vec![
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        ],
        kx_groups: vec![kx_group::X25519],
        signature_verification_algorithms: rustls::crypto::WebPkiSupportedAlgorithms {
            all: ED25519,
            mapping: MAPPING,
        },
        secure_random: &Ed25519Only,
        key_provider: &Ed25519Only,
    })
}

/// The provider's ed25519-only parts: signature checks (the verifiers
/// above check handshakes themselves; this is what a provider must list),
/// loading the device's PKCS#8 key (*ring*'s ed25519 signer), randomness.
#[derive(Debug)]
struct Ed25519Only;

impl SignatureVerificationAlgorithm for Ed25519Only {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> std::result::Result<(), InvalidSignature> {
        let key = <[u8; 32]>::try_from(public_key)
            .ok()
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .ok_or(InvalidSignature)?;
        let sig = <[u8; 64]>::try_from(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &Signature::from_bytes(&sig))
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }
}

impl rustls::crypto::KeyProvider for Ed25519Only {
    fn load_private_key(
        &self,
        key_der: PrivateKeyDer<'static>,
    ) -> std::result::Result<Arc<dyn rustls::sign::SigningKey>, rustls::Error> {
        match key_der {
            PrivateKeyDer::Pkcs8(der) => rustls::crypto::ring::sign::any_eddsa_type(&der),
            _ => Err(rustls::Error::General(
                "deko devices sign with ed25519 only".into(),
            )),
        }
    }
}

impl rustls::crypto::SecureRandom for Ed25519Only {
    fn fill(&self, buf: &mut [u8]) -> std::result::Result<(), rustls::crypto::GetRandomFailed> {
        getrandom::fill(buf).map_err(|_| rustls::crypto::GetRandomFailed)
    }
}

/// The rustls server config of a device (ring provider, TLS 1.3 only).
pub fn server_config(key: &DeviceKey, policy: Arc<dyn PeerPolicy>) -> Result<rustls::ServerConfig> {
    server_config_presenting(&DeviceCert::new(key)?, policy)
}

/// [`server_config`] presenting `cert`, made once by its owner.
pub fn server_config_presenting(
    cert: &DeviceCert,
    policy: Arc<dyn PeerPolicy>,
) -> Result<rustls::ServerConfig> {
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?
        .with_client_cert_verifier(Arc::new(PolicyClients { policy }))
        .with_cert_resolver(cert.resolver());
    cfg.alpn_protocols = vec![alpn()];
    // No session tickets: every connection is a full handshake that proves
    // both keys (the clients keep no resumption state), so tickets would
    // only be made, stored and sent for nothing.
    cfg.send_tls13_tickets = 0;
    Ok(cfg)
}

/// A device's certificate with its signing key, made once: writing the
/// certificate signs it and loading the key parses it, which cost more
/// than the rest of a client config, so an endpoint keeps one for every
/// connection it opens instead of making them per connection.
#[derive(Clone, Debug)]
pub struct DeviceCert(Arc<rustls::sign::CertifiedKey>);

impl DeviceCert {
    /// The certificate of `key` (see [`certificate`]) and its signer.
    pub fn new(key: &DeviceKey) -> Result<DeviceCert> {
        let (cert, secret) = certificate(key)?;
        let key = rustls::sign::CertifiedKey::from_der(vec![cert], secret, &provider())
            .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?;
        Ok(DeviceCert(Arc::new(key)))
    }

    fn resolver(&self) -> Arc<rustls::sign::SingleCertAndKey> {
        Arc::new(rustls::sign::SingleCertAndKey::from(self.0.clone()))
    }
}

/// The rustls client config for reaching `expected` (ring provider, TLS 1.3).
pub fn client_config(key: &DeviceKey, expected: DeviceId) -> Result<rustls::ClientConfig> {
    Ok(client_config_observed(&DeviceCert::new(key)?, expected)?.0)
}

/// [`client_config`] presenting `cert`, with the slot where the verifier
/// notes another device that answered instead of `expected`.
pub fn client_config_observed(
    cert: &DeviceCert,
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
        device_client_config(cert, Arc::new(verifier), alpn())?,
        presented,
    ))
}

/// A client config presenting this device's certificate, checking the
/// server with `verifier`, speaking `alpn` (TLS 1.3, ring provider).
fn device_client_config(
    cert: &DeviceCert,
    verifier: Arc<dyn ServerCertVerifier>,
    alpn: Vec<u8>,
) -> Result<rustls::ClientConfig> {
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Net(NetError::Setup(e.to_string())))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(cert.resolver());
    cfg.alpn_protocols = vec![alpn];
    // Every connection proves both keys anew (see `server_config`).
    cfg.resumption = rustls::client::Resumption::disabled();
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
    device_client_config(
        &DeviceCert::new(key)?,
        Arc::new(RelayServerKey { pinned }),
        relay_alpn(),
    )
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
    fn certificate_is_the_fixed_layout_signed_by_the_device_key() {
        let key = DeviceKey::from_secret([7; 32]);
        let (cert, secret) = certificate(&key).unwrap();
        let hex: String = cert.iter().map(|b| format!("{b:02x}")).collect();
        // Pinned: a change of layout shows here first (what precedes the
        // 64-byte signature; ed25519 signatures are deterministic too).
        let tbs_and_alg = concat!(
            "3082010a3081bda0030201020214",
            "4871f3aabc26e4582c508af5c03884e6a96f0989",
            "300506032b6570",
            "30163114301206035504030c0b64656b6f20646576696365",
            "3020170d3735303130313030303030305a180f34303936303130313030303030305a",
            "30163114301206035504030c0b64656b6f20646576696365",
            "302a300506032b6570032100ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c",
            "a31b301930170603551d110410300e820c64656b6f2e696e76616c6964",
            "300506032b6570034100",
        );
        assert_eq!(&hex[..tbs_and_alg.len()], tbs_and_alg);
        assert_eq!(cert.len(), tbs_and_alg.len() / 2 + 64);
        let tbs = &cert[4..4 + 3 + 0xbd];
        let sig: [u8; 64] = cert[cert.len() - 64..].try_into().unwrap();
        let public = VerifyingKey::from_bytes(key.device_id().as_bytes()).unwrap();
        public.verify(tbs, &Signature::from_bytes(&sig)).unwrap();
        // rustls parses it (webpki) and pairs it with the key, and another
        // key's certificate is refused as inconsistent.
        let policy = Arc::new(AnyKey);
        assert!(server_config(&key, policy.clone()).is_ok());
        let (other, _) = certificate(&DeviceKey::from_secret([8; 32])).unwrap();
        let err = rustls::ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_client_cert_verifier(Arc::new(PolicyClients { policy }))
            .with_single_cert(vec![other], secret);
        assert!(err.is_err());
    }

    #[test]
    fn the_provider_knows_ed25519_only() {
        let p = provider();
        // A P-256 key (PKCS#8) is not loaded.
        let p256 = PrivatePkcs8KeyDer::from(
            [
                &[0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07][..],
                &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08],
                &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
                &[0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20],
                &[1; 32],
            ]
            .concat(),
        );
        assert!(p.key_provider.load_private_key(p256.into()).is_err());
        let key = DeviceKey::from_secret([9; 32]);
        let (_, secret) = certificate(&key).unwrap();
        assert!(p.key_provider.load_private_key(secret).is_ok());
        let alg = p.signature_verification_algorithms.all[0];
        let sig = key.sign(b"m");
        let id = key.device_id();
        assert!(alg.verify_signature(id.as_bytes(), b"m", &sig).is_ok());
        assert!(alg.verify_signature(id.as_bytes(), b"n", &sig).is_err());
        assert!(
            alg.verify_signature(&id.as_bytes()[1..], b"m", &sig)
                .is_err()
        );
    }

    #[derive(Debug)]
    struct AnyKey;

    impl PeerPolicy for AnyKey {
        fn allows(&self, _device: &DeviceId) -> bool {
            true
        }
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
