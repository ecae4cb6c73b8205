//! The relay through the FFI API, as the apps use it: a real relay server on
//! loopback, two databases in real SQLite files whose tickets name no direct
//! address, joining and syncing through the relay; `via` as the listener
//! sees it; the relay adopted from a join ticket; bad settings and a refused
//! token arriving as the flat error with the core's message.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deko_core::ErrorKind;
use deko_core::identity::DeviceKey;
use deko_core::net::relay::{RelayConfig, RelayServer, TeamAccess};
use deko_ffi::{
    Database, DekoError, InviteOptions, PersonDraft, RelaySettings, Role, SyncListener,
    SyncSettings, SyncStats, SyncVia,
};

/// The team's relay token, as bytes (the relay's configuration) and as the
/// apps write it (lowercase base32 without padding).
const TOKEN: &[u8] = b"acme relay token";
const TOKEN_TEXT: &str = "mfrw2zjaojswyylzeb2g623fny";

/// Records every `onStarted` (`via`, initiator) and error.
#[derive(Default)]
struct Recorder {
    started: Mutex<Vec<(SyncVia, bool)>>,
    errors: Mutex<Vec<String>>,
    kinds: Mutex<Vec<(ErrorKind, Option<String>)>>,
}

impl SyncListener for Recorder {
    fn on_started(&self, _peer: String, via: SyncVia, initiator: bool) -> Result<(), DekoError> {
        self.started.lock().unwrap().push((via, initiator));
        Ok(())
    }
    fn on_progress(&self, _peer: String, _stats: SyncStats) -> Result<(), DekoError> {
        Ok(())
    }
    fn on_done(&self, _peer: String, _stats: SyncStats) -> Result<(), DekoError> {
        Ok(())
    }
    fn on_views(&self, _done: u64, _total: u64) -> Result<(), DekoError> {
        Ok(())
    }
    fn on_error(
        &self,
        _peer: Option<String>,
        message: String,
        kind: ErrorKind,
        reason: Option<String>,
    ) -> Result<(), DekoError> {
        self.errors.lock().unwrap().push(message);
        self.kinds.lock().unwrap().push((kind, reason));
        Ok(())
    }
}

fn settings(relay: Option<RelaySettings>) -> SyncSettings {
    SyncSettings {
        listen: "127.0.0.1:0".into(),
        relay,
    }
}

fn relay_settings(relay: &RelayServer, token: Option<&str>) -> RelaySettings {
    RelaySettings {
        address: relay.local_addr().unwrap().to_string(),
        token: token.map(str::to_string),
    }
}

