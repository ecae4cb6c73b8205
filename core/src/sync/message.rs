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

    /// Decodes a frame's payload; the whole payload must be used.
    pub fn decode(bytes: &[u8]) -> Result<Message, String> {
        let (m, rest) = postcard::take_from_bytes::<Message>(bytes).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err(format!("{} trailing bytes after the message", rest.len()));
        }
        Ok(m)
    }
}
