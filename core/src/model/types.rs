//! The CRM's data as the apps and the CLI see it, and the drafts they write.
//!
//! One definition each: the apps get these very types through uniffi (the
//! `uniffi` feature: ids as strings, times as ms), the CLI's `--json` is
//! their serde form (field names as documented in cli/README.md).

use serde::{Serialize, Serializer};

use crate::identity::DeviceId;
use crate::record::{EntityId, Value};

/// What a phone number is (mobile, work, home, other).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PhoneLabel {
    /// A mobile phone.
    Mobile,
    /// A work line.
    Work,
    /// A home line.
    Home,
    /// Anything else (fax, pager, main).
    Other,
}

impl PhoneLabel {
    /// The label's stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneLabel::Mobile => "mobile",
            PhoneLabel::Work => "work",
            PhoneLabel::Home => "home",
            PhoneLabel::Other => "other",
        }
    }

    /// Reads a stored name; unknown names are `Other`.
    pub fn parse(s: &str) -> PhoneLabel {
        match s.trim().to_ascii_lowercase().as_str() {
            "mobile" | "cell" | "mobil" => PhoneLabel::Mobile,
            "work" => PhoneLabel::Work,
            "home" => PhoneLabel::Home,
            _ => PhoneLabel::Other,
        }
    }
}

/// A phone number with its label. `number` is E.164 when it could be read
/// (always for numbers typed into Deko; imported ones may keep their form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Phone {
    /// Mobile, work, home or other.
    pub label: PhoneLabel,
    /// The number, E.164 where possible: what to dial.
    pub number: String,
    /// The number as the apps show it: grouped the national way for numbers
    /// of the database's region ("603 123 456"), the international way for
    /// the rest ("+44 20 7946 0958"), as stored when it is not E.164. Filled
    /// in when a person or company is read; ignored when one is written.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub display: String,
}

/// A person (contact).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Person {
    /// Id.
    pub id: EntityId,
    /// "Given Family", or whatever part exists (JSON: `name`).
    #[serde(rename = "name")]
    pub display_name: String,
    /// Given name.
    pub given: Option<String>,
    /// Family name.
    pub family: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// The company the person works for.
    pub company: Option<EntityId>,
    /// That company's name.
    pub company_name: Option<String>,
    /// Phone numbers.
    pub phones: Vec<Phone>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Free note.
    pub note: Option<String>,
    /// Values of custom fields (JSON: an object keyed by field name).
    #[serde(serialize_with = "custom_by_name")]
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values (see `Store::conflicts`).
    pub conflicts: Vec<String>,
    /// Latest call, meeting or note with this person (ms since epoch).
    pub last_contact: Option<i64>,
}

pub(crate) fn display_name(given: Option<&str>, family: Option<&str>) -> String {
    match (given, family) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        (Some(g), None) => g.to_string(),
        (None, Some(f)) => f.to_string(),
        (None, None) => String::new(),
    }
}

/// What to write on a person. Each `Some` sets that field (an empty text or
/// list clears it); `None` leaves it as it is.
#[derive(Clone, Debug, Default)]
pub struct PersonDraft {
    /// Given name.
    pub given: Option<String>,
    /// Family name.
    pub family: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Company (`Some(None)` removes the link).
    pub company: Option<Option<EntityId>>,
    /// Phone numbers (label, number in any common written form).
    pub phones: Option<Vec<(PhoneLabel, String)>>,
    /// Email addresses.
    pub emails: Option<Vec<String>>,
    /// Postal address.
    pub address: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Free note.
    pub note: Option<String>,
    /// Custom field values by definition id (`Value::Null` clears).
    pub custom: Vec<(EntityId, Value)>,
}

/// A company (account).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Company {
    /// Id.
    pub id: EntityId,
    /// Name.
    pub name: Option<String>,
    /// Phone numbers.
    pub phones: Vec<Phone>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Web site.
    pub website: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// Values of custom fields (JSON: an object keyed by field name).
    #[serde(serialize_with = "custom_by_name")]
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values.
    pub conflicts: Vec<String>,
}

/// What to write on a company (see [`PersonDraft`] for the `Option`s).
#[derive(Clone, Debug, Default)]
pub struct CompanyDraft {
    /// Name.
    pub name: Option<String>,
    /// Phone numbers.
    pub phones: Option<Vec<(PhoneLabel, String)>>,
    /// Email addresses.
    pub emails: Option<Vec<String>>,
    /// Web site.
    pub website: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// Custom field values by definition id.
    pub custom: Vec<(EntityId, Value)>,
}

/// Direction of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Direction {
    /// The customer called.
    In,
    /// We called.
    Out,
    /// A call we did not take.
    Missed,
}

