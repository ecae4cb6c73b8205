//! Projections that lag the entity state after a large transfer: which
//! entities, and bringing their views (typed tables, search index) up to
//! date in large transactions, each entity once.

use rusqlite::TransactionBehavior;

use super::Store;
use crate::error::{Error, Result};
use crate::merge::EntityState;
use crate::record::EntityId;

/// Entities projected per transaction while catching up: large enough that
/// the search index flushes rarely, small enough that a reader or a local
/// write waits at most a fraction of a second for the write lock.
pub const CATCH_UP_CHUNK: usize = 5_000;

impl Store {
    /// How many entities' projections lag their state (see
    /// [`Store::apply_remote_deferred`]).
    pub fn projections_behind(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM projection_dirty")?
            .query_row([], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Projects up to `limit` lagging entities in one transaction; returns
    /// how many were brought up to date. Without projections (a bare store)
    /// nothing is done: the marks wait for the projection that needs them.
    pub fn catch_up_some(&mut self, limit: usize) -> Result<usize> {
        let behind = self
            .conn
            .prepare_cached("SELECT 1 FROM projection_dirty LIMIT 1")?
            .exists([])?;
        if !behind || self.ctx.projections.is_empty() {
            return Ok(0);
        }
        self.ctx.refresh(&self.conn)?;
        // Derived rows only: like a peer's batch, a power cut may lose the
        // commit, and the marks roll back with it.
        self.relaxed(|s| s.catch_up_in_tx(limit))
    }

    fn catch_up_in_tx(&mut self, limit: usize) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The first `limit` marks in key order with their states; the
        // transaction holds the write lock, so the range is ours to clear.
        let marked: Vec<(Vec<u8>, Option<Vec<u8>>)> = tx
            .prepare_cached(
                "SELECT d.entity, e.state FROM projection_dirty d
                 LEFT JOIN entities e ON e.id = d.entity
                 ORDER BY d.entity LIMIT ?1",
            )?
            .query_map([limit.min(i64::MAX as usize) as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut entities = Vec::with_capacity(marked.len());
        for (raw, state) in &marked {
            let Some(state) = state else { continue };
            let id = EntityId::from_slice(raw)
                .map_err(|_| Error::corrupt("a projection mark is not an entity id"))?;
            let state = EntityState::decode(state)
                .map_err(|e| Error::corrupt(format!("entity {id}: {e}")))?;
            entities.push((id, state));
        }
        for p in &self.ctx.projections {
            p.project_many(&tx, &entities)?;
        }
        if let Some((last, _)) = marked.last() {
            tx.prepare_cached("DELETE FROM projection_dirty WHERE entity <= ?1")?
                .execute([last])?;
        }
        tx.commit()?;
        Ok(marked.len())
    }

    /// Brings every lagging projection up to date, [`CATCH_UP_CHUNK`]
    /// entities per transaction; returns how many entities were projected.
    pub fn catch_up_projections(&mut self) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = self.catch_up_some(CATCH_UP_CHUNK)?;
            total += n;
            if n < CATCH_UP_CHUNK {
                break;
            }
        }
        if total > 0 {
            log::info!("projected {total} entities received in bulk");
        }
        Ok(total)
    }
}
