//! The sync protocol as a sans-IO state machine: bytes in
//! ([`Session::handle_input`]), frames out ([`Session::poll_transmit`]),
//! the store reached only through the small [`SyncStore`] trait defined
//! here. No sockets, no clock, no SQL: any transport that carries bytes both
//! ways runs it (QUIC, QUIC through the relay, an in-memory pipe in tests).
//!
//! Exchange: both sides send `Hello` (protocol version, team, digest of
//! their version vector). Equal digests: done, one round trip. Otherwise
//! both send their `Vector`; each streams what the other lacks, author by
//! author in seq order (admins first: their records admit the others), in
//! batches bounded in count and bytes, at most `window` batches unacked.
//! The receiver stores each batch (verified, one transaction) and acks it.
//! Each side sends `Done` after its last batch and `Finished` (with its new
//! vector's digest) once everything is acked and the peer is done.
//! An interrupted session loses nothing stored; the next one starts from
//! the vectors, so it continues where this one stopped.

mod error;
mod frame;
mod lookahead;
mod message;
mod outbox;
mod refusal;

pub use error::SyncError;
pub use frame::{FrameDecoder, MAX_FRAME, encode_frame};
pub use lookahead::Lookahead;
pub use message::{MAX_RECORDS_PER_MESSAGE, Message};
pub use refusal::{
    KEPT_REFUSALS, RecordRefusal, RefusalCount, RefusalReason, RefusalSummary, final_count,
};

use std::collections::{BTreeMap, VecDeque};

use crate::error::{Error, Result};
use crate::identity::DeviceId;

/// The sync protocol version this build speaks (also in the QUIC ALPN).
pub const PROTOCOL_VERSION: u16 = 1;

/// What the session needs of the store.
pub trait SyncStore {
    /// Per author, the highest contiguous seq held.
    fn version_vector(&mut self) -> Result<BTreeMap<DeviceId, u64>>;
    /// Authors whose records go first (the team's admins, founder first).
    fn priority_authors(&mut self) -> Result<Vec<DeviceId>>;
    /// Up to `limit` records of `author` after `after`, in seq order.
    fn records_after(
        &mut self,
        author: &DeviceId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>>;
    /// Verifies and stores a batch received from the peer (one transaction).
    fn apply(&mut self, records: Vec<Vec<u8>>) -> Result<Applied>;
}

/// What became of a received batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Records applied.
    pub applied: usize,
    /// Records stored and forwarded that the roster leaves out of the
    /// state (their author was revoked before them, or they needed admin
    /// authority). Not refusals.
    pub excluded: usize,
    /// Records waiting (author not admitted yet, or a gap), in all.
    pub pending: usize,
    /// Records already held.
    pub duplicates: usize,
    /// Records refused (bad signature, revoked, ...), each with its reason.
    pub refusals: Vec<RecordRefusal>,
}

/// Tunables of a session.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The team both sides must belong to.
    pub team: [u8; 16],
    /// The newest body format this side applies.
    pub format: u16,
    /// Most records in one batch.
    pub batch_records: usize,
    /// Most record bytes in one batch.
    pub batch_bytes: usize,
    /// Most batches sent and not yet acked.
    pub window: usize,
    /// With a revoked device: per author, the last record it may be sent
    /// (the author's newest revocation of it); nothing of other authors.
    /// It learns that, and by whom, it was revoked, and nothing written
    /// after. `None`: a member, sent everything it lacks.
    pub notice: Option<BTreeMap<DeviceId, u64>>,
}

impl SessionConfig {
    /// Defaults for `team`: 4,096 records or 2 MiB a batch, 4 in flight.
    /// The receiver stores a batch in one transaction, and every commit
    /// writes each page the batch dirtied: the tables' growing ends, every
    /// sending author's place in the log's (author, seq) index and the
    /// pages of older entities the batch updates are written again by
    /// every batch of a large transfer, so larger batches write far less
    /// (with 1,000 records a batch, a 312k-record team join spent 2.3 s of
    /// its 15 s in commits).
    pub fn new(team: [u8; 16]) -> Self {
        SessionConfig {
            team,
            format: crate::record::BODY_VERSION,
            batch_records: MAX_RECORDS_PER_MESSAGE,
            batch_bytes: 2 * 1024 * 1024,
            window: 4,
            notice: None,
        }
    }
}

