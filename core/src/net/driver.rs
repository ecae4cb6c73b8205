//! Runs one sync session over an authenticated byte stream: the initiator
//! sends a preamble (sync, or join with an invite); the other side answers
//! before any record moves; then both run the sans-IO [`Session`] with a
//! reader and a writer half, so neither side can block the other by
//! writing. The stream is a QUIC stream of a direct connection, or the
//! end-to-end TLS channel inside a relayed stream: the session code is the
//! same for both (generic over `AsyncRead`/`AsyncWrite`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::Host;
use super::tls::device_of;
use crate::error::{Error, ErrorKind, NetError, Result, SyncError};
use crate::identity::DeviceId;
use crate::sync::{Lookahead, Session, SessionConfig, SessionStats, encode_frame};

/// How a session reached the peer (the apps' `SyncVia`; JSON: `"direct"`,
/// `"relay"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "SyncVia"))]
pub enum Via {
    /// A direct connection (local network or a reachable address).
    Direct,
    /// Through the relay (end-to-end encrypted; the relay sees no data).
    Relay,
}

/// Progress and outcome of sessions, for the CLI and the apps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum SyncEvent {
    /// A session with `peer` began.
    Started {
        /// The other device.
        peer: DeviceId,
        /// How it was reached.
        via: Via,
        /// Whether this device opened it.
        initiator: bool,
    },
    /// Records moved.
    Progress {
        /// The other device.
        peer: DeviceId,
        /// Counters so far (sent, received, totals).
        stats: SessionStats,
    },
    /// The session completed.
    Finished {
        /// The other device.
        peer: DeviceId,
        /// Final counters.
        stats: SessionStats,
    },
    /// The views (lists, search, caller lookup) catching up with what a
    /// large transfer stored, after its session ended: `done` of `total`
    /// entities projected. Sent before the first chunk and after each; the
    /// sync's caller resumes when `done` reaches `total`.
    Views {
        /// Entities projected so far.
        done: u64,
        /// Entities whose views lagged when the catch-up began.
        total: u64,
    },
    /// The session failed (the peer may be unknown if the handshake failed).
    Failed {
        /// The other device, if known.
        peer: Option<DeviceId>,
        /// What went wrong.
        error: String,
        /// The kind of failure, for a sentence in the app's language.
        kind: ErrorKind,
        /// For a refusal, the peer's or the relay's own words.
        reason: Option<String>,
    },
}

impl SyncEvent {
    /// The failure of a session with `peer` (None: not known yet).
    pub fn failed(peer: Option<DeviceId>, error: &Error) -> SyncEvent {
        SyncEvent::Failed {
            peer,
            error: error.to_string(),
            kind: error.kind(),
            reason: error.reason().map(str::to_string),
        }
    }
}

/// A new device asking to join with an invite from a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The ticket's one-time invite secret.
    pub secret: [u8; 16],
    /// The name of the person joining.
    pub person_name: String,
}

/// The first frame of the initiator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preamble {
    /// A member syncing.
    Sync,
    /// A new device joining with an invite.
    Join(JoinRequest),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Reply {
    Accepted,
    Refused(String),
}

const PREAMBLE_MAX: usize = 4096;
const READ_CHUNK: usize = 64 * 1024;

/// The sending half of a session's stream: how to end it so that what was
/// written reaches the peer before the caller moves on.
pub(crate) trait Outbound: AsyncWrite + Unpin + Send + 'static {
    /// Ends the stream and waits (a bounded time) until the peer has it.
    fn close(self) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

impl Outbound for quinn::SendStream {
    fn close(mut self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            let _ = self.finish();
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.stopped()).await;
        })
    }
}

impl<T: AsyncRead + AsyncWrite + Send + 'static> Outbound for tokio::io::WriteHalf<T> {
    fn close(mut self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            let _ = self.shutdown().await;
        })
    }
}

pub(crate) fn peer_device(conn: &quinn::Connection) -> Result<DeviceId> {
    let identity = conn
        .peer_identity()
        .ok_or_else(|| NetError::Refused("the peer presented no device key".into()))?;
    let certs = identity
        .downcast::<Vec<rustls::pki_types::CertificateDer<'static>>>()
        .map_err(|_| NetError::Refused("the peer presented no certificate".into()))?;
    certs
        .first()
        .and_then(|c| device_of(c))
        .ok_or_else(|| NetError::Refused("not a deko device certificate".into()).into())
}

