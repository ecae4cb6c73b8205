//! After a large transfer the views catch up on a connection of their own,
//! one transaction per step: the app's reads get in during the catch-up
//! (seeing part of the views caught up) instead of waiting for all of it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use deko_core::model::PersonDraft;
use deko_core::node::{Node, SyncOptions, SyncTarget};
use deko_core::store::CATCH_UP_CHUNK;

use super::nodes::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_get_in_while_the_views_catch_up() {
    let (_da, a) = founder(0);
    let a = Node::start(a, loopback()).await.unwrap();
    let (_db, b, _) = joined(&a, "Petr").await;
    let b = Arc::new(b);
    // A learns many people at once; B will receive them in large batches,
    // whose projections wait for the catch-up after the session.
    let n = CATCH_UP_CHUNK + 500;
    a.with_crm(|c| {
        let started = c.store_mut().begin_bulk().unwrap();
        for i in 0..n {
            c.create_person(PersonDraft {
                given: Some(format!("Person {i}")),
                ..Default::default()
            })
            .unwrap();
        }
        c.store_mut().end_bulk(started, Ok(())).unwrap();
    });
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (b, done) = (b.clone(), done.clone());
        tokio::task::spawn_blocking(move || {
            // Each read: how many entities still wait for their views, seen
            // from outside the catch-up.
            let mut behind_seen = Vec::new();
            while !done.load(Ordering::SeqCst) {
                let behind = b.with_crm(|c| c.store().projections_behind().unwrap());
                behind_seen.push(behind);
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            behind_seen
        })
    };
    let report = b
        .sync(SyncTarget::Device(a.device_id()), &SyncOptions::default())
        .await
        .unwrap();
    done.store(true, Ordering::SeqCst);
    assert!(report.outcomes[0].result.is_ok(), "{report:?}");
    let seen = reader.await.unwrap();
    // The backlog grows during the transfer, then shrinks as the views
    // catch up: some read happened between two steps of the catch-up (part
    // caught up, part still behind), not only before or after all of it.
    let peak = seen.iter().position(|&b| b == n as u64);
    let between = peak.is_some_and(|p| seen[p..].iter().any(|&b| b > 0 && b < n as u64));
    let mut steps = seen.clone();
    steps.dedup();
    assert!(between, "no read got in during the catch-up: {steps:?}");
    assert_eq!(b.with_crm(|c| c.store().projections_behind().unwrap()), 0);
    assert_eq!(
        b.with_crm(|c| c
            .people(
                Default::default(),
                &deko_core::model::Page {
                    offset: 0,
                    limit: usize::MAX
                }
            )
            .unwrap()
            .len()),
        n
    );
}
