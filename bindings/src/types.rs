//! The records and enums the apps see: the core's data with ids as strings
//! (entity ids in UUID form, devices in their full base32 form plus the short
//! fingerprint), times as milliseconds since the Unix epoch (UTC).

use deko_core::model as m;
use deko_core::record::{EntityId, Labeled, Value};

use crate::convert;
use crate::error::{DekoError, Result};

/// Declares an FFI enum without data that mirrors a core enum one to one.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident <=> $core:path { $($(#[$vdoc:meta])* $v:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
        pub enum $name { $($(#[$vdoc])* $v),+ }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                use $core as C;
                match v { $(C::$v => $name::$v),+ }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                use $core as C;
                match v { $($name::$v => C::$v),+ }
            }
        }
    };
}

mirror_enum!(
    /// What a phone number is.
    PhoneLabel <=> m::PhoneLabel {
        /// A mobile phone.
        Mobile,
        /// A work line.
        Work,
        /// A home line.
        Home,
        /// Anything else.
        Other,
    }
);

mirror_enum!(
    /// Direction of a call.
    Direction <=> m::Direction {
        /// The customer called.
        In,
        /// We called.
        Out,
        /// A call we did not take.
        Missed,
    }
);

mirror_enum!(
    /// How a pipeline stage ends a deal.
    StageOutcome <=> m::StageOutcome {
        /// Still in progress.
        Open,
        /// Won.
        Won,
        /// Lost.
        Lost,
    }
);

mirror_enum!(
    /// The type of a custom field.
    FieldType <=> m::FieldType {
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
);

mirror_enum!(
    /// Order of people and company lists.
    SortBy <=> m::SortBy {
        /// By name, A to Z (diacritics folded).
        Name,
        /// Most recently changed first.
        Updated,
    }
);

mirror_enum!(
    /// Which tasks to list.
    TaskFilter <=> m::TaskFilter {
        /// Open tasks due before today (local time).
        Overdue,
        /// Open tasks due today (local time).
        DueToday,
        /// All open tasks, soonest due first (undated last).
        Open,
    }
);

mirror_enum!(
    /// What a timeline entry is.
    TimelineKind <=> m::TimelineKind {
        /// A call taken or made.
        Call,
        /// A missed call.
        Missed,
        /// A meeting.
        Meeting,
        /// A note.
        Note,
        /// A task (at its due time, or when it was made).
        Task,
        /// A deal (at its expected close, or when it was made).
        Deal,
    }
);

mirror_enum!(
    /// A device's role in the team.
    Role <=> deko_core::record::Role {
        /// May write data.
        Member,
        /// May also admit and revoke devices and define custom fields.
        Admin,
    }
);

/// A text with a label (a phone number labelled "mobile").
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct LabeledText {
    /// The label.
    pub label: String,
    /// The text.
    pub value: String,
}

/// A field's value, as stored (custom fields, conflicts, resolving them).
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum FieldValue {
    /// No value (a cleared field).
    Null,
    /// Yes or no.
    Bool { value: bool },
    /// A whole number.
    Int { value: i64 },
    /// A decimal number.
    Float { value: f64 },
    /// Text.
    Text { value: String },
    /// An instant (ms since the epoch, UTC).
    Time { ms: i64 },
    /// A calendar date (days since 1970-01-01).
    Date { days: i32 },
    /// A reference to another entity (its id).
    Ref { id: String },
    /// Money in minor units (cents) with an ISO 4217 currency.
    Money { minor: i64, currency: String },
    /// Several texts.
    Texts { values: Vec<String> },
    /// Several references.
    Refs { ids: Vec<String> },
    /// Several labelled texts (phone numbers).
    Labeled { values: Vec<LabeledText> },
}

impl From<Value> for FieldValue {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => FieldValue::Null,
            Value::Bool(value) => FieldValue::Bool { value },
            Value::Int(value) => FieldValue::Int { value },
            Value::Float(value) => FieldValue::Float { value },
            Value::Text(value) => FieldValue::Text { value },
            Value::Time(ms) => FieldValue::Time { ms },
            Value::Date(days) => FieldValue::Date { days },
            Value::Ref(id) => FieldValue::Ref { id: id.to_string() },
            Value::Money { minor, currency } => FieldValue::Money { minor, currency },
            Value::Texts(values) => FieldValue::Texts { values },
            Value::Refs(ids) => FieldValue::Refs { ids: strings(&ids) },
            Value::Labeled(values) => FieldValue::Labeled {
                values: values
                    .into_iter()
                    .map(|l| LabeledText {
                        label: l.label,
                        value: l.value,
                    })
                    .collect(),
            },
        }
    }
}

