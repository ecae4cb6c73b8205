//! LAN discovery and automatic sync. The node announces itself, looks for
//! team peers every interval, remembers where it found them and, when the
//! user allows it, syncs with each one that is due: a peer that just synced
//! (either way) rests for a while; a peer that failed is retried later,
//! the wait doubling with each failure in a row up to a cap.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::sync::{DIRECT_TIMEOUT, SyncOptions};
use super::{Node, lock, now_s};
use crate::error::Result;
use crate::identity::DeviceId;
use crate::net::discovery::{Discovery, DiscoveryBackend};

/// How auto-sync treats the team peers discovery finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoSyncPolicy {
    /// How long a found peer may take to answer at its addresses.
    pub timeout: Duration,
    /// After a session with a peer (started by either side), how long
    /// before auto-sync starts another with it.
    pub rest: Duration,
    /// After a failure, the wait before the next try; it doubles with each
    /// failure in a row.
    pub first_retry: Duration,
    /// The longest wait between tries.
    pub max_retry: Duration,
}

impl AutoSyncPolicy {
    /// For discovery every `interval`: rest 5 intervals after a session,
    /// retry after 1 interval, then 2, 4, ... up to 32; 3 s to answer.
    pub fn for_interval(interval: Duration) -> AutoSyncPolicy {
        AutoSyncPolicy {
            timeout: DIRECT_TIMEOUT,
            rest: interval * 5,
            first_retry: interval,
            max_retry: interval * 32,
        }
    }
}

impl Default for AutoSyncPolicy {
    /// For discovery every 15 s.
    fn default() -> Self {
        AutoSyncPolicy::for_interval(Duration::from_secs(15))
    }
}

/// When each peer may next be synced with automatically.
#[derive(Debug, Default)]
pub(super) struct Schedule {
    policy: AutoSyncPolicy,
    /// The policy was set by the user (not derived from the interval).
    chosen: bool,
    peers: HashMap<DeviceId, Due>,
}

#[derive(Debug, Default)]
struct Due {
    /// When the last session or failure with it ended.
    since: Option<Instant>,
    /// Failures in a row since (0 after a session).
    failures: u32,
    /// An automatic sync with it runs now.
    running: bool,
}

impl Schedule {
    fn set_policy(&mut self, policy: AutoSyncPolicy) {
        self.policy = policy;
        self.chosen = true;
    }

    /// The wait after `failures` failures in a row (none: the rest after a
    /// session).
    fn wait(&self, failures: u32) -> Duration {
        match failures {
            0 => self.policy.rest,
            n => self
                .policy
                .first_retry
                .saturating_mul(1 << (n - 1).min(30))
                .min(self.policy.max_retry),
        }
    }

    /// Whether an automatic sync with `peer` may start at `now`; if so, it
    /// counts as running until [`Schedule::failed`] or
    /// [`Schedule::synced`]. Waits are measured with the policy in force
    /// now.
    fn start(&mut self, peer: DeviceId, now: Instant) -> bool {
        let (since, failures, running) = match self.peers.get(&peer) {
            Some(d) => (d.since, d.failures, d.running),
            None => (None, 0, false),
        };
        let waited = since.is_none_or(|t| now >= t + self.wait(failures));
        if running || !waited {
            return false;
        }
        self.peers.entry(peer).or_default().running = true;
        true
    }

    /// A session with `peer` ran to its end at `now` (started by anyone):
    /// it rests.
    pub(super) fn synced(&mut self, peer: DeviceId, now: Instant) {
        let due = self.peers.entry(peer).or_default();
        due.running = false;
        due.failures = 0;
        due.since = Some(now);
    }

    /// An automatic sync with `peer` failed at `now`; returns the wait
    /// before the next try.
    fn failed(&mut self, peer: DeviceId, now: Instant) -> Duration {
        let due = self.peers.entry(peer).or_default();
        due.running = false;
        due.failures = due.failures.saturating_add(1);
        due.since = Some(now);
        let failures = due.failures;
        self.wait(failures)
    }
}

