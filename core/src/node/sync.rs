//! [`Node::sync`]: one sync with a target (every known peer, one device,
//! an address, a ticket), planned from the roster, the remembered peers
//! and the relays at hand, and reported per peer.

use std::net::SocketAddr;
use std::time::Duration;

use super::{Node, now_s};
use crate::error::{Error, NetError, Result, TicketError};
use crate::identity::DeviceId;
use crate::net::Via;
use crate::net::relay::RelaySettings;
use crate::net::ticket::Ticket;
use crate::sync::SessionStats;

/// How long a direct address may take to answer before the relay takes over.
pub const DIRECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Whom to sync with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncTarget {
    /// Every active team device this device knows an address of (most
    /// recently reached first); with a relay, every other active team
    /// device too (through the relay).
    AllKnown,
    /// One team device: its remembered addresses, then the relay.
    Device(DeviceId),
    /// Whoever answers at these addresses. With `device`, that device
    /// (then through the relay); without, the team devices known at these
    /// addresses and then every active team device in turn, directly only,
    /// until one syncs or none answers at all.
    Address {
        /// The addresses (e.g. what a host name resolved to).
        addrs: Vec<SocketAddr>,
        /// The device expected there, if known.
        device: Option<DeviceId>,
    },
    /// The device a ticket (`DEKO:...`) names: its addresses in order, then
    /// the ticket's relay (or this device's).
    Ticket(String),
}

impl SyncTarget {
    /// `device` at `addr`, then through the relay.
    pub fn at(addr: SocketAddr, device: DeviceId) -> SyncTarget {
        SyncTarget::Address {
            addrs: vec![addr],
            device: Some(device),
        }
    }
}

/// How a sync goes about reaching peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    /// How long a peer may take to answer (its session to start) at each
    /// address and through the relay; a started session runs to its end.
    pub timeout: Duration,
    /// The most each direct address is given when a relay can take over.
    pub direct_timeout: Duration,
    /// Whether a relay may be used (a ticket's or this device's own). Off
    /// when another process holds this device's relay registration: a
    /// second registration would take its place.
    pub relay: bool,
}

impl Default for SyncOptions {
    /// 10 s to answer, 3 s per direct address when a relay can take over,
    /// relays allowed.
    fn default() -> Self {
        SyncOptions {
            timeout: Duration::from_secs(10),
            direct_timeout: DIRECT_TIMEOUT,
            relay: true,
        }
    }
}

/// What became of one peer in a sync.
#[derive(Debug)]
pub struct SyncOutcome {
    /// The peer.
    pub device: DeviceId,
    /// The last address tried directly: where the peer answered when the
    /// session went direct. `None` when the relay was tried last.
    pub addr: Option<SocketAddr>,
    /// The relay tried after the addresses, if it came to that.
    pub relay: Option<RelaySettings>,
    /// How the session reached the peer, if it started.
    pub via: Option<Via>,
    /// The session's counters (refused records and their reasons
    /// included), or why no session ran to its end.
    pub result: Result<SessionStats>,
}

/// Every peer a sync tried, in order.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// One per peer.
    pub outcomes: Vec<SyncOutcome>,
}

impl SyncReport {
    /// Whether no session ran to its end.
    pub fn all_failed(&self) -> bool {
        self.outcomes.iter().all(|o| o.result.is_err())
    }

    /// The failure that says most: a peer that did not answer at all (not
    /// a key mismatch with a wrong guess at an address), else the last.
    pub fn telling_error(&self) -> Option<&Error> {
        let index = self.telling_index()?;
        self.outcomes[index].result.as_ref().err()
    }

    fn telling_index(&self) -> Option<usize> {
        let failed = |o: &SyncOutcome| o.result.is_err();
        self.outcomes
            .iter()
            .rposition(|o| matches!(o.result, Err(Error::Net(NetError::NoAnswer(_)))))
            .or_else(|| self.outcomes.iter().rposition(failed))
    }

    /// The first successful session's counters, else the telling error:
    /// the result of a sync with a single peer.
    pub fn into_stats(mut self) -> Result<SessionStats> {
        if let Some(i) = self.outcomes.iter().position(|o| o.result.is_ok()) {
            return self.outcomes.swap_remove(i).result;
        }
        match self.telling_index() {
            Some(i) => self.outcomes.swap_remove(i).result,
            None => Err(Error::NoKnownPeers),
        }
    }

    /// The counters of every session that completed, summed (refused
    /// records included).
    pub fn total(&self) -> SessionStats {
        let mut all = SessionStats::default();
        for o in &self.outcomes {
            if let Ok(stats) = &o.result {
                all.add(stats);
            }
        }
        all
    }
}

impl Node {
    /// Syncs with `target`, one peer after the other, each reached by the
    /// attempt policy (addresses, each with its own time to answer, then
    /// the relay; where a peer answered is remembered). Fails only when
    /// the target cannot be used (a bad ticket, no known peer or address);
    /// each peer's own outcome is in the report. Events of every session
    /// reach the node's listeners.
    pub async fn sync(&self, target: SyncTarget, options: &SyncOptions) -> Result<SyncReport> {
        let report = self.sync_target(target, options).await?;
        let applied = report
            .outcomes
            .iter()
            .any(|o| o.result.as_ref().is_ok_and(|s| s.applied > 0));
        if applied {
            self.follow_team_relay();
        }
        Ok(report)
    }

