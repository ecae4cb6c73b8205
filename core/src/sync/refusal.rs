//! Records the receiving store refused, carried up from the store to
//! whoever started the sync: why each was refused (a short reason that
//! groups, and the core's full sentence), a count per reason for the whole
//! session, and the first few records by author and seq (bounded, so a peer
//! sending a million bad records costs no memory here).

use serde::Serialize;

use crate::error::{Error, RecordError, StoreError};
use crate::identity::DeviceId;

/// How many refused records a session keeps by name; the counts per reason
/// cover all of them.
pub const KEPT_REFUSALS: usize = 100;

/// Why a record was refused, short enough to group identical reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
            Error::Record(RecordError::Malformed(_))
            | Error::Record(RecordError::TooLarge { .. })
            | Error::Record(RecordError::UnsupportedEnvelope { .. }) => RefusalReason::Malformed,
            Error::Record(RecordError::BadSignature { .. }) => RefusalReason::BadSignature,
            Error::Record(RecordError::WrongTeam { .. }) => RefusalReason::WrongTeam,
            Error::Record(RecordError::BrokenChain { .. }) => RefusalReason::BrokenChain,
            Error::Record(RecordError::Backdated { .. }) => RefusalReason::Backdated,
            Error::Record(RecordError::InvalidTeamRecord { .. }) => {
                RefusalReason::InvalidTeamRecord
            }
            Error::Record(RecordError::InvalidGenesis(_)) => RefusalReason::InvalidGenesis,
            // The store refuses with `Refused` only when its waiting room
            // is full: the record is sent again by a later sync.
            Error::Store(StoreError::WaitingRoomFull(_)) => RefusalReason::ComesAgainLater,
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordRefusal {
    /// Its author, when the bytes could be read that far.
    pub author: Option<DeviceId>,
    /// Its seq in the author's chain, when readable.
    pub seq: Option<u64>,
    /// Why, in short.
    pub reason: RefusalReason,
    /// The store's full sentence.
    pub detail: String,
    /// The author's short fingerprint, when the author is known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub fingerprint: Option<String>,
}

impl RecordRefusal {
    /// A refusal of the record by `source` (author, seq) with `error`.
    pub fn new(source: Option<(DeviceId, u64)>, error: &Error) -> RecordRefusal {
        RecordRefusal {
            author: source.map(|s| s.0),
            seq: source.map(|s| s.1),
            reason: RefusalReason::of(error),
            detail: error.to_string(),
            fingerprint: source.map(|s| s.0.fingerprint()),
        }
    }
}

/// How many records were refused for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RefusalCount {
    /// The reason.
    pub reason: RefusalReason,
    /// How many.
    pub count: u64,
}

/// Adds `n` refusals for `reason` to counts kept in reason order.
pub(crate) fn count_into(counts: &mut Vec<RefusalCount>, reason: RefusalReason, n: u64) {
    match counts.binary_search_by(|c| c.reason.cmp(&reason)) {
        Ok(i) => counts[i].count += n,
        Err(i) => counts.insert(i, RefusalCount { reason, count: n }),
    }
}

/// Records refused for good (all but those that come again later) among
/// `counts`: what makes a sync's result a failure.
pub fn final_count(counts: &[RefusalCount]) -> u64 {
    counts
        .iter()
        .filter(|c| c.reason.is_final())
        .map(|c| c.count)
        .sum()
}

/// Counts per reason as JSON: an object from reason to count.
pub(crate) fn counts_by_reason<S: serde::Serializer>(
    counts: &[RefusalCount],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(counts.len()))?;
    for c in counts {
        m.serialize_entry(&c.reason, &c.count)?;
    }
    m.end()
}

/// Counts per reason for people: "3 records refused: bad signature (2),
/// broken chain (1)", most frequent reason first.
#[derive(Clone, Copy, Debug)]
pub struct RefusalSummary<'a>(pub &'a [RefusalCount]);

impl std::fmt::Display for RefusalSummary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: u64 = self.0.iter().map(|c| c.count).sum();
        write!(
            f,
            "{total} record{} refused",
            if total == 1 { "" } else { "s" }
        )?;
        let mut reasons: Vec<&RefusalCount> = self.0.iter().collect();
        reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        for (i, c) in reasons.into_iter().enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            write!(f, "{sep}{} ({})", c.reason, c.count)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::SessionStats;

    fn refusal(error: Error) -> RecordRefusal {
        RecordRefusal::new(None, &error)
    }

    #[test]
    fn identical_reasons_are_grouped_and_the_list_is_bounded() {
        let author = DeviceId([7; 32]);
        let mut r = SessionStats::default();
        for seq in 0..150 {
            r.add_refusal(refusal(Error::Record(RecordError::BadSignature {
                author,
                seq,
            })));
        }
        r.add_refusal(refusal(Error::Record(RecordError::BrokenChain {
            author,
            seq: 3,
        })));
        assert_eq!(r.refused, 151);
        assert_eq!(r.refusals.len(), KEPT_REFUSALS);
        assert_eq!(
            RefusalSummary(&r.refused_by_reason).to_string(),
            "151 records refused: bad signature (150), broken chain (1)"
        );
        let mut sum = SessionStats::default();
        sum.add(&r);
        sum.add(&r);
        assert_eq!(sum.refused, 302);
        assert_eq!(sum.refusals.len(), KEPT_REFUSALS);
        assert_eq!(final_count(&sum.refused_by_reason), 302);
    }

    #[test]
    fn records_that_come_again_later_are_no_failure() {
        let mut r = SessionStats::default();
        r.add_refusal(refusal(
            StoreError::WaitingRoomFull("it is full".into()).into(),
        ));
        assert_eq!(r.refused, 1);
        assert_eq!(final_count(&r.refused_by_reason), 0);
        assert_eq!(
            RefusalSummary(&r.refused_by_reason).to_string(),
            "1 record refused: comes again later (1)"
        );
        r.add_refusal(refusal(Error::Record(RecordError::InvalidGenesis(
            "second genesis".into(),
        ))));
        assert_eq!(final_count(&r.refused_by_reason), 1);
    }
}
