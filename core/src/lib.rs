//! `deko-core`: everything of Deko that is not UI.
//!
//! Signed change records ([`record`]), device identity ([`identity`]), team
//! membership ([`team`]), the deterministic merge ([`merge`]) and the SQLite
//! store that keeps the log and the state derived from it ([`store`]). See
//! ARCHITECTURE.md at the repository root for who may use whom.

pub mod error;
pub mod identity;
pub mod merge;
pub mod record;
pub mod store;
pub mod team;

pub use error::{Error, Result};
