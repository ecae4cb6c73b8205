//! The one error type of `deko-core`.
//!
//! Every fallible function of the crate returns [`Error`]. Each variant says
//! what went wrong in words a person can act on; the FFI layer maps them to its
//! flat error one to one.

use crate::identity::DeviceId;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The SQLite database failed (I/O, full disk, corruption, locking).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// A file-system operation failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),

    /// The database was written by a newer build of Deko.
    #[error(
        "database schema version {found} is newer than this build supports ({supported}); upgrade Deko"
    )]
    SchemaTooNew { found: i64, supported: i64 },

    /// The database holds data this build cannot read (a damaged key or state).
    #[error("database is damaged: {0}")]
    Corrupt(String),

    /// A record is larger than the protocol allows.
    #[error("record of {size} bytes exceeds the limit of {max} bytes")]
    RecordTooLarge { size: usize, max: usize },

    /// A record's bytes end early or carry trailing garbage.
    #[error("record is truncated or malformed: {0}")]
    MalformedRecord(String),

    /// A record's envelope format is unknown to this build.
    #[error("record envelope version {found} is not supported (this build reads {supported})")]
    UnsupportedEnvelope { found: u8, supported: u8 },

    /// The ed25519 signature does not match the record and its author.
    #[error("bad signature on record {seq} of device {author}")]
    BadSignature { author: DeviceId, seq: u64 },

    /// The record belongs to another team.
    #[error("record belongs to team {found}, not to this team {expected}")]
    WrongTeam { expected: String, found: String },

    /// The record does not follow its author's previous record.
    #[error("broken chain: record {seq} of device {author} does not follow its previous record")]
    BrokenChain { author: DeviceId, seq: u64 },

    /// The record's author was revoked and the record lies past the cutoff.
    #[error("device {author} was revoked after record {cutoff}; record {seq} is refused")]
    Revoked {
        author: DeviceId,
        seq: u64,
        cutoff: u64,
    },

    /// A record whose timestamp lies before its author's previous record's.
    #[error(
        "backdated record: record {seq} of device {author} carries a timestamp before its previous record's"
    )]
    Backdated { author: DeviceId, seq: u64 },

    /// A team record every device refuses (a device revoking itself, a
    /// revocation taking out the genesis).
    #[error("invalid team record {seq} of device {author}: {reason}")]
    InvalidTeamRecord {
        author: DeviceId,
        seq: u64,
        reason: String,
    },

    /// A genesis record that does not found this team.
    #[error("invalid genesis record: {0}")]
    InvalidGenesis(String),

    /// This device cannot write: it is not (yet) an admitted member of a team.
    #[error("this device is not an admitted member of the team yet")]
    NotAMember,

    /// The operation needs an admin and this device is not one.
    #[error("only an admin can {0}")]
    NotAdmin(&'static str),

    /// The database already holds a team.
    #[error("this database already belongs to team {0}")]
    AlreadyInTeam(String),

    /// No entity with that id (or not of the expected kind).
    #[error("no {kind} with id {id}")]
    NotFound { kind: String, id: String },

    /// A phone number that cannot be read as one.
    #[error("cannot read phone number {input:?}: {reason}")]
    InvalidPhoneNumber { input: String, reason: String },

    /// A vCard file that cannot be read; nothing of it was stored.
    #[error("{source_name}, line {line}: {reason}")]
    InvalidVcard {
        source_name: String,
        line: usize,
        reason: String,
    },

    /// The peer broke the sync protocol (malformed or oversized frame, a
    /// message out of order); the session ends, nothing of it is stored.
    #[error("sync protocol error: {0}")]
    Protocol(String),

    /// The peer speaks another version of the sync protocol.
    #[error(
        "the peer speaks sync protocol version {peer}, this device speaks version {ours}; update the older one"
    )]
    ProtocolVersion { ours: u16, peer: u16 },

    /// The peer ended the session with this error.
    #[error("the peer ended the sync: {0}")]
    PeerError(String),

    /// A pairing ticket that cannot be used.
    #[error("invalid ticket: {0}")]
    InvalidTicket(String),

    /// A network failure (bind, connect, a lost connection, a refused peer).
    #[error("network: {0}")]
    Net(String),

    /// A peer did not answer (no session started) within the time it was
    /// given, at an address or through the relay.
    #[error("{0}")]
    NoAnswer(Box<NoAnswer>),

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

    /// Another device answered at the address than the one expected.
    #[error("another device ({}) answered there, not {}", found.fingerprint(), expected.fingerprint())]
    UnexpectedPeer { expected: DeviceId, found: DeviceId },

    /// Local network discovery failed.
    #[error("discovery: {0}")]
    Discovery(String),

    /// The peer is not allowed to sync with this device.
    #[error("refused: {0}")]
    Refused(String),

    /// A caller passed a value the core cannot accept.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

/// Who did not answer, where, and within what time ([`Error::NoAnswer`]).
#[derive(Debug)]
pub struct NoAnswer {
    /// The peer.
    pub peer: DeviceId,
    /// The address tried; `None` through the relay.
    pub addr: Option<std::net::SocketAddr>,
    /// The time it was given.
    pub after: std::time::Duration,
}

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.peer.fingerprint())?;
        match self.addr {
            Some(a) => write!(f, "at {a}")?,
            None => f.write_str("through the relay")?,
        }
        write!(f, " did not answer within {:?}", self.after)
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }
}
