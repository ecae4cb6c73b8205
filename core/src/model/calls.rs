//! Log-a-call in one step, caller lookup, and numbers nobody has yet.

use serde::Serialize;

use super::fields::{opt_ref, opt_text};
use super::timeline::TimelineItem;
use super::types::{Activity, Company, Direction, Page, Person, TaskDraft};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::record::{EntityId, Labeled, Value};
use crate::search::{self, phone};

/// A call to log, as the phone reports it after hanging up.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallInput {
    /// The other side's number, in any common written form.
    pub number: String,
    /// When the call started (ms since epoch).
    pub start: i64,
    /// How long it lasted, in seconds.
    pub duration_s: i64,
    /// In, out or missed.
    pub direction: Direction,
    /// A note, if the user typed one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// How it went, if the user picked an outcome.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub outcome: Option<String>,
    /// The person to give the number to when no person has it yet (picked
    /// on the call sheet): it joins their phones, its waiting calls become
    /// theirs, and so does this one. Ignored when a person has the number.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub give_to: Option<EntityId>,
    /// A task to follow the call up, about the person the call is with.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub follow_up: Option<FollowUp>,
}

/// A task made with a logged call (the sheet's "call back in 3 days").
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FollowUp {
    /// What to do, in the user's words ("Call back Jan Novák").
    pub title: String,
    /// When it is due (ms since epoch).
    pub due: i64,
}

/// A call whose people and company are already known (a call log import,
/// generated data): stored as given, no lookup.
#[derive(Clone, Debug)]
pub struct CallRecord {
    /// The other side's number, in any common written form.
    pub number: String,
    /// When the call started (ms since epoch).
    pub start: i64,
    /// Length in seconds.
    pub duration_s: i64,
    /// In, out or missed.
    pub direction: Direction,
    /// A note.
    pub note: Option<String>,
    /// How it went.
    pub outcome: Option<String>,
    /// The people on the call.
    pub people: Vec<EntityId>,
    /// The company.
    pub company: Option<EntityId>,
}

/// What the app shows right after a call was logged.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LoggedCall {
    /// The call as stored.
    pub call: Activity,
    /// The person the number belongs to.
    pub person: Option<Person>,
    /// The company (the person's, or the number's if it is a company line).
    pub company: Option<Company>,
    /// The newest interactions with them (the call itself first).
    pub recent: Vec<TimelineItem>,
    /// The follow-up task made with it, if one was asked for.
    pub follow_up: Option<EntityId>,
}

/// Who has a phone number: people first, then companies.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallerMatch {
    /// People with the number.
    pub people: Vec<Person>,
    /// Companies with the number.
    pub companies: Vec<Company>,
}

/// A number that called (or was called) and belongs to nobody yet.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnknownNumber {
    /// The number (E.164).
    pub number: String,
    /// How many calls.
    pub calls: u64,
    /// The latest of them (ms since epoch).
    pub last: i64,
    /// The number as the apps show it (`Phone::display`): grouped the
    /// national way for the database's region, international otherwise.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub display: String,
}

/// How many interactions `log_call` returns.
const RECENT: usize = 10;

/// The label of a number given to someone from a call or the list of
/// numbers without a person.
const GIVEN_LABEL: &str = "mobile";

impl Crm {
    /// Who has this number: people first, then companies.
    pub fn lookup_number(&self, number: &str) -> Result<CallerMatch> {
        let found = search::lookup_number(&self.store, self.region, number)?;
        let mut m = CallerMatch::default();
        for (id, k) in found {
            match k.as_str() {
                kind::PERSON => m.people.extend(self.person(&id)?),
                kind::COMPANY => m.companies.extend(self.company(&id)?),
                _ => {}
            }
        }
        Ok(m)
    }