/// Counters of a session, for progress and the outcome (the apps'
/// `SyncStats`; JSON: `refused_by_reason` as an object from reason to count).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "SyncStats"))]
pub struct SessionStats {
    /// Records the peer lacked when the vectors were exchanged.
    pub to_send: u64,
    /// Records we lacked when the vectors were exchanged.
    pub to_receive: u64,
    /// Records sent.
    pub sent: u64,
    /// Records received.
    pub received: u64,
    /// Of those, applied.
    pub applied: u64,
    /// Of those, stored but left out of the state by the roster (their
    /// author was revoked before them, or they needed an admin). Not
    /// refusals: every device holds them.
    pub excluded: u64,
    /// Of those, refused (for any reason, those that come again later
    /// included).
    pub refused: u64,
    /// Of those, already held.
    pub duplicates: u64,
    /// Records waiting here after the last batch.
    pub pending: u64,
    /// Bytes put on the stream.
    pub bytes_sent: u64,
    /// Bytes read from the stream.
    pub bytes_received: u64,
    /// The first refused records (at most [`KEPT_REFUSALS`]), each with
    /// its reason.
    pub refusals: Vec<RecordRefusal>,
    /// How many records were refused for each reason (all of them), in
    /// reason order.
    #[serde(serialize_with = "refusal::counts_by_reason")]
    pub refused_by_reason: Vec<RefusalCount>,
}

impl SessionStats {
    /// Counts a refused record, keeping it by name while there is room.
    pub fn add_refusal(&mut self, r: RecordRefusal) {
        self.refused += 1;
        refusal::count_into(&mut self.refused_by_reason, r.reason, 1);
        if self.refusals.len() < KEPT_REFUSALS {
            self.refusals.push(r);
        }
    }

    /// Adds the counters and refusals of `other` (several sessions' sum).
    pub fn add(&mut self, other: &SessionStats) {
        self.to_send += other.to_send;
        self.to_receive += other.to_receive;
        self.sent += other.sent;
        self.received += other.received;
        self.applied += other.applied;
        self.excluded += other.excluded;
        self.refused += other.refused;
        self.duplicates += other.duplicates;
        self.pending = self.pending.max(other.pending);
        self.bytes_sent += other.bytes_sent;
        self.bytes_received += other.bytes_received;
        for c in &other.refused_by_reason {
            refusal::count_into(&mut self.refused_by_reason, c.reason, c.count);
        }
        let room = KEPT_REFUSALS.saturating_sub(self.refusals.len());
        self.refusals
            .extend(other.refusals.iter().take(room).cloned());
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    AwaitHello,
    AwaitVector,
    Exchange,
    Complete,
    Failed,
}

/// One sync session with one peer.
pub struct Session {
    cfg: SessionConfig,
    phase: Phase,
    out: VecDeque<Vec<u8>>,
    decoder: FrameDecoder,
    my_digest: [u8; 32],
    my_vv: BTreeMap<DeviceId, u64>,
    outbox: outbox::Outbox,
    in_flight: usize,
    sent_done: bool,
    peer_done: bool,
    sent_finished: Option<[u8; 32]>,
    peer_finished: Option<[u8; 32]>,
    stats: SessionStats,
}

/// BLAKE3 of a version vector in author order.
pub fn vector_digest(vv: &BTreeMap<DeviceId, u64>) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("deko version vector v1");
    for (a, s) in vv {
        h.update(a.as_bytes());
        h.update(&s.to_be_bytes());
    }
    *h.finalize().as_bytes()
}

impl Session {
    /// Starts a session: snapshots the vector and queues `Hello`.
    pub fn new(cfg: SessionConfig, store: &mut (impl SyncStore + ?Sized)) -> Result<Session> {
        let my_vv = store.version_vector()?;
        let my_digest = vector_digest(&my_vv);
        let mut s = Session {
            cfg,
            phase: Phase::AwaitHello,
            out: VecDeque::new(),
            decoder: FrameDecoder::new(),
            my_digest,
            my_vv,
            outbox: outbox::Outbox::empty(),
            in_flight: 0,
            sent_done: false,
            peer_done: false,
            sent_finished: None,
            peer_finished: None,
            stats: SessionStats::default(),
        };
        s.send(&Message::Hello {
            protocol: PROTOCOL_VERSION,
            format: s.cfg.format,
            team: s.cfg.team,
            digest: my_digest,
        });
        Ok(s)
    }

