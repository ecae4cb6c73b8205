//! The relay: a small QUIC server that joins a stream from one device to a
//! stream from another and forwards bytes (`server`, with its `limits`;
//! only with the `relay-server` feature, which the apps' library leaves
//! out), the device side that registers with it and opens or answers
//! relayed sessions ([`client`]), the protocol between them ([`proto`]),
//! and the end-to-end channel the devices run inside ([`e2e`]): TLS 1.3
//! with the same pinned device keys as a direct connection, so the relay
//! learns nothing and can forge nothing.

#[cfg(feature = "relay-server")]
mod access;
#[cfg(feature = "relay-server")]
mod arrivals;
pub mod client;
pub mod e2e;
#[cfg(feature = "relay-server")]
mod forward;
#[cfg(feature = "relay-server")]
pub mod limits;
pub mod proto;
#[cfg(feature = "relay-server")]
pub mod server;
mod text;

pub use client::{RELAY_NAME, RelayClient, RelaySettings, RelayStream, relay_health};
#[cfg(feature = "relay-server")]
pub use limits::Limits;
pub use proto::RelayStats;
#[cfg(feature = "relay-server")]
pub use server::{Observer, RelayConfig, RelayServer, TeamAccess};
