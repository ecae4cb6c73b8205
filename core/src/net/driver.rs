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

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::Host;
use super::tls::device_of;
use crate::error::{Error, NetError, Result, SyncError};
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
    /// The session failed (the peer may be unknown if the handshake failed).
    Failed {
        /// The other device, if known.
        peer: Option<DeviceId>,
        /// What went wrong.
        error: String,
    },
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
    let (send, recv) = conn
        .accept_bi()
        .await
        .map_err(|e| Error::Net(NetError::Lost(format!("no stream from the peer: {e}"))))?;
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
    let preamble: Preamble = postcard::from_bytes(&read_frame(&mut recv, PREAMBLE_MAX).await?)
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
    let reply: Reply = postcard::from_bytes(&read_frame(&mut recv, PREAMBLE_MAX).await?)
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
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            send.write_all(&frame)
                .await
                .map_err(|e| Error::Net(NetError::broken("writing to the peer", &e)))?;
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
        match incoming.recv().await {
            Some(Ok(chunk)) if chunk.is_empty() => {
                break session.handle_eof().map(|_| session.stats().clone());
            }
            Some(Ok(chunk)) => {
                let step = tokio::task::block_in_place(|| {
                    host.with_store(&mut |store| session.handle_input(store, &chunk))
                });
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
    incoming.close();
    drop(tx);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), writer).await;
    if let Ok(stats) = &result {
        host.on_event(SyncEvent::Finished {
            peer,
            stats: stats.clone(),
        });
    }
    result
}
