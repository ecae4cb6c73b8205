//! Forwarding one relayed session: bytes copied both ways between the two
//! devices' streams (FIN, resets and stops passed through), charged to the
//! sender's byte budget, shown to the observer, until both directions end,
//! one breaks, the session idles out or the relay shuts down.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::proto;
use super::server::{State, Usage};
use crate::identity::DeviceId;

/// Why a forwarded session ended.
#[derive(Debug)]
pub(super) enum End {
    Done,
    Idle,
    Shutdown,
    Broken,
}

/// One end of a session: the device, its stream, its budget.
pub(super) type Side = (DeviceId, quinn::SendStream, quinn::RecvStream, Arc<Usage>);

struct Pump<'a> {
    state: &'a State,
    from: DeviceId,
    to: DeviceId,
    usage: &'a Usage,
    activity: &'a AtomicU64,
    started: Instant,
    bytes: &'a AtomicU64,
}

impl Pump<'_> {
    async fn run(
        &self,
        from: &mut quinn::RecvStream,
        to: &mut quinn::SendStream,
    ) -> std::result::Result<(), ()> {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(Some(n)) => {
                    self.touch();
                    let wait = self.usage.bucket.take(n);
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    if let Some(observe) = &self.state.config.observer {
                        observe(&self.from, &self.to, &buf[..n]);
                    }
                    if let Err(e) = to.write_all(&buf[..n]).await {
                        if let quinn::WriteError::Stopped(code) = e {
                            let _ = from.stop(code);
                        }
                        return Err(());
                    }
                    self.touch();
                    self.bytes.fetch_add(n as u64, Ordering::Relaxed);
                    self.state.bytes.fetch_add(n as u64, Ordering::Relaxed);
                }
                Ok(None) => {
                    let _ = to.finish();
                    return Ok(());
                }
                Err(quinn::ReadError::Reset(code)) => {
                    let _ = to.reset(code);
                    return Err(());
                }
                Err(_) => return Err(()),
            }
        }
    }

    fn touch(&self) {
        self.activity
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

/// Forwards bytes both ways until both directions end, one breaks, the
/// session idles out or the relay shuts down.
pub(super) async fn forward(state: &State, a: Side, b: Side) -> (End, u64) {
    let (a_id, mut a_send, mut a_recv, a_usage) = a;
    let (b_id, mut b_send, mut b_recv, b_usage) = b;
    let activity = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let started = Instant::now();
    let idle = state.config.limits.idle_timeout;
    let mut shutdown = state.shutdown.subscribe();
    let end = {
        let a2b = Pump {
            state,
            from: a_id,
            to: b_id,
            usage: &a_usage,
            activity: &activity,
            started,
            bytes: &bytes,
        };
        let b2a = Pump {
            state,
            from: b_id,
            to: a_id,
            usage: &b_usage,
            activity: &activity,
            started,
            bytes: &bytes,
        };
        let up = a2b.run(&mut a_recv, &mut b_send);
        let down = b2a.run(&mut b_recv, &mut a_send);
        tokio::pin!(up, down);
        let mut ticker = tokio::time::interval((idle / 4).max(Duration::from_millis(10)));
        let (mut up_done, mut down_done) = (false, false);
        loop {
            tokio::select! {
                r = &mut up, if !up_done => {
                    up_done = true;
                    if r.is_err() { break End::Broken; }
                }
                r = &mut down, if !down_done => {
                    down_done = true;
                    if r.is_err() { break End::Broken; }
                }
                _ = ticker.tick() => {
                    let last = Duration::from_millis(activity.load(Ordering::Relaxed));
                    if started.elapsed().saturating_sub(last) > idle {
                        break End::Idle;
                    }
                }
                _ = shutdown.wait_for(|s| *s) => break End::Shutdown,
            }
            if up_done && down_done {
                break End::Done;
            }
        }
    };
    let code = match end {
        End::Done => None,
        End::Idle => {
            state.idle_closed.fetch_add(1, Ordering::Relaxed);
            Some(proto::CODE_IDLE)
        }
        End::Shutdown => Some(proto::CODE_SHUTDOWN),
        End::Broken => Some(proto::CODE_PEER_GONE),
    };
    if let Some(code) = code {
        let code = quinn::VarInt::from_u32(code);
        let _ = a_send.reset(code);
        let _ = b_send.reset(code);
        let _ = a_recv.stop(code);
        let _ = b_recv.stop(code);
    }
    (end, bytes.load(Ordering::Relaxed))
}
