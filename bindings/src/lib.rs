//! `deko-ffi`: the Deko core for the Android and iOS apps, exported with
//! uniffi proc-macros (Kotlin and Swift are generated from the built
//! library by `scripts/bindings`).
//!
//! The layer only translates: [`Database`] is the open database (and, once
//! sync is started, the node that owns it); the records and enums are the
//! core's own (exported by its `uniffi` feature, ids as strings), but for
//! the drafts the apps fill in (`types.rs`); [`DekoError`] is the one flat
//! error, a kind per failure the apps branch on, with the core's message. Network and heavy work are `async` and run on the library's
//! own multi-threaded Tokio runtime ([`runtime`]). Foreign traits let the
//! apps receive sync events ([`SyncListener`]) and log output ([`LogSink`]),
//! and plug in the platform's service discovery ([`DiscoveryPlatform`]).

mod convert;
mod database;
mod discovery;
mod error;
mod io;
mod logging;
pub mod runtime;
mod sync;
mod types;

pub use database::Database;
pub use discovery::{DiscoveryPlatform, SeenService};
pub use error::DekoError;
pub use logging::{LogLevel, LogSink, set_log_sink};
pub use sync::{
    NearbyPeer, PeerSync, RelaySettings, SyncListener, SyncReport, SyncSettings, SyncTarget,
};
pub use types::*;

// The core's types under the names the apps know them by.
pub use deko_core::net::Via as SyncVia;
pub use deko_core::record::{Labeled as LabeledText, Role, Value as FieldValue};
pub use deko_core::sync::SessionStats as SyncStats;

uniffi::setup_scaffolding!("deko");

/// The version of the Deko library (the workspace version).
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Reads an amount of money as people write it ("12 500,50",
/// "12,500.50 EUR", "CZK 900"), in `default_currency` unless it names one,
/// in the currency's minor units: the same reading in both apps and the
/// command line. Unreadable text is `BadInput`.
#[uniffi::export]
pub fn parse_money(
    text: String,
    default_currency: String,
) -> error::Result<deko_core::model::Money> {
    use deko_core::model::Money;
    Ok(Money::parse(&text, &default_currency)?)
}
