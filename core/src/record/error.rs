//! Why a record cannot be taken: the record layer's errors (parsing,
//! signatures, chains, team records). Every device refuses the same
//! records for the same reasons; the store reports them per record.

use crate::identity::DeviceId;

/// A record that is refused as it is.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A record is larger than the protocol allows.
    #[error("record of {size} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },

    /// A record's bytes end early or carry trailing garbage.
    #[error("record is truncated or malformed: {0}")]
    Malformed(String),

    /// A record's envelope format is unknown to this build.
    #[error("record envelope version {found} is not supported (this build reads {supported})")]
    UnsupportedEnvelope {
        /// The record's envelope version.
        found: u8,
        /// The one this build reads.
        supported: u8,
    },

    /// The ed25519 signature does not match the record and its author.
    #[error("bad signature on record {seq} of device {author}")]
    BadSignature {
        /// The record's author.
        author: DeviceId,
        /// Its seq.
        seq: u64,
    },

    /// The record belongs to another team.
    #[error("record belongs to team {found}, not to this team {expected}")]
    WrongTeam {
        /// This team.
        expected: String,
        /// The record's.
        found: String,
    },

    /// The record does not follow its author's previous record.
    #[error("broken chain: record {seq} of device {author} does not follow its previous record")]
    BrokenChain {
        /// The record's author.
        author: DeviceId,
        /// Its seq.
        seq: u64,
    },

    /// A record whose timestamp lies before its author's previous record's.
    #[error(
        "backdated record: record {seq} of device {author} carries a timestamp before its previous record's"
    )]
    Backdated {
        /// The record's author.
        author: DeviceId,
        /// Its seq.
        seq: u64,
    },

    /// A team record every device refuses (a device revoking itself, a
    /// revocation taking out the genesis).
    #[error("invalid team record {seq} of device {author}: {reason}")]
    InvalidTeamRecord {
        /// The record's author.
        author: DeviceId,
        /// Its seq.
        seq: u64,
        /// What is wrong with it.
        reason: String,
    },

    /// A genesis record that does not found this team.
    #[error("invalid genesis record: {0}")]
    InvalidGenesis(String),
}
