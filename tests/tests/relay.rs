//! Sync through the relay over real QUIC on loopback between real SQLite
//! files: devices with no direct route, what the relay can see, who it
//! refuses, forged peers in the end-to-end handshake, its limits, and a
//! relay stopped mid-sync and restarted on the same port.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::ErrorKind;
use deko_core::identity::{DeviceId, DeviceKey};
use deko_core::model::PersonDraft;
use deko_core::net::relay::{
    Limits, RelayClient, RelayConfig, RelayServer, RelaySettings, TeamAccess, e2e, relay_health,
};
use deko_core::net::{SyncEvent, Via, tls};
use deko_core::node::Node;
use deko_core::record::Role;
use deko_tests::{Device, join_team, loopback, people, sync_at};

const TTL: Duration = Duration::from_secs(600);
const TOKEN: &[u8] = b"acme relay token";

fn team(n: &Node) -> [u8; 16] {
    n.with_crm(|c| c.store().team_id().unwrap().0)
}

fn key(n: &Node) -> DeviceKey {
    n.with_crm(|c| DeviceKey::from_secret(c.store().device_secret().unwrap()))
}

fn digest(n: &Node) -> String {
    n.with_crm(|c| c.store_mut().state_digest().unwrap().to_string())
}

fn records(n: &Node) -> u64 {
    n.with_crm(|c| c.store().record_count().unwrap())
}

async fn relay_for(teams: Vec<TeamAccess>, limits: Limits) -> RelayServer {
    let mut cfg = RelayConfig::new(loopback(), DeviceKey::generate().unwrap());
    cfg.teams = teams;
    cfg.limits = limits;
    RelayServer::bind(cfg).await.unwrap()
}

fn access(team: [u8; 16], token: Option<&[u8]>) -> TeamAccess {
    TeamAccess {
        team,
        token: token.map(|t| t.to_vec()),
    }
}

fn settings(relay: &RelayServer, token: Option<&[u8]>) -> RelaySettings {
    RelaySettings::new(relay.local_addr().unwrap(), token.map(|t| t.to_vec()))
}

async fn until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn record_events(n: &Node) -> Arc<Mutex<Vec<SyncEvent>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    n.subscribe(Arc::new(move |e: &SyncEvent| {
        ev.lock().unwrap().push(e.clone())
    }));
    events
}

fn started(events: &Mutex<Vec<SyncEvent>>, via: Via, initiator: bool) -> usize {
    count_started(&events.lock().unwrap(), via, initiator)
}

fn count_started(events: &[SyncEvent], via: Via, initiator: bool) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, SyncEvent::Started { via: v, initiator: i, .. } if *v == via && *i == initiator))
        .count()
}

/// A founder registered with a new relay that serves its team with TOKEN.
async fn founder_on_relay(
    n: usize,
    note: Option<&str>,
    limits: Limits,
) -> (Node, tempfile::TempDir, RelayServer) {
    let mut d = Device::founder("Acme s.r.o.");
    people(&mut d.crm, n, "A");
    if let Some(note) = note {
        d.crm
            .create_person(PersonDraft {
                given: Some("Secret".into()),
                note: Some(note.into()),
                ..Default::default()
            })
            .unwrap();
    }
    let a = Node::start(d.crm, loopback()).await.unwrap();
    let relay = relay_for(vec![access(team(&a), Some(TOKEN))], limits).await;
    a.set_relay(Some(settings(&relay, Some(TOKEN)))).unwrap();
    until("the founder registers", || relay.stats().registered == 1).await;
    (a, d.dir, relay)
}

