//! Team membership: who may write, who may admit and revoke. The roster is a
//! pure function of the genesis and the Admit/Revoke records, computed here
//! without I/O.
//!
//! Rules: the genesis author is the first admin. Only an admin (not revoked
//! at that record) admits and revokes; other team records stay in the log
//! without effect. Roles only grow; a revoked device is never readmitted (a
//! device makes a new key instead). Several revocations of one device keep
//! the smallest cutoff. Team records are taken in hlc order (then author,
//! seq), which follows causality, so the result is the same on every device
//! holding the same records.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::identity::DeviceId;
use crate::record::{Admit, EntityId, Genesis, Hlc, Revoke, Role, TeamId};

/// A team record that changes the roster.
#[derive(Clone, Debug, PartialEq)]
pub enum TeamChange {
    /// Admits or promotes a device.
    Admit(Admit),
    /// Revokes a device.
    Revoke(Revoke),
}

/// A team record with what the roster needs of its header.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamOp {
    /// Who wrote it.
    pub author: DeviceId,
    /// Its seq in the author's log.
    pub seq: u64,
    /// Its timestamp (decides the order team records are taken in).
    pub hlc: Hlc,
    /// What it does.
    pub change: TeamChange,
}

/// One device of the roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The device.
    pub device: DeviceId,
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
}

/// What the roster says of one record by `author` at `seq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The author is a member and the record is within its rights.
    Accepted,
    /// The author is not (yet) a member: the record waits.
    NotAdmitted,
    /// The author was revoked and the record lies past the cutoff.
    Revoked {
        /// The author's last valid record.
        cutoff: u64,
    },
}

/// The team's members as of a set of team records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roster {
    /// The team.
    pub team: TeamId,
    /// The company's name.
    pub team_name: String,
    /// The device that founded the team.
    pub founder: DeviceId,
    /// Every device ever admitted, revoked ones included.
    pub members: BTreeMap<DeviceId, Member>,
}

impl Roster {
    /// Computes the roster from the genesis and the team records.
    pub fn compute(team: TeamId, founder: DeviceId, genesis: &Genesis, ops: &[TeamOp]) -> Roster {
        let mut ordered: Vec<&TeamOp> = ops.iter().collect();
        ordered.sort_by_key(|op| (op.hlc, op.author, op.seq));
        // A revocation can void team records of the revoked admin past its
        // cutoff, which can change other revocations: repeat until stable
        // (at most one round per team record).
        let mut voided: Vec<(DeviceId, u64)> = Vec::new();
        for _ in 0..=ordered.len() {
            let roster = Self::one_pass(team, founder, genesis, &ordered, &voided);
            let now_void: Vec<(DeviceId, u64)> = ordered
                .iter()
                .filter(|op| roster.standing(&op.author, op.seq) != Standing::Accepted)
                .map(|op| (op.author, op.seq))
                .collect();
            if now_void == voided {
                return roster;
            }
            voided = now_void;
        }
        Self::one_pass(team, founder, genesis, &ordered, &voided)
    }

    fn one_pass(
        team: TeamId,
        founder: DeviceId,
        genesis: &Genesis,
        ordered: &[&TeamOp],
        voided: &[(DeviceId, u64)],
    ) -> Roster {
        let mut members = BTreeMap::new();
        members.insert(
            founder,
            Member {
                device: founder,
                person_id: genesis.person_id,
                person_name: genesis.person_name.clone(),
                role: Role::Admin,
                admitted_by: None,
                revoked_after: None,
            },
        );
        let mut roster = Roster {
            team,
            team_name: genesis.team_name.clone(),
            founder,
            members,
        };
        for op in ordered {
            if voided.contains(&(op.author, op.seq)) || !roster.is_admin_at(&op.author, op.seq) {
                continue;
            }
            match &op.change {
                TeamChange::Admit(a) => match roster.members.get_mut(&a.device) {
                    Some(m) if m.revoked_after.is_some() => {}
                    Some(m) => m.role = m.role.max(a.role),
                    None => {
                        roster.members.insert(
                            a.device,
                            Member {
                                device: a.device,
                                person_id: a.person_id,
                                person_name: a.person_name.clone(),
                                role: a.role,
                                admitted_by: Some(op.author),
                                revoked_after: None,
                            },
                        );
                    }
                },
                TeamChange::Revoke(r) => {
                    if let Some(m) = roster.members.get_mut(&r.device) {
                        m.revoked_after =
                            Some(m.revoked_after.map_or(r.cutoff, |c| c.min(r.cutoff)));
                    }
                }
            }
        }
        roster
    }

    fn is_admin_at(&self, device: &DeviceId, seq: u64) -> bool {
        self.members.get(device).is_some_and(|m| {
            m.role == Role::Admin && m.revoked_after.is_none_or(|cutoff| seq <= cutoff)
        })
    }

