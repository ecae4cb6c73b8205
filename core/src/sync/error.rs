//! How a sync session fails: the peer broke the protocol, speaks another
//! version of it, or ended the session with an error of its own.

/// A failed sync session.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The peer broke the sync protocol (malformed or oversized frame, a
    /// message out of order, another team); the session ends, nothing of
    /// it is stored.
    #[error("sync protocol error: {0}")]
    Protocol(String),

    /// The peer speaks another version of the sync protocol.
    #[error(
        "the peer speaks sync protocol version {peer}, this device speaks version {ours}; update the older one"
    )]
    Version {
        /// This device's version.
        ours: u16,
        /// The peer's.
        peer: u16,
    },

    /// The peer ended the session with this error.
    #[error("the peer ended the sync: {0}")]
    PeerError(String),
}
