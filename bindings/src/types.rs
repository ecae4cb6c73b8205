//! What only the FFI needs of its own: the drafts the apps fill in, whose
//! "leave as it is" (null), "unlink" (`""`) and "clear" flags have no
//! counterpart in the core's drafts (`Option<Option<_>>`), and the invite
//! options of a ticket. Every other record and enum the apps see is the
//! core's own type, exported by the core's `uniffi` feature (ids as
//! strings, times as ms since the Unix epoch).

use deko_core::model::{self as m, Money, Phone};
use deko_core::record::{EntityId, Role, Value};

use crate::convert;
use crate::error::Result;

/// A custom field value to write: the definition's id and the value
/// (`FieldValue.Null` clears it).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CustomInput {
    /// The definition's id.
    pub field: String,
    /// The value.
    pub value: Value,
}

fn custom_in(v: Vec<CustomInput>) -> Result<Vec<(EntityId, Value)>> {
    v.into_iter()
        .map(|c| Ok((convert::id(&c.field)?, c.value)))
        .collect()
}

fn phones_in(v: Option<Vec<Phone>>) -> Option<Vec<(m::PhoneLabel, String)>> {
    v.map(|v| v.into_iter().map(|p| (p.label, p.number)).collect())
}

fn time_change(value: Option<i64>, clear: bool) -> Option<Option<i64>> {
    if clear { Some(None) } else { value.map(Some) }
}

/// What to write on a person: each non-null field is set (an empty text or
/// list clears it), null leaves it. `company`: an id links, `""` unlinks.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct PersonDraft {
    /// Given name.
    #[uniffi(default)]
    pub given: Option<String>,
    /// Family name.
    #[uniffi(default)]
    pub family: Option<String>,
    /// Job title.
    #[uniffi(default)]
    pub title: Option<String>,
    /// Company id (`""` removes the link).
    #[uniffi(default)]
    pub company: Option<String>,
    /// Phone numbers (in any common written form).
    #[uniffi(default)]
    pub phones: Option<Vec<Phone>>,
    /// Email addresses.
    #[uniffi(default)]
    pub emails: Option<Vec<String>>,
    /// Postal address.
    #[uniffi(default)]
    pub address: Option<String>,
    /// Tags.
    #[uniffi(default)]
    pub tags: Option<Vec<String>>,
    /// Free note.
    #[uniffi(default)]
    pub note: Option<String>,
    /// Custom field values.
    #[uniffi(default)]
    pub custom: Vec<CustomInput>,
}

impl TryFrom<PersonDraft> for m::PersonDraft {
    type Error = crate::DekoError;
    fn try_from(d: PersonDraft) -> Result<Self> {
        Ok(m::PersonDraft {
            given: d.given,
            family: d.family,
            title: d.title,
            company: convert::link(d.company.as_deref())?,
            phones: phones_in(d.phones),
            emails: d.emails,
            address: d.address,
            tags: d.tags,
            note: d.note,
            custom: custom_in(d.custom)?,
        })
    }
}

/// What to write on a company (see [`PersonDraft`]).
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct CompanyDraft {
    /// Name.
    #[uniffi(default)]
    pub name: Option<String>,
    /// Phone numbers.
    #[uniffi(default)]
    pub phones: Option<Vec<Phone>>,
    /// Email addresses.
    #[uniffi(default)]
    pub emails: Option<Vec<String>>,
    /// Web site.
    #[uniffi(default)]
    pub website: Option<String>,
    /// Postal address.
    #[uniffi(default)]
    pub address: Option<String>,
    /// Industry.
    #[uniffi(default)]
    pub industry: Option<String>,
    /// Free note.
    #[uniffi(default)]
    pub note: Option<String>,
    /// Custom field values.
    #[uniffi(default)]
    pub custom: Vec<CustomInput>,
}

impl TryFrom<CompanyDraft> for m::CompanyDraft {
    type Error = crate::DekoError;
    fn try_from(d: CompanyDraft) -> Result<Self> {
        Ok(m::CompanyDraft {
            name: d.name,
            phones: phones_in(d.phones),
            emails: d.emails,
            website: d.website,
            address: d.address,
            industry: d.industry,
            note: d.note,
            custom: custom_in(d.custom)?,
        })
    }
}

/// What to write on a task: non-null fields are set; links take an id or
/// `""` (unlink); `clear_due` removes the due time.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct TaskDraft {
    /// What to do.
    #[uniffi(default)]
    pub title: Option<String>,
    /// Due time (ms).
    #[uniffi(default)]
    pub due: Option<i64>,
    /// Removes the due time.
    #[uniffi(default)]
    pub clear_due: bool,
    /// Done.
    #[uniffi(default)]
    pub done: Option<bool>,
    /// Assignee (a roster person id).
    #[uniffi(default)]
    pub assignee: Option<String>,
    /// About whom.
    #[uniffi(default)]
    pub person: Option<String>,
    /// About which company.
    #[uniffi(default)]
    pub company: Option<String>,
    /// About which deal.
    #[uniffi(default)]
    pub deal: Option<String>,
}

impl TryFrom<TaskDraft> for m::TaskDraft {
    type Error = crate::DekoError;
    fn try_from(d: TaskDraft) -> Result<Self> {
        Ok(m::TaskDraft {
            title: d.title,
            due: time_change(d.due, d.clear_due),
            done: d.done,
            assignee: convert::link(d.assignee.as_deref())?,
            person: convert::link(d.person.as_deref())?,
            company: convert::link(d.company.as_deref())?,
            deal: convert::link(d.deal.as_deref())?,
        })
    }
}

/// What to write on a deal: non-null fields are set; links take an id or
/// `""`; `clear_value` / `clear_expected_close` remove those.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct DealDraft {
    /// Title.
    #[uniffi(default)]
    pub title: Option<String>,
    /// Company.
    #[uniffi(default)]
    pub company: Option<String>,
    /// Contact person.
    #[uniffi(default)]
    pub contact: Option<String>,
    /// Value.
    #[uniffi(default)]
    pub value: Option<Money>,
    /// Removes the value.
    #[uniffi(default)]
    pub clear_value: bool,
    /// Stage id.
    #[uniffi(default)]
    pub stage: Option<String>,
    /// Expected close (ms).
    #[uniffi(default)]
    pub expected_close: Option<i64>,
    /// Removes the expected close.
    #[uniffi(default)]
    pub clear_expected_close: bool,
    /// Owner (a roster person id).
    #[uniffi(default)]
    pub owner: Option<String>,
    /// Custom field values.
    #[uniffi(default)]
    pub custom: Vec<CustomInput>,
}

impl TryFrom<DealDraft> for m::DealDraft {
    type Error = crate::DekoError;
    fn try_from(d: DealDraft) -> Result<Self> {
        let value = if d.clear_value {
            Some(None)
        } else {
            d.value.map(Some)
        };
        Ok(m::DealDraft {
            title: d.title,
            company: convert::link(d.company.as_deref())?,
            contact: convert::link(d.contact.as_deref())?,
            value,
            stage: convert::opt_id(d.stage.as_deref())?,
            expected_close: time_change(d.expected_close, d.clear_expected_close),
            owner: convert::link(d.owner.as_deref())?,
            custom: custom_in(d.custom)?,
        })
    }
}

/// A one-time invite to put in a ticket (admins only).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct InviteOptions {
    /// The role the new device gets.
    pub role: Role,
    /// How long the invite is valid, in seconds.
    pub ttl_s: u64,
}