    /// Whether `author`'s record `seq` is accepted, waits, or is refused.
    pub fn standing(&self, author: &DeviceId, seq: u64) -> Standing {
        match self.members.get(author) {
            None => Standing::NotAdmitted,
            Some(m) => match m.revoked_after {
                Some(cutoff) if seq > cutoff => Standing::Revoked { cutoff },
                _ => Standing::Accepted,
            },
        }
    }

    /// Whether `device` is currently an unrevoked admin.
    pub fn is_admin(&self, device: &DeviceId) -> bool {
        self.members
            .get(device)
            .is_some_and(|m| m.role == Role::Admin && m.revoked_after.is_none())
    }

    /// Whether `device` is currently an unrevoked member.
    pub fn is_active(&self, device: &DeviceId) -> bool {
        self.members
            .get(device)
            .is_some_and(|m| m.revoked_after.is_none())
    }

    /// Canonical bytes for the state digest.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let members: Vec<&Member> = self.members.values().collect();
        postcard::to_stdvec(&(&self.team, &self.team_name, &self.founder, members))
            .expect("encoding into a Vec cannot fail")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(n: u8) -> DeviceId {
        DeviceId([n; 32])
    }

    fn genesis() -> Genesis {
        Genesis {
            nonce: [0; 16],
            team_name: "Acme".into(),
            person_id: EntityId([1; 16]),
            person_name: "Founder".into(),
        }
    }

    fn admit(by: u8, seq: u64, hlc: u64, who: u8, role: Role) -> TeamOp {
        TeamOp {
            author: dev(by),
            seq,
            hlc: Hlc(hlc),
            change: TeamChange::Admit(Admit {
                device: dev(who),
                person_id: EntityId([who; 16]),
                person_name: format!("P{who}"),
                role,
            }),
        }
    }

    fn revoke(by: u8, seq: u64, hlc: u64, who: u8, cutoff: u64) -> TeamOp {
        TeamOp {
            author: dev(by),
            seq,
            hlc: Hlc(hlc),
            change: TeamChange::Revoke(Revoke {
                device: dev(who),
                cutoff,
            }),
        }
    }

    fn roster(ops: &[TeamOp]) -> Roster {
        Roster::compute(TeamId([0; 16]), dev(1), &genesis(), ops)
    }

    #[test]
    fn founder_admits_members_and_admins() {
        let r = roster(&[
            admit(1, 2, 10, 2, Role::Admin),
            admit(2, 1, 20, 3, Role::Member),
        ]);
        assert!(r.is_admin(&dev(2)));
        assert_eq!(r.standing(&dev(3), 99), Standing::Accepted);
        assert_eq!(r.standing(&dev(4), 1), Standing::NotAdmitted);
    }

    #[test]
    fn members_cannot_admit_or_revoke() {
        let r = roster(&[
            admit(1, 2, 10, 2, Role::Member),
            admit(2, 1, 20, 3, Role::Member),
            revoke(2, 2, 30, 1, 0),
        ]);
        assert_eq!(r.standing(&dev(3), 1), Standing::NotAdmitted);
        assert!(r.is_admin(&dev(1)));
    }

    #[test]
    fn revocation_cuts_off_and_voids_later_admin_acts() {
        let r = roster(&[
            admit(1, 2, 10, 2, Role::Admin),
            revoke(1, 3, 20, 2, 4),
            admit(2, 5, 30, 3, Role::Member), // past 2's cutoff: void
            admit(2, 4, 15, 4, Role::Member), // within: stays
        ]);
        assert_eq!(r.standing(&dev(2), 4), Standing::Accepted);
        assert_eq!(r.standing(&dev(2), 5), Standing::Revoked { cutoff: 4 });
        assert_eq!(r.standing(&dev(3), 1), Standing::NotAdmitted);
        assert_eq!(r.standing(&dev(4), 1), Standing::Accepted);
        // Never readmitted, smallest cutoff kept.
        let r = roster(&[
            admit(1, 2, 10, 2, Role::Member),
            revoke(1, 3, 20, 2, 9),
            revoke(1, 4, 21, 2, 3),
            admit(1, 5, 30, 2, Role::Admin),
        ]);
        assert_eq!(r.members[&dev(2)].revoked_after, Some(3));
        assert!(!r.is_admin(&dev(2)));
    }

    #[test]
    fn order_of_input_does_not_matter() {
        let mut ops = vec![
            admit(1, 2, 10, 2, Role::Admin),
            admit(2, 1, 20, 3, Role::Admin),
            revoke(3, 1, 30, 2, 0),
            admit(2, 2, 40, 4, Role::Member),
        ];
        let a = roster(&ops);
        ops.reverse();
        assert_eq!(a, roster(&ops));
    }
}