impl TryFrom<FieldValue> for Value {
    type Error = DekoError;
    fn try_from(v: FieldValue) -> Result<Value> {
        Ok(match v {
            FieldValue::Null => Value::Null,
            FieldValue::Bool { value } => Value::Bool(value),
            FieldValue::Int { value } => Value::Int(value),
            FieldValue::Float { value } => Value::Float(value),
            FieldValue::Text { value } => Value::Text(value),
            FieldValue::Time { ms } => Value::Time(ms),
            FieldValue::Date { days } => Value::Date(days),
            FieldValue::Ref { id } => Value::Ref(convert::id(&id)?),
            FieldValue::Money { minor, currency } => Value::Money { minor, currency },
            FieldValue::Texts { values } => Value::Texts(values),
            FieldValue::Refs { ids } => Value::Refs(convert::ids(&ids)?),
            FieldValue::Labeled { values } => Value::Labeled(
                values
                    .into_iter()
                    .map(|l| Labeled {
                        label: l.label,
                        value: l.value,
                    })
                    .collect(),
            ),
        })
    }
}

pub(crate) fn strings(ids: &[EntityId]) -> Vec<String> {
    ids.iter().map(|i| i.to_string()).collect()
}

fn opt_string(id: Option<EntityId>) -> Option<String> {
    id.map(|i| i.to_string())
}

/// A phone number with its label (E.164 where it could be read).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Phone {
    /// Mobile, work, home or other.
    pub label: PhoneLabel,
    /// The number.
    pub number: String,
}

impl From<m::Phone> for Phone {
    fn from(p: m::Phone) -> Self {
        Phone {
            label: p.label.into(),
            number: p.number,
        }
    }
}

fn phones_in(v: Option<Vec<Phone>>) -> Option<Vec<(m::PhoneLabel, String)>> {
    v.map(|v| v.into_iter().map(|p| (p.label.into(), p.number)).collect())
}

/// A custom field definition.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct FieldDef {
    /// Id (values are stored under it, so renaming keeps them).
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// What it applies to: "person", "company" or "deal".
    pub target: String,
    /// Its type.
    pub field_type: FieldType,
    /// The choices, for choice fields.
    pub choices: Vec<String>,
    /// Display order.
    pub position: f64,
    /// The admin device whose record created it (full id).
    pub created_by: String,
}

impl From<m::FieldDef> for FieldDef {
    fn from(d: m::FieldDef) -> Self {
        FieldDef {
            id: d.id.to_string(),
            name: d.name,
            target: d.target,
            field_type: d.field_type.into(),
            choices: d.choices,
            position: d.position,
            created_by: d.created_by.to_string(),
        }
    }
}

/// A custom field's value on a person, company or deal.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CustomValue {
    /// The definition.
    pub field: FieldDef,
    /// The value.
    pub value: FieldValue,
}

impl From<m::CustomValue> for CustomValue {
    fn from(c: m::CustomValue) -> Self {
        CustomValue {
            field: c.field.into(),
            value: c.value.into(),
        }
    }
}

fn customs(v: Vec<m::CustomValue>) -> Vec<CustomValue> {
    v.into_iter().map(Into::into).collect()
}

/// A custom field value to write: the definition's id and the value
/// ([`FieldValue::Null`] clears it).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CustomInput {
    /// The definition's id.
    pub field: String,
    /// The value.
    pub value: FieldValue,
}