    /// Logs a call in one step: matches the number to a person (or a
    /// company line), stores the call linked to them — or, for a number
    /// nobody has, as an unknown-number call to attach later — and returns
    /// the person with their latest interactions. A number that cannot be
    /// read is an error and nothing is stored.
    pub fn log_call(&mut self, call: CallInput) -> Result<LoggedCall> {
        let number = phone::read(&call.number, self.region)?;
        if call.duration_s < 0 {
            return Err(Error::invalid(
                "duration_s",
                "a call cannot last less than nothing",
            ));
        }
        if let Some(f) = &call.follow_up
            && f.title.trim().is_empty()
        {
            return Err(Error::invalid(
                "follow_up",
                "a follow-up task needs a title",
            ));
        }
        // The number given, the call and its task: all or nothing.
        self.bulk(|crm| crm.log_call_in(call, number))
    }

    fn log_call_in(&mut self, call: CallInput, number: String) -> Result<LoggedCall> {
        let mut found = self.lookup_number(&number)?;
        if found.people.is_empty()
            && let Some(to) = call.give_to
        {
            self.attach_number(&number, to, GIVEN_LABEL)?;
            found = self.lookup_number(&number)?;
        }
        let CallerMatch { people, companies } = found;
        let person = people.into_iter().next();
        let company_id = match &person {
            Some(p) => p.company,
            None => companies.first().map(|c| c.id),
        };
        let people: Vec<EntityId> = person.iter().map(|p| p.id).collect();
        let f = call_fields(
            call.start,
            number,
            call.direction,
            call.duration_s,
            call.note,
            call.outcome,
            people,
            company_id,
        );
        let id = self.store.put(kind::CALL, None, f)?;
        let follow_up = match call.follow_up {
            Some(FollowUp { title, due }) => Some(self.create_task(TaskDraft {
                title: Some(title),
                due: Some(Some(due)),
                person: Some(person.as_ref().map(|p| p.id)),
                company: Some(if person.is_none() { company_id } else { None }),
                ..TaskDraft::default()
            })?),
            None => None,
        };
        let call = self
            .activity(&id)?
            .ok_or_else(|| Error::corrupt("the call just logged is missing"))?;
        let company = match company_id {
            Some(c) => self.company(&c)?,
            None => None,
        };
        let recent = match (&person, &company) {
            (Some(p), _) => self.timeline(
                &p.id,
                &Page {
                    offset: 0,
                    limit: RECENT,
                },
            )?,
            (None, Some(c)) => self.timeline(
                &c.id,
                &Page {
                    offset: 0,
                    limit: RECENT,
                },
            )?,
            (None, None) => Vec::new(),
        };
        Ok(LoggedCall {
            call,
            person,
            company,
            recent,
            follow_up,
        })
    }

    /// Whom a call with `number` is with, by name, as [`Crm::log_call`]
    /// will file it: the person who has the number, else `give_to` (the
    /// person it would be given to), else the company with it; `None` when
    /// nobody. What a call's follow-up task names ("Follow up with …", in
    /// each face's words).
    pub fn call_counterpart(
        &self,
        number: &str,
        give_to: Option<EntityId>,
    ) -> Result<Option<String>> {
        let found = self.lookup_number(number)?;
        if let Some(p) = found.people.into_iter().next() {
            return Ok(Some(p.display_name));
        }
        if let Some(p) = give_to.map(|id| self.person(&id)).transpose()?.flatten() {
            return Ok(Some(p.display_name));
        }
        Ok(found.companies.into_iter().next().and_then(|c| c.name))
    }

    /// Stores a call with the given links (no lookup). The number must be
    /// readable; an error stores nothing.
    pub fn record_call(&mut self, call: CallRecord) -> Result<EntityId> {
        let f = self.new_call(call)?;
        self.store.put(kind::CALL, None, f)
    }

    /// A recorded call's fields, checked as `record_call` checks them.
    pub(super) fn new_call(&self, call: CallRecord) -> Result<Vec<(String, Value)>> {
        let number = phone::read(&call.number, self.region)?;
        if call.duration_s < 0 {
            return Err(Error::invalid(
                "duration_s",
                "a call cannot last less than nothing",
            ));
        }
        self.check_links(&call.people, call.company)?;
        Ok(call_fields(
            call.start,
            number,
            call.direction,
            call.duration_s,
            call.note,
            call.outcome,
            call.people,
            call.company,
        ))
    }

