//! What the relay allows: its limits and the per-device byte budget.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much the relay serves; each limit refuses (or, for bandwidth,
/// slows down) with a clear reason. Defaults suit a small team relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Registered devices at once, all teams together; one more is
    /// refused ("the relay is full").
    pub max_connections: usize,
    /// Connections that have not registered yet, all together: anyone can
    /// complete the handshake, so these are few; when all are taken the
    /// oldest is let go for the newest.
    pub max_unregistered: usize,
    /// Connections waiting to register from one address (an IPv6 /64);
    /// one more is refused.
    pub max_unregistered_per_address: usize,
    /// A connection that has not registered this long after arriving is
    /// closed (a health check asks and leaves well before).
    pub register_within: Duration,
    /// Sessions one device may have through the relay at once (as either
    /// end); one more is refused.
    pub max_sessions_per_device: usize,
    /// Bytes per second each device may send through the relay, over all
    /// its sessions; faster senders are slowed down, not cut.
    pub bytes_per_second_per_device: u64,
    /// A session with no byte either way for this long is closed.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 10_000,
            max_unregistered: 512,
            max_unregistered_per_address: 16,
            register_within: Duration::from_secs(10),
            max_sessions_per_device: 16,
            bytes_per_second_per_device: 32 * 1024 * 1024,
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// A token bucket: `rate` bytes per second, bursts up to one second's worth.
#[derive(Debug)]
pub(crate) struct Bucket {
    rate: u64,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    /// A full bucket for `rate` bytes per second (0 = unlimited).
    pub(crate) fn new(rate: u64) -> Bucket {
        Bucket {
            rate,
            state: Mutex::new((rate as f64, Instant::now())),
        }
    }

    /// Takes `n` bytes; returns how long the sender must wait before
    /// sending them to stay within the rate (the debt is kept, so
    /// concurrent sessions of one device share the budget).
    pub(crate) fn take(&self, n: usize) -> Duration {
        if self.rate == 0 {
            return Duration::ZERO;
        }
        let rate = self.rate as f64;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let refill = now.duration_since(state.1).as_secs_f64() * rate;
        state.0 = (state.0 + refill).min(rate) - n as f64;
        state.1 = now;
        if state.0 >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-state.0 / rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_asks_to_wait_in_proportion() {
        let b = Bucket::new(1000);
        assert_eq!(b.take(1000), Duration::ZERO);
        let wait = b.take(500);
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500));
        let wait = b.take(500);
        assert!(wait > Duration::from_millis(900), "{wait:?}");
        assert_eq!(Bucket::new(0).take(usize::MAX >> 8), Duration::ZERO);
    }
}