fn custom_in(v: Vec<CustomInput>) -> Result<Vec<(EntityId, Value)>> {
    v.into_iter()
        .map(|c| Ok((convert::id(&c.field)?, c.value.try_into()?)))
        .collect()
}

/// A person (contact).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Person {
    /// Id.
    pub id: String,
    /// "Given Family", or whatever part exists.
    pub display_name: String,
    /// Given name.
    pub given: Option<String>,
    /// Family name.
    pub family: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// The company the person works for.
    pub company: Option<String>,
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
    /// Custom field values.
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values (see `Database.conflicts`).
    pub conflicts: Vec<String>,
    /// Latest call or meeting with this person (ms).
    pub last_contact: Option<i64>,
}

impl From<m::Person> for Person {
    fn from(p: m::Person) -> Self {
        Person {
            id: p.id.to_string(),
            display_name: p.display_name(),
            given: p.given,
            family: p.family,
            title: p.title,
            company: opt_string(p.company),
            company_name: p.company_name,
            phones: p.phones.into_iter().map(Into::into).collect(),
            emails: p.emails,
            address: p.address,
            tags: p.tags,
            note: p.note,
            custom: customs(p.custom),
            deleted: p.deleted,
            conflicts: p.conflicts,
            last_contact: p.last_contact,
        }
    }
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
    type Error = DekoError;
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

/// A company (account).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Company {
    /// Id.
    pub id: String,
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
    /// Custom field values.
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values.
    pub conflicts: Vec<String>,
}

impl From<m::Company> for Company {
    fn from(c: m::Company) -> Self {
        Company {
            id: c.id.to_string(),
            name: c.name,
            phones: c.phones.into_iter().map(Into::into).collect(),
            emails: c.emails,
            website: c.website,
            address: c.address,
            industry: c.industry,
            note: c.note,
            custom: customs(c.custom),
            deleted: c.deleted,
            conflicts: c.conflicts,
        }
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
    type Error = DekoError;
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

/// What kind of activity, with its own fields.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum ActivityKind {
    /// A phone call.
    Call {
        direction: Direction,
        number: Option<String>,
        duration_s: i64,
        outcome: Option<String>,
    },
    /// A meeting (end in ms).
    Meeting {
        end: Option<i64>,
        place: Option<String>,
    },
    /// A note.
    Note,
}

/// A call, meeting or note.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Activity {
    /// Id.
    pub id: String,
    /// Call, meeting or note, with its own fields.
    pub kind: ActivityKind,
    /// When it happened (start, ms).
    pub at: i64,
    /// The people it concerns.
    pub people: Vec<String>,
    /// The company it concerns.
    pub company: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// The device that wrote it (base32).
    pub device: Option<String>,
    /// The salesperson owning that device.
    pub by: Option<String>,
    /// In the trash.
    pub deleted: bool,
}

impl From<m::Activity> for Activity {
    fn from(a: m::Activity) -> Self {
        Activity {
            id: a.id.to_string(),
            kind: match a.kind {
                m::ActivityKind::Call {
                    direction,
                    number,
                    duration_s,
                    outcome,
                } => ActivityKind::Call {
                    direction: direction.into(),
                    number,
                    duration_s,
                    outcome,
                },
                m::ActivityKind::Meeting { end, place } => ActivityKind::Meeting { end, place },
                m::ActivityKind::Note => ActivityKind::Note,
            },
            at: a.at,
            people: strings(&a.people),
            company: opt_string(a.company),
            note: a.note,
            device: a.device.map(|d| d.to_string()),
            by: a.by,
            deleted: a.deleted,
        }
    }
}

/// A call to log, as the phone reports it after hanging up.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CallInput {
    /// The other side's number, in any common written form.
    pub number: String,
    /// When the call started (ms).
    pub start: i64,
    /// How long it lasted, in seconds.
    pub duration_s: i64,
    /// In, out or missed.
    pub direction: Direction,
    /// A note, if the user typed one.
    #[uniffi(default)]
    pub note: Option<String>,
    /// How it went, if the user picked an outcome.
    #[uniffi(default)]
    pub outcome: Option<String>,
}

