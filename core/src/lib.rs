//! `deko-core`: everything of Deko that is not UI.
//!
//! Signed change records ([`record`]), device identity ([`identity`]), team
//! membership ([`team`]), the deterministic merge ([`merge`]) and the SQLite
//! store that keeps the log and the state derived from it ([`store`]), the
//! CRM on top ([`model`]) and finding things in it ([`search`]). See
//! ARCHITECTURE.md at the repository root for who may use whom.

pub mod error;
pub mod identity;
pub mod merge;
pub mod model;
pub mod net;
pub mod node;
pub mod record;
pub mod search;
pub mod store;
pub mod sync;
pub mod team;

pub use error::{Error, ErrorKind, NoAnswer, Result};

// With the `uniffi` feature the core's records and enums carry uniffi
// derives, so the apps' bindings (deko-ffi) export them as they are: the
// component "deko_core" of the generated Kotlin (package app.deko.core)
// and Swift (module DekoFFI, with deko-ffi's own types).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
