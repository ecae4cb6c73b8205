//! The sync messages (postcard inside a frame).

use serde::{Deserialize, Serialize};

use crate::identity::DeviceId;

/// What travels on the sync stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// First message of each side.
    Hello {
        /// The sync protocol version.
        protocol: u16,
        /// The newest record body format this side applies.
        format: u16,
        /// The team.
        team: [u8; 16],
        /// BLAKE3 of the sender's version vector: equal digests settle an
        /// up-to-date pair in one round trip.
        digest: [u8; 32],
    },
    /// The sender's version vector (only when the digests differ).
    Vector(Vec<(DeviceId, u64)>),
    /// Records the receiver lacks, one author's in seq order.
    Records(Vec<Vec<u8>>),
    /// The receiver stored a batch (flow control: frees a window slot).
    Ack {
        /// Records of the batch now held (applied or waiting).
        stored: u32,
    },
    /// The sender has sent everything the receiver lacked.
    Done,
    /// The sender has received and stored all it was sent; its vector now
    /// has this digest.
    Finished {
        /// BLAKE3 of the sender's version vector after the session.
        digest: [u8; 32],
    },
    /// The sender ends the session because of this error.
    Error(String),
}

impl Message {
    /// Encodes the message (without frame).
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("encoding into a Vec cannot fail")
    }

    /// Decodes a frame's payload; the whole payload must be used. A
    /// `Records` message announcing more than [`MAX_RECORDS_PER_MESSAGE`]
    /// records is refused before anything of it is decoded (4 MiB of empty
    /// records would otherwise become millions of allocations).
    pub fn decode(bytes: &[u8]) -> Result<Message, String> {
        if let Some(n) = records_announced(bytes)
            && n > MAX_RECORDS_PER_MESSAGE as u64
        {
            return Err(format!(
                "a batch of {n} records (at most {MAX_RECORDS_PER_MESSAGE} are allowed)"
            ));
        }
        let (m, rest) = postcard::take_from_bytes::<Message>(bytes).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err(format!("{} trailing bytes after the message", rest.len()));
        }
        Ok(m)
    }
}
/// The most records one `Records` message may carry (senders batch 1,000).
pub const MAX_RECORDS_PER_MESSAGE: usize = 4_096;

/// The record count a `Records` payload announces, read from its first
/// bytes (postcard: the variant index, then the length, as varints).
fn records_announced(bytes: &[u8]) -> Option<u64> {
    const RECORDS_VARIANT: u64 = 2;
    let (variant, rest) = varint(bytes)?;
    if variant != RECORDS_VARIANT {
        return None;
    }
    varint(rest).map(|(n, _)| n)
}

/// A LEB128 varint (at most 10 bytes) and what follows it.
fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut n: u64 = 0;
    for (i, b) in bytes.iter().take(10).enumerate() {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_over_the_bound_is_refused_before_decoding() {
        // The peek relies on the variant order: Records is the third.
        assert_eq!(Message::Records(vec![]).encode()[0], 2);
        let ok = Message::Records(vec![Vec::new(); MAX_RECORDS_PER_MESSAGE]).encode();
        assert!(Message::decode(&ok).is_ok());
        let over = Message::Records(vec![Vec::new(); MAX_RECORDS_PER_MESSAGE + 1]).encode();
        let err = Message::decode(&over).unwrap_err();
        assert!(err.contains("at most 4096"), "{err}");
        // A forged count with nothing behind it is refused the same way.
        let mut forged = vec![2u8];
        forged.extend([0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(Message::decode(&forged).unwrap_err().contains("records"));
    }
}