impl From<CallInput> for m::CallInput {
    fn from(c: CallInput) -> Self {
        m::CallInput {
            number: c.number,
            start: c.start,
            duration_s: c.duration_s,
            direction: c.direction.into(),
            note: c.note,
            outcome: c.outcome,
        }
    }
}

/// One entry of a timeline.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct TimelineItem {
    /// The activity, task or deal.
    pub id: String,
    /// What it is.
    pub kind: TimelineKind,
    /// When (ms).
    pub at: i64,
    /// A one-line summary.
    pub summary: String,
}

impl From<m::TimelineItem> for TimelineItem {
    fn from(t: m::TimelineItem) -> Self {
        TimelineItem {
            id: t.id.to_string(),
            kind: t.kind.into(),
            at: t.at,
            summary: t.summary,
        }
    }
}

/// What the app shows right after a call was logged.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct LoggedCall {
    /// The call as stored.
    pub call: Activity,
    /// The person the number belongs to.
    pub person: Option<Person>,
    /// The company (the person's, or the number's if it is a company line).
    pub company: Option<Company>,
    /// The newest interactions with them (the call itself first).
    pub recent: Vec<TimelineItem>,
}

impl From<m::LoggedCall> for LoggedCall {
    fn from(l: m::LoggedCall) -> Self {
        LoggedCall {
            call: l.call.into(),
            person: l.person.map(Into::into),
            company: l.company.map(Into::into),
            recent: l.recent.into_iter().map(Into::into).collect(),
        }
    }
}

/// Who has a phone number: people first, then companies.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CallerMatch {
    /// People with the number.
    pub people: Vec<Person>,
    /// Companies with the number.
    pub companies: Vec<Company>,
}

/// A number that called (or was called) and belongs to nobody yet.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct UnknownNumber {
    /// The number (E.164).
    pub number: String,
    /// How many calls.
    pub calls: u64,
    /// The latest of them (ms).
    pub last: i64,
}

impl From<m::UnknownNumber> for UnknownNumber {
    fn from(u: m::UnknownNumber) -> Self {
        UnknownNumber {
            number: u.number,
            calls: u.calls,
            last: u.last,
        }
    }
}

/// A meeting to record.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct MeetingInput {
    /// Start (ms).
    pub start: i64,
    /// End (ms).
    #[uniffi(default)]
    pub end: Option<i64>,
    /// Where.
    #[uniffi(default)]
    pub place: Option<String>,
    /// Who took part (person ids).
    #[uniffi(default)]
    pub attendees: Vec<String>,
    /// The company it concerned.
    #[uniffi(default)]
    pub company: Option<String>,
    /// Free note.
    #[uniffi(default)]
    pub note: Option<String>,
}

impl TryFrom<MeetingInput> for m::MeetingInput {
    type Error = DekoError;
    fn try_from(i: MeetingInput) -> Result<Self> {
        Ok(m::MeetingInput {
            start: i.start,
            end: i.end,
            place: i.place,
            attendees: convert::ids(&i.attendees)?,
            company: convert::opt_id(i.company.as_deref())?,
            note: i.note,
        })
    }
}

/// A note to record.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct NoteInput {
    /// When (ms).
    pub at: i64,
    /// The text.
    pub text: String,
    /// About whom (person ids).
    #[uniffi(default)]
    pub people: Vec<String>,
    /// About which company.
    #[uniffi(default)]
    pub company: Option<String>,
}

impl TryFrom<NoteInput> for m::NoteInput {
    type Error = DekoError;
    fn try_from(i: NoteInput) -> Result<Self> {
        Ok(m::NoteInput {
            at: i.at,
            people: convert::ids(&i.people)?,
            company: convert::opt_id(i.company.as_deref())?,
            text: i.text,
        })
    }
}

