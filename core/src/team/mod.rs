//! Team membership: who may write, who may admit and revoke. The roster is a
//! pure, terminating function of the set of team records (the genesis and
//! every Admit and Revoke held), computed here without I/O; the order in
//! which the records arrived plays no part.
//!
//! The rule (ARCHITECTURE.md, "Membership", says it for people):
//! - The genesis author (the founder) is an admin from the start. Any other
//!   device holds admin authority for its team records that come after (in
//!   the team order: hlc, then author, then seq) an effective Admit naming it
//!   as admin. Roles only grow.
//! - An Admit or Revoke takes effect when its author holds admin authority
//!   for it and the record is not cut off: a device revoked with cutoff `c`
//!   loses every record past `c`, whatever its timestamp (strong removal: a
//!   revoked device cannot act by backdating, and what it did concurrently
//!   with its removal is undone with it).
//! - Concurrent removals all apply: when revocations cut each other off
//!   (A revokes B while B revokes A, or a longer ring), every one of them
//!   takes effect and every device in the ring is out (as p2panda-auth's
//!   strong removal and Kleppmann's local-first access control decide).
//! - A revocation whose author's authority rests on a record that the
//!   revocation itself would cut off (the revoker's own admission, or one of
//!   its admitter's) has no effect.
//! - A revoked device is never readmitted; several revocations of one device
//!   keep the smallest cutoff. Self-revocations and revocations that would
//!   take out the genesis are refused on receipt ([`check_team_record`]).

mod resolve;

use std::collections::{BTreeMap, BTreeSet};

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
    /// Its timestamp (places it in the team order).
    pub hlc: Hlc,
    /// What it does.
    pub change: TeamChange,
}

impl TeamOp {
    /// Its place in the team order: hlc, then author, then seq. Along one
    /// author's chain it follows seq (a record never carries an hlc below its
    /// predecessor's: the store refuses backdated records).
    pub fn order_key(&self) -> OrderKey {
        OrderKey(self.hlc, self.author, self.seq)
    }
}

/// A record's place in the team order: (hlc, author, seq).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderKey(pub Hlc, pub DeviceId, pub u64);

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
    /// For each admin but the founder: the place in the team order of the
    /// first effective Admit that made it one (its authority starts there).
    admin_from: BTreeMap<DeviceId, OrderKey>,
    /// The founder and every device an Admit names, effective or not:
    /// whose records a device keeps (the others wait).
    known: BTreeSet<DeviceId>,
}

impl Roster {
    /// Computes the roster from the genesis and the team records, in
    /// O(n log n) of the records for any set without revocation rings (see
    /// `team/resolve.rs`). The same set gives the same roster in any order.
    pub fn compute(team: TeamId, founder: DeviceId, genesis: &Genesis, ops: &[TeamOp]) -> Roster {
        let mut ops: Vec<&TeamOp> = ops.iter().collect();
        ops.sort_by_key(|op| op.order_key());
        ops.dedup_by_key(|op| (op.author, op.seq));
        let effective = resolve::effective(founder, &ops);
        let mut roster = Roster {
            team,
            team_name: genesis.team_name.clone(),
            founder,
            members: BTreeMap::new(),
            admin_from: BTreeMap::new(),
            known: BTreeSet::from([founder]),
        };
        for op in &ops {
            if let TeamChange::Admit(a) = &op.change {
                roster.known.insert(a.device);
            }
        }
        roster.members.insert(
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
        // Admissions first (in team order: the first one names the person),
        // then revocations, which hold whatever their place in the order.
        for (op, _) in ops.iter().zip(&effective).filter(|(_, e)| **e) {
            if let TeamChange::Admit(a) = &op.change {
                let m = roster.members.entry(a.device).or_insert_with(|| Member {
                    device: a.device,
                    person_id: a.person_id,
                    person_name: a.person_name.clone(),
                    role: a.role,
                    admitted_by: Some(op.author),
                    revoked_after: None,
                });
                m.role = m.role.max(a.role);
                if a.role == Role::Admin && a.device != founder {
                    roster.admin_from.entry(a.device).or_insert(op.order_key());
                }
            }
        }
        for (op, _) in ops.iter().zip(&effective).filter(|(_, e)| **e) {
            if let TeamChange::Revoke(r) = &op.change
                && let Some(m) = roster.members.get_mut(&r.device)
            {
                m.revoked_after = Some(m.revoked_after.map_or(r.cutoff, |c| c.min(r.cutoff)));
            }
        }
        roster
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

    /// Whether a record at `key` (its hlc, author and seq) was written with
    /// admin authority: the author was an admin by then and the record is
    /// not cut off. Decides whether admin-only data (pipeline stages,
    /// custom-field definitions) counts.
    pub fn may_administer(&self, key: OrderKey) -> bool {
        let OrderKey(_, author, seq) = key;
        if self.standing(&author, seq) != Standing::Accepted {
            return false;
        }
        author == self.founder || self.admin_from.get(&author).is_some_and(|from| *from < key)
    }

    /// Whether records of `device` are kept in the log: it founded the team
    /// or an Admit names it (whether or not that admission holds now: the
    /// roster may change as more team records arrive).
    pub fn is_known(&self, device: &DeviceId) -> bool {
        self.known.contains(device)
    }

    /// Whether `device` stands the same in both rosters (membership, role,
    /// cutoff and admin authority): its records count alike.
    pub fn same_standing(&self, other: &Roster, device: &DeviceId) -> bool {
        self.members.get(device) == other.members.get(device)
            && self.admin_from.get(device) == other.admin_from.get(device)
            && (*device == self.founder) == (*device == other.founder)
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

    /// The unrevoked admins.
    pub fn active_admins(&self) -> impl Iterator<Item = &Member> {
        self.members
            .values()
            .filter(|m| m.role == Role::Admin && m.revoked_after.is_none())
    }

    /// Canonical bytes for the state digest.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let members: Vec<&Member> = self.members.values().collect();
        postcard::to_stdvec(&(&self.team, &self.team_name, &self.founder, members))
            .expect("encoding into a Vec cannot fail")
    }
}

/// The checks every device makes of a team record on receipt, whatever its
/// roster says (so every device keeps or refuses the same records): no
/// device revokes itself, and no revocation takes out the genesis.
pub fn check_team_record(
    founder: &DeviceId,
    author: &DeviceId,
    change: &TeamChange,
) -> Result<(), String> {
    match change {
        TeamChange::Revoke(r) if r.device == *author => Err("a device cannot revoke itself".into()),
        TeamChange::Revoke(r) if r.device == *founder && r.cutoff == 0 => {
            Err("a revocation of the founder must keep the genesis (cutoff 1 or more)".into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
