//! Looking ahead in the incoming byte stream for record batches, so an I/O
//! driver can verify their signatures on another core while the session
//! still writes the previous batch. Pure: bytes in, batches out; anything
//! it cannot read is left for the session, which reports it.

use super::frame::FrameDecoder;
use super::message::Message;

/// Finds the record batches in a stream of frames, as they complete.
#[derive(Debug, Default)]
pub struct Lookahead {
    frames: FrameDecoder,
    broken: bool,
}

impl Lookahead {
    /// A lookahead at the start of a session's stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bytes of the stream (the same bytes, in the same
    /// order, that the session gets) and returns the record batches of the
    /// frames they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        if self.broken {
            return Vec::new();
        }
        self.frames.push(bytes);
        let mut batches = Vec::new();
        loop {
            match self.frames.next_frame() {
                Ok(Some(frame)) => {
                    if let Ok(Message::Records(records)) = Message::decode(&frame) {
                        batches.push(records);
                    }
                }
                Ok(None) => break,
                // The session meets the same bad frame and ends with it.
                Err(_) => {
                    self.broken = true;
                    break;
                }
            }
        }
        batches
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::encode_frame;

    #[test]
    fn finds_record_batches_across_chunk_boundaries() {
        let mut stream = Vec::new();
        stream.extend(encode_frame(&Message::Done.encode()));
        stream.extend(encode_frame(
            &Message::Records(vec![vec![1, 2, 3], vec![4]]).encode(),
        ));
        stream.extend(encode_frame(&Message::Records(vec![vec![5]]).encode()));
        let mut la = Lookahead::new();
        let mut found = Vec::new();
        for chunk in stream.chunks(3) {
            found.extend(la.push(chunk));
        }
        assert_eq!(found, vec![vec![vec![1, 2, 3], vec![4]], vec![vec![5]]]);
    }

    #[test]
    fn a_bad_frame_stops_the_lookahead_quietly() {
        let mut la = Lookahead::new();
        assert!(la.push(&u32::MAX.to_be_bytes()).is_empty());
        let ok = encode_frame(&Message::Records(vec![vec![1]]).encode());
        assert!(la.push(&ok).is_empty());
    }
}