/// A task.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Task {
    /// Id.
    pub id: String,
    /// What to do.
    pub title: String,
    /// When it is due (ms).
    pub due: Option<i64>,
    /// Done.
    pub done: bool,
    /// Who should do it (a salesperson's person id from the roster).
    pub assignee: Option<String>,
    /// About whom.
    pub person: Option<String>,
    /// About which company.
    pub company: Option<String>,
    /// About which deal.
    pub deal: Option<String>,
    /// In the trash.
    pub deleted: bool,
}

impl From<m::Task> for Task {
    fn from(t: m::Task) -> Self {
        Task {
            id: t.id.to_string(),
            title: t.title,
            due: t.due,
            done: t.done,
            assignee: opt_string(t.assignee),
            person: opt_string(t.person),
            company: opt_string(t.company),
            deal: opt_string(t.deal),
            deleted: t.deleted,
        }
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

fn time_change(value: Option<i64>, clear: bool) -> Option<Option<i64>> {
    if clear { Some(None) } else { value.map(Some) }
}

impl TryFrom<TaskDraft> for m::TaskDraft {
    type Error = DekoError;
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

/// An amount of money: minor units (cents) and an ISO 4217 currency.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Money {
    /// Minor units.
    pub minor: i64,
    /// Currency code.
    pub currency: String,
}

/// A pipeline stage.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Stage {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Order in the pipeline (ascending).
    pub position: f64,
    /// Open, won or lost.
    pub outcome: StageOutcome,
}

impl From<m::Stage> for Stage {
    fn from(s: m::Stage) -> Self {
        Stage {
            id: s.id.to_string(),
            name: s.name,
            position: s.position,
            outcome: s.outcome.into(),
        }
    }
}

/// A deal.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Deal {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The customer company.
    pub company: Option<String>,
    /// The contact person.
    pub contact: Option<String>,
    /// Value.
    pub value: Option<Money>,
    /// Pipeline stage.
    pub stage: Option<String>,
    /// Expected close (ms).
    pub expected_close: Option<i64>,
    /// Owner (a roster person id).
    pub owner: Option<String>,
    /// Custom field values.
    pub custom: Vec<CustomValue>,
    /// In the trash.
    pub deleted: bool,
    /// Fields with concurrent values.
    pub conflicts: Vec<String>,
}

