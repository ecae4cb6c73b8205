//! The public error of `deko-core`.
//!
//! Each layer has its error enum in its own module ([`RecordError`],
//! [`StoreError`], [`SyncError`], [`NetError`], [`TicketError`]); each is
//! mapped once into [`Error`] (`#[from]`), whose message is the layer's
//! own sentence. The model's and the node's few errors are variants of
//! [`Error`] itself. [`Error::kind`] says what a failure is for those who
//! branch on it ([`ErrorKind`]: the CLI's JSON errors and the apps'
//! `DekoError` use its names).

use serde::Serialize;

use crate::identity::DeviceId;
pub use crate::net::error::{NetError, NoAnswer};
pub use crate::net::ticket::TicketError;
pub use crate::record::RecordError;
pub use crate::store::StoreError;
pub use crate::sync::SyncError;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A record that is refused as it is.
    #[error(transparent)]
    Record(#[from] RecordError),

    /// The database, or the team's rules for local writes.
    #[error(transparent)]
    Store(#[from] StoreError),

    /// A sync session broke.
    #[error(transparent)]
    Sync(#[from] SyncError),

    /// The network: unreachable, timed out, refused, lost.
    #[error(transparent)]
    Net(#[from] NetError),

    /// A pairing ticket that cannot be used.
    #[error(transparent)]
    Ticket(#[from] TicketError),

    /// A file-system operation failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),

    /// No entity with that id (or not of the expected kind).
    #[error("no {kind} with id {id}")]
    NotFound {
        /// The kind looked for.
        kind: String,
        /// The id given.
        id: String,
    },

    /// A phone number that cannot be read as one.
    #[error("cannot read phone number {input:?}: {reason}")]
    InvalidPhoneNumber {
        /// What was given.
        input: String,
        /// Why it is not a number.
        reason: String,
    },

    /// A vCard file that cannot be read; nothing of it was stored.
    #[error("{source_name}, line {line}: {reason}")]
    InvalidVcard {
        /// The file's name.
        source_name: String,
        /// The line.
        line: usize,
        /// What is wrong there.
        reason: String,
    },

    /// A caller passed a value the core cannot accept.
    #[error("invalid input: {message}")]
    InvalidInput {
        /// Which input (`id`, `name`, `relay`, ...).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },

    /// The call cannot pick between values that were written concurrently
    /// on different devices (two custom fields given the same name on two
    /// devices at once): one must be settled first.
    #[error("{0}")]
    ConflictNeedsResolution(String),

    /// Neither a remembered address nor a relay is known for a device.
    #[error(
        "no address known for {}: sync with its ticket or its address once",
        .0.fingerprint()
    )]
    NoAddress(DeviceId),

    /// This device knows no team peer to sync with yet.
    #[error("no known peers yet: sync with a ticket or an address once")]
    NoKnownPeers,

    /// The team has no other device to sync with.
    #[error("this team has no other device yet: invite one")]
    NoOtherDevice,
}

/// What a failure is, for code that branches on it: the kinds of the
/// apps' `DekoError` and of the CLI's JSON errors (their names are these
/// variants' names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ErrorKind {
    /// The database file failed (I/O, locking).
    Database,
    /// No space left for the database (SQLITE_FULL, ENOSPC).
    StorageFull,
    /// The database is damaged (SQLITE_CORRUPT, not a database, data this
    /// build cannot read).
    Corrupt,
    /// The database was written by a newer Deko.
    SchemaTooNew,
    /// A record was refused (bad signature, broken chain, ...).
    InvalidRecord,
    /// This device is not (yet) an admitted member of a team.
    NotAMember,
    /// This device was revoked: it can no longer write.
    Revoked,
    /// Only an admin can do this.
    NotAdmin,
    /// The database already belongs to a team.
    AlreadyInTeam,
    /// No entity (or device) with that id.
    NotFound,
    /// Concurrent values must be settled first.
    ConflictNeedsResolution,
    /// A phone number that cannot be read.
    InvalidPhoneNumber,
    /// A vCard file that cannot be read.
    InvalidVcard,
    /// A ticket that cannot be used (typo, expired, another team, no invite).
    BadTicket,
    /// A value that cannot be accepted ([`Error::field`] says which).
    BadInput,
    /// The peer broke the sync protocol or speaks another version.
    Protocol,
    /// The peer or the relay could not be reached (no connection, no
    /// answer, no known address).
    Unreachable,
    /// A connected peer or relay stopped answering.
    TimedOut,
    /// The peer refused this device ([`Error::reason`] says why).
    RefusedByPeer,
    /// The relay refused this device ([`Error::reason`] says why).
    RelayRefused,
    /// Another network failure (a broken connection, listening, TLS setup).
    Network,
    /// Local network discovery failed.
    Discovery,
    /// The call does not fit the current state (sync not running yet, or
    /// already; a server already running): raised by the CLI and the FFI.
    State,
}

impl ErrorKind {
    /// The kind's name, as the apps and `deko --json` see it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Database => "Database",
            ErrorKind::StorageFull => "StorageFull",
            ErrorKind::Corrupt => "Corrupt",
            ErrorKind::SchemaTooNew => "SchemaTooNew",
            ErrorKind::InvalidRecord => "InvalidRecord",
            ErrorKind::NotAMember => "NotAMember",
            ErrorKind::Revoked => "Revoked",
            ErrorKind::NotAdmin => "NotAdmin",
            ErrorKind::AlreadyInTeam => "AlreadyInTeam",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::ConflictNeedsResolution => "ConflictNeedsResolution",
            ErrorKind::InvalidPhoneNumber => "InvalidPhoneNumber",
            ErrorKind::InvalidVcard => "InvalidVcard",
            ErrorKind::BadTicket => "BadTicket",
            ErrorKind::BadInput => "BadInput",
            ErrorKind::Protocol => "Protocol",
            ErrorKind::Unreachable => "Unreachable",
            ErrorKind::TimedOut => "TimedOut",
            ErrorKind::RefusedByPeer => "RefusedByPeer",
            ErrorKind::RelayRefused => "RelayRefused",
            ErrorKind::Network => "Network",
            ErrorKind::Discovery => "Discovery",
            ErrorKind::State => "State",
        }
    }

    /// The kind of a failed file-system operation: a full disk, or the
    /// storage in general.
    pub fn of_io(e: &std::io::Error) -> ErrorKind {
        if e.kind() == std::io::ErrorKind::StorageFull {
            ErrorKind::StorageFull
        } else {
            ErrorKind::Database
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// What the failure is (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Record(_) => ErrorKind::InvalidRecord,
            Error::Store(e) => store_kind(e),
            Error::Sync(_) => ErrorKind::Protocol,
            Error::Net(e) => match e {
                NetError::Unreachable(_)
                | NetError::NoAnswer(_)
                | NetError::UnexpectedPeer { .. } => ErrorKind::Unreachable,
                NetError::TimedOut(_) => ErrorKind::TimedOut,
                NetError::Refused(_) => ErrorKind::RefusedByPeer,
                NetError::RelayRefused(_) => ErrorKind::RelayRefused,
                NetError::Discovery(_) => ErrorKind::Discovery,
                NetError::Listen { .. } | NetError::Lost(_) | NetError::Setup(_) => {
                    ErrorKind::Network
                }
            },
            Error::Ticket(_) => ErrorKind::BadTicket,
            Error::Io(e) => ErrorKind::of_io(e),
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::InvalidPhoneNumber { .. } => ErrorKind::InvalidPhoneNumber,
            Error::InvalidVcard { .. } => ErrorKind::InvalidVcard,
            Error::InvalidInput { .. } => ErrorKind::BadInput,
            Error::ConflictNeedsResolution(_) => ErrorKind::ConflictNeedsResolution,
            Error::NoAddress(_) | Error::NoKnownPeers | Error::NoOtherDevice => {
                ErrorKind::Unreachable
            }
        }
    }

    /// Which input was bad, for [`ErrorKind::BadInput`].
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The other side's own words, for a refusal: the peer's reason
    /// ([`ErrorKind::RefusedByPeer`], or this device's refusal of a
    /// joining device's invite) or the relay's ([`ErrorKind::RelayRefused`]).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::Net(NetError::Refused(r) | NetError::RelayRefused(r)) => Some(r),
            Error::Store(StoreError::InviteRefused(r)) => Some(r),
            _ => None,
        }
    }

    /// [`Error::InvalidInput`] for `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// Data this build cannot read ([`StoreError::Corrupt`]).
    pub fn corrupt(message: impl Into<String>) -> Self {
        Error::Store(StoreError::Corrupt(message.into()))
    }
}

/// The kind of a store failure; SQLite's own codes tell a full disk and a
/// damaged file from other failures.
fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => match f.code {
            rusqlite::ErrorCode::DiskFull => ErrorKind::StorageFull,
            rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase => {
                ErrorKind::Corrupt
            }
            _ => ErrorKind::Database,
        },
        StoreError::Sqlite(_) => ErrorKind::Database,
        StoreError::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
        StoreError::Corrupt(_) => ErrorKind::Corrupt,
        StoreError::NotAMember => ErrorKind::NotAMember,
        StoreError::Revoked { .. } => ErrorKind::Revoked,
        StoreError::NotAdmin(_) => ErrorKind::NotAdmin,
        StoreError::AlreadyInTeam(_) => ErrorKind::AlreadyInTeam,
        StoreError::InviteRefused(_) => ErrorKind::BadTicket,
        StoreError::WaitingRoomFull(_) => ErrorKind::InvalidRecord,
        StoreError::BulkFailed { kind, .. } => *kind,
    }
}

/// SQLite's failures are the store's, wherever a query runs.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(StoreError::Sqlite(e))
    }
}