    async fn sync_target(&self, target: SyncTarget, options: &SyncOptions) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        match target {
            SyncTarget::Ticket(text) => {
                let ticket = Ticket::parse(&text, now_s())?;
                ticket.check_team(&self.inner.team)?;
                let relay = self.fallback_relay(RelaySettings::from_ticket(&ticket), options.relay);
                if ticket.addrs.is_empty() && relay.is_none() {
                    return Err(TicketError::NoAddress.into());
                }
                let peer = DeviceId(ticket.device);
                let o = self.reach(peer, &ticket.addrs, relay, None, options).await;
                report.outcomes.push(o);
            }
            SyncTarget::Device(peer) => {
                let addrs = self.known_addrs(&peer)?;
                let relay = self.fallback_relay(None, options.relay);
                if addrs.is_empty() && relay.is_none() {
                    return Err(Error::NoAddress(peer));
                }
                let o = self.reach(peer, &addrs, relay, None, options).await;
                report.outcomes.push(o);
            }
            SyncTarget::Address {
                addrs,
                device: Some(peer),
            } => {
                let relay = self.fallback_relay(None, options.relay);
                let o = self.reach(peer, &addrs, relay, None, options).await;
                report.outcomes.push(o);
            }
            SyncTarget::Address {
                addrs,
                device: None,
            } => {
                let mut candidates: std::collections::VecDeque<DeviceId> =
                    self.candidates_at(&addrs)?.into();
                if candidates.is_empty() {
                    return Err(Error::NoOtherDevice);
                }
                let team = self.team_devices()?;
                let mut tried: Vec<DeviceId> = Vec::new();
                let mut probe = None;
                while let Some(peer) = candidates.pop_front() {
                    if tried.contains(&peer) {
                        continue;
                    }
                    tried.push(peer);
                    let o = self.reach(peer, &addrs, None, None, options).await;
                    // Another team device answered there: that one next.
                    // The mismatch was a probe, not a sync to report.
                    if let Err(Error::Net(NetError::UnexpectedPeer { found, .. })) = &o.result {
                        if team.contains(found) && !tried.contains(found) {
                            candidates.push_front(*found);
                        }
                        probe = Some(o);
                        continue;
                    }
                    // A peer that did not answer at all will not answer
                    // under another key either.
                    let stop = matches!(o.result, Ok(_) | Err(Error::Net(NetError::NoAnswer(_))));
                    report.outcomes.push(o);
                    if stop {
                        break;
                    }
                }
                if report.outcomes.is_empty() {
                    report.outcomes.extend(probe);
                }
            }
            SyncTarget::AllKnown => {
                let plan = self.everyone(options.relay)?;
                if plan.is_empty() {
                    return Err(Error::NoKnownPeers);
                }
                for (peer, addrs) in plan {
                    let relay = self.fallback_relay(None, options.relay);
                    let o = self.reach(peer, &addrs, relay, None, options).await;
                    report.outcomes.push(o);
                }
            }
        }
        Ok(report)
    }

    /// The remembered addresses of `device`, most recently reached first.
    fn known_addrs(&self, device: &DeviceId) -> Result<Vec<SocketAddr>> {
        Ok(self
            .inner
            .crm()
            .store()
            .known_peers()?
            .into_iter()
            .filter(|k| k.device == *device)
            .map(|k| k.addr)
            .collect())
    }

    /// Every device of the roster (revoked ones too: they may connect to
    /// learn of it).
    fn team_devices(&self) -> Result<Vec<DeviceId>> {
        let mut crm = self.inner.crm();
        Ok(crm
            .store_mut()
            .roster()?
            .map(|r| r.members.keys().copied().collect())
            .unwrap_or_default())
    }

    /// Active team devices other than this one.
    fn active_peers(&self) -> Result<Vec<DeviceId>> {
        let mut crm = self.inner.crm();
        let me = crm.store().device_id();
        Ok(match crm.store_mut().roster()? {
            Some(r) => r
                .members
                .values()
                .filter(|m| m.revoked_after.is_none() && m.device != me)
                .map(|m| m.device)
                .collect(),
            None => Vec::new(),
        })
    }

    /// Who may answer at `addrs`: devices remembered there, then every
    /// active team device.
    fn candidates_at(&self, addrs: &[SocketAddr]) -> Result<Vec<DeviceId>> {
        let me = self.device_id();
        let known = self.inner.crm().store().known_peers()?;
        let mut out: Vec<DeviceId> = Vec::new();
        let there = known
            .iter()
            .filter(|k| addrs.contains(&k.addr))
            .map(|k| k.device);
        for d in there.chain(self.active_peers()?) {
            if d != me && !out.contains(&d) {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Every active team device with its remembered addresses (most
    /// recently reached devices first); with a relay, also those never
    /// reached directly.
    fn everyone(&self, relay_allowed: bool) -> Result<Vec<(DeviceId, Vec<SocketAddr>)>> {
        let active = self.active_peers()?;
        let known = self.inner.crm().store().known_peers()?;
        let mut plan: Vec<(DeviceId, Vec<SocketAddr>)> = Vec::new();
        for k in known {
            if !active.contains(&k.device) {
                continue;
            }
            match plan.iter_mut().find(|(d, _)| *d == k.device) {
                Some((_, addrs)) => addrs.push(k.addr),
                None => plan.push((k.device, vec![k.addr])),
            }
        }
        // Through a relay, team devices never met directly are reachable too.
        if relay_allowed && self.relay_settings().is_some() {
            for d in active {
                if !plan.iter().any(|(p, _)| *p == d) {
                    plan.push((d, Vec::new()));
                }
            }
        }
        Ok(plan)
    }
}