    /// Numbers of calls linked to nobody, most recent first. Reads the
    /// unlinked calls newest first until the page's numbers are found, then
    /// counts each number's calls: the work follows the page, not the
    /// number of calls.
    pub fn unknown_numbers(&self, page: &Page) -> Result<Vec<UnknownNumber>> {
        let conn = self.store.conn();
        let wanted = page.offset.saturating_add(page.limit);
        let mut numbers: Vec<(String, i64)> = Vec::new();
        {
            let mut newest = conn.prepare_cached(
                "SELECT number, at FROM activities INDEXED BY activities_unlinked_by_time
                 WHERE linked = 0 AND deleted = 0 AND number IS NOT NULL ORDER BY at DESC",
            )?;
            let mut rows = newest.query([])?;
            let mut seen = std::collections::HashSet::new();
            while numbers.len() < wanted {
                let Some(row) = rows.next()? else { break };
                let number: String = row.get(0)?;
                if seen.insert(number.clone()) {
                    numbers.push((number, row.get(1)?));
                }
            }
        }
        let mut count = conn.prepare_cached(
            "SELECT count(*) FROM activities INDEXED BY activities_unlinked
             WHERE number = ?1 AND linked = 0 AND deleted = 0",
        )?;
        numbers
            .into_iter()
            .skip(page.offset)
            .map(|(number, last)| {
                let calls = count.query_row([&number], |r| r.get(0))?;
                Ok(UnknownNumber {
                    display: self.format_phone(&number),
                    number,
                    calls,
                    last,
                })
            })
            .collect()
    }

    /// Gives an unknown number to a person: adds it to their phones (as
    /// `label`) unless they have it, and links every call with that number
    /// that is linked to nobody to them. Returns how many calls were linked.
    pub fn attach_number(&mut self, number: &str, person: EntityId, label: &str) -> Result<usize> {
        let number = phone::read(number, self.region)?;
        let p = self.person(&person)?.ok_or_else(|| Error::NotFound {
            kind: "person".into(),
            id: person.to_string(),
        })?;
        if !p.phones.iter().any(|ph| ph.number == number) {
            let mut phones: Vec<Labeled> = p
                .phones
                .iter()
                .map(|ph| Labeled {
                    label: ph.label.as_str().into(),
                    value: ph.number.clone(),
                })
                .collect();
            phones.push(Labeled {
                label: super::types::PhoneLabel::parse(label).as_str().into(),
                value: number.clone(),
            });
            self.store.put(
                kind::PERSON,
                Some(person),
                vec![("phones".into(), Value::Labeled(phones))],
            )?;
        }
        self.link_waiting_calls(&number, person, p.company)
    }

    /// Links every call with `number` (E.164) that is linked to nobody to
    /// `person` (and their `company`); returns how many.
    pub(super) fn link_waiting_calls(
        &mut self,
        number: &str,
        person: EntityId,
        company: Option<EntityId>,
    ) -> Result<usize> {
        let calls: Vec<Vec<u8>> = {
            let mut stmt = self.store.conn().prepare_cached(
                "SELECT id FROM activities WHERE linked = 0 AND deleted = 0 AND number = ?1",
            )?;
            stmt.query_map([number], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for c in &calls {
            let id = EntityId::from_slice(c)?;
            self.link_activity(id, vec![person], company)?;
        }
        Ok(calls.len())
    }
}

/// The fields of a call entity (shared by `log_call` and `record_call`).
#[allow(clippy::too_many_arguments)]
fn call_fields(
    start: i64,
    number: String,
    direction: Direction,
    duration_s: i64,
    note: Option<String>,
    outcome: Option<String>,
    people: Vec<EntityId>,
    company: Option<EntityId>,
) -> Vec<(String, Value)> {
    let mut f = vec![
        ("at".to_string(), Value::Time(start)),
        ("number".to_string(), Value::Text(number)),
        (
            "direction".to_string(),
            Value::Text(direction.as_str().into()),
        ),
        ("duration".to_string(), Value::Int(duration_s)),
        ("note".to_string(), opt_text(note)),
        ("outcome".to_string(), opt_text(outcome)),
        ("company".to_string(), opt_ref(company)),
    ];
    if !people.is_empty() {
        f.push(("people".into(), Value::Refs(people)));
    }
    f
}