/// Reads one length-prefixed frame of at most `limit` bytes.
pub(crate) async fn read_frame<R: AsyncRead + Unpin>(
    recv: &mut R,
    limit: usize,
) -> Result<Vec<u8>> {
    let mut len = [0u8; 4];
    recv.read_exact(&mut len)
        .await
        .map_err(|e| Error::Net(NetError::broken("reading from the peer", &e)))?;
    let len = u32::from_be_bytes(len) as usize;
    if len > limit {
        return Err(Error::Sync(SyncError::Protocol(format!(
            "preamble of {len} bytes exceeds {limit}"
        ))));
    }
    let mut buf = vec![0u8; len];
    recv.read_exact(&mut buf)
        .await
        .map_err(|e| Error::Net(NetError::broken("reading from the peer", &e)))?;
    Ok(buf)
}

/// Runs `step` (waiting for `what` from the peer), giving up after `limit`
/// with [`NetError::TimedOut`].
async fn stall_bound<T>(
    limit: Duration,
    what: &str,
    step: impl Future<Output = Result<T>>,
) -> Result<T> {
    tokio::time::timeout(limit, step).await.map_err(|_| {
        Error::Net(NetError::TimedOut(format!(
            "no {what} from the peer within {} s: the session stalled",
            limit.as_secs_f32()
        )))
    })?
}

/// When a session last saw a byte move either way, in milliseconds since
/// it began: the reader and the writer each mark it.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Arc<Activity> {
        Arc::new(Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        })
    }
    fn mark(&self) {
        let now = self.start.elapsed().as_millis() as u64;
        self.last_ms.fetch_max(now, Ordering::Relaxed);
    }
    /// How long until the session counts as stalled (zero if it does).
    fn left(&self, limit: Duration) -> Duration {
        let idle = self
            .start
            .elapsed()
            .saturating_sub(Duration::from_millis(self.last_ms.load(Ordering::Relaxed)));
        limit.saturating_sub(idle)
    }
}

/// Writes all of `bytes`.
pub(crate) async fn write<W: AsyncWrite + Unpin>(send: &mut W, bytes: &[u8]) -> Result<()> {
    send.write_all(bytes)
        .await
        .map_err(|e| Error::Net(NetError::broken("writing to the peer", &e)))?;
    send.flush()
        .await
        .map_err(|e| Error::Net(NetError::broken("writing to the peer", &e)))
}

/// The server side of one direct connection.
pub(super) async fn serve<H: Host>(incoming: quinn::Incoming, host: Arc<H>) -> Result<()> {
    let conn = incoming
        .await
        .map_err(|e| Error::Net(NetError::connecting("handshake", &e)))?;
    let peer = peer_device(&conn)?;
    let (send, recv) = stall_bound(host.stall_timeout(), "stream", async {
        conn.accept_bi()
            .await
            .map_err(|e| Error::Net(NetError::Lost(format!("no stream from the peer: {e}"))))
    })
    .await?;
    let done = respond(&host, peer, send, recv, Via::Direct).await;
    // Give a refusal a moment to leave before the connection drops, or wait
    // for the initiator to close once it has everything.
    let wait = if done.is_ok() { 5 } else { 2 };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(wait), conn.closed()).await;
    done
}

/// The answering side of one session on an authenticated stream from
/// `peer`: read the preamble, admit or refuse, then run.
pub(crate) async fn respond<H: Host, R, W>(
    host: &Arc<H>,
    peer: DeviceId,
    mut send: W,
    mut recv: R,
    via: Via,
) -> Result<()>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: Outbound,
{
    let preamble = stall_bound(host.stall_timeout(), "preamble", async {
        read_frame(&mut recv, PREAMBLE_MAX).await
    })
    .await?;
    let preamble: Preamble = postcard::from_bytes(&preamble)
        .map_err(|e| Error::Sync(SyncError::Protocol(format!("malformed preamble: {e}"))))?;
    let join = match &preamble {
        Preamble::Join(j) => Some(j),
        Preamble::Sync => None,
    };
    let decision = tokio::task::block_in_place(|| host.admit_peer(&peer, join));
    // A refusal carries its reason alone: the peer says "refused: " itself.
    let reply = match &decision {
        Ok(()) => Reply::Accepted,
        Err(e) => Reply::Refused(e.reason().map_or_else(|| e.to_string(), str::to_string)),
    };
    write(
        &mut send,
        &encode_frame(&postcard::to_stdvec(&reply).expect("encodes")),
    )
    .await?;
    if let Err(e) = decision {
        send.close().await;
        return Err(e);
    }
    host.on_event(SyncEvent::Started {
        peer,
        via,
        initiator: false,
    });
    run(host, send, recv, peer).await?;
    Ok(())
}

