//! The relay: a small QUIC server that joins a stream from one device to a
//! stream from another and forwards bytes ([`server`]), the device side
//! that registers with it and opens or answers relayed sessions
//! ([`client`]), the protocol between them ([`proto`]), the limits
//! ([`limits`]), and the end-to-end channel the devices run inside
//! ([`e2e`]): TLS 1.3 with the same pinned device keys as a direct
//! connection, so the relay learns nothing and can forge nothing.

pub mod client;
pub mod e2e;
mod forward;
pub mod limits;
pub mod proto;
pub mod server;
mod text;

pub use client::{RelayClient, RelaySettings, RelayStream, relay_health};
pub use limits::Limits;
pub use proto::RelayStats;
pub use server::{Observer, RelayConfig, RelayServer, TeamAccess};
