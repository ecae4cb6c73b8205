//! Change records: the signed, immutable unit of every change in Deko.
//!
//! Wire layout of envelope version 1 (fixed offsets, big-endian integers):
//!
//! ```text
//! 0      1  envelope version (1)
//! 1     16  team id
//! 17    32  author (device public key)
//! 49     8  seq (1, 2, 3 ... per author, no gaps)
//! 57    32  prev (record id of the author's seq-1 record, zeros for seq 1)
//! 89     8  hlc (hybrid logical clock)
//! 97     2  body version
//! 99     n  body (postcard, see `body`)
//! 99+n  64  ed25519 signature by the author over bytes 0 .. 99+n
//! ```
//!
//! The record id is the BLAKE3 hash of all these bytes. The bytes are stored
//! and forwarded verbatim; verifying never re-encodes.

mod body;
mod hlc;
mod ids;
mod value;
mod verify;

mod error;

pub use body::{Admit, BODY_VERSION, Body, FieldWrite, Genesis, Put, Revoke, Role};
pub use error::RecordError;
pub use hlc::{Hlc, HlcClock, MAX_DRIFT_MS, wall_clock_ms};
pub use ids::{EntityId, RecordId, TeamId, VersionId};
pub use value::{Labeled, Value, date_text};
pub use verify::verify_batch;

use crate::error::{Error, Result};
use crate::identity::{DeviceId, DeviceKey};

/// The envelope format this build writes and reads.
pub const ENVELOPE_VERSION: u8 = 1;
/// Bytes before the body.
pub const HEADER_LEN: usize = 99;
/// Bytes of the signature.
pub const SIGNATURE_LEN: usize = 64;
/// The largest record accepted anywhere (128 KiB): ample for a long note,
/// small enough that a peer cannot make us buffer much.
pub const MAX_RECORD_LEN: usize = 128 * 1024;

/// The signed header fields of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The team the record belongs to.
    pub team: TeamId,
    /// The device that wrote and signed it.
    pub author: DeviceId,
    /// Its position in the author's log, from 1.
    pub seq: u64,
    /// The id of the author's previous record ([`RecordId::ZERO`] for seq 1).
    pub prev: RecordId,
    /// When it was written.
    pub hlc: Hlc,
    /// The format version of the body.
    pub body_version: u16,
}

impl Header {
    /// The version id that this record's field writes carry.
    pub fn version(&self) -> VersionId {
        VersionId {
            author: self.author,
            seq: self.seq,
        }
    }
}

/// A record as bytes, with its header parsed. Signature not yet verified
/// unless obtained from [`SignedRecord::sign`] or [`verify_batch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRecord {
    bytes: Vec<u8>,
    header: Header,
    id: RecordId,
}

impl SignedRecord {
    /// Encodes and signs a new record.
    pub fn sign(key: &DeviceKey, header: Header, body: &[u8]) -> Result<SignedRecord> {
        let len = HEADER_LEN + body.len() + SIGNATURE_LEN;
        if len > MAX_RECORD_LEN {
            return Err(Error::Record(RecordError::TooLarge {
                size: len,
                max: MAX_RECORD_LEN,
            }));
        }
        if header.author != key.device_id() {
            return Err(Error::invalid(
                "record",
                "a record's author must be the signing device",
            ));
        }
        let mut bytes = Vec::with_capacity(len);
        bytes.push(ENVELOPE_VERSION);
        bytes.extend_from_slice(&header.team.0);
        bytes.extend_from_slice(header.author.as_bytes());
        bytes.extend_from_slice(&header.seq.to_be_bytes());
        bytes.extend_from_slice(&header.prev.0);
        bytes.extend_from_slice(&header.hlc.0.to_be_bytes());
        bytes.extend_from_slice(&header.body_version.to_be_bytes());
        bytes.extend_from_slice(body);
        let sig = key.sign(&bytes);
        bytes.extend_from_slice(&sig);
        let id = RecordId::of(&bytes);
        Ok(SignedRecord { bytes, header, id })
    }

    /// Parses a record's bytes without verifying the signature. Refuses
    /// oversized and truncated input and unknown envelope versions.
    pub fn parse(bytes: Vec<u8>) -> Result<SignedRecord> {
        if bytes.len() > MAX_RECORD_LEN {
            return Err(Error::Record(RecordError::TooLarge {
                size: bytes.len(),
                max: MAX_RECORD_LEN,
            }));
        }
        if bytes.len() < HEADER_LEN + SIGNATURE_LEN {
            return Err(Error::Record(RecordError::Malformed(format!(
                "{} bytes is shorter than the smallest record ({} bytes)",
                bytes.len(),
                HEADER_LEN + SIGNATURE_LEN
            ))));
        }
        if bytes[0] != ENVELOPE_VERSION {
            return Err(Error::Record(RecordError::UnsupportedEnvelope {
                found: bytes[0],
                supported: ENVELOPE_VERSION,
            }));
        }
        let arr16 = |at: usize| -> [u8; 16] { bytes[at..at + 16].try_into().expect("16 bytes") };
        let arr32 = |at: usize| -> [u8; 32] { bytes[at..at + 32].try_into().expect("32 bytes") };
        let u64_at = |at: usize| u64::from_be_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let header = Header {
            team: TeamId(arr16(1)),
            author: DeviceId(arr32(17)),
            seq: u64_at(49),
            prev: RecordId(arr32(57)),
            hlc: Hlc(u64_at(89)),
            body_version: u16::from_be_bytes([bytes[97], bytes[98]]),
        };
        if header.seq == 0 {
            return Err(Error::Record(RecordError::Malformed(
                "sequence numbers start at 1".into(),
            )));
        }
        if (header.seq == 1) != (header.prev == RecordId::ZERO) {
            return Err(Error::Record(RecordError::BrokenChain {
                author: header.author,
                seq: header.seq,
            }));
        }
        let id = RecordId::of(&bytes);
        Ok(SignedRecord { bytes, header, id })
    }

