//! Honest sync results: a peer serves records that are damaged on its
//! disk or forged (a bad signature, a broken chain), over real QUIC between
//! real SQLite files. The receiving side stores none of them, and its
//! result and its events list each with its author, seq and reason.

use std::sync::{Arc, Mutex};

use deko_core::identity::DeviceId;
use deko_core::model::Crm;
use deko_core::net::SyncEvent;
use deko_core::node::Node;
use deko_core::record::{EntityId, Role, SignedRecord};
use deko_core::sync::{RefusalCount, RefusalReason, RefusalSummary, SessionStats, final_count};
use rusqlite::params;

use super::nodes::*;
use super::refusals::{Author, put_name};

/// Replaces the stored bytes of `author`'s record `seq` in `crm`'s log,
/// as a damaged disk or a forging device would serve them.
fn replace_record(crm: &Crm, author: DeviceId, seq: u64, bytes: &[u8]) {
    let n = crm
        .store()
        .conn()
        .execute(
            "UPDATE records SET bytes = ?1 WHERE author = ?2 AND seq = ?3",
            params![bytes, &author.0[..], seq as i64],
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_with_a_bad_signature_or_a_broken_chain_are_listed_with_their_reasons() {
    let (_da, mut crm) = founder(10);
    // Two members writing through A: their records are in A's log.
    let mut x = Author::admitted(crm.store_mut(), Role::Member);
    let mut y = Author::admitted(crm.store_mut(), Role::Member);
    let x1 = x.next(&put_name(EntityId::new(), "x one"));
    let x2 = x.next(&put_name(EntityId::new(), "x two"));
    let y1 = y.next(&put_name(EntityId::new(), "y one"));
    let report = crm
        .store_mut()
        .apply_remote(vec![
            x1.bytes().to_vec(),
            x2.bytes().to_vec(),
            y1.bytes().to_vec(),
        ])
        .unwrap();
    assert_eq!(report.applied, 3);
    // On A's disk: X's first record replaced by another one, validly
    // signed (so X's second no longer follows it); one bit of Y's
    // signature flipped.
    let other = SignedRecord::sign(
        &x.key,
        x.header(1, deko_core::record::RecordId::ZERO),
        &put_name(EntityId::new(), "x other").encode(),
    )
    .unwrap();
    replace_record(&crm, x.key.device_id(), 1, other.bytes());
    let mut damaged = y1.bytes().to_vec();
    *damaged.last_mut().unwrap() ^= 1;
    replace_record(&crm, y.key.device_id(), 1, &damaged);

    let a = Node::start(crm, loopback()).await.unwrap();
    let ticket = invite(&a, vec![a.local_addr().unwrap()]);
    let db = Db::new();
    let finished: Arc<Mutex<Vec<SessionStats>>> = Arc::default();
    let f = finished.clone();
    let mut options = joining("Petr");
    options.listener = Some(Arc::new(move |e: &SyncEvent| {
        if let SyncEvent::Finished { stats, .. } = e {
            f.lock().unwrap().push(stats.clone());
        }
    }));
    let (b, joined) = Node::join(db.open(), &ticket, options).await.unwrap();
    let stats = &joined.stats;
    assert_eq!(stats.refused, 2, "{stats:?}");
    assert_eq!(final_count(&stats.refused_by_reason), 2);
    assert_eq!(
        stats.refused_by_reason,
        vec![
            RefusalCount {
                reason: RefusalReason::BadSignature,
                count: 1
            },
            RefusalCount {
                reason: RefusalReason::BrokenChain,
                count: 1
            },
        ]
    );
    let mut listed: Vec<(DeviceId, u64, RefusalReason)> = stats
        .refusals
        .iter()
        .map(|x| (x.author.unwrap(), x.seq.unwrap(), x.reason))
        .collect();
    listed.sort_by_key(|l| l.2);
    assert_eq!(
        listed,
        vec![
            (y.key.device_id(), 1, RefusalReason::BadSignature),
            (x.key.device_id(), 2, RefusalReason::BrokenChain),
        ]
    );
    assert!(
        stats.refusals.iter().all(|x| x.detail.contains("record")),
        "{stats:?}"
    );
    assert_eq!(
        RefusalSummary(&stats.refused_by_reason).to_string(),
        "2 records refused: bad signature (1), broken chain (1)"
    );
    // The session's Finished event carried the same.
    assert_eq!(finished.lock().unwrap().last(), Some(stats));
    // Neither was stored; the replaced first record of X was (it is valid).
    b.with_crm(|c| {
        let vv = c.store().version_vector().unwrap();
        assert_eq!(vv.get(&x.key.device_id()), Some(&1));
        assert_eq!(vv.get(&y.key.device_id()), None);
    });

    // A later sync offers them again and says so again.
    let report = b
        .sync(
            deko_core::node::SyncTarget::Device(a.device_id()),
            &Default::default(),
        )
        .await
        .unwrap();
    let again = report.total();
    assert_eq!(final_count(&again.refused_by_reason), 2, "{again:?}");
}
