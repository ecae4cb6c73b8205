//! Record bodies: the operations a record carries (format version 1).

use serde::{Deserialize, Serialize};

use super::ids::{EntityId, VersionId};
use super::value::Value;
use crate::identity::DeviceId;

/// The body format version this build writes and applies.
pub const BODY_VERSION: u16 = 1;

/// A member's role in the team. (JSON: `"member"`, `"admin"`; records
/// carry the variant's index, so the names are free to change.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Role {
    /// May write data.
    Member,
    /// May also admit and revoke devices and define custom fields.
    Admin,
}

/// Founds a team; the author becomes its first admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Genesis {
    /// With the founder's key, derives the team id.
    pub nonce: [u8; 16],
    /// The company's name.
    pub team_name: String,
    /// The founder as a person (several devices may belong to one person).
    pub person_id: EntityId,
    /// The founder's name.
    pub person_name: String,
}

/// Admits a device to the team, or raises its role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Admit {
    /// The device admitted.
    pub device: DeviceId,
    /// The person the device belongs to.
    pub person_id: EntityId,
    /// That person's name.
    pub person_name: String,
    /// Member or admin.
    pub role: Role,
}

/// Revokes a device: its records after `cutoff` are refused everywhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revoke {
    /// The device revoked.
    pub device: DeviceId,
    /// The last of its records that stays valid.
    pub cutoff: u64,
}

/// One field written by a [`Put`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldWrite {
    /// The field's name.
    pub field: String,
    /// Its new value.
    pub value: Value,
    /// The versions of this field the writer saw and replaces.
    pub replaces: Vec<VersionId>,
}

/// Creates or updates fields of one entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Put {
    /// The entity's kind (person, company, call, ...).
    pub kind: String,
    /// The entity.
    pub entity: EntityId,
    /// The fields written.
    pub writes: Vec<FieldWrite>,
}

/// The operation a record carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// Founds the team.
    Genesis(Genesis),
    /// Admits a device.
    Admit(Admit),
    /// Revokes a device.
    Revoke(Revoke),
    /// Writes fields of an entity.
    Put(Put),
}

impl Body {
    /// Whether this body changes the team roster.
    pub fn is_team_op(&self) -> bool {
        !matches!(self, Body::Put(_))
    }

    /// Canonical encoding of the body.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("encoding a body into a Vec cannot fail")
    }

    /// Decodes a body of [`BODY_VERSION`]; the whole input must be used.
    pub fn decode(bytes: &[u8]) -> Result<Body, String> {
        let (body, rest) = postcard::take_from_bytes::<Body>(bytes).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err(format!("{} trailing bytes after the body", rest.len()));
        }
        Ok(body)
    }
}
