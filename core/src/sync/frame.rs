//! Frames on the sync stream: a 4-byte big-endian length, then that many
//! bytes of message. A length over [`MAX_FRAME`] ends the session before any
//! of the frame is buffered.

use crate::error::{Error, Result, SyncError};

/// The largest frame either side accepts (4 MiB): a batch of records is
/// split well below it.
pub const MAX_FRAME: usize = 4 * 1024 * 1024;

/// Prefixes `payload` with its length.
pub fn encode_frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + payload.len());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Collects stream bytes and hands out whole frames.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buf: Vec<u8>,
}

impl FrameDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame, if one is buffered; an error if the next frame
    /// announces more than [`MAX_FRAME`] bytes.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>> {
        if self.buf.len() < 4 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]) as usize;
        if len > MAX_FRAME {
            return Err(Error::Sync(SyncError::Protocol(format!(
                "frame of {len} bytes exceeds the limit of {MAX_FRAME}"
            ))));
        }
        if self.buf.len() < 4 + len {
            return Ok(None);
        }
        let frame = self.buf[4..4 + len].to_vec();
        self.buf.drain(..4 + len);
        Ok(Some(frame))
    }

    /// Bytes buffered but not yet a whole frame (a stream that ends with
    /// some is truncated).
    pub fn pending_bytes(&self) -> usize {
        self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_anywhere_come_out_whole() {
        let a = encode_frame(b"hello");
        let b = encode_frame(&[7u8; 1000]);
        let mut all = a.clone();
        all.extend_from_slice(&b);
        for cut in 0..all.len() {
            let mut d = FrameDecoder::new();
            d.push(&all[..cut]);
            let mut got = Vec::new();
            while let Some(f) = d.next_frame().unwrap() {
                got.push(f);
            }
            d.push(&all[cut..]);
            while let Some(f) = d.next_frame().unwrap() {
                got.push(f);
            }
            assert_eq!(got, vec![b"hello".to_vec(), vec![7u8; 1000]]);
            assert_eq!(d.pending_bytes(), 0);
        }
    }

    #[test]
    fn oversized_length_is_refused_before_buffering() {
        let mut d = FrameDecoder::new();
        d.push(&((MAX_FRAME as u32) + 1).to_be_bytes());
        let err = d.next_frame().unwrap_err();
        assert!(err.to_string().contains("exceeds the limit"), "{err}");
    }
}