impl Direction {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Missed => "missed",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().as_str() {
            "in" | "incoming" => Some(Direction::In),
            "out" | "outgoing" => Some(Direction::Out),
            "missed" => Some(Direction::Missed),
            _ => None,
        }
    }
}

/// What kind of activity, with its own fields (JSON: `kind` and the
/// variant's fields, next to the activity's).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ActivityKind {
    /// A phone call.
    Call {
        /// In, out or missed.
        direction: Direction,
        /// The other side's number (E.164).
        number: Option<String>,
        /// Length in seconds.
        duration_s: i64,
        /// How it went.
        outcome: Option<String>,
    },
    /// A meeting.
    Meeting {
        /// When it ended (ms since epoch).
        end: Option<i64>,
        /// Where.
        place: Option<String>,
    },
    /// A note.
    Note,
}

/// A call, meeting or note.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Activity {
    /// Id.
    pub id: EntityId,
    /// Call, meeting or note, with its own fields.
    #[serde(flatten)]
    pub kind: ActivityKind,
    /// When it happened (start), ms since epoch.
    pub at: i64,
    /// The people it concerns (attendees of a meeting).
    pub people: Vec<EntityId>,
    /// The company it concerns.
    pub company: Option<EntityId>,
    /// Free note.
    pub note: Option<String>,
    /// The device that wrote it.
    pub device: Option<DeviceId>,
    /// The person (salesperson) owning that device.
    pub by: Option<String>,
    /// In the trash.
    pub deleted: bool,
}

/// A task.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Task {
    /// Id.
    pub id: EntityId,
    /// What to do.
    pub title: String,
    /// When it is due (ms since epoch).
    pub due: Option<i64>,
    /// Done.
    pub done: bool,
    /// Who should do it (a salesperson's person id from the roster).
    pub assignee: Option<EntityId>,
    /// About whom.
    pub person: Option<EntityId>,
    /// About which company.
    pub company: Option<EntityId>,
    /// About which deal.
    pub deal: Option<EntityId>,
    /// In the trash.
    pub deleted: bool,
    /// The name of the person it is about, as a person reads
    /// (`display_name`): every face shows it beside the task.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub person_name: Option<String>,
    /// The name of the company it is about.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company_name: Option<String>,
    /// The title of the deal it is about.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub deal_title: Option<String>,
}

/// What to write on a task (see [`PersonDraft`] for the `Option`s).
#[derive(Clone, Debug, Default)]
pub struct TaskDraft {
    /// What to do.
    pub title: Option<String>,
    /// Due time.
    pub due: Option<Option<i64>>,
    /// Done.
    pub done: Option<bool>,
    /// Assignee.
    pub assignee: Option<Option<EntityId>>,
    /// About whom.
    pub person: Option<Option<EntityId>>,
    /// About which company.
    pub company: Option<Option<EntityId>>,
    /// About which deal.
    pub deal: Option<Option<EntityId>>,
}

/// How a pipeline stage ends a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StageOutcome {
    /// Still in progress.
    Open,
    /// Won.
    Won,
    /// Lost.
    Lost,
}

impl StageOutcome {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            StageOutcome::Open => "open",
            StageOutcome::Won => "won",
            StageOutcome::Lost => "lost",
        }
    }

    /// Reads a stored name (unknown: open).
    pub fn parse(s: &str) -> StageOutcome {
        match s {
            "won" => StageOutcome::Won,
            "lost" => StageOutcome::Lost,
            _ => StageOutcome::Open,
        }
    }
}

/// A pipeline stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Stage {
    /// Id.
    pub id: EntityId,
    /// Name.
    pub name: String,
    /// Order in the pipeline (ascending).
    pub position: f64,
    /// Open, won or lost.
    pub outcome: StageOutcome,
}

/// An amount of money: minor units (cents) and an ISO 4217 currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Money {
    /// Minor units.
    pub minor: i64,
    /// Currency code.
    pub currency: String,
}

/// A deal.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Deal {
    /// Id.
    pub id: EntityId,
    /// Title.
    pub title: String,
    /// The customer company.
    pub company: Option<EntityId>,
    /// The contact person.
    pub contact: Option<EntityId>,
    /// Value.
    pub value: Option<Money>,
    /// Pipeline stage.
    pub stage: Option<EntityId>,
    /// Expected close (ms since epoch).
    pub expected_close: Option<i64>,
    /// Owner (a salesperson's person id from the roster).
    pub owner: Option<EntityId>,
    /// Values of custom fields (JSON: an object keyed by field name).
    #[serde(serialize_with = "custom_by_name")]
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values.
    pub conflicts: Vec<String>,
    /// The stage's name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage_name: Option<String>,
    /// The customer company's name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company_name: Option<String>,
    /// The contact person's name, as a person reads (`display_name`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_name: Option<String>,
}