/// A device that joins through the relay only: the ticket lists no address.
async fn join_via_relay(a: &Node, name: &str) -> (Node, tempfile::TempDir) {
    let ticket = a.ticket(vec![], Some((Role::Member, TTL))).unwrap();
    assert!(ticket.addrs.is_empty() && ticket.relay.is_some() && ticket.relay_token.is_some());
    let d = Device::new();
    let (b, stats) = join_team(d.crm, &ticket.to_uri().unwrap(), name)
        .await
        .unwrap();
    assert!(stats.received > 0, "{stats:?}");
    (b, d.dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_without_a_direct_route_sync_through_the_relay() {
    let (a, _da, relay) = founder_on_relay(300, None, Limits::default()).await;
    let a_events = record_events(&a);
    let (b, _db) = join_via_relay(&a, "Petr").await;
    assert_eq!(digest(&a), digest(&b));
    assert_eq!(started(&a_events, Via::Relay, false), 1);
    // The joined device took the ticket's relay as its own.
    assert_eq!(b.relay_settings(), a.relay_settings());
    until("both registered", || relay.stats().registered == 2).await;
    // Both write; B's only known address of A never answers, so after the
    // direct attempt the relay carries the session.
    let b_events = record_events(&b);
    b.with_crm(|c| people(c, 20, "from B"));
    a.with_crm(|c| people(c, 30, "from A"));
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let stats = sync_at(&b, a.device_id(), &[silent.local_addr().unwrap()])
        .await
        .unwrap();
    assert_eq!((stats.sent, stats.received), (20, 30));
    assert_eq!(started(&b_events, Via::Relay, true), 1);
    assert_eq!(digest(&a), digest(&b));
    assert_eq!(records(&a), records(&b));
    // A reachable direct address is preferred.
    let stats = sync_at(&b, a.device_id(), &[a.local_addr().unwrap()])
        .await
        .unwrap();
    assert_eq!((stats.sent, stats.received), (0, 0));
    assert_eq!(started(&b_events, Via::Direct, true), 1);
    // A syncs with B the other way round, relay only.
    a.with_crm(|c| people(c, 5, "again"));
    sync_at(&a, b.device_id(), &[]).await.unwrap();
    assert_eq!(digest(&a), digest(&b));
    // The relay sees a session end when both ends have closed their
    // streams, which may be just after the sync returned.
    until("the relay saw the sessions end", || {
        relay.stats().sessions_active == 0
    })
    .await;
    let s = relay.stats();
    assert_eq!(s.sessions_total, 3, "{s:?}");
    assert!(s.bytes_forwarded > 50_000, "{s:?}");
    // The health request over the relay protocol reports the same counters.
    let h = relay_health(relay.local_addr().unwrap()).await.unwrap();
    assert_eq!(h.sessions_total, 3);
    assert!(h.accepting);
    relay.shutdown(Duration::from_secs(1)).await;
}

/// The 8-byte prefixes of `needles` that appear anywhere in `haystack`.
fn found_prefixes(haystack: &[u8], needles: &HashSet<[u8; 8]>) -> Vec<[u8; 8]> {
    haystack
        .windows(8)
        .map(|w| <[u8; 8]>::try_from(w).unwrap())
        .filter(|w| needles.contains(w))
        .collect()
}

/// Every byte the relay forwarded, per direction.
type Capture = HashMap<(DeviceId, DeviceId), Vec<u8>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_sees_only_ciphertext() {
    const NOTE: &str = "Tajná poznámka: zákazník chce slevu 37 % — heslo KOLIBRI-8472";
    let mut d = Device::founder("Acme s.r.o.");
    people(&mut d.crm, 200, "A");
    d.crm
        .create_person(PersonDraft {
            given: Some("Secret".into()),
            note: Some(NOTE.into()),
            ..Default::default()
        })
        .unwrap();
    let a = Node::start(d.crm, loopback()).await.unwrap();
    let seen: Arc<Mutex<Capture>> = Arc::default();
    let tap = seen.clone();
    let mut cfg = RelayConfig::new(loopback(), DeviceKey::generate().unwrap());
    cfg.teams = vec![access(team(&a), Some(TOKEN))];
    cfg.observer = Some(Arc::new(
        move |from: &DeviceId, to: &DeviceId, bytes: &[u8]| {
            tap.lock()
                .unwrap()
                .entry((*from, *to))
                .or_default()
                .extend_from_slice(bytes)
        },
    ));
    let relay = RelayServer::bind(cfg).await.unwrap();
    a.set_relay(Some(settings(&relay, Some(TOKEN)))).unwrap();
    until("registered", || relay.stats().registered == 1).await;
    let (b, _db) = join_via_relay(&a, "Petr").await;
    assert_eq!(digest(&a), digest(&b));
    // Every record A holds crossed the relay; none of their bytes did in clear.
    let log: Vec<Vec<u8>> = a.with_crm(|c| {
        let s = c.store();
        s.version_vector()
            .unwrap()
            .keys()
            .flat_map(|author| s.records_after(author, 0, usize::MAX >> 1).unwrap())
            .collect()
    });
    assert!(log.len() > 200);
    let mut needles = HashSet::new();
    for r in &log {
        // The high-entropy parts (signature, team id, author key) and the
        // body's start; not the seq or clock fields, whose mostly-zero bytes
        // also occur in the TLS handshake's own clear-text structure.
        let n = r.len();
        for at in [n - 64, n - 48, n - 32, n - 16, 1, 9, 17, 25, 99] {
            needles.insert(<[u8; 8]>::try_from(&r[at..at + 8]).unwrap());
        }
    }
    let note_bytes = NOTE.as_bytes();
    let seen = seen.lock().unwrap();
    let total: usize = seen.values().map(|v| v.len()).sum();
    let log_bytes: usize = log.iter().map(|r| r.len()).sum();
    assert!(
        total > log_bytes,
        "forwarded {total} bytes for {log_bytes} of records"
    );
    assert_eq!(seen.len(), 2, "both directions were forwarded");
    for bytes in seen.values() {
        let found = found_prefixes(bytes, &needles);
        assert!(found.is_empty(), "record bytes in clear: {found:02x?}");
        assert!(!bytes.windows(note_bytes.len()).any(|w| w == note_bytes));
        assert!(!bytes.windows(7).any(|w| w == b"KOLIBRI"));
        assert!(!bytes.windows(8).any(|w| w == b"Nov\xc3\xa1kov"));
    }
    // The check would find them: the note is in A's log in clear.
    assert!(log.iter().any(|r| r.windows(7).any(|w| w == b"KOLIBRI")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_teams_and_devices_without_the_token_get_no_session() {
    let (a, _da, relay) = founder_on_relay(10, None, Limits::default()).await;
    // B is a member (joined directly) but uses the relay without, or with a
    // wrong, token.
    let ticket = a
        .ticket(vec![a.local_addr().unwrap()], Some((Role::Member, TTL)))
        .unwrap();
    let d = Device::new();
    let (b, _) = join_team(d.crm, &ticket.to_uri().unwrap(), "B")
        .await
        .unwrap();
    b.set_relay(Some(settings(&relay, None))).unwrap();
    let err = sync_at(&b, a.device_id(), &[]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RelayRefused, "{err}");
    assert!(err.to_string().contains("needs a relay token"), "{err}");
    b.set_relay(Some(settings(&relay, Some(b"guess")))).unwrap();
    let err = sync_at(&b, a.device_id(), &[]).await.unwrap_err();
    assert!(err.to_string().contains("wrong relay token"), "{err}");
    // A device of another team, even with A's token, is refused by team.
    let other = Node::start(Device::founder("Other").crm, loopback())
        .await
        .unwrap();
    other
        .set_relay(Some(settings(&relay, Some(TOKEN))))
        .unwrap();
    let err = sync_at(&other, a.device_id(), &[]).await.unwrap_err();
    assert!(err.to_string().contains("does not serve team"), "{err}");
    // Once the relay serves the other team too, its devices still cannot
    // reach devices of A's team: registrations are per team.
    let both = relay_for(
        vec![
            access(team(&a), Some(TOKEN)),
            access(team(&other), Some(b"other token")),
        ],
        Limits::default(),
    )
    .await;
    a.set_relay(Some(settings(&both, Some(TOKEN)))).unwrap();
    other
        .set_relay(Some(settings(&both, Some(b"other token"))))
        .unwrap();
    until("both registered", || both.stats().registered == 2).await;
    let before = records(&a);
    let err = sync_at(&other, a.device_id(), &[]).await.unwrap_err();
    assert!(
        err.to_string().contains("is not connected to this relay"),
        "{err}"
    );
    assert_eq!(records(&a), before);
    assert!(relay.stats().refusals >= 3, "{:?}", relay.stats());
    assert_eq!(relay.stats().sessions_total, 0);
    assert_eq!(both.stats().sessions_total, 0);
}

/// A server config presenting `cert` while signing with `key` (a stolen
/// certificate without its private key).
fn stolen_cert_config(
    cert: rustls::pki_types::CertificateDer<'static>,
    key: &DeviceKey,
) -> rustls::ServerConfig {
    let (_, secret) = tls::certificate(key).unwrap();
    let rustls::pki_types::PrivateKeyDer::Pkcs8(pkcs8) = secret else {
        unreachable!()
    };
    let signer = rustls::crypto::ring::sign::any_eddsa_type(&pkcs8).unwrap();
    let certified = rustls::sign::CertifiedKey::new(vec![cert], signer);
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .unwrap()
    .with_client_cert_verifier(Arc::new(tls::PolicyClients {
        policy: Arc::new(tls::AnyDevice),
    }))
    .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(certified)));
    cfg.alpn_protocols = vec![tls::alpn()];
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_peer_fails_the_end_to_end_handshake() {
    let (a, _da, relay) = founder_on_relay(10, None, Limits::default()).await;
    let (b, _db) = join_via_relay(&a, "B").await;
    let t = team(&a);
    let s = settings(&relay, Some(TOKEN));
    // F holds the team's relay token but not B's key. A client with A's
    // key asks the relay for F while expecting B (as if the relay
    // misrouted): the pinned handshake refuses whoever answers.
    let f_key = DeviceKey::generate().unwrap();
    let f_id = f_key.device_id();
    let f = RelayClient::standalone(
        DeviceKey::from_secret(f_key.secret_bytes()),
        loopback(),
        t,
        s.clone(),
    )
    .unwrap();
    let a_raw = RelayClient::standalone(key(&a), loopback(), t, s.clone()).unwrap();
    f.connection().await.unwrap();
    for stolen in [false, true] {
        let server = if stolen {
            // F presents B's real certificate, signing with its own key.
            stolen_cert_config(tls::certificate(&key(&b)).unwrap().0, &f_key)
        } else {
            tls::server_config(&f_key, Arc::new(tls::AnyDevice)).unwrap()
        };
        let answer = {
            let f = f.clone();
            tokio::spawn(async move {
                let (_, stream) = f.accept().await.unwrap();
                e2e::accept(stream, Arc::new(server)).await.map(|_| ())
            })
        };
        let stream = a_raw.open(f_id).await.unwrap();
        let cfg = Arc::new(tls::client_config(&key(&a), b.device_id()).unwrap());
        let err = e2e::connect(stream, cfg).await.err().expect("refused");
        let m = err.to_string();
        if stolen {
            assert!(m.contains("does not match the device key"), "{m}");
        } else {
            assert!(m.contains("not the expected"), "{m}");
        }
        assert!(answer.await.unwrap().is_err());
    }
    // F asks the relay for A directly and claims to be B in the handshake
    // with B's stolen certificate: A (the real node) refuses it.
    let before = records(&a);
    let stream = f.open(a.device_id()).await.unwrap();
    let (b_cert, _) = tls::certificate(&key(&b)).unwrap();
    let (_, f_secret) = tls::certificate(&f_key).unwrap();
    let rustls::pki_types::PrivateKeyDer::Pkcs8(pkcs8) = f_secret else {
        unreachable!()
    };
    let signer = rustls::crypto::ring::sign::any_eddsa_type(&pkcs8).unwrap();
    let certified = Arc::new(rustls::sign::CertifiedKey::new(vec![b_cert], signer));
    let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(Arc::new(tls::PinnedServer {
        expected: a.device_id(),
        presented: Default::default(),
    }))
    .with_client_cert_resolver(Arc::new(AlwaysCert(certified)));
    client.alpn_protocols = vec![tls::alpn()];
    let outcome = async {
        let (_, mut channel) = e2e::connect(stream, Arc::new(client)).await?;
        // TLS 1.3: the server checks the client's proof after the client's
        // side completes; the refusal arrives as the first read.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        channel.write_all(b"\0\0\0\x01\0").await?;
        let mut buf = [0u8; 1];
        channel.read_exact(&mut buf).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    }
    .await;
    assert!(outcome.is_err(), "the forged device was not refused");
    assert_eq!(records(&a), before, "nothing reached A");
}

/// A client certificate resolver that always offers one certified key.
#[derive(Debug)]
struct AlwaysCert(Arc<rustls::sign::CertifiedKey>);

impl rustls::client::ResolvesClientCert for AlwaysCert {
    fn resolve(
        &self,
        _hints: &[&[u8]],
        _schemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
    fn has_certs(&self) -> bool {
        true
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_enforces_its_limits_with_clear_errors() {
    let limits = Limits {
        max_connections: 2,
        max_sessions_per_device: 1,
        bytes_per_second_per_device: 0,
        idle_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let t = [5u8; 16];
    let relay = relay_for(vec![access(t, None)], limits).await;
    let s = settings(&relay, None);
    let client = |k: &DeviceKey| {
        RelayClient::standalone(
            DeviceKey::from_secret(k.secret_bytes()),
            loopback(),
            t,
            s.clone(),
        )
        .unwrap()
    };
    let (xk, yk, zk) = (
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    let (x, y, z) = (client(&xk), client(&yk), client(&zk));
    x.connection().await.unwrap();
    y.connection().await.unwrap();
    // A third connection: the relay is full.
    let err = z.connection().await.unwrap_err();
    assert!(err.to_string().contains("the relay is full"), "{err}");
    // One session per device: a second one is refused.
    let mut first = x.open(yk.device_id()).await.unwrap();
    let (from, mut theirs) = y.accept().await.unwrap();
    assert_eq!(from, xk.device_id());
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    first.write_all(b"ping").await.unwrap();
    let mut buf = [0u8; 4];
    theirs.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"ping");
    let err = x.open(yk.device_id()).await.err().unwrap();
    assert!(err.to_string().contains("already has 1 sessions"), "{err}");
    // Idle: the relay closes the session and says why.
    let err = first.read(&mut buf).await.unwrap_err();
    assert!(err.to_string().contains("idle too long"), "{err}");
    let err = theirs.read(&mut buf).await.unwrap_err();
    assert!(err.to_string().contains("idle too long"), "{err}");
    until("slot freed", || relay.stats().sessions_active == 0).await;
    // The slot is free again; bytes flow both ways.
    let mut again = x.open(yk.device_id()).await.unwrap();
    let (_, mut theirs) = y.accept().await.unwrap();
    theirs.write_all(b"pong").await.unwrap();
    again.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"pong");
    let s = relay.stats();
    assert_eq!((s.idle_closed, s.sessions_total), (1, 2), "{s:?}");
    assert!(s.refusals >= 2, "{s:?}");
    // Graceful shutdown: no new session, the running one goes on for the
    // grace period, then is closed with a reason.
    let stopping = tokio::spawn(async move { relay.shutdown(Duration::from_millis(700)).await });
    let err = loop {
        match x.open(yk.device_id()).await {
            Err(e) if e.to_string().contains("shutting down") => break e,
            Err(e) => assert!(e.to_string().contains("already has 1"), "{e}"),
            Ok(_) => panic!("a new session during shutdown"),
        }
    };
    assert_eq!(err.kind(), ErrorKind::RelayRefused, "{err}");
    theirs.write_all(b"last").await.unwrap();
    again.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"last");
    let err = again.read(&mut buf).await.unwrap_err();
    assert!(err.to_string().contains("shutting down"), "{err}");
    stopping.await.unwrap();
}

/// Connects to the relay from `from` with a fresh key, keeps the
/// connection alive and never registers: a stranger holding a place.
async fn stranger(relay: SocketAddr, from: &str) -> Result<quinn::Connection, String> {
    let key = DeviceKey::generate().unwrap();
    let crypto = tls::relay_client_config(&key, None).unwrap();
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(crypto).unwrap();
    let mut cfg = quinn::ClientConfig::new(Arc::new(crypto));
    let mut transport = quinn::TransportConfig::default();
    transport.keep_alive_interval(Some(Duration::from_millis(200)));
    cfg.transport_config(Arc::new(transport));
    let endpoint = quinn::Endpoint::client(format!("{from}:0").parse().unwrap()).unwrap();
    let conn = endpoint
        .connect_with(cfg, relay, deko_core::net::relay::RELAY_NAME)
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    // QUIC may finish the client's side before the relay has looked at it.
    match tokio::time::timeout(Duration::from_millis(300), conn.closed()).await {
        Ok(e) => Err(e.to_string()),
        Err(_) => Ok(conn),
    }
}

/// Why the relay closed `conn` (waits for it).
async fn closed_because(conn: &quinn::Connection) -> String {
    match tokio::time::timeout(Duration::from_secs(10), conn.closed()).await {
        Ok(quinn::ConnectionError::ApplicationClosed(c)) => {
            String::from_utf8_lossy(&c.reason).into_owned()
        }
        Ok(e) => e.to_string(),
        Err(_) => panic!("the relay kept the connection"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_cannot_hold_the_relays_places() {
    let limits = Limits {
        max_unregistered: 4,
        max_unregistered_per_address: 2,
        register_within: Duration::from_secs(2),
        ..Limits::default()
    };
    let t = [6u8; 16];
    let relay = relay_for(vec![access(t, Some(TOKEN))], limits).await;
    let addr = relay.local_addr().unwrap();
    let s = settings(&relay, Some(TOKEN));
    let client = |k: &DeviceKey, s: &RelaySettings| {
        RelayClient::standalone(
            DeviceKey::from_secret(k.secret_bytes()),
            loopback(),
            t,
            s.clone(),
        )
        .unwrap()
    };
    let (xk, yk) = (
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    let (x, y) = (client(&xk, &s), client(&yk, &s));
    x.connection().await.unwrap();
    y.connection().await.unwrap();
    // Two strangers from one address; a third from it is refused.
    let s1 = stranger(addr, "127.0.0.2").await.unwrap();
    let _s2 = stranger(addr, "127.0.0.2").await.unwrap();
    assert!(stranger(addr, "127.0.0.2").await.is_err());
    // Two more from elsewhere fill the places; a fifth lets the oldest go.
    let _s3 = stranger(addr, "127.0.0.3").await.unwrap();
    let _s4 = stranger(addr, "127.0.0.4").await.unwrap();
    assert_eq!(relay.stats().unregistered, 4, "{:?}", relay.stats());
    let _s5 = stranger(addr, "127.0.0.5").await.unwrap();
    assert!(closed_because(&s1).await.contains("busy"));
    assert_eq!(relay.stats().unregistered, 4, "{:?}", relay.stats());
    // The registered pair is not touched: a session opens, bytes flow.
    let mut first = x.open(yk.device_id()).await.unwrap();
    let (from, mut theirs) = y.accept().await.unwrap();
    assert_eq!(from, xk.device_id());
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    first.write_all(b"ping").await.unwrap();
    let mut buf = [0u8; 4];
    theirs.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"ping");
    // A new device still gets in while strangers wait.
    let zk = DeviceKey::generate().unwrap();
    let z = client(&zk, &s);
    z.connection().await.unwrap();
    // Strangers that do not register in time are cut, keep-alives or not.
    assert!(closed_because(&_s5).await.contains("deadline"));
    until("no stranger left", || relay.stats().unregistered == 0).await;
    // A registration the relay refuses ends the connection.
    let wrong = client(
        &DeviceKey::generate().unwrap(),
        &settings(&relay, Some(b"wrong")),
    );
    let err = wrong.connection().await.unwrap_err();
    assert!(err.to_string().contains("wrong relay token"), "{err}");
    until("refused connection closed", || {
        let s = relay.stats();
        (s.connections, s.registered) == (3, 3)
    })
    .await;
}

async fn bind_on(addr: SocketAddr, team: [u8; 16], limits: Limits) -> RelayServer {
    let start = Instant::now();
    loop {
        let mut cfg = RelayConfig::new(addr, DeviceKey::generate().unwrap());
        cfg.teams = vec![access(team, Some(TOKEN))];
        cfg.limits = limits.clone();
        match RelayServer::bind(cfg).await {
            Ok(r) => return r,
            Err(e) if start.elapsed() < Duration::from_secs(10) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot rebind {addr}: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_stopped_mid_sync_and_restarted_loses_and_duplicates_nothing() {
    // 128 KiB/s per device, so the transfer takes a few seconds.
    let limits = Limits {
        bytes_per_second_per_device: 128 << 10,
        ..Limits::default()
    };
    let (a, _da, relay) = founder_on_relay(10, None, limits.clone()).await;
    let addr = relay.local_addr().unwrap();
    let (b, _db) = join_via_relay(&a, "B").await;
    a.with_crm(|c| people(c, 3_000, "big"));
    let b_events = record_events(&b);
    let sync = {
        let id = a.device_id();
        let b = Arc::new(b);
        let bb = b.clone();
        (b, tokio::spawn(async move { sync_at(&bb, id, &[]).await }))
    };
    let (b, task) = sync;
    // Cut once a third of the records' bytes went through.
    until("records move", || relay.stats().bytes_forwarded > 200_000).await;
    relay.shutdown(Duration::ZERO).await;
    drop(relay);
    let err = task.await.unwrap().unwrap_err();
    assert!(!err.to_string().is_empty());
    assert!(records(&b) < records(&a), "the sync was cut");
    // Same port, new process state: devices reconnect and finish.
    let relay = bind_on(addr, team(&a), limits).await;
    let start = Instant::now();
    let stats = loop {
        match sync_at(&b, a.device_id(), &[]).await {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "never finished: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    assert!(stats.received > 0 && stats.refused == 0, "{stats:?}");
    assert_eq!(records(&a), records(&b));
    assert_eq!(digest(&a), digest(&b));
    // Whole and without duplicates: per author, seq 1..=n all there once.
    b.with_crm(|c| {
        let vv = c.store().version_vector().unwrap();
        assert_eq!(vv.values().sum::<u64>(), c.store().record_count().unwrap());
        assert_eq!(c.store().count("person").unwrap(), 3_010);
    });
    assert!(relay.stats().sessions_total >= 1);
    // B's events tell the story: a relayed session failed, a later one finished.
    let events = b_events.lock().unwrap();
    let failed = events
        .iter()
        .position(|e| matches!(e, SyncEvent::Failed { peer: Some(p), .. } if *p == a.device_id()))
        .expect("the cut is reported");
    assert!(
        events[failed..]
            .iter()
            .any(|e| matches!(e, SyncEvent::Finished { .. }))
    );
    assert!(count_started(&events, Via::Relay, true) >= 2);
}
