//! A hostile peer: any byte stream, cut into chunks at fuzzer-chosen
//! points, through a sync `Session` over a real store (in memory) that
//! holds a team's records.
//!
//! Input: byte 0 is the chunk length (0: the whole stream at once), the
//! rest is what the peer sends. Checks, besides never panicking: the
//! session ends (complete or failed, also at the stream's end), and the
//! store holds exactly what it held: the peer cannot sign records (it has
//! no key), so every record it can send is one the store already holds,
//! or refused; nothing is added to the log, kept aside or changed.

#![no_main]

#[path = "common/team.rs"]
mod team;

use std::cell::RefCell;

use deko_core::node::StoreSync;
use deko_core::store::Store;
use deko_core::sync::{Session, SessionConfig};
use libfuzzer_sys::fuzz_target;

/// What the store holds, as far as a peer could change it.
#[derive(Debug, PartialEq)]
struct Held {
    records: u64,
    pending: u64,
    quarantined: u64,
    digest: String,
    vector: String,
}

fn held(store: &mut Store) -> Held {
    Held {
        records: store.record_count().expect("count"),
        pending: store.pending_count().expect("pending"),
        quarantined: store.quarantine_count().expect("quarantine"),
        digest: format!("{:?}", store.state_digest().expect("digest")),
        vector: format!("{:?}", store.version_vector().expect("vector")),
    }
}

thread_local! {
    static STORE: RefCell<Option<(Store, Held)>> = const { RefCell::new(None) };
}

fn receiver() -> (Store, Held) {
    let mut store = Store::open_in_memory().expect("in-memory store");
    store.join_team(team::team()).expect("join");
    let records = team::records()
        .into_iter()
        .map(|r| r.into_bytes())
        .collect();
    let report = store.apply_remote(records).expect("the team's records");
    assert!(report.refused.is_empty(), "{report:?}");
    let before = held(&mut store);
    (store, before)
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, stream)) = data.split_first() else {
        return;
    };
    STORE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (store, before) = cell.get_or_insert_with(receiver);
        let cfg = SessionConfig::new(team::team().0);
        let mut session = Session::new(cfg, &mut StoreSync(store)).expect("session");
        let chunk = if cut == 0 {
            stream.len().max(1)
        } else {
            usize::from(cut)
        };
        for piece in stream.chunks(chunk) {
            let _ = session.handle_input(&mut StoreSync(store), piece);
            while session.poll_transmit().is_some() {}
            if session.is_complete() || session.is_failed() {
                break;
            }
        }
        let _ = session.handle_eof();
        assert!(session.is_complete() || session.is_failed());
        assert_eq!(&held(store), before, "a peer changed what the store holds");
    });
});
