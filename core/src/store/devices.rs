//! The team as lists show it: its name and founder ([`TeamInfo`]) and its
//! devices with what this database knows of each ([`Device`]: role,
//! standing, records held, when it was last reached).

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::Store;
use crate::error::Result;
use crate::identity::DeviceId;
use crate::record::{EntityId, Role, TeamId};

/// The team this database belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TeamInfo {
    /// Team id (its hex form in the apps and in JSON).
    pub id: TeamId,
    /// The company's name.
    pub name: String,
    /// The founding device.
    pub founder: DeviceId,
}

/// One device of the roster, revoked ones included. (JSON: `person` for
/// the person's name, `this_device`, and `status`: `active` or `revoked`.)
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Device {
    /// The device.
    pub device: DeviceId,
    /// Its short fingerprint (`K3F9-2XQ7`), to compare by eye.
    pub fingerprint: String,
    /// The person owning it.
    pub person_id: EntityId,
    /// That person's name.
    pub person_name: String,
    /// Member or admin.
    pub role: Role,
    /// Who admitted it (`None` for the founder).
    pub admitted_by: Option<DeviceId>,
    /// If revoked: its last valid record.
    pub revoked_after: Option<u64>,
    /// This is the device the database runs on.
    pub is_this_device: bool,
    /// It founded the team.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub founder: bool,
    /// How many of its records this database holds (its place in the
    /// version vector).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub records: u64,
    /// When it was last reached or seen on the network (ms since epoch).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_seen: Option<i64>,
}

impl Serialize for Device {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Device", 11)?;
        m.serialize_field("device", &self.device)?;
        m.serialize_field("fingerprint", &self.fingerprint)?;
        m.serialize_field("person", &self.person_name)?;
        m.serialize_field("person_id", &self.person_id)?;
        m.serialize_field("role", &self.role)?;
        let status = match self.revoked_after {
            Some(_) => "revoked",
            None => "active",
        };
        m.serialize_field("status", status)?;
        m.serialize_field("revoked_after", &self.revoked_after)?;
        m.serialize_field("this_device", &self.is_this_device)?;
        m.serialize_field("founder", &self.founder)?;
        m.serialize_field("records", &self.records)?;
        m.serialize_field("last_seen", &self.last_seen)?;
        m.end()
    }
}

impl Store {
    /// The team, once its genesis is here.
    pub fn team_info(&mut self) -> Result<Option<TeamInfo>> {
        Ok(self.roster()?.map(|r| TeamInfo {
            id: r.team,
            name: r.team_name.clone(),
            founder: r.founder,
        }))
    }

    /// Every device ever admitted (revoked ones included), in id order;
    /// empty before the genesis is here.
    pub fn devices(&mut self) -> Result<Vec<Device>> {
        let me = self.device_id();
        let Some(roster) = self.roster()? else {
            return Ok(Vec::new());
        };
        let vector = self.version_vector()?;
        let known = self.known_peers()?;
        Ok(roster
            .members
            .values()
            .map(|m| Device {
                fingerprint: m.device.fingerprint(),
                person_id: m.person_id,
                person_name: m.person_name.clone(),
                role: m.role,
                admitted_by: m.admitted_by,
                revoked_after: m.revoked_after,
                is_this_device: m.device == me,
                founder: m.device == roster.founder,
                records: vector.get(&m.device).copied().unwrap_or(0),
                last_seen: known
                    .iter()
                    .filter(|k| k.device == m.device)
                    .map(|k| k.seen.saturating_mul(1000) as i64)
                    .max(),
                device: m.device,
            })
            .collect())
    }
}
