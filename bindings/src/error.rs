//! The one flat error of the FFI: a kind per failure the apps branch on
//! (the core's `ErrorKind`), each with the core's own sentence in
//! `detail` (Kotlin: `e.detail`, or `e.toString()` on any `DekoException`;
//! Swift: `description`), and for refusals the other side's `reason`, for
//! bad input the `field`.
//!
//! The sentence is a field named `detail`, not `message`: uniffi 0.32's
//! Kotlin would declare a `message` field next to `Throwable.message` and
//! not compile (uniffi-rs #1434).

use deko_core::{Error, ErrorKind};

/// Everything that can go wrong, as the apps see it. Each variant carries
/// the core's message (`detail`), a sentence a person can act on.
#[derive(Clone, Debug, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum DekoError {
    /// The database file failed (I/O, locking).
    #[error("{detail}")]
    Database { detail: String },
    /// No space left for the database (SQLite SQLITE_FULL, ENOSPC).
    #[error("{detail}")]
    StorageFull { detail: String },
    /// The database is damaged (or is not a Deko database).
    #[error("{detail}")]
    Corrupt { detail: String },
    /// The database was written by a newer Deko; upgrade the app.
    #[error("{detail}")]
    SchemaTooNew { detail: String },
    /// A record from a peer was refused (malformed, bad signature, another
    /// team, a broken chain, backdated, an invalid team record).
    #[error("{detail}")]
    InvalidRecord { detail: String },
    /// This device is not (yet) an admitted member of a team.
    #[error("{detail}")]
    NotAMember { detail: String },
    /// This device was revoked: it can no longer write.
    #[error("{detail}")]
    Revoked { detail: String },
    /// Only an admin can do this.
    #[error("{detail}")]
    NotAdmin { detail: String },
    /// The database already belongs to a team.
    #[error("{detail}")]
    AlreadyInTeam { detail: String },
    /// No entity (or device) with that id.
    #[error("{detail}")]
    NotFound { detail: String },
    /// Values written concurrently on two devices must be settled first.
    #[error("{detail}")]
    ConflictNeedsResolution { detail: String },
    /// A phone number that cannot be read.
    #[error("{detail}")]
    InvalidPhoneNumber { detail: String },
    /// A vCard file that cannot be read (nothing of it was stored).
    #[error("{detail}")]
    InvalidVcard { detail: String },
    /// A pairing ticket that cannot be used (typo, expired, another team,
    /// no invite where one is needed).
    #[error("{detail}")]
    BadTicket { detail: String },
    /// A value the core cannot accept; `field` names it (`id`, `name`,
    /// `address`, `relay`, `relay_token`, ...).
    #[error("{detail}")]
    BadInput { field: String, detail: String },
    /// The peer broke the sync protocol or speaks another version of it.
    #[error("{detail}")]
    Protocol { detail: String },
    /// The peer or the relay could not be reached (no connection, no
    /// answer, no known address or peer).
    #[error("{detail}")]
    Unreachable { detail: String },
    /// A connected peer or relay stopped answering.
    #[error("{detail}")]
    TimedOut { detail: String },
    /// The peer refused this device; `reason` is the peer's own words.
    #[error("{detail}")]
    RefusedByPeer { reason: String, detail: String },
    /// The relay refused this device (another team, missing or wrong token,
    /// full, a limit); `reason` is the relay's own words.
    #[error("{detail}")]
    RelayRefused { reason: String, detail: String },
    /// Another network failure (a broken connection, listening).
    #[error("{detail}")]
    Network { detail: String },
    /// Local network discovery failed.
    #[error("{detail}")]
    Discovery { detail: String },
    /// The call does not fit the database's state (sync not started, or
    /// already started).
    #[error("{detail}")]
    State { detail: String },
}

impl DekoError {
    /// [`DekoError::State`] with `detail`.
    pub(crate) fn state(detail: impl Into<String>) -> Self {
        DekoError::State {
            detail: detail.into(),
        }
    }
}

/// What the app's code threw from one of its callbacks (log sink, sync
/// listener, discovery; their methods return a `Result` for this): a
/// failure of that call alone, where uniffi would otherwise panic inside
/// the library.
impl From<uniffi::UnexpectedUniFFICallbackError> for DekoError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        DekoError::State {
            detail: format!("the app's callback failed: {}", e.reason),
        }
    }
}

impl From<Error> for DekoError {
    fn from(e: Error) -> Self {
        let detail = e.to_string();
        let reason = || e.reason().unwrap_or_default().to_string();
        match e.kind() {
            ErrorKind::Database => DekoError::Database { detail },
            ErrorKind::StorageFull => DekoError::StorageFull { detail },
            ErrorKind::Corrupt => DekoError::Corrupt { detail },
            ErrorKind::SchemaTooNew => DekoError::SchemaTooNew { detail },
            ErrorKind::InvalidRecord => DekoError::InvalidRecord { detail },
            ErrorKind::NotAMember => DekoError::NotAMember { detail },
            ErrorKind::Revoked => DekoError::Revoked { detail },
            ErrorKind::NotAdmin => DekoError::NotAdmin { detail },
            ErrorKind::AlreadyInTeam => DekoError::AlreadyInTeam { detail },
            ErrorKind::NotFound => DekoError::NotFound { detail },
            ErrorKind::ConflictNeedsResolution => DekoError::ConflictNeedsResolution { detail },
            ErrorKind::InvalidPhoneNumber => DekoError::InvalidPhoneNumber { detail },
            ErrorKind::InvalidVcard => DekoError::InvalidVcard { detail },
            ErrorKind::BadTicket => DekoError::BadTicket { detail },
            ErrorKind::BadInput => DekoError::BadInput {
                field: e.field().unwrap_or_default().to_string(),
                detail,
            },
            ErrorKind::Protocol => DekoError::Protocol { detail },
            ErrorKind::Unreachable => DekoError::Unreachable { detail },
            ErrorKind::TimedOut => DekoError::TimedOut { detail },
            ErrorKind::RefusedByPeer => DekoError::RefusedByPeer {
                reason: reason(),
                detail,
            },
            ErrorKind::RelayRefused => DekoError::RelayRefused {
                reason: reason(),
                detail,
            },
            ErrorKind::Network => DekoError::Network { detail },
            ErrorKind::Discovery => DekoError::Discovery { detail },
            ErrorKind::State => DekoError::State { detail },
        }
    }
}

/// Result alias of the FFI.
pub type Result<T, E = DekoError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use deko_core::error::{NetError, TicketError};

    use super::*;

    #[test]
    fn kinds_carry_the_cores_message() {
        let core = Error::NotFound {
            kind: "person".into(),
            id: "x".into(),
        };
        let text = core.to_string();
        let ffi = DekoError::from(core);
        assert!(matches!(ffi, DekoError::NotFound { .. }));
        assert_eq!(ffi.to_string(), text);
        let ticket = DekoError::from(Error::from(TicketError::NoInvite));
        assert_eq!(
            ticket.to_string(),
            "invalid ticket: this ticket carries no invite"
        );
        let relay = DekoError::from(Error::from(NetError::RelayRefused(
            "the relay is full".into(),
        )));
        match relay {
            DekoError::RelayRefused { reason, detail } => {
                assert_eq!(reason, "the relay is full");
                assert_eq!(detail, "refused: relay: the relay is full");
            }
            other => panic!("{other:?}"),
        }
        let input = DekoError::from(Error::invalid("id", "\"nope\" is not an id"));
        assert!(matches!(input, DekoError::BadInput { field, .. } if field == "id"));
    }
}
