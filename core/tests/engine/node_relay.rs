//! The relay fallback of `Node::join` and `Node::sync`, with a real relay
//! server in-process on loopback: addresses that never answer are given
//! up for the relay, the joiner adopts the ticket's relay, an address
//! reached through the relay is not remembered, and "every known peer"
//! includes devices never met directly.

use std::time::Duration;

use deko_core::identity::DeviceKey;
use deko_core::net::Via;
use deko_core::net::relay::{RelayConfig, RelayServer, RelaySettings, TeamAccess};
use deko_core::node::{Node, SyncOptions, SyncTarget};

use super::nodes::*;

const TOKEN: &[u8] = b"acme relay token";

/// A relay serving `team` with TOKEN.
async fn relay_for(team: [u8; 16]) -> RelayServer {
    let mut cfg = RelayConfig::new(loopback(), DeviceKey::generate().unwrap());
    cfg.teams = vec![TeamAccess {
        team,
        token: Some(TOKEN.to_vec()),
    }];
    RelayServer::bind(cfg).await.unwrap()
}

/// Direct addresses given one second when the relay can take over.
fn quick() -> SyncOptions {
    SyncOptions {
        direct_timeout: Duration::from_secs(1),
        ..SyncOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_addresses_fall_back_to_the_relay_for_joins_and_syncs() {
    let (_da, crm) = founder(30);
    let a = Node::start(crm, loopback()).await.unwrap();
    let team = a.with_crm(|c| c.store().team_id().unwrap().0);
    let relay = relay_for(team).await;
    let settings = RelaySettings::new(relay.local_addr().unwrap(), Some(TOKEN.to_vec()));
    a.set_relay(Some(settings.clone())).unwrap();
    until("A registers", || relay.stats().registered == 1).await;

    // The ticket's only address is dead; the relay comes with the ticket.
    let dead = dead_addr();
    let ticket = invite(&a, vec![dead]);
    let db = Db::new();
    let mut options = joining("Petr");
    options.sync = quick();
    let (b, joined) = Node::join(db.open(), &ticket, options).await.unwrap();
    assert_eq!(joined.via, Via::Relay);
    assert_eq!(joined.addr, None);
    assert_eq!(joined.relay.as_ref(), Some(&settings));
    assert!(joined.stats.received >= 30, "{:?}", joined.stats);
    assert_eq!(digest(&a), digest(&b));
    // The joiner took the ticket's relay as its own.
    assert_eq!(b.relay_settings(), Some(settings.clone()));
    until("both register", || relay.stats().registered == 2).await;

    // B knows only the dead address of A: tried, then the relay.
    b.with_crm(|c| add_person(c, "From B"));
    let b_events = events(&b);
    let report = b
        .sync(SyncTarget::Device(a.device_id()), &quick())
        .await
        .unwrap();
    let o = &report.outcomes[0];
    assert_eq!(o.via, Some(Via::Relay));
    assert_eq!(o.addr, None);
    assert_eq!(o.relay.as_ref(), Some(&settings));
    assert_eq!(o.result.as_ref().unwrap().sent, 1);
    assert_eq!(
        failures(&b_events, a.device_id()).len(),
        1,
        "the dead address"
    );
    assert_eq!(digest(&a), digest(&b));
    // Reached through the relay: no address was learnt.
    assert_eq!(known(&b, a.device_id()), vec![dead]);

    // A never met B directly: with a relay, "every known peer" includes it.
    a.with_crm(|c| add_person(c, "From A"));
    let report = a.sync(SyncTarget::AllKnown, &quick()).await.unwrap();
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report.outcomes[0].device, b.device_id());
    assert_eq!(report.outcomes[0].via, Some(Via::Relay));
    assert_eq!(report.into_stats().unwrap().sent, 1);
    assert_eq!(digest(&a), digest(&b));

    // Relays not allowed (another process holds the registration): the
    // dead address is all there is.
    let no_relay = SyncOptions {
        timeout: Duration::from_secs(1),
        relay: false,
        ..SyncOptions::default()
    };
    let report = b
        .sync(SyncTarget::Device(a.device_id()), &no_relay)
        .await
        .unwrap();
    assert!(report.all_failed());
    assert!(report.outcomes[0].relay.is_none());
    assert_eq!(relay.stats().sessions_total, 3);
    relay.shutdown(Duration::from_secs(1)).await;
}