    /// The record's id (hash of its bytes).
    pub fn id(&self) -> RecordId {
        self.id
    }

    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The full signed bytes, exactly as received or written.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Gives up the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The body bytes.
    pub fn body_bytes(&self) -> &[u8] {
        &self.bytes[HEADER_LEN..self.bytes.len() - SIGNATURE_LEN]
    }

    /// Decodes the body; `None` if its format is newer than this build's.
    pub fn body(&self) -> Result<Option<Body>> {
        if self.header.body_version > BODY_VERSION {
            return Ok(None);
        }
        if self.header.body_version == 0 {
            return Err(Error::Record(RecordError::Malformed(
                "body version 0 does not exist".into(),
            )));
        }
        Body::decode(self.body_bytes()).map(Some).map_err(|e| {
            Error::Record(RecordError::Malformed(format!(
                "record {} of device {}: body does not decode: {e}",
                self.header.seq, self.header.author
            )))
        })
    }

    fn signed_part(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - SIGNATURE_LEN]
    }

    /// Verifies this one record's signature.
    pub fn verify(&self) -> Result<()> {
        let results = verify_batch(std::slice::from_ref(self));
        results.into_iter().next().unwrap_or(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(key: &DeviceKey, seq: u64, prev: RecordId) -> Header {
        Header {
            team: TeamId([1; 16]),
            author: key.device_id(),
            seq,
            prev,
            hlc: Hlc::from_millis(1_700_000_000_000),
            body_version: BODY_VERSION,
        }
    }

    fn put_body() -> Vec<u8> {
        Body::Put(Put {
            kind: "person".into(),
            entity: EntityId([9; 16]),
            writes: vec![FieldWrite {
                field: "name".into(),
                value: Value::Text("Jana Nováková".into()),
                replaces: vec![],
            }],
        })
        .encode()
    }

    #[test]
    fn sign_parse_verify_round_trip() {
        let key = DeviceKey::generate().unwrap();
        let rec = SignedRecord::sign(&key, header(&key, 1, RecordId::ZERO), &put_body()).unwrap();
        let parsed = SignedRecord::parse(rec.bytes().to_vec()).unwrap();
        assert_eq!(parsed, rec);
        assert_eq!(parsed.id(), RecordId::of(rec.bytes()));
        parsed.verify().unwrap();
        assert!(matches!(parsed.body().unwrap(), Some(Body::Put(_))));
    }

    #[test]
    fn tampered_bytes_fail_verification() {
        let key = DeviceKey::generate().unwrap();
        let rec = SignedRecord::sign(&key, header(&key, 1, RecordId::ZERO), &put_body()).unwrap();
        for pos in [0usize, 20, 60, 100, rec.bytes().len() - 1] {
            let mut b = rec.bytes().to_vec();
            b[pos] ^= 0x40;
            if let Ok(r) = SignedRecord::parse(b) {
                assert!(
                    matches!(
                        r.verify(),
                        Err(Error::Record(RecordError::BadSignature { .. }))
                    ),
                    "pos {pos}"
                );
            }
        }
    }

    #[test]
    fn truncated_and_oversized_are_refused() {
        let key = DeviceKey::generate().unwrap();
        let rec = SignedRecord::sign(&key, header(&key, 1, RecordId::ZERO), &put_body()).unwrap();
        let err = SignedRecord::parse(rec.bytes()[..100].to_vec()).unwrap_err();
        assert!(err.to_string().contains("shorter"), "{err}");
        let big = vec![1u8; MAX_RECORD_LEN + 1];
        assert!(matches!(
            SignedRecord::parse(big),
            Err(Error::Record(RecordError::TooLarge { .. }))
        ));
        let huge_body = vec![0u8; MAX_RECORD_LEN];
        assert!(matches!(
            SignedRecord::sign(&key, header(&key, 1, RecordId::ZERO), &huge_body),
            Err(Error::Record(RecordError::TooLarge { .. }))
        ));
        // A body cut short (signature re-made) still fails to decode.
        let cut = &put_body()[..10];
        let rec = SignedRecord::sign(&key, header(&key, 1, RecordId::ZERO), cut).unwrap();
        assert!(matches!(
            rec.body(),
            Err(Error::Record(RecordError::Malformed(_)))
        ));
    }

    #[test]
    fn batch_finds_the_one_bad_signature() {
        let key = DeviceKey::generate().unwrap();
        let mut recs = Vec::new();
        let mut prev = RecordId::ZERO;
        for seq in 1..=10 {
            let r = SignedRecord::sign(&key, header(&key, seq, prev), &put_body()).unwrap();
            prev = r.id();
            recs.push(r);
        }
        assert!(verify_batch(&recs).iter().all(|r| r.is_ok()));
        let mut b = recs[6].bytes().to_vec();
        let n = b.len();
        b[n - 70] ^= 1;
        recs[6] = SignedRecord::parse(b).unwrap();
        let res = verify_batch(&recs);
        assert!(res.iter().enumerate().all(|(i, r)| r.is_ok() == (i != 6)));
    }

    #[test]
    fn newer_body_version_is_not_decoded() {
        let key = DeviceKey::generate().unwrap();
        let mut h = header(&key, 1, RecordId::ZERO);
        h.body_version = BODY_VERSION + 1;
        let rec = SignedRecord::sign(&key, h, b"future").unwrap();
        rec.verify().unwrap();
        assert!(rec.body().unwrap().is_none());
    }
}
