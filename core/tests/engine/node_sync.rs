//! `Node::join` and `Node::sync` over real QUIC on loopback between real
//! SQLite files: the attempt policy (a dead address, then a live one), the
//! peer memory (the address that answered is tried first next time), and
//! every target (every known peer, a device, an address with or without
//! the device, a ticket).

use std::time::Duration;

use deko_core::Error;
use deko_core::error::{NetError, StoreError};
use deko_core::net::{SyncEvent, Via};
use deko_core::node::{Node, SyncOptions, SyncTarget};

use super::nodes::*;

/// Dead addresses are given this long to answer.
fn quick() -> SyncOptions {
    SyncOptions {
        timeout: Duration::from_secs(2),
        ..SyncOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_address_then_a_live_one_and_the_live_one_is_tried_first_next_time() {
    let (_da, crm) = founder(20);
    let a = Node::start(crm, loopback()).await.unwrap();
    let live = a.local_addr().unwrap();
    let dead = dead_addr();
    // The ticket names the dead address first.
    let ticket = invite(&a, vec![dead, live]);
    let db = Db::new();
    let mut options = joining("Petr");
    options.sync = quick();
    let (b, joined) = Node::join(db.open(), &ticket, options).await.unwrap();
    assert_eq!(joined.via, Via::Direct);
    assert_eq!(joined.addr, Some(live));
    assert!(joined.relay.is_none());
    assert!(joined.stats.received >= 20, "{:?}", joined.stats);
    assert!(joined.stats.refusals.is_empty());
    assert_eq!(digest(&a), digest(&b));
    // Both addresses are remembered, the one that answered first.
    assert_eq!(known(&b, a.device_id()), vec![live, dead]);

    // Next time the live address is tried first: no failed attempt.
    let b_events = events(&b);
    b.with_crm(|c| add_person(c, "From B"));
    let report = b.sync(SyncTarget::AllKnown, &quick()).await.unwrap();
    assert_eq!(report.outcomes.len(), 1);
    let o = &report.outcomes[0];
    assert_eq!(o.device, a.device_id());
    assert_eq!(o.addr, Some(live));
    assert_eq!(o.via, Some(Via::Direct));
    let stats = o.result.as_ref().unwrap();
    assert_eq!((stats.sent, stats.received), (1, 0));
    assert!(failures(&b_events, a.device_id()).is_empty());
    assert_eq!(digest(&a), digest(&b));

    // Once only the dead address is left, it is tried, and its silence
    // reported as such.
    b.with_crm(|c| c.store().forget_peer(&a.device_id()).unwrap());
    b.with_crm(|c| c.store().remember_peer(a.device_id(), dead, 1).unwrap());
    let report = b
        .sync(SyncTarget::Device(a.device_id()), &quick())
        .await
        .unwrap();
    let o = &report.outcomes[0];
    assert_eq!(o.addr, Some(dead));
    assert!(o.via.is_none());
    assert!(
        matches!(&o.result, Err(Error::Net(NetError::NoAnswer(n))) if n.addr == Some(dead)),
        "{:?}",
        o.result
    );
    let failed = failures(&b_events, a.device_id());
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("did not answer"), "{failed:?}");
    // Without any address (and no relay), the device cannot be synced with.
    b.with_crm(|c| c.store().forget_peer(&a.device_id()).unwrap());
    let err = b
        .sync(SyncTarget::Device(a.device_id()), &quick())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NoAddress(d) if d == a.device_id()),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_known_peer_is_synced_and_an_address_finds_its_device_by_key() {
    let (_da, crm) = founder(5);
    let a = Node::start(crm, loopback()).await.unwrap();
    let (_db, b, _) = joined(&a, "Petr").await;
    let (_dc, c, _) = joined(&a, "Iva").await;
    // Before anyone is known, "every known peer" is an error.
    let err = a.sync(SyncTarget::AllKnown, &quick()).await.unwrap_err();
    assert!(matches!(err, Error::NoKnownPeers), "{err}");
    // B knows A from its ticket: every known peer is A alone. B learns
    // there that C joined.
    b.with_crm(|x| add_person(x, "From B"));
    c.with_crm(|x| add_person(x, "From C"));
    let report = b.sync(SyncTarget::AllKnown, &quick()).await.unwrap();
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report.outcomes[0].device, a.device_id());
    // It reaches C by C's address alone: the devices remembered there are
    // tried first, then every team device (A's key at C's address is
    // refused by the handshake), until C.
    let target = SyncTarget::Address {
        addrs: vec![c.local_addr().unwrap()],
        device: None,
    };
    let report = b.sync(target, &quick()).await.unwrap();
    let last = report.outcomes.last().unwrap();
    assert_eq!(last.device, c.device_id(), "{report:?}");
    assert!(last.result.is_ok(), "{:?}", last.result);
    assert!(
        report.outcomes[..report.outcomes.len() - 1]
            .iter()
            .all(|o| o.result.is_err())
    );
    assert_eq!(known(&b, c.device_id()), vec![c.local_addr().unwrap()]);

    // Every known peer: A and C, each reached where it answered.
    a.with_crm(|x| add_person(x, "From A"));
    let report = b.sync(SyncTarget::AllKnown, &quick()).await.unwrap();
    let mut peers: Vec<_> = report.outcomes.iter().map(|o| o.device).collect();
    peers.sort();
    let mut want = vec![a.device_id(), c.device_id()];
    want.sort();
    assert_eq!(peers, want);
    assert!(!report.all_failed());
    assert!(report.outcomes.iter().all(|o| o.result.is_ok()));
    assert_eq!(report.total().refused, 0);
    // One more round carries what B brought from A to C and back.
    b.sync(SyncTarget::AllKnown, &quick()).await.unwrap();
    let d = digest(&b);
    assert_eq!(digest(&a), d);
    assert_eq!(digest(&c), d);
    assert_eq!(b.with_crm(|x| x.store().count("person").unwrap()), 5 + 3);

    // A ticket names the device and its addresses; the address a sync
    // reached is what `into_stats` gives for a single peer.
    let ticket = a
        .ticket(vec![a.local_addr().unwrap()], None)
        .unwrap()
        .to_uri()
        .unwrap();
    let stats = c
        .sync(SyncTarget::Ticket(ticket), &quick())
        .await
        .unwrap()
        .into_stats()
        .unwrap();
    assert_eq!((stats.sent, stats.received), (0, 0));
    // A device at an address, then nothing else (no relay).
    let target = SyncTarget::at(dead_addr(), a.device_id());
    let err = c
        .sync(target, &quick())
        .await
        .unwrap()
        .into_stats()
        .unwrap_err();
    assert!(matches!(err, Error::Net(NetError::NoAnswer(_))), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_refused_or_unreachable_keeps_nothing_and_events_tell_the_joiner() {
    let (_da, crm) = founder(3);
    let a = Node::start(crm, loopback()).await.unwrap();
    let ticket = invite(&a, vec![a.local_addr().unwrap()]);
    let db = Db::new();
    let (b, _) = Node::join(db.open(), &ticket, joining("Petr"))
        .await
        .unwrap();
    // The same database joining again: it is a member already.
    b.shutdown().await;
    drop(b);
    let err = Node::join(
        db.open(),
        &invite(&a, vec![a.local_addr().unwrap()]),
        joining("P"),
    )
    .await
    .err()
    .unwrap();
    assert!(
        matches!(err, Error::Store(StoreError::AlreadyInTeam(_))),
        "{err}"
    );
    // A used invite: refused by the inviting device, after one attempt
    // (the other address is not tried).
    let other = Db::new();
    let mut options = joining("Iva");
    options.sync = quick();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    options.listener = Some(std::sync::Arc::new(move |e: &SyncEvent| {
        s.lock().unwrap().push(e.clone())
    }));
    let used = {
        let mut t = deko_core::net::ticket::Ticket::parse(&ticket, 0).unwrap();
        t.addrs.push(dead_addr());
        t.to_uri().unwrap()
    };
    let _open = invite(&a, vec![]);
    let err = Node::join(other.open(), &used, options)
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("already used"), "{err}");
    assert_eq!(other.open().store().record_count().unwrap(), 0);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.iter()
            .filter(|e| matches!(e, SyncEvent::Failed { .. }))
            .count(),
        1,
        "{seen:?}"
    );
}
