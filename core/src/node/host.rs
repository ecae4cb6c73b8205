//! The node as the network sees it ([`Host`]): who may connect, who may
//! sync, the store behind a lock, and where session events go.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use super::{Inner, lock, now_s};
use crate::error::{Error, NetError, Result};
use crate::identity::DeviceId;
use crate::model::Crm;
use crate::net::{Host, JoinRequest, PeerPolicy, SyncEvent};
use crate::sync::SyncStore;

use super::StoreSync;

/// Entities projected per step of the catch-up after a sync when the
/// database is in memory (about 20 ms of work in a release build): the
/// longest an app call waits for the database while the views catch up.
pub const CATCH_UP_STEP: usize = 1_000;

/// Entities a session waiting for its peer projects at a time (see
/// [`crate::store::Store::catch_up_ahead`]): small enough that records arriving
/// meanwhile wait less than a tenth of a second (about 70 ms here).
pub const AHEAD_CHUNK: usize = 5_000;

/// The team's rule for TLS handshakes, read from the roster when asked.
pub(super) struct Policy(pub(super) Weak<Inner>);

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("deko team policy")
    }
}

impl PeerPolicy for Policy {
    /// Members may connect (revoked ones only to learn of it, see
    /// `Inner::notice_for`); others only while this device has an open
    /// invite (they must then present it).
    fn allows(&self, device: &DeviceId) -> bool {
        let Some(inner) = self.0.upgrade() else {
            return false;
        };
        let mut crm = inner.crm();
        let member = crm
            .store_mut()
            .roster()
            .ok()
            .flatten()
            .is_some_and(|r| r.members.contains_key(device));
        member || crm.store().has_open_invites(now_s()).unwrap_or(false)
    }
}

impl Inner {
    fn admit_peer(&self, device: &DeviceId, join: Option<&JoinRequest>) -> Result<()> {
        let mut crm = self.crm();
        let store = crm.store_mut();
        if let Some(j) = join {
            store.redeem_invite(&j.secret, *device, &j.person_name, now_s())?;
        }
        match store.roster()? {
            Some(r) if r.is_active(device) => Ok(()),
            Some(r) if r.members.contains_key(device) => {
                log::info!(
                    "device {} was revoked: it is sent only the news of it",
                    device.fingerprint()
                );
                Ok(())
            }
            _ => Err(Error::Net(NetError::Refused(format!(
                "device {} is not a member of this team",
                device.fingerprint()
            )))),
        }
    }

    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        let mut crm = self.crm();
        f(&mut StoreSync(crm.store_mut()))
    }

    /// A revoked device may still connect, to learn that it was revoked:
    /// it is sent each revoker's records up to its newest revocation of it,
    /// and nothing written after (`None` for an active member).
    pub(super) fn notice_for(&self, peer: &DeviceId) -> Option<BTreeMap<DeviceId, u64>> {
        let mut crm = self.crm();
        let store = crm.store_mut();
        let revoked = store
            .roster()
            .ok()
            .flatten()
            .is_some_and(|r| r.members.contains_key(peer) && !r.is_active(peer));
        revoked.then(|| store.revocations_of(peer))
    }

    /// Hands `event` to every listener; after a session, brings the views
    /// up to date and lets auto-sync rest with that peer.
    pub(super) fn on_event(&self, event: SyncEvent) {
        let listeners = lock(&self.listeners).clone();
        for l in listeners {
            l(&event);
        }
        if let SyncEvent::Finished { peer, .. } = &event {
            lock(&self.schedule).synced(*peer, std::time::Instant::now());
        }
        // The peer is free; now bring the views up to date with what a
        // large transfer stored (before the caller of the sync gets control).
        if matches!(event, SyncEvent::Finished { .. } | SyncEvent::Failed { .. }) {
            let caught_up = tokio::task::block_in_place(|| self.catch_up());
            if let Err(e) = caught_up {
                log::error!("bringing the views up to date after a sync: {e}");
            }
        }
    }

    /// Brings the views up to date with what a large transfer stored,
    /// without holding up the app's calls (a search as you type, logging a
    /// call) for the whole catch-up: on a connection of its own when the
    /// database is a file (readers never wait for a writer in WAL mode, a
    /// local write waits for one step at most), else a step at a time on
    /// the node's connection, letting go of it between steps.
    fn catch_up(&self) -> Result<()> {
        let path = {
            let mut crm = self.crm();
            // What projecting ahead kept for the session, no longer needed.
            crm.store_mut().end_ahead();
            if crm.store().projections_behind()? == 0 {
                return Ok(());
            }
            crm.store().file_path()
        };
        let listeners = lock(&self.listeners).clone();
        let mut progress = |done, total| {
            let event = SyncEvent::Views { done, total };
            for l in &listeners {
                l(&event);
            }
        };
        if let Some(path) = path {
            self.crm().store().release_memory()?;
            // Opening a CRM finishes any catch-up left behind.
            Crm::open_catching_up(path, &mut progress)?;
            return Ok(());
        }
        let total = self.crm().store().projections_behind()?;
        let mut done = 0;
        progress(done, total);
        loop {
            let n = self.crm().store_mut().catch_up_some(CATCH_UP_STEP)?;
            done += n as u64;
            if n < CATCH_UP_STEP {
                progress(total, total);
                return Ok(());
            }
            if done < total {
                progress(done, total);
            }
            // The lock is free: let a call waiting for it take it.
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

/// A host wrapper whose policy is the node's own.
pub(super) struct NodeHost {
    pub(super) inner: Arc<Inner>,
    pub(super) policy: Arc<dyn PeerPolicy>,
}

impl Host for NodeHost {
    fn team(&self) -> [u8; 16] {
        self.inner.team
    }
    fn policy(&self) -> Arc<dyn PeerPolicy> {
        self.policy.clone()
    }
    fn admit_peer(&self, device: &DeviceId, join: Option<&JoinRequest>) -> Result<()> {
        self.inner.admit_peer(device, join)
    }
    fn with_store(&self, f: &mut dyn FnMut(&mut dyn SyncStore) -> Result<()>) -> Result<()> {
        self.inner.with_store(f)
    }
    fn notice_for(&self, peer: &DeviceId) -> Option<BTreeMap<DeviceId, u64>> {
        self.inner.notice_for(peer)
    }
    fn on_event(&self, event: SyncEvent) {
        self.inner.on_event(event)
    }
    fn verify_ahead(&self, records: &[Vec<u8>]) {
        self.inner.preverified.verify(records)
    }
    fn stall_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.inner.stall_ms.load(Ordering::Relaxed))
    }
    /// A chunk of a large transfer's bulk fill
    /// ([`crate::store::Store::catch_up_ahead`]).
    fn work_while_waiting(&self) -> bool {
        match self.inner.crm().store_mut().catch_up_ahead(AHEAD_CHUNK) {
            Ok(n) => n > 0,
            Err(e) => {
                log::warn!("bringing the views up to date during a sync: {e}");
                false
            }
        }
    }
}