/// The initiator side of a direct connection: open the stream, run.
pub(super) async fn initiate<H: Host>(
    conn: &quinn::Connection,
    host: Arc<H>,
    peer: DeviceId,
    join: Option<JoinRequest>,
) -> Result<SessionStats> {
    let (send, recv) = conn
        .open_bi()
        .await
        .map_err(|e| Error::Net(NetError::Lost(format!("opening a stream: {e}"))))?;
    open(&host, peer, send, recv, join, Via::Direct).await
}

/// The initiator side of one session on an authenticated stream to
/// `peer`: present the preamble, then run.
pub(crate) async fn open<H: Host, R, W>(
    host: &Arc<H>,
    peer: DeviceId,
    mut send: W,
    mut recv: R,
    join: Option<JoinRequest>,
    via: Via,
) -> Result<SessionStats>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: Outbound,
{
    let preamble = match join {
        Some(j) => Preamble::Join(j),
        None => Preamble::Sync,
    };
    write(
        &mut send,
        &encode_frame(&postcard::to_stdvec(&preamble).expect("encodes")),
    )
    .await?;
    let reply = stall_bound(host.stall_timeout(), "answer", async {
        read_frame(&mut recv, PREAMBLE_MAX).await
    })
    .await?;
    let reply: Reply = postcard::from_bytes(&reply)
        .map_err(|e| Error::Sync(SyncError::Protocol(format!("malformed reply: {e}"))))?;
    if let Reply::Refused(why) = reply {
        return Err(NetError::Refused(why).into());
    }
    host.on_event(SyncEvent::Started {
        peer,
        via,
        initiator: true,
    });
    run(host, send, recv, peer).await
}

/// Chunks read ahead of the session (an empty chunk is the end of the
/// stream). Bounded: the reader stays at most this many chunks ahead.
const READ_AHEAD: usize = 32;

/// How long the session waits for input before it lets the host work
/// ([`Host::work_while_waiting`]): on a fast link the next chunk is there
/// within this (the reader runs ahead), and the host's work would only
/// hold it up; on a slow one most of the time goes to waiting.
const IDLE_BEFORE_WORK: Duration = Duration::from_millis(10);

/// Session time over which [`Pace`] judges the link.
const PACE_WINDOW: Duration = Duration::from_millis(250);

/// Where a session's time goes: waiting for the peer, or handling what
/// came. The link is the bottleneck when the session waited at least as
/// long as it handled over the last [`PACE_WINDOW`]; only then does the
/// host get to work meanwhile (on a link as fast as this side, its work
/// would only hold up the transfer: measured on loopback, a 1M-record
/// team join's views came 2-3 s later with it).
#[derive(Default)]
struct Pace {
    waited: Duration,
    handled: Duration,
    link_bound: bool,
}

impl Pace {
    fn waited(&mut self, d: Duration) {
        self.waited += d;
        self.roll();
    }

    fn handled(&mut self, d: Duration) {
        self.handled += d;
        self.roll();
    }

    fn roll(&mut self) {
        if self.waited + self.handled >= PACE_WINDOW {
            self.link_bound = self.waited >= self.handled;
            self.waited = Duration::ZERO;
            self.handled = Duration::ZERO;
        }
    }
}

