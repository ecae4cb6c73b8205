//! The one flat error of the FFI: a kind the apps can branch on, and the
//! core's own message (Kotlin's `Exception.message`, Swift's description).

use deko_core::Error;

/// Everything that can go wrong, as the apps see it. Each variant carries the
/// core's message, a sentence a person can act on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum DekoError {
    /// The database file failed (I/O, full disk, locking) or is damaged.
    #[error("{0}")]
    Database(String),
    /// The database was written by a newer Deko; upgrade the app.
    #[error("{0}")]
    SchemaTooNew(String),
    /// A record from a peer was refused (malformed, bad signature, another
    /// team, a broken chain, a revoked author).
    #[error("{0}")]
    InvalidRecord(String),
    /// This device is not (yet) an admitted member of a team.
    #[error("{0}")]
    NotAMember(String),
    /// Only an admin can do this.
    #[error("{0}")]
    NotAdmin(String),
    /// The database already belongs to a team.
    #[error("{0}")]
    AlreadyInTeam(String),
    /// No entity (or device) with that id.
    #[error("{0}")]
    NotFound(String),
    /// A phone number that cannot be read.
    #[error("{0}")]
    InvalidPhoneNumber(String),
    /// A vCard file that cannot be read (nothing of it was stored).
    #[error("{0}")]
    InvalidVcard(String),
    /// A pairing ticket that cannot be used (typo, expired, another team).
    #[error("{0}")]
    InvalidTicket(String),
    /// The peer broke or ended the sync, or speaks another protocol version.
    #[error("{0}")]
    Protocol(String),
    /// A network failure (bind, connect, lost connection), a peer that did
    /// not answer in time, or no known peer or address to sync with.
    #[error("{0}")]
    Network(String),
    /// Local network discovery failed.
    #[error("{0}")]
    Discovery(String),
    /// The peer may not sync with this device (or this one with it).
    #[error("{0}")]
    Refused(String),
    /// A value the core cannot accept (an empty name, a malformed id...).
    #[error("{0}")]
    InvalidInput(String),
    /// The call does not fit the database's state (sync not started, or
    /// already started).
    #[error("{0}")]
    State(String),
}

impl From<Error> for DekoError {
    fn from(e: Error) -> Self {
        let msg = e.to_string();
        match e {
            Error::Sqlite(_) | Error::Io(_) | Error::Corrupt(_) => DekoError::Database(msg),
            Error::SchemaTooNew { .. } => DekoError::SchemaTooNew(msg),
            Error::RecordTooLarge { .. }
            | Error::MalformedRecord(_)
            | Error::UnsupportedEnvelope { .. }
            | Error::BadSignature { .. }
            | Error::WrongTeam { .. }
            | Error::BrokenChain { .. }
            | Error::Backdated { .. }
            | Error::InvalidTeamRecord { .. }
            | Error::InvalidGenesis(_) => DekoError::InvalidRecord(msg),
            Error::NotAMember | Error::Revoked { .. } => DekoError::NotAMember(msg),
            Error::NotAdmin(_) => DekoError::NotAdmin(msg),
            Error::AlreadyInTeam(_) => DekoError::AlreadyInTeam(msg),
            Error::NotFound { .. } => DekoError::NotFound(msg),
            Error::InvalidPhoneNumber { .. } => DekoError::InvalidPhoneNumber(msg),
            Error::InvalidVcard { .. } => DekoError::InvalidVcard(msg),
            Error::InvalidTicket(_) => DekoError::InvalidTicket(msg),
            Error::Protocol(_) | Error::ProtocolVersion { .. } | Error::PeerError(_) => {
                DekoError::Protocol(msg)
            }
            Error::Net(_)
            | Error::NoAnswer(_)
            | Error::NoAddress(_)
            | Error::NoKnownPeers
            | Error::NoOtherDevice
            | Error::UnexpectedPeer { .. } => DekoError::Network(msg),
            Error::Discovery(_) => DekoError::Discovery(msg),
            Error::Refused(_) => DekoError::Refused(msg),
            Error::InvalidInput(_) => DekoError::InvalidInput(msg),
        }
    }
}

/// Result alias of the FFI.
pub type Result<T, E = DekoError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_cores() {
        let core = Error::NotFound {
            kind: "person".into(),
            id: "x".into(),
        };
        let text = core.to_string();
        let ffi = DekoError::from(core);
        assert!(matches!(ffi, DekoError::NotFound(_)));
        assert_eq!(ffi.to_string(), text);
        let ticket = DekoError::from(Error::InvalidTicket("bad checksum".into()));
        assert_eq!(ticket.to_string(), "invalid ticket: bad checksum");
    }
}
