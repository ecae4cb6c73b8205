//! Platform discovery: the app's service discovery (Android NsdManager,
//! iOS NWBrowser) plugged into the core's `DiscoveryBackend`. The platform
//! only ever sees opaque instance names and ports; recognising team
//! devices stays in the core.

use std::net::SocketAddr;
use std::sync::Arc;

use deko_core::net::NetError;
use deko_core::net::discovery::{DiscoveryBackend, SERVICE_TYPE, Seen};

use crate::error::DekoError;

/// Implemented by the app: announces and browses the DNS-SD service type
/// `discovery_service_type()` (`_deko._udp`). Called from the library's
/// threads. Each method returns a `Result` so that what the app's code
/// throws comes back as a failure of that call (logged; discovery goes on)
/// instead of a panic inside the library.
#[uniffi::export(foreign)]
pub trait DiscoveryPlatform: Send + Sync {
    /// Announce `instance` (an opaque 20-character name) on UDP `port`,
    /// replacing an earlier announcement. Failures are the platform's to
    /// log; the library asks again on the next look.
    fn announce(&self, instance: String, port: u16) -> Result<(), DekoError>;
    /// The services of the type seen so far and still present.
    fn seen(&self) -> Result<Vec<SeenService>, DekoError>;
    /// Stop announcing and browsing.
    fn shutdown(&self) -> Result<(), DekoError>;
}

/// A service the platform sees on the network.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SeenService {
    /// Its instance name.
    pub instance: String,
    /// Where it listens (`ip:port`, `[v6]:port`); unreadable ones are skipped.
    pub addrs: Vec<String>,
}

/// The DNS-SD service type to announce and browse (`_deko._udp.local.`).
#[uniffi::export]
pub fn discovery_service_type() -> String {
    SERVICE_TYPE.to_string()
}

/// The core's backend over the app's platform discovery.
pub(crate) struct PlatformBackend {
    platform: Arc<dyn DiscoveryPlatform>,
}

impl PlatformBackend {
    pub(crate) fn new(platform: Arc<dyn DiscoveryPlatform>) -> Self {
        PlatformBackend { platform }
    }
}

impl DiscoveryBackend for PlatformBackend {
    fn announce(&self, instance: &str, port: u16) -> Result<(), deko_core::Error> {
        self.platform
            .announce(instance.to_string(), port)
            .map_err(|e| {
                deko_core::Error::Net(NetError::Discovery(format!(
                    "the app's discovery could not announce: {e}"
                )))
            })
    }

    fn seen(&self) -> Vec<Seen> {
        let seen = match self.platform.seen() {
            Ok(seen) => seen,
            Err(e) => {
                log::warn!("the app's discovery could not list what it sees: {e}");
                return Vec::new();
            }
        };
        seen.into_iter()
            .map(|s| Seen {
                addrs: s
                    .addrs
                    .iter()
                    .filter_map(|a| match a.parse::<SocketAddr>() {
                        Ok(a) => Some(a),
                        Err(_) => {
                            log::warn!("platform discovery: {a:?} is not an address, skipped");
                            None
                        }
                    })
                    .collect(),
                instance: s.instance,
            })
            .collect()
    }

    fn shutdown(&self) {
        if let Err(e) = self.platform.shutdown() {
            log::warn!("the app's discovery could not stop: {e}");
        }
    }
}

impl Drop for PlatformBackend {
    fn drop(&mut self) {
        DiscoveryBackend::shutdown(self);
    }
}