/// What to write on a deal (see [`PersonDraft`] for the `Option`s).
#[derive(Clone, Debug, Default)]
pub struct DealDraft {
    /// Title.
    pub title: Option<String>,
    /// Company.
    pub company: Option<Option<EntityId>>,
    /// Contact.
    pub contact: Option<Option<EntityId>>,
    /// Value.
    pub value: Option<Option<Money>>,
    /// Stage.
    pub stage: Option<EntityId>,
    /// Expected close.
    pub expected_close: Option<Option<i64>>,
    /// Owner.
    pub owner: Option<Option<EntityId>>,
    /// Custom field values by definition id.
    pub custom: Vec<(EntityId, Value)>,
}

/// A total of deal values in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CurrencyTotal {
    /// Currency code.
    pub currency: String,
    /// Sum in minor units.
    pub minor: i64,
}

/// One column of the pipeline: a stage, its deals and totals per currency.
/// (JSON: the stage's id as `stage`, its `name` and `outcome` beside the
/// column's own fields.)
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PipelineColumn {
    /// The stage.
    pub stage: Stage,
    /// Number of deals.
    pub count: u64,
    /// Sum of deal values per currency.
    pub totals: Vec<CurrencyTotal>,
    /// The deals, most valuable first.
    pub deals: Vec<Deal>,
}

impl Serialize for PipelineColumn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("PipelineColumn", 6)?;
        m.serialize_field("stage", &self.stage.id)?;
        m.serialize_field("name", &self.stage.name)?;
        m.serialize_field("outcome", &self.stage.outcome)?;
        m.serialize_field("count", &self.count)?;
        m.serialize_field("totals", &self.totals)?;
        m.serialize_field("deals", &self.deals)?;
        m.end()
    }
}

/// The type of a custom field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FieldType {
    /// Free text (searchable).
    Text,
    /// A number.
    Number,
    /// A calendar date.
    Date,
    /// One of a list of choices.
    Choice,
    /// Yes or no.
    YesNo,
}

impl FieldType {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Choice => "choice",
            FieldType::YesNo => "yesno",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(s: &str) -> Option<FieldType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(FieldType::Text),
            "number" => Some(FieldType::Number),
            "date" => Some(FieldType::Date),
            "choice" => Some(FieldType::Choice),
            "yesno" | "yes/no" | "bool" | "boolean" => Some(FieldType::YesNo),
            _ => None,
        }
    }
}

/// A custom field definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldDef {
    /// Id (values are stored under it, so renaming keeps them).
    pub id: EntityId,
    /// Name shown to people.
    pub name: String,
    /// The kind it applies to (person, company or deal).
    pub target: String,
    /// Its type (JSON: `type`).
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// The choices, for choice fields.
    pub choices: Vec<String>,
    /// Display order.
    pub position: f64,
    /// The admin device whose record created it.
    pub created_by: DeviceId,
}

/// A custom field's value on an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomValue {
    /// The definition.
    pub field: FieldDef,
    /// The value.
    #[serde(serialize_with = "Value::serialize_plain")]
    pub value: Value,
}

/// Custom values as JSON: an object from field name to plain value.
fn custom_by_name<S: Serializer>(custom: &[CustomValue], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(custom.len()))?;
    for c in custom {
        m.serialize_entry(&c.field.name, &c.value.plain_json())?;
    }
    m.end()
}

/// What the database holds (for a status screen).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Stats {
    /// People (not in the trash).
    pub people: u64,
    /// Companies.
    pub companies: u64,
    /// Calls.
    pub calls: u64,
    /// Meetings.
    pub meetings: u64,
    /// Notes.
    pub notes: u64,
    /// Tasks.
    pub tasks: u64,
    /// Deals.
    pub deals: u64,
    /// Records in the log.
    pub records: u64,
    /// Records waiting for their author's admission or predecessor.
    pub pending: u64,
    /// Records kept apart (forks).
    pub quarantined: u64,
    /// Fields with concurrent values.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub conflicts: u64,
}

/// Paging and order of lists.
#[derive(Clone, Debug)]
pub struct Page {
    /// Skip this many.
    pub offset: usize,
    /// At most this many.
    pub limit: usize,
}

impl Page {
    /// The first `limit` items.
    pub fn first(limit: usize) -> Page {
        Page { offset: 0, limit }
    }
}

impl Default for Page {
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 50,
        }
    }
}

/// Order of people and company lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SortBy {
    /// By name, A to Z as the database's locale sorts (Č after C in Czech).
    #[default]
    Name,
    /// Most recently changed first.
    Updated,
}