    /// The next frame to write to the stream, if any.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.out.pop_front()
    }

    /// Whether both sides have everything and said so.
    pub fn is_complete(&self) -> bool {
        self.phase == Phase::Complete
    }

    /// Whether the session ended with an error.
    pub fn is_failed(&self) -> bool {
        self.phase == Phase::Failed
    }

    /// Whether both sides ended with equal version vectors (once complete).
    pub fn vectors_equal(&self) -> Option<bool> {
        match (self.sent_finished, self.peer_finished) {
            (Some(a), Some(b)) => Some(a == b),
            _ if self.is_complete() => Some(true),
            _ => None,
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> &SessionStats {
        &self.stats
    }

    /// Feeds bytes read from the stream; stores received batches and queues
    /// what to send. An error ends the session (an `Error` message for the
    /// peer is queued); nothing of a bad frame is stored.
    pub fn handle_input(
        &mut self,
        store: &mut (impl SyncStore + ?Sized),
        bytes: &[u8],
    ) -> Result<()> {
        if matches!(self.phase, Phase::Complete | Phase::Failed) {
            return Ok(());
        }
        self.stats.bytes_received += bytes.len() as u64;
        self.decoder.push(bytes);
        let result = self.drain_frames(store);
        if let Err(e) = &result {
            self.fail(e);
        }
        result
    }

    /// The stream ended. An error unless the session was complete.
    pub fn handle_eof(&mut self) -> Result<()> {
        match self.phase {
            Phase::Complete => Ok(()),
            Phase::Failed => Err(Error::Sync(SyncError::Protocol(
                "the session had already failed".into(),
            ))),
            _ => {
                self.phase = Phase::Failed;
                Err(Error::Sync(SyncError::Protocol(
                    if self.decoder.pending_bytes() > 0 {
                        "the connection closed in the middle of a frame".into()
                    } else {
                        "the connection closed before the sync finished".into()
                    },
                )))
            }
        }
    }

    fn fail(&mut self, e: &Error) {
        if self.phase != Phase::Failed {
            if !matches!(e, Error::Sync(SyncError::PeerError(_))) {
                self.out.clear();
                self.send(&Message::Error(e.to_string()));
            }
            self.phase = Phase::Failed;
            log::warn!("sync session failed: {e}");
        }
    }

    fn send(&mut self, m: &Message) {
        let frame = encode_frame(&m.encode());
        self.stats.bytes_sent += frame.len() as u64;
        self.out.push_back(frame);
    }

    fn drain_frames(&mut self, store: &mut (impl SyncStore + ?Sized)) -> Result<()> {
        while let Some(frame) = self.decoder.next_frame()? {
            let msg = Message::decode(&frame)
                .map_err(|e| Error::Sync(SyncError::Protocol(format!("malformed message: {e}"))))?;
            self.handle_message(store, msg)?;
            if matches!(self.phase, Phase::Complete | Phase::Failed) {
                break;
            }
        }
        self.pump(store)
    }

    fn handle_message(
        &mut self,
        store: &mut (impl SyncStore + ?Sized),
        msg: Message,
    ) -> Result<()> {
        match (self.phase, msg) {
            (_, Message::Error(e)) => Err(Error::Sync(SyncError::PeerError(e))),
            (
                Phase::AwaitHello,
                Message::Hello {
                    protocol,
                    team,
                    digest,
                    ..
                },
            ) => {
                if protocol != PROTOCOL_VERSION {
                    return Err(Error::Sync(SyncError::Version {
                        ours: PROTOCOL_VERSION,
                        peer: protocol,
                    }));
                }
                if team != self.cfg.team {
                    return Err(Error::Sync(SyncError::Protocol(
                        "the peer belongs to another team".into(),
                    )));
                }
                if digest == self.my_digest {
                    log::debug!("sync: both sides already hold the same records");
                    self.phase = Phase::Complete;
                } else {
                    let vv: Vec<(DeviceId, u64)> =
                        self.my_vv.iter().map(|(a, s)| (*a, *s)).collect();
                    self.send(&Message::Vector(vv));
                    self.phase = Phase::AwaitVector;
                }
                Ok(())
            }
            (Phase::AwaitVector, Message::Vector(peer)) => {
                self.plan_sending(store, peer)?;
                self.phase = Phase::Exchange;
                Ok(())
            }
            (Phase::Exchange, Message::Records(batch)) => {
                if self.peer_done {
                    return Err(Error::Sync(SyncError::Protocol(
                        "records after the peer said it was done".into(),
                    )));
                }
                let n = batch.len() as u64;
                // A peer sends what its vector said we lack, no more: what
                // one session decodes is bounded by what was announced.
                if self.stats.received + n > self.stats.to_receive {
                    return Err(Error::Sync(SyncError::Protocol(format!(
                        "the peer sent more records than its vector announced ({})",
                        self.stats.to_receive
                    ))));
                }
                let r = store.apply(batch)?;
                self.stats.received += n;
                self.stats.applied += r.applied as u64;
                for refusal in r.refusals {
                    if self.stats.refusals.len() < KEPT_REFUSALS {
                        log::warn!("refused a record from the peer: {}", refusal.detail);
                    }
                    self.stats.add_refusal(refusal);
                }
                self.stats.duplicates += r.duplicates as u64;
                self.stats.excluded += r.excluded as u64;
                self.stats.pending = r.pending as u64;
                self.send(&Message::Ack { stored: n as u32 });
                Ok(())
            }
            (Phase::Exchange, Message::Ack { .. }) => {
                if self.in_flight == 0 {
                    return Err(Error::Sync(SyncError::Protocol(
                        "an ack for nothing sent".into(),
                    )));
                }
                self.in_flight -= 1;
                Ok(())
            }
            (Phase::Exchange, Message::Done) if !self.peer_done => {
                self.peer_done = true;
                Ok(())
            }
            (Phase::Exchange, Message::Finished { digest })
                if self.peer_done && self.peer_finished.is_none() =>
            {
                self.peer_finished = Some(digest);
                Ok(())
            }
            (phase, msg) => Err(Error::Sync(SyncError::Protocol(format!(
                "unexpected {} while {phase:?}",
                name(&msg)
            )))),
        }
    }

    fn plan_sending(
        &mut self,
        store: &mut (impl SyncStore + ?Sized),
        peer: Vec<(DeviceId, u64)>,
    ) -> Result<()> {
        if peer.len() > 1_000_000 {
            return Err(Error::Sync(SyncError::Protocol(
                "the peer's vector is implausibly large".into(),
            )));
        }
        let peer: BTreeMap<DeviceId, u64> = peer.into_iter().collect();
        let priority = store.priority_authors()?;
        let mut authors: Vec<(DeviceId, u64)> = self.my_vv.iter().map(|(a, s)| (*a, *s)).collect();
        authors.sort_by_key(|(a, _)| priority.iter().position(|f| f == a).unwrap_or(usize::MAX));
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        for (author, mine) in authors {
            let mine = match &self.cfg.notice {
                Some(caps) => mine.min(caps.get(&author).copied().unwrap_or(0)),
                None => mine,
            };
            let theirs = peer.get(&author).copied().unwrap_or(0);
            if mine > theirs {
                self.stats.to_send += mine - theirs;
                match priority.contains(&author) {
                    true => first.push((author, theirs, mine)),
                    false => rest.push((author, theirs, mine)),
                }
            }
        }
        self.outbox = outbox::Outbox::new(first, rest);
        for (author, theirs) in &peer {
            let mine = self.my_vv.get(author).copied().unwrap_or(0);
            self.stats.to_receive += theirs.saturating_sub(mine);
        }
        Ok(())
    }

    /// Sends batches while the window allows, then `Done` and `Finished`.
    fn pump(&mut self, store: &mut (impl SyncStore + ?Sized)) -> Result<()> {
        if self.phase != Phase::Exchange {
            return Ok(());
        }
        while self.in_flight < self.cfg.window.max(1) {
            let limit = self.cfg.batch_records.clamp(1, MAX_RECORDS_PER_MESSAGE);
            let max_bytes = self.cfg.batch_bytes.min(MAX_FRAME / 2);
            let records = self.outbox.next_batch(store, limit, max_bytes)?;
            if records.is_empty() {
                break;
            }
            self.stats.sent += records.len() as u64;
            self.send(&Message::Records(records));
            self.in_flight += 1;
        }
        if self.outbox.is_empty() && !self.sent_done {
            self.send(&Message::Done);
            self.sent_done = true;
        }
        if self.sent_done && self.in_flight == 0 && self.peer_done && self.sent_finished.is_none() {
            let digest = vector_digest(&store.version_vector()?);
            self.send(&Message::Finished { digest });
            self.sent_finished = Some(digest);
        }
        if self.sent_finished.is_some() && self.peer_finished.is_some() {
            self.phase = Phase::Complete;
        }
        Ok(())
    }
}

fn name(m: &Message) -> &'static str {
    match m {
        Message::Hello { .. } => "hello",
        Message::Vector(_) => "vector",
        Message::Records(_) => "records",
        Message::Ack { .. } => "ack",
        Message::Done => "done",
        Message::Finished { .. } => "finished",
        Message::Error(_) => "error",
    }
}
