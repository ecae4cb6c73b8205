//! The top-level handle: the only place that wires the store, the sync
//! protocol and (later) the network together.

mod sync_store;

pub use sync_store::StoreSync;
