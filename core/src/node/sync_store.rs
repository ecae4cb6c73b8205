//! The store as the sync protocol sees it.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::identity::DeviceId;
use crate::record::Role;
use crate::store::Store;
use crate::sync::{Applied, RecordRefusal, SyncStore};

/// Batches of at least this many records leave their projections for
/// [`Store::catch_up_projections`] after the session.
pub const DEFER_FROM: usize = 256;

/// Adapts a [`Store`] to [`SyncStore`].
pub struct StoreSync<'a>(pub &'a mut Store);

impl SyncStore for StoreSync<'_> {
    fn version_vector(&mut self) -> Result<BTreeMap<DeviceId, u64>> {
        self.0.version_vector()
    }

    fn priority_authors(&mut self) -> Result<Vec<DeviceId>> {
        Ok(match self.0.roster()? {
            Some(r) => {
                let mut admins: Vec<DeviceId> = r
                    .members
                    .values()
                    .filter(|m| m.role == Role::Admin)
                    .map(|m| m.device)
                    .collect();
                admins.sort_by_key(|d| *d != r.founder);
                admins
            }
            None => Vec::new(),
        })
    }

    fn records_after(
        &mut self,
        author: &DeviceId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>> {
        self.0.records_after(author, after, limit)
    }

    fn apply(&mut self, records: Vec<Vec<u8>>) -> Result<Applied> {
        // Large batches are part of a large transfer: store now, project
        // after the session (the node catches up when it ends). Small ones
        // show in the views at once.
        let r = if records.len() >= DEFER_FROM {
            self.0.apply_remote_deferred(records)?
        } else {
            self.0.apply_remote(records)?
        };
        Ok(Applied {
            applied: r.applied,
            excluded: r.excluded,
            pending: r.pending,
            duplicates: r.duplicates,
            refusals: r
                .refused
                .iter()
                .map(|f| RecordRefusal::new(f.source, &f.error))
                .collect(),
        })
    }
}
