//! Memory from one frame (issue 16): a peer sending a 4 MiB `Records` frame
//! of millions of empty records must not make the receiver allocate
//! hundreds of MB. A hand-built peer drives a real session (sans-IO, over a
//! real store) and the read-ahead; a counting allocator measures the peak.
//! Its own test binary: the allocator counts the whole process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use deko_core::node::StoreSync;
use deko_core::store::Store;
use deko_core::sync::{
    Lookahead, MAX_FRAME, Message, PROTOCOL_VERSION, Session, SessionConfig, encode_frame,
};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes allocated at the peak of `f`, above what was allocated before.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let r = f();
    (r, PEAK.load(Ordering::SeqCst) - before)
}

#[test]
fn a_frame_of_millions_of_empty_records_costs_no_more_than_its_bytes() {
    let mut store = Store::open_in_memory().unwrap();
    let team = store.create_team("Acme", "Eva").unwrap();
    // The hostile frame: as many empty records as fit in 4 MiB.
    let hostile = encode_frame(&Message::Records(vec![Vec::new(); MAX_FRAME - 16]).encode());
    assert!(hostile.len() <= MAX_FRAME + 4);
    let mut stream = encode_frame(
        &Message::Hello {
            protocol: PROTOCOL_VERSION,
            format: deko_core::record::BODY_VERSION,
            team: team.0,
            digest: [0; 32],
        }
        .encode(),
    );
    stream.extend(encode_frame(&Message::Vector(vec![]).encode()));
    stream.extend(&hostile);
    let mut session = Session::new(SessionConfig::new(team.0), &mut StoreSync(&mut store)).unwrap();
    let (result, peak) = peak_of(|| session.handle_input(&mut StoreSync(&mut store), &stream));
    let err = result.unwrap_err();
    assert!(err.to_string().contains("at most 4096"), "{err}");
    assert!(session.is_failed());
    // The frame is copied into the decoder once: a few MB, not hundreds.
    assert!(peak < 3 * MAX_FRAME, "the session allocated {peak} bytes");
    // The read-ahead that verifies batches on another core skips it too.
    let mut ahead = Lookahead::new();
    let (batches, peak) = peak_of(|| ahead.push(&hostile));
    assert!(batches.is_empty());
    assert!(
        peak < 3 * MAX_FRAME,
        "the read-ahead allocated {peak} bytes"
    );
}