fn person(db: &Database, given: &str) -> String {
    db.create_person(PersonDraft {
        given: Some(given.into()),
        family: Some("Relayová".into()),
        ..Default::default()
    })
    .unwrap()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_databases_sync_through_the_relay() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();

    // The founder, and a relay serving its team with the token.
    let a = Database::open(path("a.db"), None).unwrap();
    a.create_team("Acme s.r.o.".into(), "Alena".into()).unwrap();
    for i in 0..50 {
        person(&a, &format!("A{i}"));
    }
    let team = a.team().unwrap().unwrap().id.0;
    let mut cfg = RelayConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    cfg.teams = vec![TeamAccess {
        team,
        token: Some(TOKEN.to_vec()),
    }];
    let relay = RelayServer::bind(cfg).await.unwrap();
    let on_relay = relay_settings(&relay, Some(&TOKEN_TEXT.to_uppercase()));
    let a_events = Arc::new(Recorder::default());
    a.add_sync_listener(a_events.clone());
    a.clone()
        .start_sync(settings(Some(on_relay.clone())))
        .await
        .unwrap();
    // The token reads back in its canonical (lowercase) form.
    let canonical = relay_settings(&relay, Some(TOKEN_TEXT));
    assert_eq!(a.relay().unwrap(), Some(canonical.clone()));
    until("the founder registers", || relay.stats().registered == 1).await;

    // The joiner has no relay of its own and a ticket with no address: it
    // joins through the ticket's relay, then keeps that relay.
    let ticket = a
        .ticket(
            vec![],
            Some(InviteOptions {
                role: Role::Member,
                ttl_s: 600,
            }),
        )
        .unwrap();
    let b = Database::open(path("b.db"), None).unwrap();
    let b_events = Arc::new(Recorder::default());
    b.add_sync_listener(b_events.clone());
    let joined = b
        .clone()
        .join(ticket, "Petr".into(), settings(None))
        .await
        .unwrap();
    assert!(joined.received > 0, "{joined:?}");
    assert_eq!(a.state_digest().unwrap(), b.state_digest().unwrap());
    assert_eq!(b.relay().unwrap(), Some(canonical.clone()));
    assert_eq!(
        b_events.started.lock().unwrap().as_slice(),
        &[(SyncVia::Relay, true)]
    );
    until("the founder's relayed session", || {
        a_events.started.lock().unwrap().as_slice() == [(SyncVia::Relay, false)]
    })
    .await;

    // A joiner with the relay in its own settings uses it from the start.
    let ticket = a
        .ticket(
            vec![],
            Some(InviteOptions {
                role: Role::Member,
                ttl_s: 600,
            }),
        )
        .unwrap();
    let d = Database::open(path("d.db"), None).unwrap();
    d.clone()
        .join(ticket, "Dana".into(), settings(Some(canonical.clone())))
        .await
        .unwrap();
    assert_eq!(d.relay().unwrap(), Some(canonical.clone()));
    assert_eq!(a.state_digest().unwrap(), d.state_digest().unwrap());
    d.clone().stop_sync().await.unwrap();

    // New work on both sides, synced with a plain ticket of the founder
    // that names no address: through the relay again.
    let from_a = person(&a, "After");
    let from_b = person(&b, "Joiner");
    let plain = a.ticket(vec![], None).unwrap();
    let stats = b.clone().sync_with_ticket(plain.clone()).await.unwrap();
    assert!(stats.received > 0 && stats.sent > 0, "{stats:?}");
    assert_eq!(a.state_digest().unwrap(), b.state_digest().unwrap());
    assert!(a.person(from_b).unwrap().is_some());
    assert!(b.person(from_a).unwrap().is_some());
    assert_eq!(
        b_events.started.lock().unwrap().as_slice(),
        &[(SyncVia::Relay, true), (SyncVia::Relay, true)]
    );

    // A wrong token: the relay refuses, and the error carries its message.
    b.clone()
        .set_relay(Some(relay_settings(&relay, Some("mfrgg"))))
        .await
        .unwrap();
    let refused = b.clone().sync_with_ticket(plain.clone()).await.unwrap_err();
    match &refused {
        DekoError::RelayRefused { reason, .. } => {
            assert!(reason.contains("wrong relay token"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        refused.to_string().contains("wrong relay token"),
        "{refused}"
    );
    assert_eq!(
        b_events.errors.lock().unwrap().last(),
        Some(&refused.to_string()),
        "the listener's error is the exception's message"
    );
    let (kind, reason) = b_events.kinds.lock().unwrap().last().cloned().unwrap();
    assert_eq!(kind, ErrorKind::RelayRefused, "and its kind");
    assert!(
        reason
            .as_deref()
            .is_some_and(|r| r.contains("wrong relay token")),
        "and the relay's own words: {reason:?}"
    );
    // Changed back, the relay serves it again.
    b.clone().set_relay(Some(canonical.clone())).await.unwrap();
    b.clone().sync_with_ticket(plain).await.unwrap();

    // Bad settings are refused before anything changes.
    for bad in [
        RelaySettings {
            address: "relay.example.com".into(),
            token: None,
        },
        RelaySettings {
            address: canonical.address.clone(),
            token: Some("not base32!".into()),
        },
    ] {
        let err = b.clone().set_relay(Some(bad)).await.unwrap_err();
        assert!(matches!(err, DekoError::BadInput { .. }), "{err:?}");
    }
    assert_eq!(b.relay().unwrap(), Some(canonical.clone()));
    let c = Database::open(path("c.db"), None).unwrap();
    c.create_team("Other".into(), "Cyril".into()).unwrap();
    let err = c
        .clone()
        .start_sync(settings(Some(RelaySettings {
            address: "relay:0".into(),
            token: None,
        })))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid input: \"relay:0\" is not a relay address (host:port)"
    );
    assert!(!c.sync_running());

    for db in [&a, &b] {
        db.clone().stop_sync().await.unwrap();
    }
    relay.shutdown(Duration::from_millis(100)).await;
}
