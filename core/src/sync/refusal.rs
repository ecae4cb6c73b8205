//! Records the receiving store refused, carried up from the store to
//! whoever started the sync: why each was refused (a short reason that
//! groups, and the core's full sentence), a count per reason for the whole
//! session, and the first few records by author and seq (bounded, so a peer
//! sending a million bad records costs no memory here).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::identity::DeviceId;

/// How many refused records a session keeps by name; the counts per reason
/// cover all of them.
pub const KEPT_REFUSALS: usize = 100;

/// Why a record was refused, short enough to group identical reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Bytes that are not a record of this format (truncated, too large,
    /// an unknown envelope).
    Malformed,
    /// The signature does not match the record and its author.
    BadSignature,
    /// A record of another team.
    WrongTeam,
    /// The record does not follow its author's previous one.
    BrokenChain,
    /// Its timestamp lies before its author's previous record's.
    Backdated,
    /// A team record every device refuses (a self-revocation, a revocation
    /// taking out the genesis).
    InvalidTeamRecord,
    /// A genesis that does not found this team, or a second one.
    InvalidGenesis,
    /// A body that cannot be read or breaks the data rules.
    InvalidContent,
    /// Too many records already wait for their authors here; the record is
    /// not stored now and comes again at a later sync. Not a failure.
    ComesAgainLater,
}

impl RefusalReason {
    /// The reason for a store's refusal error.
    pub fn of(error: &Error) -> RefusalReason {
        match error {
            Error::MalformedRecord(_)
            | Error::RecordTooLarge { .. }
            | Error::UnsupportedEnvelope { .. } => RefusalReason::Malformed,
            Error::BadSignature { .. } => RefusalReason::BadSignature,
            Error::WrongTeam { .. } => RefusalReason::WrongTeam,
            Error::BrokenChain { .. } => RefusalReason::BrokenChain,
            Error::Backdated { .. } => RefusalReason::Backdated,
            Error::InvalidTeamRecord { .. } => RefusalReason::InvalidTeamRecord,
            Error::InvalidGenesis(_) => RefusalReason::InvalidGenesis,
            // The store refuses with `Refused` only when its waiting room
            // is full: the record is sent again by a later sync.
            Error::Refused(_) => RefusalReason::ComesAgainLater,
            _ => RefusalReason::InvalidContent,
        }
    }

    /// Words for people: "bad signature", "broken chain", ...
    pub fn text(self) -> &'static str {
        match self {
            RefusalReason::Malformed => "malformed",
            RefusalReason::BadSignature => "bad signature",
            RefusalReason::WrongTeam => "another team",
            RefusalReason::BrokenChain => "broken chain",
            RefusalReason::Backdated => "backdated",
            RefusalReason::InvalidTeamRecord => "invalid team record",
            RefusalReason::InvalidGenesis => "invalid genesis",
            RefusalReason::InvalidContent => "invalid content",
            RefusalReason::ComesAgainLater => "comes again later",
        }
    }

    /// Whether the refusal is for good (the record will never be taken as
    /// it is), as opposed to a record that comes again at a later sync.
    pub fn is_final(self) -> bool {
        self != RefusalReason::ComesAgainLater
    }
}

impl std::fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// One refused record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordRefusal {
    /// Its author, when the bytes could be read that far.
    pub author: Option<DeviceId>,
    /// Its seq in the author's chain, when readable.
    pub seq: Option<u64>,
    /// Why, in short.
    pub reason: RefusalReason,
    /// The store's full sentence.
    pub detail: String,
}

impl RecordRefusal {
    /// A refusal of the record by `source` (author, seq) with `error`.
    pub fn new(source: Option<(DeviceId, u64)>, error: &Error) -> RecordRefusal {
        RecordRefusal {
            author: source.map(|s| s.0),
            seq: source.map(|s| s.1),
            reason: RefusalReason::of(error),
            detail: error.to_string(),
        }
    }
}

/// The records refused in a session (or several): a count per reason, and
/// the first [`KEPT_REFUSALS`] by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Refusals {
    /// How many records were refused, per reason (all of them).
    pub by_reason: BTreeMap<RefusalReason, u64>,
    /// The first refused records, in the order they were refused.
    pub records: Vec<RecordRefusal>,
}

impl Refusals {
    /// Counts `r`, keeping it by name while there is room.
    pub fn add(&mut self, r: RecordRefusal) {
        *self.by_reason.entry(r.reason).or_default() += 1;
        if self.records.len() < KEPT_REFUSALS {
            self.records.push(r);
        }
    }

    /// Adds every refusal of `other`.
    pub fn merge(&mut self, other: &Refusals) {
        for (reason, n) in &other.by_reason {
            *self.by_reason.entry(*reason).or_default() += n;
        }
        let room = KEPT_REFUSALS.saturating_sub(self.records.len());
        self.records
            .extend(other.records.iter().take(room).cloned());
    }

    /// Records refused, for any reason.
    pub fn total(&self) -> u64 {
        self.by_reason.values().sum()
    }

    /// Records refused for good (all but those that come again later):
    /// what makes a sync's result a failure.
    pub fn final_count(&self) -> u64 {
        self.by_reason
            .iter()
            .filter(|(r, _)| r.is_final())
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.by_reason.is_empty()
    }
}

impl std::fmt::Display for Refusals {
    /// "3 records refused: bad signature (2), broken chain (1)", most
    /// frequent reason first.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.total();
        write!(
            f,
            "{total} record{} refused",
            if total == 1 { "" } else { "s" }
        )?;
        let mut reasons: Vec<(&RefusalReason, &u64)> = self.by_reason.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (i, (reason, n)) in reasons.into_iter().enumerate() {
            write!(f, "{}{reason} ({n})", if i == 0 { ": " } else { ", " })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(error: Error) -> RecordRefusal {
        RecordRefusal::new(None, &error)
    }

    #[test]
    fn identical_reasons_are_grouped_and_the_list_is_bounded() {
        let author = DeviceId([7; 32]);
        let mut r = Refusals::default();
        for seq in 0..150 {
            r.add(refusal(Error::BadSignature { author, seq }));
        }
        r.add(refusal(Error::BrokenChain { author, seq: 3 }));
        assert_eq!(r.total(), 151);
        assert_eq!(r.records.len(), KEPT_REFUSALS);
        assert_eq!(
            r.to_string(),
            "151 records refused: bad signature (150), broken chain (1)"
        );
        let mut sum = Refusals::default();
        sum.merge(&r);
        sum.merge(&r);
        assert_eq!(sum.total(), 302);
        assert_eq!(sum.records.len(), KEPT_REFUSALS);
    }

    #[test]
    fn records_that_come_again_later_are_no_failure() {
        let mut r = Refusals::default();
        r.add(refusal(Error::Refused("the waiting room is full".into())));
        assert_eq!(r.total(), 1);
        assert_eq!(r.final_count(), 0);
        assert_eq!(r.to_string(), "1 record refused: comes again later (1)");
        r.add(refusal(Error::InvalidGenesis("second genesis".into())));
        assert_eq!(r.final_count(), 1);
    }
}