/// Reads the stream on its own task, ahead of the session: record batches
/// found in it are verified (on the blocking pool, so on another core) while
/// the session still writes the previous batch; the store then skips those
/// signature checks ([`Host::verify_ahead`]).
fn read_ahead<H: Host, R>(host: Arc<H>, mut recv: R) -> mpsc::Receiver<Result<Vec<u8>>>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    tokio::spawn(async move {
        let mut lookahead = Lookahead::new();
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            let chunk = match recv.read(&mut buf).await {
                Ok(n) => buf[..n].to_vec(),
                Err(e) => {
                    let _ = tx
                        .send(Err(Error::Net(NetError::broken(
                            "reading from the peer",
                            &e,
                        ))))
                        .await;
                    return;
                }
            };
            let end = chunk.is_empty();
            for batch in lookahead.push(&chunk) {
                let host = host.clone();
                let _ = tokio::task::spawn_blocking(move || host.verify_ahead(&batch)).await;
            }
            if tx.send(Ok(chunk)).await.is_err() || end {
                return;
            }
        }
    });
    rx
}

/// Waits until the peer ends its stream (or it breaks).
async fn peer_ended(incoming: &mut mpsc::Receiver<Result<Vec<u8>>>) {
    while let Some(chunk) = incoming.recv().await {
        if !chunk.is_ok_and(|c| !c.is_empty()) {
            return;
        }
    }
}

