//! What this side sends, and in which order.
//!
//! The priority authors (the team's admins, founder first) go first, one
//! after another: their admissions reach the peer before the records of
//! the devices they admit. Every other author's records follow merged by
//! their clock, oldest first, each author's still in seq order. Sent author
//! by author instead, a team's records would reach a new device as 200
//! passes over the whole history, each touching every page of its entity
//! tables (UUIDv7 ids follow time): a join of 200 devices' records wrote
//! ten times the pages of one device's.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::SyncStore;
use crate::error::Result;
use crate::identity::DeviceId;

/// Records buffered for all merged authors together (divided among them):
/// bounds memory however many authors a team has.
const LOOKAHEAD: usize = 8_192;
/// Most records buffered for one author.
const PER_AUTHOR: usize = 64;

/// One author's records still to send: after `sent`, up to `until`.
struct Lane {
    author: DeviceId,
    /// Seq of the last record read from the store.
    read: u64,
    until: u64,
    buf: VecDeque<Vec<u8>>,
}

/// The records the peer lacks, handed out a batch at a time.
pub(super) struct Outbox {
    first: VecDeque<(DeviceId, u64, u64)>,
    lanes: Vec<Lane>,
    /// Each lane with buffered records, by the clock of its next record.
    heads: BinaryHeap<Reverse<(u64, usize)>>,
    primed: bool,
}

/// A stored record's clock (its header's HLC; records in the store were
/// verified when stored). 0 if too short, which only sends it sooner.
fn clock_of(bytes: &[u8]) -> u64 {
    bytes
        .get(89..97)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
        .unwrap_or(0)
}

impl Outbox {
    /// Nothing to send.
    pub(super) fn empty() -> Outbox {
        Outbox::new(Vec::new(), Vec::new())
    }

    /// `first`: the priority authors' ranges `(author, after, until)`, sent
    /// in this order; `rest`: the other authors' ranges, merged by clock.
    pub(super) fn new(first: Vec<(DeviceId, u64, u64)>, rest: Vec<(DeviceId, u64, u64)>) -> Outbox {
        Outbox {
            first: first.into(),
            lanes: rest
                .into_iter()
                .map(|(author, after, until)| Lane {
                    author,
                    read: after,
                    until,
                    buf: VecDeque::new(),
                })
                .collect(),
            heads: BinaryHeap::new(),
            primed: false,
        }
    }

    /// Whether everything was handed out.
    pub(super) fn is_empty(&self) -> bool {
        self.first.is_empty()
            && self
                .lanes
                .iter()
                .all(|l| l.buf.is_empty() && l.read >= l.until)
    }

    /// The next batch: at most `limit` records and, past the first,
    /// `max_bytes` bytes. Empty when everything was handed out.
    pub(super) fn next_batch(
        &mut self,
        store: &mut (impl SyncStore + ?Sized),
        limit: usize,
        max_bytes: usize,
    ) -> Result<Vec<Vec<u8>>> {
        while let Some(&(author, after, until)) = self.first.front() {
            let n = limit.min((until - after) as usize).max(1);
            let mut records = store.records_after(&author, after, n)?;
            let keep = fitting(&records, max_bytes);
            records.truncate(keep);
            if records.is_empty() {
                // The author's records were taken out meanwhile (revoked).
                self.first.pop_front();
                continue;
            }
            let front = self.first.front_mut().expect("checked above");
            front.1 += records.len() as u64;
            if front.1 >= until {
                self.first.pop_front();
            }
            return Ok(records);
        }
        if !self.primed {
            self.primed = true;
            for i in 0..self.lanes.len() {
                self.refill(store, i)?;
            }
        }
        let mut out = Vec::new();
        let mut bytes = 0usize;
        while out.len() < limit {
            let Some(Reverse((_, i))) = self.heads.pop() else {
                break;
            };
            let lane = &mut self.lanes[i];
            let rec = lane.buf.pop_front().expect("a lane in heads has records");
            if !out.is_empty() && bytes + rec.len() > max_bytes {
                let clock = clock_of(&rec);
                lane.buf.push_front(rec);
                self.heads.push(Reverse((clock, i)));
                break;
            }
            bytes += rec.len();
            out.push(rec);
            match self.lanes[i].buf.front() {
                Some(next) => self.heads.push(Reverse((clock_of(next), i))),
                None => self.refill(store, i)?,
            }
        }
        Ok(out)
    }

    /// Reads lane `i`'s next records and puts it among the heads if any.
    fn refill(&mut self, store: &mut (impl SyncStore + ?Sized), i: usize) -> Result<()> {
        let share = (LOOKAHEAD / self.lanes.len().max(1)).clamp(1, PER_AUTHOR);
        let lane = &mut self.lanes[i];
        if lane.read >= lane.until {
            return Ok(());
        }
        let n = share.min((lane.until - lane.read) as usize);
        let records = store.records_after(&lane.author, lane.read, n)?;
        if records.is_empty() {
            // Taken out meanwhile (revoked): nothing more of this author.
            lane.read = lane.until;
            return Ok(());
        }
        lane.read += records.len() as u64;
        lane.buf.extend(records);
        let clock = clock_of(lane.buf.front().expect("just filled"));
        self.heads.push(Reverse((clock, i)));
        Ok(())
    }
}

/// How many of `records`, from the first, fit in `max_bytes` (at least one).
fn fitting(records: &[Vec<u8>], max_bytes: usize) -> usize {
    let mut bytes = 0usize;
    let mut keep = 0usize;
    for r in records {
        if keep > 0 && bytes + r.len() > max_bytes {
            break;
        }
        bytes += r.len();
        keep += 1;
    }
    keep
}
