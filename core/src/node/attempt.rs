//! The attempt policy: how one peer is reached. Each direct address is
//! tried in turn, each given its own time to answer (shorter when a relay
//! can take over); then the relay. An attempt answers when its session
//! starts (the peer accepted the preamble); a session that started runs to
//! its end however long it takes. A refusal by the peer ends the attempts
//! (another address would be refused too). Where the peer answered
//! directly is remembered, first in line for next time.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::host::NodeHost;
use super::relay::Fallback;
use super::sync::{SyncOptions, SyncOutcome};
use super::{Node, now_s};
use crate::error::{Error, ErrorKind, NetError, NoAnswer, Result};
use crate::identity::DeviceId;
use crate::net::{Host, JoinRequest, PeerPolicy, SyncEvent, Via};
use crate::sync::{SessionStats, SyncStore};

/// The node's host for one attempt: notes when the session with the
/// expected peer starts (and how it reached it), and passes everything on.
struct AttemptHost {
    node: Arc<NodeHost>,
    peer: DeviceId,
    started: OnceLock<Via>,
}

impl Host for AttemptHost {
    fn team(&self) -> [u8; 16] {
        self.node.team()
    }
    fn policy(&self) -> Arc<dyn PeerPolicy> {
        self.node.policy()
    }
    fn admit_peer(&self, device: &DeviceId, join: Option<&crate::net::JoinRequest>) -> Result<()> {
        self.node.admit_peer(device, join)
    }
    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        self.node.with_store(f)
    }
    fn notice_for(&self, peer: &DeviceId) -> Option<std::collections::BTreeMap<DeviceId, u64>> {
        self.node.notice_for(peer)
    }
    fn on_event(&self, event: SyncEvent) {
        if let SyncEvent::Started {
            peer,
            via,
            initiator: true,
        } = &event
            && *peer == self.peer
        {
            let _ = self.started.set(*via);
        }
        self.node.on_event(event)
    }
    fn verify_ahead(&self, records: &[Vec<u8>]) {
        self.node.verify_ahead(records)
    }
    fn stall_timeout(&self) -> Duration {
        self.node.stall_timeout()
    }
    fn work_while_waiting(&self) -> bool {
        self.node.work_while_waiting()
    }
}

impl Node {
    /// One attempt at `peer`, at `addr` or (when `None`) through `relay`,
    /// given `timeout` to start the session. Returns the session's result
    /// and how it reached the peer, if it started.
    async fn attempt(
        &self,
        peer: DeviceId,
        addr: Option<SocketAddr>,
        relay: Option<&Fallback>,
        join: Option<JoinRequest>,
        timeout: Duration,
    ) -> (Result<SessionStats>, Option<Via>) {
        let host = Arc::new(AttemptHost {
            node: self.host(),
            peer,
            started: OnceLock::new(),
        });
        let session = async {
            match (addr, relay) {
                (Some(addr), _) => {
                    self.endpoint
                        .sync_with_timeout(&host, addr, peer, join, None)
                        .await
                }
                (None, Some(relay)) => relay.client.sync_with(&host, peer, join).await,
                (None, None) => Err(Error::NoAddress(peer)),
            }
        };
        let watchdog = async {
            tokio::time::sleep(timeout).await;
            if host.started.get().is_some() {
                std::future::pending::<()>().await;
            }
        };
        let result = tokio::select! {
            r = session => r,
            _ = watchdog => {
                let e = Error::Net(NetError::NoAnswer(Box::new(NoAnswer { peer, addr, after: timeout })));
                host.on_event(SyncEvent::failed(Some(peer), &e));
                Err(e)
            }
        };
        (result, host.started.get().copied())
    }

    /// Reaches `peer`: each of `addrs` directly (the first that answers),
    /// then through `relay`; presents `join` if given. Remembers the
    /// address that answered.
    pub(super) async fn reach(
        &self,
        peer: DeviceId,
        addrs: &[SocketAddr],
        relay: Option<Fallback>,
        join: Option<JoinRequest>,
        options: &SyncOptions,
    ) -> SyncOutcome {
        // With a relay to fall back on, a silent address is given up sooner.
        let direct_timeout = match relay {
            Some(_) => options.timeout.min(options.direct_timeout),
            None => options.timeout,
        };
        let mut outcome = SyncOutcome {
            device: peer,
            addr: None,
            relay: None,
            via: None,
            result: Err(Error::NoAddress(peer)),
        };
        for addr in addrs {
            let (result, via) = self
                .attempt(peer, Some(*addr), None, join.clone(), direct_timeout)
                .await;
            match &result {
                Ok(_) => self.remember_answer(peer, *addr),
                Err(e) => log::info!("{} at {addr}: {e}", peer.fingerprint()),
            }
            // A refusal by the peer ends the attempts: another address
            // reaches the same device, which refuses again.
            let done = match &result {
                Ok(_) => true,
                Err(e) => e.kind() == ErrorKind::RefusedByPeer,
            };
            outcome.addr = Some(*addr);
            outcome.via = via;
            outcome.result = result;
            if done {
                return outcome;
            }
        }
        if let Some(relay) = relay {
            let (result, via) = self
                .attempt(peer, None, Some(&relay), join, options.timeout)
                .await;
            if relay.temporary {
                relay.client.close().await;
            }
            outcome.addr = None;
            outcome.relay = Some(relay.client.settings().clone());
            outcome.via = via;
            outcome.result = result;
        }
        outcome
    }

    /// Notes that `peer` answered at `addr` (a failure to write it is
    /// logged: the sync itself went well).
    fn remember_answer(&self, peer: DeviceId, addr: SocketAddr) {
        let remembered = self.inner.crm().store().peer_answered(peer, addr, now_s());
        if let Err(e) = remembered {
            log::warn!("cannot remember {} at {addr}: {e}", peer.fingerprint());
        }
    }
}
