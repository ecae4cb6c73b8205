//! Sync stream bytes, cut into chunks at fuzzer-chosen points, through
//! `FrameDecoder` and `Message::decode`.
//!
//! Input: byte 0 gives `k = byte % 16` chunk lengths, the next `k` bytes are
//! those lengths (used in turn, over and over; 0 pushes an empty slice), the
//! rest is the stream. Checks, besides never panicking:
//! - the chunked decoder yields exactly the frames (and the same oversize
//!   error) as a reference parse of the whole stream at once, and then holds
//!   exactly the bytes of the unfinished frame;
//! - every message that decodes re-encodes to a message that decodes equal,
//!   and survives framing.

#![no_main]

use deko_core::sync::{FrameDecoder, MAX_FRAME, Message, encode_frame};
use libfuzzer_sys::fuzz_target;

/// The whole stream at once: the whole frames, whether an oversized length
/// was reached, and how many bytes of an unfinished frame remain.
fn reference(stream: &[u8]) -> (Vec<&[u8]>, bool, usize) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.len() < 4 {
            return (frames, false, rest.len());
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > MAX_FRAME {
            return (frames, true, rest.len());
        }
        if rest.len() < 4 + len {
            return (frames, false, rest.len());
        }
        frames.push(&rest[4..4 + len]);
        rest = &rest[4 + len..];
    }
}

/// Pushes `stream` in chunks of `cuts` lengths (cyclically), draining whole
/// frames after each push; stops at the first error like a session does.
fn chunked(cuts: &[u8], stream: &[u8]) -> (Vec<Vec<u8>>, bool, usize) {
    let mut decoder = FrameDecoder::new();
    let mut frames = Vec::new();
    let mut pos = 0;
    let mut step = 0;
    let progress: usize = cuts.iter().map(|&c| usize::from(c)).sum();
    loop {
        let end = if cuts.is_empty() || (progress == 0 && step >= cuts.len()) {
            stream.len()
        } else {
            (pos + usize::from(cuts[step % cuts.len()])).min(stream.len())
        };
        decoder.push(&stream[pos..end]);
        pos = end;
        step += 1;
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(_) => return (frames, true, decoder.pending_bytes()),
            }
        }
        if pos == stream.len() && (progress > 0 || step >= cuts.len()) {
            return (frames, false, decoder.pending_bytes());
        }
    }
}

fn check_message(frame: &[u8]) {
    let Ok(message) = Message::decode(frame) else {
        return;
    };
    let encoded = message.encode();
    assert_eq!(
        Message::decode(&encoded).as_ref(),
        Ok(&message),
        "re-encoded message does not decode equal"
    );
    let mut decoder = FrameDecoder::new();
    decoder.push(&encode_frame(&encoded));
    assert_eq!(
        decoder.next_frame().expect("own frame refused").as_deref(),
        Some(encoded.as_slice())
    );
    assert_eq!(decoder.pending_bytes(), 0);
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let k = usize::from(k % 16).min(rest.len());
    let (cuts, stream) = rest.split_at(k);

    let (want, want_err, want_pending) = reference(stream);
    let (got, got_err, got_pending) = chunked(cuts, stream);
    assert_eq!(
        got_err, want_err,
        "oversize error differs from the reference"
    );
    assert!(
        got.iter().map(Vec::as_slice).eq(want.iter().copied()),
        "chunked frames differ from the reference"
    );
    if !got_err {
        assert_eq!(got_pending, want_pending, "pending bytes differ");
    }

    for frame in &got {
        check_message(frame);
    }
});
