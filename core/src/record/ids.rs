//! Identifiers carried in records: team ids, record ids, entity ids and
//! field-version ids.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

type Result<T, E = Error> = std::result::Result<T, E>;
use crate::identity::DeviceId;

/// A team (one company database): 16 bytes derived from the founder's key
/// and a nonce, so only the founder can write a valid genesis for it. In
/// human-readable formats (JSON) it is its hex form; in records, its bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamId(pub [u8; 16]);

impl Serialize for TeamId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_newtype_struct("TeamId", &self.0)
        }
    }
}

impl<'de> Deserialize<'de> for TeamId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            TeamId::parse(&s).map_err(serde::de::Error::custom)
        } else {
            #[derive(Deserialize)]
            #[serde(rename = "TeamId")]
            struct Raw([u8; 16]);
            Raw::deserialize(d).map(|r| TeamId(r.0))
        }
    }
}

impl TeamId {
    /// The team id a genesis by `founder` with `nonce` founds.
    pub fn derive(founder: &DeviceId, nonce: &[u8; 16]) -> TeamId {
        let mut h = blake3::Hasher::new_derive_key("deko team id v1");
        h.update(founder.as_bytes());
        h.update(nonce);
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.finalize().as_bytes()[..16]);
        TeamId(out)
    }

    /// Lowercase hex form.
    pub fn to_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0)
    }

    /// Parses the form printed by [`TeamId::to_hex`].
    pub fn parse(s: &str) -> Result<TeamId> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.trim().as_bytes())
            .map_err(|_| Error::invalid("team", format!("{s:?} is not a team id")))?;
        let arr: [u8; 16] = bytes
            .try_into()
            .map_err(|_| Error::invalid("team", format!("{s:?} is not a team id")))?;
        Ok(TeamId(arr))
    }
}

// The apps see a team id as its 32 hex digits.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(TeamId, String, {
    lower: |id| id.to_hex(),
    try_lift: |s| Ok(TeamId::parse(&s)?),
});

impl fmt::Display for TeamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for TeamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TeamId({})", self.to_hex())
    }
}

/// The hash of a record's signed bytes (signature included): its identity.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordId(pub [u8; 32]);

impl RecordId {
    /// The id of the record whose full bytes are `bytes`.
    pub fn of(bytes: &[u8]) -> RecordId {
        RecordId(*blake3::hash(bytes).as_bytes())
    }

    /// The "no previous record" value used by each author's first record.
    pub const ZERO: RecordId = RecordId([0; 32]);

    /// Builds an id from a 32-byte slice.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::corrupt("record id is not 32 bytes"))?;
        Ok(RecordId(arr))
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0[..8]))
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

/// An entity (person, company, call, ...): a UUIDv7, so ids sort by creation
/// time and never need coordination. In human-readable formats (JSON) it is
/// the hyphenated UUID; in records, its 16 bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub [u8; 16]);

impl Serialize for EntityId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_newtype_struct("EntityId", &self.0)
        }
    }
}

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            EntityId::parse(&s).map_err(serde::de::Error::custom)
        } else {
            #[derive(Deserialize)]
            #[serde(rename = "EntityId")]
            struct Raw([u8; 16]);
            Raw::deserialize(d).map(|r| EntityId(r.0))
        }
    }
}

impl EntityId {
    /// A fresh UUIDv7.
    pub fn new() -> EntityId {
        EntityId(*uuid::Uuid::now_v7().as_bytes())
    }

    /// Builds an id from a 16-byte slice.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 16] = bytes
            .try_into()
            .map_err(|_| Error::corrupt("entity id is not 16 bytes"))?;
        Ok(EntityId(arr))
    }

    /// Parses the hyphenated UUID form (or the 32-hex-digit simple form).
    pub fn parse(s: &str) -> Result<EntityId> {
        uuid::Uuid::parse_str(s.trim())
            .map(|u| EntityId(*u.as_bytes()))
            .map_err(|_| Error::invalid("id", format!("{s:?} is not an id")))
    }
}

// The apps see an entity id in its hyphenated UUID form.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(EntityId, String, {
    lower: |id| id.to_string(),
    try_lift: |s| Ok(EntityId::parse(&s)?),
});

impl Default for EntityId {
    fn default() -> Self {
        EntityId::new()
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        uuid::Uuid::from_bytes(self.0).hyphenated().fmt(f)
    }
}

impl fmt::Debug for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntityId({self})")
    }
}

/// One version of one field: the record (author, seq) that wrote it. Within
/// the accepted log (forks are quarantined) this names exactly one record.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Debug)]
pub struct VersionId {
    /// The device that wrote the version.
    pub author: DeviceId,
    /// The record's sequence number in that device's log.
    pub seq: u64,
}
