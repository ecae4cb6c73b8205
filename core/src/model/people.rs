//! People: create, edit, read, list.

use rusqlite::{OptionalExtension, params};

use super::custom::{custom_values, validate_custom};
use super::fields::{Fields, opt_ref, opt_text};
use super::types::{Page, Person, PersonDraft, Phone, PhoneLabel, SortBy, display_name};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::record::{EntityId, Labeled, Value};
use crate::search::phone::{self, Region};
use crate::store::Entity;

impl Crm {
    /// Creates a person; at least a given or a family name is needed.
    pub fn create_person(&mut self, draft: PersonDraft) -> Result<EntityId> {
        let fields = self.new_person(draft)?;
        // One transaction: the person and the calls they take, or nothing.
        self.bulk(|c| {
            let id = c.store.put(kind::PERSON, None, fields)?;
            // A new person takes the calls waiting on their numbers (a caller
            // logged as unknown, then added): as `attach_number` would.
            if let Some(p) = c.person(&id)? {
                for ph in &p.phones {
                    c.link_waiting_calls(&ph.number, id, p.company)?;
                }
            }
            Ok(id)
        })
    }

    /// A new person's fields, checked as `create_person` checks them.
    pub(super) fn new_person(&self, draft: PersonDraft) -> Result<Vec<(String, Value)>> {
        let has_name = [&draft.given, &draft.family]
            .iter()
            .any(|n| n.as_deref().is_some_and(|s| !s.trim().is_empty()));
        if !has_name {
            return Err(Error::invalid(
                "name",
                "a person needs a given or a family name",
            ));
        }
        self.person_fields(draft, false)
    }

    /// Changes the fields of `draft` that are `Some` on a person.
    pub fn update_person(&mut self, id: EntityId, draft: PersonDraft) -> Result<()> {
        self.check_kind(&id, &[kind::PERSON])?;
        let fields = self.person_fields(draft, false)?;
        if !fields.is_empty() {
            self.store.put(kind::PERSON, Some(id), fields)?;
        }
        Ok(())
    }

    pub(crate) fn person_fields(
        &self,
        mut d: PersonDraft,
        lenient_phones: bool,
    ) -> Result<Vec<(String, Value)>> {
        let company = d.company.take();
        let custom = std::mem::take(&mut d.custom);
        let phones = match d.phones.take() {
            Some(v) => Some(phones_value(v, self.region, lenient_phones)?),
            None => None,
        };
        let mut f = plain_person_fields(d, phones)?;
        if let Some(v) = company {
            if let Some(c) = v {
                self.check_kind(&c, &[kind::COMPANY])?;
            }
            // Where it always was: after the names and the title.
            let at = f
                .iter()
                .take_while(|(n, _)| matches!(n.as_str(), "given" | "family" | "title"))
                .count();
            f.insert(at, ("company".into(), opt_ref(v)));
        }
        f.extend(validate_custom(self.store.conn(), kind::PERSON, custom)?);
        Ok(f)
    }

    /// One person, trashed or not.
    pub fn person(&self, id: &EntityId) -> Result<Option<Person>> {
        match self.store.get(id)? {
            Some(e) if e.kind == kind::PERSON => Ok(Some(self.read_person(&e)?)),
            _ => Ok(None),
        }
    }

    /// People not in the trash, by name or by last change.
    pub fn people(&self, sort: SortBy, page: &Page) -> Result<Vec<Person>> {
        let sql = match sort {
            SortBy::Name => {
                "SELECT id FROM people WHERE deleted = 0 ORDER BY sort_name, id LIMIT ?1 OFFSET ?2"
            }
            SortBy::Updated => {
                "SELECT id FROM people WHERE deleted = 0 ORDER BY updated DESC, id LIMIT ?1 OFFSET ?2"
            }
        };
        self.people_by(sql, params![page.limit as i64, page.offset as i64])
    }

    /// The people of a company (not in the trash), by name.
    pub fn company_people(&self, company: &EntityId) -> Result<Vec<Person>> {
        self.people_by(
            // INDEXED BY: the company's few people in name order, never a walk
            // of every person in name order (the planner's pick without
            // statistics).
            "SELECT id FROM people INDEXED BY people_by_company
             WHERE company = ?1 AND deleted = 0 ORDER BY sort_name, id",
            params![&company.0[..]],
        )
    }

    pub(crate) fn people_by(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        for id in self.ids(sql, args)? {
            out.extend(self.person(&id)?);
        }
        Ok(out)
    }