/// Drives the session: a writer task sends queued frames; this task reads,
/// feeds the session (blocking store work in place) and queues its output.
async fn run<H: Host, R, W>(
    host: &Arc<H>,
    mut send: W,
    recv: R,
    peer: DeviceId,
) -> Result<SessionStats>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: Outbound,
{
    let mut cfg = SessionConfig::new(host.team());
    cfg.notice = tokio::task::block_in_place(|| host.notice_for(&peer));
    let mut session = None;
    tokio::task::block_in_place(|| {
        host.with_store(&mut |store| {
            session = Some(Session::new(cfg.clone(), store)?);
            Ok(())
        })
    })?;
    let mut session = session.expect("set above");
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let activity = Activity::new();
    let stall = host.stall_timeout();
    let written = activity.clone();
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            // In pieces, so a large frame the peer takes slowly still counts
            // as moving.
            for piece in frame.chunks(READ_CHUNK) {
                send.write_all(piece)
                    .await
                    .map_err(|e| Error::Net(NetError::broken("writing to the peer", &e)))?;
                written.mark();
            }
            if rx.is_empty() {
                send.flush()
                    .await
                    .map_err(|e| Error::Net(NetError::broken("writing to the peer", &e)))?;
            }
        }
        send.close().await;
        Ok::<(), Error>(())
    });
    let mut incoming = read_ahead(host.clone(), recv);
    let mut last_progress = 0u64;
    let mut may_work = true;
    let mut pace = Pace::default();
    let result = loop {
        while let Some(frame) = session.poll_transmit() {
            let _ = tx.send(frame);
        }
        if session.is_complete() {
            break Ok(session.stats().clone());
        }
        if session.is_failed() {
            break Err(Error::Sync(SyncError::Protocol(
                "the session failed".into(),
            )));
        }
        let waiting = Instant::now();
        let next = tokio::select! {
            biased;
            next = incoming.recv() => next,
            // Nothing received for a while, on a link slower than this
            // side: the host's own work meanwhile (a large transfer's
            // views), a short piece at a time, until it has none left or
            // input comes.
            () = tokio::time::sleep(IDLE_BEFORE_WORK), if may_work && pace.link_bound => {
                pace.waited(waiting.elapsed());
                may_work = tokio::task::block_in_place(|| host.work_while_waiting());
                continue;
            }
            () = tokio::time::sleep(activity.left(stall)) => {
                if activity.left(stall).is_zero() {
                    break Err(Error::Net(NetError::TimedOut(format!(
                        "nothing moved to or from the peer for {} s: the session stalled",
                        stall.as_secs_f32()
                    ))));
                }
                continue;
            }
        };
        pace.waited(waiting.elapsed());
        // What came may make work for the next wait.
        may_work = true;
        activity.mark();
        match next {
            Some(Ok(chunk)) if chunk.is_empty() => {
                break session.handle_eof().map(|_| session.stats().clone());
            }
            Some(Ok(chunk)) => {
                let handling = Instant::now();
                let step = tokio::task::block_in_place(|| {
                    host.with_store(&mut |store| session.handle_input(store, &chunk))
                });
                pace.handled(handling.elapsed());
                // Our own work counts as moving too.
                activity.mark();
                if let Err(e) = step {
                    while let Some(frame) = session.poll_transmit() {
                        let _ = tx.send(frame);
                    }
                    break Err(e);
                }
                let moved = session.stats().sent + session.stats().received;
                if moved >= last_progress + 1000 {
                    last_progress = moved;
                    host.on_event(SyncEvent::Progress {
                        peer,
                        stats: session.stats().clone(),
                    });
                }
            }
            Some(Err(e)) => break Err(e),
            None => break Err(Error::Net(NetError::Lost("the reader stopped".into()))),
        }
    };
    drop(tx);
    let mut writer = writer;
    let ending = async {
        if result.is_ok() {
            // The peer ends its stream once its session is complete, which
            // needs everything we sent: as sure as the ack of our last
            // bytes, and without the peer's ack delay (QUIC's 25 ms, a
            // resync's whole time twelve times over).
            tokio::select! {
                _ = &mut writer => {}
                () = peer_ended(&mut incoming) => {}
            }
        } else {
            let _ = (&mut writer).await;
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), ending).await;
    incoming.close();
    if let Ok(stats) = &result {
        host.on_event(SyncEvent::Finished {
            peer,
            stats: stats.clone(),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::net::PeerPolicy;
    use crate::node::StoreSync;
    use crate::record::{EntityId, Role, Value};
    use crate::store::Store;
    use crate::sync::SyncStore;

    #[derive(Debug)]
    struct Anyone;

    impl PeerPolicy for Anyone {
        fn allows(&self, _device: &DeviceId) -> bool {
            true
        }
    }

    /// The stall bound of the test: short, yet longer than the receiver
    /// takes to apply one message of the test's records (the sender sees
    /// nothing move meanwhile).
    /// Four seconds: a debug build applying a batch on a loaded two-core
    /// machine (a CI runner) once took over one without moving a byte, and
    /// under a whole test run beside it once over two.
    const STALL: Duration = Duration::from_millis(4000);

    /// A device over an in-memory store with a short stall bound.
    struct Device {
        team: [u8; 16],
        store: Mutex<Store>,
        /// Times the session asked for work while waiting for the peer.
        waits: std::sync::atomic::AtomicUsize,
        /// The first this many asks say work was done.
        busy_for: usize,
    }

    impl Device {
        fn new(team: [u8; 16], store: Store) -> Arc<Device> {
            Arc::new(Device {
                team,
                store: Mutex::new(store),
                waits: Default::default(),
                busy_for: 0,
            })
        }
    }

    impl Host for Device {
        fn team(&self) -> [u8; 16] {
            self.team
        }
        fn policy(&self) -> Arc<dyn PeerPolicy> {
            Arc::new(Anyone)
        }
        fn admit_peer(&self, _device: &DeviceId, _join: Option<&JoinRequest>) -> Result<()> {
            Ok(())
        }
        fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
            f(&mut StoreSync(&mut self.store.lock().unwrap()))
        }
        fn on_event(&self, _event: SyncEvent) {}
        fn stall_timeout(&self) -> Duration {
            STALL
        }
        fn work_while_waiting(&self) -> bool {
            let n = self.waits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            n < self.busy_for
        }
    }

    /// A founder with `people` people and a member admitted, unsynced.
    fn founder_and_member(people: usize, note: &str) -> ([u8; 16], Store, Store) {
        let mut founder = Store::open_in_memory().unwrap();
        let team = founder.create_team("Acme", "Eva").unwrap();
        let mut member = Store::open_in_memory().unwrap();
        member.join_team(team).unwrap();
        let member_id = member.device_id();
        founder
            .admit(member_id, EntityId::new(), "Jan", Role::Member)
            .unwrap();
        let started = founder.begin_bulk().unwrap();
        for i in 0..people {
            founder
                .put(
                    "person",
                    None,
                    vec![
                        ("given".into(), Value::Text(format!("P{i}"))),
                        ("note".into(), Value::Text(note.into())),
                    ],
                )
                .unwrap();
        }
        founder.end_bulk(started, Ok(())).unwrap();
        (team.0, founder, member)
    }

    #[test]
    fn the_link_is_judged_the_bottleneck_from_a_whole_window_of_time() {
        let ms = Duration::from_millis;
        let mut pace = Pace::default();
        assert!(!pace.link_bound, "not before the first window");
        // Mostly waiting: a slow link.
        pace.handled(ms(40));
        pace.waited(ms(100));
        assert!(!pace.link_bound, "the window is not over");
        pace.waited(ms(120));
        assert!(pace.link_bound);
        // Mostly handling: this side is the bottleneck.
        pace.waited(ms(30));
        pace.handled(ms(230));
        assert!(!pace.link_bound);
        // One long wait ends a window on its own.
        pace.waited(ms(400));
        assert!(pace.link_bound);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_session_waiting_for_its_peer_lets_the_host_work_until_it_has_none() {
        let (team, founder, member) = founder_and_member(150, &"n".repeat(1000));
        let (founder_id, member_id) = (founder.device_id(), member.device_id());
        let a = Device::new(team, founder);
        let b = Arc::new(Device {
            busy_for: 3,
            ..Arc::into_inner(Device::new(team, member)).unwrap()
        });
        // Through slow links: each side waits for the other well over the
        // idle time before work, again and again.
        sync_over_slow_links(&a, &b, founder_id, member_id).await;
        // The member, receiving over a link slower than it, was asked
        // again after each piece of work (3), once more when it had none
        // (the 4th), and again only once more had come (the 5th and on):
        // the session went on all the same.
        assert!(b.waits.load(std::sync::atomic::Ordering::SeqCst) > 4);
        let got = b.store.lock().unwrap().record_count().unwrap();
        assert_eq!(got, a.store.lock().unwrap().record_count().unwrap());
    }

    /// Syncs `a` (holding `a_id`) with `b` (holding `b_id`), a → link → b
    /// and b → link → a, each through a [`slow_link`]; both sessions must
    /// complete. Returns `a`'s stats.
    async fn sync_over_slow_links(
        a: &Arc<Device>,
        b: &Arc<Device>,
        a_id: DeviceId,
        b_id: DeviceId,
    ) -> SessionStats {
        let (a_side, a_link) = tokio::io::duplex(8192);
        let (b_side, b_link) = tokio::io::duplex(8192);
        let (a_link_read, a_link_write) = tokio::io::split(a_link);
        let (b_link_read, b_link_write) = tokio::io::split(b_link);
        tokio::spawn(slow_link(a_link_read, b_link_write));
        tokio::spawn(slow_link(b_link_read, a_link_write));
        let (a_read, a_write) = tokio::io::split(a_side);
        let (b_read, b_write) = tokio::io::split(b_side);
        let responder = {
            let b = b.clone();
            tokio::spawn(async move { respond(&b, a_id, b_write, b_read, Via::Direct).await })
        };
        let stats = open(a, b_id, a_write, a_read, None, Via::Direct)
            .await
            .expect("the session completes");
        responder.await.unwrap().expect("on both sides");
        stats
    }

    /// Copies `from` into `to` slowly: 4 KiB every 50 ms (about 80 KB/s),
    /// a link that always moves but never fast.
    async fn slow_link(
        mut from: tokio::io::ReadHalf<tokio::io::DuplexStream>,
        mut to: tokio::io::WriteHalf<tokio::io::DuplexStream>,
    ) {
        let mut buf = vec![0u8; 4096];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => {
                    let _ = to.shutdown().await;
                    return;
                }
                Ok(n) => {
                    if to.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_slow_but_moving_transfer_never_counts_as_stalled() {
        // Few records of some size: applying them (debug build included)
        // takes well under the bound, moving them takes several bounds.
        // About 1.4 MB at the link's 80 KB/s: some 18 s, over 3 bounds.
        let (team, founder, member) = founder_and_member(350, &"x".repeat(4000));
        let member_id = member.device_id();
        let founder_id = founder.device_id();
        let a = Device::new(team, founder);
        let b = Device::new(team, member);
        let began = Instant::now();
        let stats = sync_over_slow_links(&a, &b, founder_id, member_id).await;
        // It took many times the stall bound, moving all the while.
        assert!(began.elapsed() > 3 * STALL, "{:?}", began.elapsed());
        assert!(stats.sent >= 350, "{stats:?}");
        let got = b.store.lock().unwrap().record_count().unwrap();
        assert_eq!(got, a.store.lock().unwrap().record_count().unwrap());
    }
}
