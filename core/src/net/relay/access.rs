//! Which teams the relay serves and which tokens their devices may present,
//! as the operator's allow list changes: a token taken off the list is still
//! accepted for a grace period (so members that have not yet synced the
//! team's new token keep their relay), then refused, and the devices that
//! registered with it are cut. Pure: the caller passes the time.

use std::time::{Duration, Instant};

use super::server::TeamAccess;

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a registration presents is checked against.
#[derive(Debug, Default)]
pub(super) struct Access {
    /// The allow list as the operator gave it last.
    current: Vec<TeamAccess>,
    /// Entries taken off the list, accepted until their deadline.
    retiring: Vec<(TeamAccess, Instant)>,
}

/// Why a registration is refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Denied {
    /// The relay does not serve the team.
    UnknownTeam,
    /// The team needs a token and none came.
    NoToken,
    /// The token is not (or no longer) one of the team's.
    WrongToken,
}

impl Access {
    /// The allow list `teams`.
    pub(super) fn new(teams: Vec<TeamAccess>) -> Access {
        Access {
            current: teams,
            retiring: Vec::new(),
        }
    }

    /// How many entries are served now (retiring ones included).
    pub(super) fn len(&self) -> usize {
        self.current.len() + self.retiring.len()
    }

    /// Replaces the allow list with `teams`; entries that were on it and
    /// are not any more stay accepted until `now + grace`, and so do
    /// retiring ones at the latest (a shorter grace ends theirs sooner).
    pub(super) fn replace(&mut self, teams: Vec<TeamAccess>, grace: Duration, now: Instant) {
        let until = now + grace;
        for (_, end) in &mut self.retiring {
            *end = (*end).min(until);
        }
        let old = std::mem::replace(&mut self.current, teams);
        for entry in old {
            if !self.current.contains(&entry) && !self.retiring.iter().any(|(e, _)| *e == entry) {
                self.retiring.push((entry, until));
            }
        }
        // An entry put back on the list is current again.
        self.retiring.retain(|(e, _)| !self.current.contains(e));
        self.expire(now);
    }

    /// Forgets retiring entries whose grace ended; returns whether any did.
    pub(super) fn expire(&mut self, now: Instant) -> bool {
        let before = self.retiring.len();
        self.retiring.retain(|(_, until)| *until > now);
        before != self.retiring.len()
    }

    /// Whether a device of `team` presenting `token` may register.
    pub(super) fn check(&self, team: &[u8; 16], token: &[u8]) -> Result<(), Denied> {
        let entries = self
            .current
            .iter()
            .chain(self.retiring.iter().map(|(e, _)| e))
            .filter(|e| &e.team == team);
        let mut served = false;
        let mut accepted = false;
        for e in entries {
            served = true;
            accepted |= match &e.token {
                None => true,
                Some(want) => same_token(token, want),
            };
        }
        match (served, accepted) {
            (false, _) => Err(Denied::UnknownTeam),
            (true, true) => Ok(()),
            (true, false) if token.is_empty() => Err(Denied::NoToken),
            (true, false) => Err(Denied::WrongToken),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: [u8; 16] = [7; 16];

    fn entry(token: &str) -> TeamAccess {
        TeamAccess {
            team: TEAM,
            token: Some(token.as_bytes().to_vec()),
        }
    }

    #[test]
    fn a_replaced_token_is_accepted_for_the_grace_period_then_refused() {
        let t0 = Instant::now();
        let mut a = Access::new(vec![entry("old")]);
        assert_eq!(a.check(&TEAM, b"old"), Ok(()));
        assert_eq!(a.check(&TEAM, b"new"), Err(Denied::WrongToken));
        a.replace(vec![entry("new")], Duration::from_secs(60), t0);
        assert_eq!(a.check(&TEAM, b"new"), Ok(()));
        assert_eq!(a.check(&TEAM, b"old"), Ok(()), "within the grace period");
        assert!(!a.expire(t0 + Duration::from_secs(59)));
        assert!(a.expire(t0 + Duration::from_secs(60)));
        assert_eq!(a.check(&TEAM, b"old"), Err(Denied::WrongToken));
        assert_eq!(a.check(&TEAM, b"new"), Ok(()));
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn no_grace_refuses_at_once_and_a_token_put_back_is_current() {
        let t0 = Instant::now();
        let mut a = Access::new(vec![entry("old")]);
        a.replace(vec![entry("new")], Duration::ZERO, t0);
        assert_eq!(a.check(&TEAM, b"old"), Err(Denied::WrongToken));
        let mut a = Access::new(vec![entry("old")]);
        a.replace(vec![entry("new")], Duration::from_secs(5), t0);
        a.replace(vec![entry("new"), entry("old")], Duration::from_secs(5), t0);
        a.expire(t0 + Duration::from_secs(10));
        assert_eq!(a.check(&TEAM, b"old"), Ok(()), "back on the list");
        assert_eq!(a.len(), 2);
        // The same list again with no grace ends a grace under way.
        let mut a = Access::new(vec![entry("old")]);
        a.replace(vec![entry("new")], Duration::from_secs(3600), t0);
        a.replace(vec![entry("new")], Duration::ZERO, t0);
        assert_eq!(a.check(&TEAM, b"old"), Err(Denied::WrongToken));
    }

    #[test]
    fn unknown_teams_and_missing_tokens_say_so() {
        let a = Access::new(vec![entry("s3cret")]);
        assert_eq!(a.check(&[1; 16], b"s3cret"), Err(Denied::UnknownTeam));
        assert_eq!(a.check(&TEAM, b""), Err(Denied::NoToken));
        let open = Access::new(vec![TeamAccess {
            team: TEAM,
            token: None,
        }]);
        assert_eq!(open.check(&TEAM, b""), Ok(()));
        assert_eq!(open.check(&TEAM, b"anything"), Ok(()));
    }
}
