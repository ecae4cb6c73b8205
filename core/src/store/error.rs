//! What can go wrong in the store: the database file, its schema, and the
//! team's rules for local writes (membership, admin rights), joins by
//! invite and the waiting room for records from unknown authors.

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (I/O, full disk, corruption, locking).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// The database was written by a newer build of Deko.
    #[error(
        "database schema version {found} is newer than this build supports ({supported}); upgrade Deko"
    )]
    SchemaTooNew {
        /// The file's schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },

    /// The database holds data this build cannot read (a damaged key or state).
    #[error("database is damaged: {0}")]
    Corrupt(String),

    /// This device cannot write: it is not (yet) an admitted member of a team.
    #[error("this device is not an admitted member of the team yet")]
    NotAMember,

    /// This device was revoked: what it writes no longer counts anywhere.
    #[error(
        "this device was revoked (its records after {cutoff} no longer count): it can no longer write"
    )]
    Revoked {
        /// Its last record that counts.
        cutoff: u64,
    },

    /// The operation needs an admin and this device is not one.
    #[error("only an admin can {0}")]
    NotAdmin(&'static str),

    /// The database already holds a team.
    #[error("this database already belongs to team {0}")]
    AlreadyInTeam(String),

    /// A joining device's invite cannot be redeemed (unknown, used,
    /// expired, no name): this device refuses it, and says why.
    #[error("refused: {0}")]
    InviteRefused(String),

    /// A write inside a bulk transaction failed after it had changed the
    /// database, so the whole bulk was rolled back.
    #[error("the bulk write was rolled back: {why}")]
    BulkFailed {
        /// The failed write's error.
        why: String,
        /// Its kind (a full disk stays `StorageFull`).
        kind: crate::error::ErrorKind,
    },

    /// Too many records already wait for their authors' admission: the
    /// record is not stored now and comes again at a later sync.
    #[error("refused: {0}")]
    WaitingRoomFull(String),
}