impl From<m::Deal> for Deal {
    fn from(d: m::Deal) -> Self {
        Deal {
            id: d.id.to_string(),
            title: d.title,
            company: opt_string(d.company),
            contact: opt_string(d.contact),
            value: d.value.map(|(minor, currency)| Money { minor, currency }),
            stage: opt_string(d.stage),
            expected_close: d.expected_close,
            owner: opt_string(d.owner),
            custom: customs(d.custom),
            deleted: d.deleted,
            conflicts: d.conflicts,
        }
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
    type Error = DekoError;
    fn try_from(d: DealDraft) -> Result<Self> {
        let value = if d.clear_value {
            Some(None)
        } else {
            d.value.map(|v| Some((v.minor, v.currency)))
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

/// A total of deal values in one currency.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CurrencyTotal {
    /// Currency code.
    pub currency: String,
    /// Sum in minor units.
    pub minor: i64,
}

/// One column of the pipeline: a stage, its deals and totals per currency.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
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

impl From<m::PipelineColumn> for PipelineColumn {
    fn from(c: m::PipelineColumn) -> Self {
        PipelineColumn {
            stage: c.stage.into(),
            count: c.count,
            totals: c
                .totals
                .into_iter()
                .map(|(currency, minor)| CurrencyTotal { currency, minor })
                .collect(),
            deals: c.deals.into_iter().map(Into::into).collect(),
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SearchHit {
    /// The entity found.
    pub id: String,
    /// Its kind (person, company, call, meeting, note, task, deal).
    pub kind: String,
    /// Its name or title ("" for activities).
    pub name: String,
    /// The matching text, matches in `[` `]`.
    pub snippet: String,
    /// Rank (lower is better; 0 for activity notes).
    pub rank: f64,
}

impl From<deko_core::search::SearchHit> for SearchHit {
    fn from(h: deko_core::search::SearchHit) -> Self {
        SearchHit {
            id: h.id.to_string(),
            kind: h.kind,
            name: h.name,
            snippet: h.snippet,
            rank: h.rank,
        }
    }
}

/// One of a conflict's concurrent values.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ConflictValue {
    /// The value.
    pub value: FieldValue,
    /// The device that wrote it (base32).
    pub author: String,
    /// That device's short fingerprint.
    pub author_fingerprint: String,
    /// The record's sequence number in the author's log.
    pub seq: u64,
    /// When it was written (ms).
    pub written_at: i64,
}

/// A field in conflict with every concurrent value (the shown winner first).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Conflict {
    /// The entity.
    pub entity: String,
    /// Its kind.
    pub kind: String,
    /// The field (`_deleted` for a delete against an edit).
    pub field: String,
    /// The values.
    pub values: Vec<ConflictValue>,
}

impl From<deko_core::store::Conflict> for Conflict {
    fn from(c: deko_core::store::Conflict) -> Self {
        Conflict {
            entity: c.entity.to_string(),
            kind: c.kind,
            field: c.field,
            values: c
                .values
                .into_iter()
                .map(|v| ConflictValue {
                    value: v.value.into(),
                    author: v.author.to_string(),
                    author_fingerprint: v.author.fingerprint(),
                    seq: v.version.seq,
                    written_at: v.hlc.millis() as i64,
                })
                .collect(),
        }
    }
}

/// An entity in the trash.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct TrashItem {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// When it last changed (ms).
    pub updated: i64,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ImportReport {
    /// Entities created.
    pub created: Vec<String>,
    /// Companies created for the people's organisations.
    pub companies_created: u64,
    /// Cards skipped because the person is already here.
    pub duplicates: Vec<Duplicate>,
    /// Things kept as they were (e.g. an unreadable phone number).
    pub warnings: Vec<String>,
}

/// A card skipped on import because the person is already here.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Duplicate {
    /// The card's name.
    pub name: String,
    /// The person already here.
    pub existing: String,
    /// What matched (phone, email, name).
    pub matched: String,
}

impl From<m::ImportReport> for ImportReport {
    fn from(r: m::ImportReport) -> Self {
        ImportReport {
            created: strings(&r.created),
            companies_created: r.companies_created as u64,
            duplicates: r
                .duplicates
                .into_iter()
                .map(|(name, id, matched)| Duplicate {
                    name,
                    existing: id.to_string(),
                    matched,
                })
                .collect(),
            warnings: r.warnings,
        }
    }
}

/// The team this database belongs to.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TeamInfo {
    /// Team id (hex).
    pub id: String,
    /// The company's name.
    pub name: String,
    /// The founding device (base32).
    pub founder: String,
}

/// One device of the roster.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Device {
    /// The device (base32 key).
    pub device: String,
    /// Its short fingerprint (`K3F9-2XQ7`), to compare by eye.
    pub fingerprint: String,
    /// The person owning it.
    pub person_id: String,
    /// That person's name.
    pub person_name: String,
    /// Member or admin.
    pub role: Role,
    /// Who admitted it (`null` for the founder).
    pub admitted_by: Option<String>,
    /// If revoked: its last valid record.
    pub revoked_after: Option<u64>,
    /// This is the device the database runs on.
    pub is_this_device: bool,
}

/// Counters of a sync session.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncStats {
    /// Records the peer lacked.
    pub to_send: u64,
    /// Records we lacked.
    pub to_receive: u64,
    /// Records sent.
    pub sent: u64,
    /// Records received.
    pub received: u64,
    /// Of those, applied.
    pub applied: u64,
    /// Of those, kept but left out of the data by the team's roster (their
    /// author was revoked before them, or they needed an admin). Not
    /// refusals.
    pub excluded: u64,
    /// Of those, refused (for any reason).
    pub refused: u64,
    /// Of those, already held.
    pub duplicates: u64,
    /// Records waiting here after the last batch.
    pub pending: u64,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
    /// The first refused records (at most 100), each with its reason.
    pub refusals: Vec<RecordRefusal>,
    /// How many records were refused for each reason (all of them).
    pub refused_by_reason: Vec<RefusalCount>,
}

