//! Signatures checked ahead of the store: a sync reader verifies batch k+1
//! on another core while the store writes batch k, and the store then takes
//! those records as they are, parsed and verified, instead of hashing and
//! checking them again. A record is matched by its signature and taken only
//! if its bytes are exactly the bytes received, so a record given to the
//! store is always the one that was verified (its id, the BLAKE3 hash of
//! the full bytes, was computed from those bytes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::record::{SIGNATURE_LEN, SignedRecord, verify_batch};

/// At most this many bytes of records are held; beyond it the set starts
/// over (the store then simply verifies again). A session's reader is at
/// most a few batches ahead of its store (a few MiB).
const MAX_BYTES: usize = 32 << 20;

/// Records whose signatures were verified ahead of applying them, by
/// signature. Cheap to clone; shared by the reader that verifies and the
/// store.
#[derive(Clone, Default)]
pub struct Preverified(Arc<Mutex<Held>>);

#[derive(Default)]
struct Held {
    records: HashMap<[u8; SIGNATURE_LEN], SignedRecord>,
    bytes: usize,
}

impl std::fmt::Debug for Preverified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preverified({} records)", self.held().records.len())
    }
}

/// The signature of a record's bytes (their last bytes), if long enough.
fn signature_of(bytes: &[u8]) -> Option<[u8; SIGNATURE_LEN]> {
    let start = bytes.len().checked_sub(SIGNATURE_LEN)?;
    bytes[start..].try_into().ok()
}

impl Preverified {
    fn held(&self) -> MutexGuard<'_, Held> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Verifies the signatures of `batch` (pure CPU, any thread) and keeps
    /// the records that carry a valid one, parsed. Records that do not
    /// parse or do not verify are left for the store to refuse.
    pub fn verify(&self, batch: &[Vec<u8>]) {
        let records: Vec<SignedRecord> = batch
            .iter()
            .filter_map(|b| SignedRecord::parse(b.clone()).ok())
            .collect();
        let verdicts = verify_batch(&records);
        let size: usize = records.iter().map(|r| r.bytes().len()).sum();
        let mut held = self.held();
        if held.bytes + size > MAX_BYTES {
            held.records.clear();
            held.bytes = 0;
        }
        for (rec, verdict) in records.into_iter().zip(verdicts) {
            if verdict.is_err() {
                continue;
            }
            let Some(sig) = signature_of(rec.bytes()) else {
                continue;
            };
            held.bytes += rec.bytes().len();
            if let Some(old) = held.records.insert(sig, rec) {
                held.bytes -= old.bytes().len();
            }
        }
    }

    /// The record `bytes` make, parsed, if it was verified ahead: taken
    /// (each is used once).
    pub(crate) fn take(&self, bytes: &[u8]) -> Option<SignedRecord> {
        let sig = signature_of(bytes)?;
        let mut held = self.held();
        let rec = held.records.remove(&sig)?;
        held.bytes -= rec.bytes().len();
        (rec.bytes() == bytes).then_some(rec)
    }
}
