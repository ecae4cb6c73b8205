//! The node's relay: the relay it registers with (answering sessions peers
//! open through it), and the fallback to a relay when no direct address of
//! a peer answers. The only visible difference of a relayed session is
//! `Via::Relay` in its `SyncEvent::Started`.

use std::net::SocketAddr;
use std::time::Duration;

use super::Node;
use crate::error::{Error, Result};
use crate::identity::DeviceId;
use crate::net::JoinRequest;
use crate::net::relay::{RelayClient, RelaySettings};
use crate::sync::SessionStats;

/// How long a direct address may take to answer before the relay takes over.
pub const DIRECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The node's registration with its relay; dropping it stops answering.
pub(super) struct RelayLink {
    client: RelayClient,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RelayLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Node {
    /// Makes `settings` this device's relay: the node registers with it
    /// (reconnecting after losses), answers sessions peers open through it,
    /// falls back to it when no direct address answers, and names it in the
    /// tickets it makes. `None` stops using a relay. Needs a Tokio runtime.
    pub fn set_relay(&self, settings: Option<RelaySettings>) -> Result<()> {
        if let Some(token) = settings.as_ref().and_then(|s| s.token.as_ref()) {
            if token.is_empty() || token.len() > 32 {
                return Err(Error::invalid("a relay token is 1 to 32 bytes"));
            }
        }
        let link = settings.map(|s| {
            let client = RelayClient::new(&self.endpoint, self.inner.team, s);
            let task = client.serve(self.host());
            RelayLink { client, task }
        });
        let old = std::mem::replace(&mut *self.relay_link(), link);
        if let Some(old) = old {
            let client = old.client.clone();
            drop(old);
            tokio::spawn(async move { client.close().await });
        }
        Ok(())
    }

    /// The relay this device uses, if any.
    pub fn relay_settings(&self) -> Option<RelaySettings> {
        self.relay_link()
            .as_ref()
            .map(|l| l.client.settings().clone())
    }

    fn relay_link(&self) -> std::sync::MutexGuard<'_, Option<RelayLink>> {
        self.relay.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One sync session with `peer`: each of `addrs` directly (the first
    /// that answers), then through this device's relay.
    pub async fn sync_peer(&self, peer: DeviceId, addrs: &[SocketAddr]) -> Result<SessionStats> {
        self.reach(peer, addrs, None, None).await
    }

    /// Direct addresses first, then `relay` (a ticket's) or the node's own.
    pub(super) async fn reach(
        &self,
        peer: DeviceId,
        addrs: &[SocketAddr],
        relay: Option<RelaySettings>,
        join: Option<JoinRequest>,
    ) -> Result<SessionStats> {
        let own = self.relay_link().as_ref().map(|l| l.client.clone());
        let (client, temporary) = match relay {
            Some(s) => match own.filter(|c| c.settings().relay == s.relay) {
                Some(c) => (Some(c), false),
                None => (
                    Some(RelayClient::new(&self.endpoint, self.inner.team, s)),
                    true,
                ),
            },
            None => (own, false),
        };
        if addrs.is_empty() && client.is_none() {
            return Err(Error::InvalidTicket(
                "the ticket lists no address to reach the device".into(),
            ));
        }
        let host = self.host();
        let timeout = client.as_ref().map(|_| DIRECT_TIMEOUT);
        let mut last = None;
        for addr in addrs {
            match self
                .endpoint
                .sync_with_timeout(&host, *addr, peer, join.clone(), timeout)
                .await
            {
                Ok(stats) => return Ok(stats),
                Err(e @ Error::Refused(_)) => return Err(e),
                Err(e) => {
                    log::info!("{} at {addr}: {e}", peer.fingerprint());
                    last = Some(e);
                }
            }
        }
        let Some(client) = client else {
            return Err(last.unwrap_or_else(|| Error::Net("no address answered".into())));
        };
        let result = client.sync_with(&host, peer, join).await;
        if temporary {
            client.close().await;
        }
        result
    }

    pub(super) async fn close_relay(&self) {
        let link = self.relay_link().take();
        if let Some(link) = link {
            link.client.close().await;
        }
    }
}
