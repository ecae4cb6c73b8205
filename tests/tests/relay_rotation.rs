//! Rotating the team's relay token over real QUIC on loopback: an admin
//! revokes a lost phone and gives the relay a new token; members pick it
//! up with their next sync (through the relay itself, on the old token,
//! during the grace period); the revoked phone never learns it and loses
//! the relay when the grace ends.

use std::time::{Duration, Instant};

use deko_core::ErrorKind;
use deko_core::identity::DeviceKey;
use deko_core::model::PersonDraft;
use deko_core::net::relay::{Limits, RelayConfig, RelayServer, RelaySettings, TeamAccess};
use deko_core::node::{Node, rotate_relay_token, set_team_relay, team_relay};
use deko_core::record::Role;
use deko_tests::{Device, join_team, loopback, people, sync_at};

const TTL: Duration = Duration::from_secs(600);
const OLD: &[u8] = b"acme relay token";

fn team(n: &Node) -> [u8; 16] {
    n.with_crm(|c| c.store().team_id().unwrap().0)
}

fn access(team: [u8; 16], token: &[u8]) -> TeamAccess {
    TeamAccess {
        team,
        token: Some(token.to_vec()),
    }
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

/// A device that joins through the relay only (the ticket has no address).
async fn join_via_relay(a: &Node, name: &str) -> (Node, tempfile::TempDir) {
    let ticket = a.ticket(vec![], Some((Role::Member, TTL))).unwrap();
    let d = Device::new();
    let (b, _) = join_team(d.crm, &ticket.to_uri().unwrap(), name)
        .await
        .unwrap();
    (b, d.dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_token_reaches_members_and_a_revoked_phone_loses_the_relay() {
    let mut d = Device::founder("Acme s.r.o.");
    people(&mut d.crm, 20, "A");
    let a = Node::start(d.crm, loopback()).await.unwrap();
    let mut cfg = RelayConfig::new(loopback(), DeviceKey::generate().unwrap());
    cfg.teams = vec![access(team(&a), OLD)];
    cfg.limits = Limits::default();
    let relay = RelayServer::bind(cfg).await.unwrap();
    let old = RelaySettings::new(relay.local_addr().unwrap(), Some(OLD.to_vec()));
    // The admin makes it the team's relay; devices joining take it too.
    a.with_crm(|c| set_team_relay(c, Some(&old)).unwrap());
    a.set_relay(Some(old.clone())).unwrap();
    // A registers in the background: joins through the relay need it there.
    until("the admin registered", || relay.stats().registered == 1).await;
    let (b, _db) = join_via_relay(&a, "Petr").await;
    let (lost, _dl) = join_via_relay(&a, "Lost phone").await;
    assert_eq!(b.with_crm(|c| team_relay(c).unwrap()), Some(old.clone()));
    until("all three registered", || relay.stats().registered == 3).await;

    // A member cannot change the team's relay.
    let refused = b.with_crm(|c| rotate_relay_token(c, None)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotAdmin, "{refused}");

    // The phone is lost: the admin revokes it and rotates the token.
    let lost_id = lost.device_id();
    a.with_crm(|c| c.store_mut().revoke(lost_id).unwrap());
    let new = a.with_crm(|c| rotate_relay_token(c, None).unwrap());
    assert_eq!(new.relay, old.relay);
    assert_ne!(new.token, old.token);
    a.set_relay(Some(new.clone())).unwrap();
    // The operator puts the new token on the relay's list; the old one is
    // accepted for a grace period.
    relay
        .set_teams(
            vec![access(team(&a), new.token.as_deref().unwrap())],
            Duration::from_secs(3600),
        )
        .unwrap();
    until("the admin registered with the new token", || {
        relay.stats().registered == 3
    })
    .await;

    // B syncs through the relay on the old token and comes back with the
    // new one, which its node then registers with.
    a.with_crm(|c| {
        c.create_person(PersonDraft {
            given: Some("After".into()),
            family: Some("Rotation".into()),
            ..Default::default()
        })
        .unwrap()
    });
    // A registers again with the new token (the relay's count of
    // registrations does not show when): until it has, the relay says A
    // is not there, and a session that reached A's old registration is
    // cut when A drops it ("stream reset"); B tries again, as its node
    // would.
    let start = Instant::now();
    let stats = loop {
        match sync_at(&b, a.device_id(), &[]).await {
            Ok(stats) => break stats,
            Err(e)
                if matches!(e.kind(), ErrorKind::RelayRefused | ErrorKind::Network)
                    && start.elapsed() < Duration::from_secs(20) =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("B could not reach A through the relay: {e}"),
        }
    };
    assert!(stats.applied > 0, "{stats:?}");
    assert_eq!(b.with_crm(|c| team_relay(c).unwrap()), Some(new.clone()));
    assert_eq!(
        b.relay_settings(),
        Some(new.clone()),
        "B follows the team's token"
    );

    // The revoked phone may connect (to learn it was revoked) but is sent
    // nothing written after its revocation: not the new token.
    let _ = sync_at(&lost, a.device_id(), &[]).await;
    assert_ne!(lost.with_crm(|c| team_relay(c).unwrap()), Some(new.clone()));
    assert_eq!(lost.relay_settings(), Some(old.clone()));

    // The grace ends (the operator applies the list with no grace): the
    // phone still on the old token is cut and cannot register again.
    relay
        .set_teams(
            vec![access(team(&a), new.token.as_deref().unwrap())],
            Duration::ZERO,
        )
        .unwrap();
    until("only A and B stay registered", || {
        relay.stats().registered == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(relay.stats().registered, 2, "the lost phone stays out");
    let e = sync_at(&lost, b.device_id(), &[]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RelayRefused, "{e}");

    // The members still sync through the relay.
    b.with_crm(|c| people(c, 3, "B"));
    let stats = sync_at(&a, b.device_id(), &[]).await.unwrap();
    assert_eq!(stats.received, 3, "{stats:?}");
    relay.shutdown(Duration::from_secs(1)).await;
}
