//! Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a
//! counter in the low 16, so timestamps follow causality and stay close to
//! real time.

use serde::{Deserialize, Serialize};

/// A hybrid logical timestamp.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default, Serialize, Deserialize,
)]
pub struct Hlc(pub u64);

/// How far a remote clock may run ahead before it is flagged and no longer
/// pulls the local clock forward (one hour).
pub const MAX_DRIFT_MS: u64 = 60 * 60 * 1000;

impl Hlc {
    /// Milliseconds since the Unix epoch of the wall-clock part.
    pub fn millis(self) -> u64 {
        self.0 >> 16
    }

    /// The timestamp for a wall-clock reading with counter zero.
    pub fn from_millis(ms: u64) -> Hlc {
        Hlc(ms << 16)
    }
}

/// The local clock: never goes backwards, ticks past everything it has seen.
#[derive(Debug, Default, Clone)]
pub struct HlcClock {
    last: u64,
}

impl HlcClock {
    /// A clock that has seen `last` already.
    pub fn new(last: Hlc) -> Self {
        HlcClock { last: last.0 }
    }

    /// The latest timestamp issued or observed.
    pub fn last(&self) -> Hlc {
        Hlc(self.last)
    }

    /// A new timestamp for a local event at wall time `now_ms`.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let wall = now_ms << 16;
        self.last = if wall > self.last {
            wall
        } else {
            self.last + 1
        };
        Hlc(self.last)
    }

    /// Takes note of a remote timestamp. Returns `false` (and ignores it) when
    /// it is more than [`MAX_DRIFT_MS`] ahead of `now_ms`: such a clock is
    /// flagged, never trusted to move ours.
    pub fn observe(&mut self, remote: Hlc, now_ms: u64) -> bool {
        if remote.millis() > now_ms.saturating_add(MAX_DRIFT_MS) {
            return false;
        }
        self.last = self.last.max(remote.0);
        true
    }
}

/// The current wall-clock time in milliseconds since the Unix epoch.
pub fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_even_when_wall_clock_stalls_or_goes_back() {
        let mut c = HlcClock::default();
        let a = c.tick(1000);
        let b = c.tick(1000);
        let d = c.tick(900);
        assert!(a < b && b < d);
        assert_eq!(a.millis(), 1000);
    }

    #[test]
    fn observes_remote_but_not_far_future() {
        let mut c = HlcClock::default();
        c.tick(1000);
        assert!(c.observe(Hlc::from_millis(5000), 1000));
        assert!(c.tick(1000).millis() >= 5000);
        let before = c.last();
        assert!(!c.observe(Hlc::from_millis(1000 + MAX_DRIFT_MS + 5000 + 1), 1000));
        assert_eq!(c.last(), before);
    }
}
