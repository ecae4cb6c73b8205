//! Signatures checked ahead of the store: a sync reader verifies batch k+1
//! on another core while the store writes batch k, and the store then skips
//! the signature check of exactly those records. A record id is the BLAKE3
//! hash of the record's full bytes, signature included, so an id in the set
//! stands for bytes whose signature was found valid.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::record::{RecordId, SignedRecord, verify_batch};

/// At most this many ids are remembered; beyond it the set starts over
/// (the store then simply verifies again).
const MAX_IDS: usize = 200_000;

/// Ids of records whose signatures were verified ahead of applying them.
/// Cheap to clone; shared by the reader that verifies and the store.
#[derive(Clone, Default)]
pub struct Preverified(Arc<Mutex<HashSet<RecordId>>>);

impl std::fmt::Debug for Preverified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preverified({} ids)", self.ids().len())
    }
}

impl Preverified {
    fn ids(&self) -> MutexGuard<'_, HashSet<RecordId>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Verifies the signatures of `batch` (pure CPU, any thread) and
    /// remembers the records that carry a valid one. Records that do not
    /// parse or do not verify are left for the store to refuse.
    pub fn verify(&self, batch: &[Vec<u8>]) {
        let records: Vec<SignedRecord> = batch
            .iter()
            .filter_map(|b| SignedRecord::parse(b.clone()).ok())
            .collect();
        let verdicts = verify_batch(&records);
        let mut ids = self.ids();
        if ids.len() + records.len() > MAX_IDS {
            ids.clear();
        }
        for (rec, verdict) in records.iter().zip(verdicts) {
            if verdict.is_ok() {
                ids.insert(rec.id());
            }
        }
    }

    /// Whether `id` was verified ahead; forgets it (each id is used once).
    pub(crate) fn take(&self, id: &RecordId) -> bool {
        self.ids().remove(id)
    }
}
