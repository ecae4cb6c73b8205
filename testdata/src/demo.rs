//! Loads a generated [`Dataset`] into a CRM
//! database through the model's own public API, for tests, benchmarks and
//! `deko demo`.

use deko_core::Result;
use deko_core::model::{
    CallRecord, CompanyDraft, Crm, DealDraft, Direction, MeetingInput, Money, NewItem, NoteInput,
    PersonDraft, PhoneLabel, TaskDraft,
};
use deko_core::record::EntityId;
use deko_core::search::phone::{self, Region};

use crate::generate::{
    CallDirection, Dataset, GenActivity, GenActivityKind, PhoneLabel as GenLabel,
};

/// The ids given to the generated data, by the generator's indexes.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Companies.
    pub companies: Vec<EntityId>,
    /// People.
    pub people: Vec<EntityId>,
    /// Deals.
    pub deals: Vec<EntityId>,
    /// Activities.
    pub activities: Vec<EntityId>,
    /// Tasks.
    pub tasks: Vec<EntityId>,
}

/// Items per batch (one transaction each) while loading: large enough
/// for bulk speed, small enough to keep memory flat.
const CHUNK: usize = 50_000;

/// Loads everything: companies, people, deals, activities, tasks. Phone
/// numbers are read in their owner's country, as an address book would.
pub fn load(crm: &mut Crm, data: &Dataset) -> Result<Loaded> {
    load_with_progress(crm, data, &mut |_, _| {})
}

/// [`load`], telling `progress` (done, total) as entities are stored.
pub fn load_with_progress(
    crm: &mut Crm,
    data: &Dataset,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Loaded> {
    let total = data.companies.len()
        + data.people.len()
        + data.deals.len()
        + data.activities.len()
        + data.tasks.len();
    let mut done = 0;
    let mut ids = Loaded::default();
    let mut batch = |crm: &mut Crm, items: Vec<NewItem>, out: &mut Vec<EntityId>| -> Result<()> {
        let base = done;
        let made = crm.create_batch(items, &mut |n| progress(base + n, total))?;
        done += made.len();
        out.extend(made);
        Ok(())
    };
    for chunk in data.companies.chunks(CHUNK) {
        let items = chunk
            .iter()
            .map(|c| {
                NewItem::Company(CompanyDraft {
                    name: Some(c.name.clone()),
                    phones: Some(numbers(&c.phones, c.country)),
                    emails: Some(c.emails.clone()),
                    website: c.website.clone(),
                    address: c.address.clone(),
                    industry: Some(c.industry.clone()),
                    note: c.note.clone(),
                    custom: Vec::new(),
                })
            })
            .collect();
        batch(crm, items, &mut ids.companies)?;
    }
    for chunk in data.people.chunks(CHUNK) {
        let items = chunk
            .iter()
            .map(|p| {
                NewItem::Person(PersonDraft {
                    given: Some(p.given.clone()),
                    family: Some(p.family.clone()),
                    title: p.title.clone(),
                    company: Some(p.company.map(|i| ids.companies[i])),
                    phones: Some(numbers(&p.phones, p.country)),
                    emails: Some(p.emails.clone()),
                    address: p.address.clone(),
                    tags: Some(p.tags.clone()),
                    note: p.note.clone(),
                    custom: Vec::new(),
                })
            })
            .collect();
        batch(crm, items, &mut ids.people)?;
    }
    let stages = crm.stages()?;
    for chunk in data.deals.chunks(CHUNK) {
        let items = chunk
            .iter()
            .map(|d| {
                NewItem::Deal(DealDraft {
                    title: Some(d.title.clone()),
                    company: Some(d.company.map(|i| ids.companies[i])),
                    contact: Some(d.contact.map(|i| ids.people[i])),
                    value: Some(Some(Money {
                        minor: d.value_minor,
                        currency: d.currency.to_string(),
                    })),
                    stage: stages.iter().find(|s| s.name == d.stage).map(|s| s.id),
                    expected_close: Some(d.expected_close_ms),
                    owner: None,
                    custom: Vec::new(),
                })
            })
            .collect();
        batch(crm, items, &mut ids.deals)?;
    }
    for chunk in data.activities.chunks(CHUNK) {
        let items = chunk.iter().map(|a| activity(data, &ids, a)).collect();
        batch(crm, items, &mut ids.activities)?;
    }
    for chunk in data.tasks.chunks(CHUNK) {
        let items = chunk
            .iter()
            .map(|t| {
                NewItem::Task(TaskDraft {
                    title: Some(t.title.clone()),
                    due: Some(t.due_ms),
                    done: Some(t.done),
                    assignee: None,
                    person: Some(t.person.map(|i| ids.people[i])),
                    company: Some(t.company.map(|i| ids.companies[i])),
                    deal: Some(t.deal.map(|i| ids.deals[i])),
                })
            })
            .collect();
        batch(crm, items, &mut ids.tasks)?;
    }
    Ok(ids)
}

/// A generated activity as the call, meeting or note to create.
fn activity(data: &Dataset, ids: &Loaded, a: &GenActivity) -> NewItem {
    let people: Vec<EntityId> = a.person.map(|i| ids.people[i]).into_iter().collect();
    let company = a.company.map(|i| ids.companies[i]);
    match &a.kind {
        GenActivityKind::Call {
            direction,
            number,
            duration_s,
            outcome,
        } => NewItem::Call(CallRecord {
            number: {
                let country = a
                    .person
                    .map(|i| data.people[i].country)
                    .or(a.company.map(|i| data.companies[i].country));
                country
                    .and_then(Region::by_code)
                    .and_then(|r| phone::normalize(number, r).ok())
                    .unwrap_or_else(|| number.clone())
            },
            start: a.at_ms,
            duration_s: i64::from(*duration_s),
            direction: match direction {
                CallDirection::In => Direction::In,
                CallDirection::Out => Direction::Out,
                CallDirection::Missed => Direction::Missed,
            },
            note: a.note.clone(),
            outcome: outcome.clone(),
            people,
            company,
        }),
        GenActivityKind::Meeting {
            end_ms,
            place,
            attendees,
        } => {
            let mut all = people;
            all.extend(attendees.iter().map(|i| ids.people[*i]));
            all.dedup();
            NewItem::Meeting(MeetingInput {
                start: a.at_ms,
                end: Some(*end_ms),
                place: place.clone(),
                attendees: all,
                company,
                note: a.note.clone(),
            })
        }
        GenActivityKind::Note => NewItem::Note(NoteInput {
            at: a.at_ms,
            people,
            company,
            text: a.note.clone().unwrap_or_else(|| "—".into()),
        }),
    }
}

/// Numbers as their owner's address book would store them: read in the
/// owner's country, E.164 where possible.
fn numbers(phones: &[(GenLabel, String)], country: &str) -> Vec<(PhoneLabel, String)> {
    let region = Region::by_code(country);
    phones
        .iter()
        .map(|(label, n)| {
            let n = region
                .and_then(|r| phone::normalize(n, r).ok())
                .unwrap_or_else(|| n.clone());
            (label_of(*label), n)
        })
        .collect()
}

fn label_of(l: GenLabel) -> PhoneLabel {
    match l {
        GenLabel::Mobile => PhoneLabel::Mobile,
        GenLabel::Work => PhoneLabel::Work,
        GenLabel::Home => PhoneLabel::Home,
        GenLabel::Other => PhoneLabel::Other,
    }
}