    pub(crate) fn read_person(&self, e: &Entity) -> Result<Person> {
        let s = &e.state;
        let company = s.reference("company");
        let conn = self.store.conn();
        let company_name = self.company_name(company.as_ref())?;
        let last_contact: Option<i64> = conn
            .prepare_cached("SELECT last_contact FROM people WHERE id = ?1")?
            .query_row([&e.id.0[..]], |r| r.get(0))
            .optional()?
            .flatten();
        let (given, family) = (s.text("given"), s.text("family"));
        Ok(Person {
            id: e.id,
            display_name: display_name(given.as_deref(), family.as_deref()),
            given,
            family,
            title: s.text("title"),
            company,
            company_name,
            phones: self.read_phones(s),
            emails: s.texts("emails"),
            address: s.text("address"),
            tags: s.texts("tags"),
            note: s.text("note"),
            custom: custom_values(conn, s)?,
            deleted: e.deleted,
            conflicts: s
                .conflicted_fields()
                .into_iter()
                .map(String::from)
                .collect(),
            last_contact,
        })
    }
}

impl Crm {
    /// The phone numbers of a person's or company's state, each with its
    /// shown form.
    pub(crate) fn read_phones(&self, s: &crate::merge::EntityState) -> Vec<Phone> {
        s.labeled("phones")
            .into_iter()
            .map(|l| Phone {
                label: PhoneLabel::parse(&l.label),
                display: self.phone_display.show(&l.value),
                number: l.value,
            })
            .collect()
    }
}

/// Phone numbers as stored: E.164. `lenient` keeps a number that cannot be
/// read as it was written (imports); otherwise it is an error.
pub(crate) fn phones_value(
    phones: Vec<(PhoneLabel, String)>,
    region: &Region,
    lenient: bool,
) -> Result<Value> {
    let read = phones.into_iter().map(|(label, number)| {
        let reading = if number.trim().is_empty() {
            Ok(String::new())
        } else {
            phone::normalize(&number, region)
        };
        (label, number, reading)
    });
    read_phones_value(read, lenient)
}

/// [`phones_value`] of numbers already read (`normalize`'s answer for
/// each): an import reads each number once, for its duplicate check too.
pub(crate) fn read_phones_value(
    phones: impl IntoIterator<Item = (PhoneLabel, String, Result<String>)>,
    lenient: bool,
) -> Result<Value> {
    let mut out: Vec<Labeled> = Vec::new();
    for (label, number, reading) in phones {
        if number.trim().is_empty() {
            continue;
        }
        let value = match reading {
            Ok(e164) => e164,
            Err(_) if lenient => number.trim().to_string(),
            Err(e) => return Err(e),
        };
        if !out.iter().any(|l| l.value == value) {
            out.push(Labeled {
                label: label.as_str().to_string(),
                value,
            });
        }
    }
    Ok(if out.is_empty() {
        Value::Null
    } else {
        Value::Labeled(out)
    })
}

/// The fields of a person draft that need no database, in the order
/// `person_fields` writes them: all but the company (checked to be one)
/// and the custom fields (checked against their definitions), which the
/// caller adds. `phones`: the draft's numbers as a value already.
pub(crate) fn plain_person_fields(
    d: PersonDraft,
    phones: Option<Value>,
) -> Result<Vec<(String, Value)>> {
    let mut f: Vec<(String, Value)> = Vec::new();
    for (name, v) in [("given", d.given), ("family", d.family), ("title", d.title)] {
        if let Some(v) = v {
            f.push((name.into(), opt_text(Some(v))));
        }
    }
    if let Some(v) = phones {
        f.push(("phones".into(), v));
    }
    if let Some(v) = d.emails {
        f.push(("emails".into(), emails_value(v)?));
    }
    if let Some(v) = d.address {
        f.push(("address".into(), opt_text(Some(v))));
    }
    if let Some(v) = d.tags {
        f.push(("tags".into(), texts_value(v)));
    }
    if let Some(v) = d.note {
        f.push(("note".into(), opt_text(Some(v))));
    }
    Ok(f)
}

pub(crate) fn emails_value(emails: Vec<String>) -> Result<Value> {
    let mut out: Vec<String> = Vec::new();
    for e in emails {
        let e = e.trim().to_string();
        if e.is_empty() {
            continue;
        }
        let ok = e.len() <= 254
            && !e.chars().any(char::is_whitespace)
            && e.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty());
        if !ok {
            return Err(Error::invalid(
                "emails",
                format!("{e:?} is not an email address"),
            ));
        }
        if !out.iter().any(|x| x.eq_ignore_ascii_case(&e)) {
            out.push(e);
        }
    }
    Ok(if out.is_empty() {
        Value::Null
    } else {
        Value::Texts(out)
    })
}

pub(crate) fn texts_value(items: Vec<String>) -> Value {
    let mut out: Vec<String> = Vec::new();
    for t in items {
        let t = t.trim().to_string();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        Value::Null
    } else {
        Value::Texts(out)
    }
}