impl From<deko_core::sync::SessionStats> for SyncStats {
    fn from(s: deko_core::sync::SessionStats) -> Self {
        SyncStats {
            to_send: s.to_send,
            to_receive: s.to_receive,
            sent: s.sent,
            received: s.received,
            applied: s.applied,
            excluded: s.excluded,
            refused: s.refused,
            duplicates: s.duplicates,
            pending: s.pending,
            bytes_sent: s.bytes_sent,
            bytes_received: s.bytes_received,
            refused_by_reason: s
                .refusals
                .by_reason
                .iter()
                .map(|(reason, count)| RefusalCount {
                    reason: (*reason).into(),
                    count: *count,
                })
                .collect(),
            refusals: s.refusals.records.into_iter().map(Into::into).collect(),
        }
    }
}

/// Why a record from a peer was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum RefusalReason {
    /// Not a record of this format (truncated, too large, unknown envelope).
    Malformed,
    /// The signature does not match the record and its author.
    BadSignature,
    /// A record of another team.
    WrongTeam,
    /// It does not follow its author's previous record.
    BrokenChain,
    /// Its timestamp lies before its author's previous record's.
    Backdated,
    /// A team record every device refuses (self-revocation, revoking the
    /// genesis).
    InvalidTeamRecord,
    /// A genesis that does not found this team.
    InvalidGenesis,
    /// A body that cannot be read or breaks the data rules.
    InvalidContent,
    /// Too many records wait here already; it comes again at a later sync
    /// (not a failure).
    ComesAgainLater,
}

impl From<deko_core::sync::RefusalReason> for RefusalReason {
    fn from(r: deko_core::sync::RefusalReason) -> Self {
        use deko_core::sync::RefusalReason as R;
        match r {
            R::Malformed => RefusalReason::Malformed,
            R::BadSignature => RefusalReason::BadSignature,
            R::WrongTeam => RefusalReason::WrongTeam,
            R::BrokenChain => RefusalReason::BrokenChain,
            R::Backdated => RefusalReason::Backdated,
            R::InvalidTeamRecord => RefusalReason::InvalidTeamRecord,
            R::InvalidGenesis => RefusalReason::InvalidGenesis,
            R::InvalidContent => RefusalReason::InvalidContent,
            R::ComesAgainLater => RefusalReason::ComesAgainLater,
        }
    }
}

/// One record from a peer that this device refused.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct RecordRefusal {
    /// Its author (base32 device key), if its bytes could be read that far.
    pub author: Option<String>,
    /// Its number in the author's chain, if readable.
    pub seq: Option<u64>,
    /// Why, in short.
    pub reason: RefusalReason,
    /// The core's full sentence.
    pub detail: String,
}

impl From<deko_core::sync::RecordRefusal> for RecordRefusal {
    fn from(r: deko_core::sync::RecordRefusal) -> Self {
        RecordRefusal {
            author: r.author.map(|a| a.to_string()),
            seq: r.seq,
            reason: r.reason.into(),
            detail: r.detail,
        }
    }
}

/// How many records were refused for one reason.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct RefusalCount {
    /// The reason.
    pub reason: RefusalReason,
    /// How many.
    pub count: u64,
}

/// What the database holds (for a status screen).
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
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
    /// Records kept apart (forks, past a revocation).
    pub quarantined: u64,
}

/// A one-time invite to put in a ticket (admins only).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct InviteOptions {
    /// The role the new device gets.
    pub role: Role,
    /// How long the invite is valid, in seconds.
    pub ttl_s: u64,
}