/// The running discovery of a node; dropping it stops announcing and looking.
pub struct DiscoveryTask {
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for DiscoveryTask {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl Node {
    /// Announces this device on the local network through `backend` (mDNS
    /// on desktops and servers, the platform's own service discovery in the
    /// apps) and looks for team peers every `interval`. The announcement
    /// carries only an hourly-rotating tag that team members can recognise;
    /// no team id, name or key. Found peers' addresses are remembered, and
    /// peers are synced with when [`Node::set_auto_sync`] allows it, under
    /// [`AutoSyncPolicy::for_interval`] unless
    /// [`Node::set_auto_sync_policy`] set another. Runs until the handle is
    /// dropped.
    pub fn start_discovery(
        &self,
        backend: Box<dyn DiscoveryBackend>,
        interval: Duration,
    ) -> Result<DiscoveryTask> {
        let port = self.local_addr()?.port();
        let discovery = Discovery::new(backend, self.inner.team, self.device_id().0, port);
        {
            let mut schedule = lock(&self.inner.schedule);
            if !schedule.chosen {
                schedule.policy = AutoSyncPolicy::for_interval(interval);
            }
        }
        let node = self.share();
        let handle = tokio::spawn(async move {
            loop {
                if let Err(e) = discovery.refresh(now_s()) {
                    log::warn!("cannot announce on the local network: {e}");
                }
                let found = node.look(&discovery);
                if node.inner.auto_sync.load(Ordering::Relaxed) {
                    for (peer, addrs) in found {
                        node.auto_sync_with(peer, addrs);
                    }
                }
                tokio::time::sleep(interval).await;
            }
        });
        Ok(DiscoveryTask { handle })
    }

    /// The team peers on the LAN now; remembers them and their addresses.
    fn look(&self, discovery: &Discovery) -> Vec<(DeviceId, Vec<SocketAddr>)> {
        let roster: Vec<[u8; 32]> = {
            let mut crm = self.inner.crm();
            match crm.store_mut().roster() {
                Ok(Some(r)) => r
                    .members
                    .values()
                    .filter(|m| m.revoked_after.is_none())
                    .map(|m| m.device.0)
                    .collect(),
                _ => Vec::new(),
            }
        };
        let found: Vec<(DeviceId, Vec<SocketAddr>)> = discovery
            .peers(&roster, now_s())
            .into_iter()
            .map(|(d, a)| (DeviceId(d), a))
            .collect();
        let now = now_s();
        {
            let crm = self.inner.crm();
            for (peer, addrs) in &found {
                for addr in addrs {
                    if let Err(e) = crm.store().remember_peer(*peer, *addr, now) {
                        log::warn!("cannot remember peer {}: {e}", peer.fingerprint());
                    }
                }
            }
        }
        *lock(&self.inner.nearby) = found.clone();
        found
    }

    /// Starts a sync with a found peer in the background if it is due.
    fn auto_sync_with(&self, peer: DeviceId, addrs: Vec<SocketAddr>) {
        let policy = {
            let mut schedule = lock(&self.inner.schedule);
            if !schedule.start(peer, Instant::now()) {
                return;
            }
            schedule.policy.clone()
        };
        let node = self.share();
        tokio::spawn(async move {
            let options = SyncOptions {
                timeout: policy.timeout,
                relay: false,
                ..SyncOptions::default()
            };
            let outcome = node.reach(peer, &addrs, None, None, &options).await;
            if outcome.result.as_ref().is_ok_and(|s| s.applied > 0) {
                node.follow_team_relay();
            }
            if let Err(e) = outcome.result {
                // A success was noted by the session's Finished event.
                let wait = lock(&node.inner.schedule).failed(peer, Instant::now());
                log::info!(
                    "auto-sync with {}: {e}; next try in {wait:?}",
                    peer.fingerprint()
                );
            }
        });
    }

    /// Whether peers found on the local network are synced with
    /// automatically (off until the user allows it).
    pub fn set_auto_sync(&self, on: bool) {
        self.inner.auto_sync.store(on, Ordering::Relaxed);
    }

    /// How auto-sync rests and retries (by default derived from the
    /// discovery interval).
    pub fn set_auto_sync_policy(&self, policy: AutoSyncPolicy) {
        lock(&self.inner.schedule).set_policy(policy);
    }

    /// Team peers seen on the local network at the last look.
    pub fn nearby_peers(&self) -> Vec<(DeviceId, Vec<SocketAddr>)> {
        lock(&self.inner.nearby).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule() -> Schedule {
        let mut s = Schedule::default();
        s.set_policy(AutoSyncPolicy {
            timeout: Duration::from_secs(1),
            rest: Duration::from_secs(60),
            first_retry: Duration::from_secs(10),
            max_retry: Duration::from_secs(80),
        });
        s
    }

    #[test]
    fn a_peer_that_just_synced_rests() {
        let mut s = schedule();
        let peer = DeviceId([1; 32]);
        let t0 = Instant::now();
        assert!(s.start(peer, t0));
        assert!(!s.start(peer, t0), "one automatic sync at a time");
        s.synced(peer, t0);
        assert!(!s.start(peer, t0 + Duration::from_secs(59)));
        assert!(s.start(peer, t0 + Duration::from_secs(60)));
        // A session the peer started counts too.
        let other = DeviceId([2; 32]);
        s.synced(other, t0);
        assert!(!s.start(other, t0 + Duration::from_secs(30)));
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_cap_and_a_success_resets() {
        let mut s = schedule();
        let peer = DeviceId([1; 32]);
        let mut now = Instant::now();
        let mut waits = Vec::new();
        for _ in 0..6 {
            assert!(s.start(peer, now));
            let wait = s.failed(peer, now);
            assert!(!s.start(peer, now + wait - Duration::from_millis(1)));
            waits.push(wait.as_secs());
            now += wait;
        }
        assert_eq!(waits, [10, 20, 40, 80, 80, 80]);
        assert!(s.start(peer, now));
        s.synced(peer, now);
        now += Duration::from_secs(60);
        assert!(s.start(peer, now));
        assert_eq!(s.failed(peer, now), Duration::from_secs(10));
    }
}
