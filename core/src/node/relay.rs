//! The node's relay: the relay it registers with (answering sessions peers
//! open through it), and which relay a sync falls back to when no direct
//! address of a peer answers. The only visible difference of a relayed
//! session is `Via::Relay` in its `SyncEvent::Started`.

use super::{Node, lock};
use crate::error::{Error, Result};
use crate::net::relay::{RelayClient, RelaySettings};

/// A relay a sync may fall back on.
pub(super) struct Fallback {
    pub(super) client: RelayClient,
    /// A registration for this sync only (a ticket's relay that is not the
    /// device's own): closed after use.
    pub(super) temporary: bool,
}

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
        if let Some(token) = settings.as_ref().and_then(|s| s.token.as_ref())
            && (token.is_empty() || token.len() > 32)
        {
            return Err(Error::invalid(
                "relay_token",
                "a relay token is 1 to 32 bytes",
            ));
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
        lock(&self.relay)
    }

    /// The relay to fall back on when no direct address answers: `ticket`'s
    /// (a temporary registration, unless it is this device's own relay),
    /// else this device's own; none when `allowed` is false.
    pub(super) fn fallback_relay(
        &self,
        ticket: Option<RelaySettings>,
        allowed: bool,
    ) -> Option<Fallback> {
        if !allowed {
            return None;
        }
        let own = self.relay_link().as_ref().map(|l| l.client.clone());
        match ticket {
            Some(s) => Some(match own.filter(|c| c.settings().relay == s.relay) {
                Some(client) => Fallback {
                    client,
                    temporary: false,
                },
                None => Fallback {
                    client: RelayClient::new(&self.endpoint, self.inner.team, s),
                    temporary: true,
                },
            }),
            None => own.map(|client| Fallback {
                client,
                temporary: false,
            }),
        }
    }

    pub(super) async fn close_relay(&self) {
        let link = self.relay_link().take();
        if let Some(link) = link {
            link.client.close().await;
        }
    }
}
