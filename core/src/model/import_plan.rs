//! Planning an import of people: which cards are duplicates, which
//! organisations become companies, what to create.
//!
//! A card is worked out in two steps. [`read_card`] does what needs no
//! database (its name, its numbers read with libphonenumber, its fields,
//! its organisation's sort key): a vCard import runs it on a second
//! thread while the people decided before are stored. [`Planner::decide`]
//! then checks the card against the database and the cards before it
//! (on the thread that writes) and adds what to create to the plan.

use std::collections::{HashMap, VecDeque};

use rusqlite::{Connection, OptionalExtension};

use super::collation::Collation;
use super::fields::opt_text;
use super::io::{Duplicate, ImportReport, label_of, split_name};
use super::kind;
use super::people::{plain_person_fields, read_phones_value};
use super::types::{PersonDraft, display_name};
use super::vcard::{Card, CardPhone};
use crate::error::{Error, Result};
use crate::record::{EntityId, Value};
use crate::search::phone::{self, Region};
use crate::store::{NewEntity, Prepared, Preparing};

/// A card as far as it can be worked out without the database.
pub(super) struct ReadCard {
    /// Where it is, for warnings ("card 3", "line 4").
    at: String,
    /// The person's shown name; empty for a card of an organisation only.
    name: String,
    /// The card's numbers read as E.164 (`None`: unreadable), in order.
    numbers: Vec<Option<String>>,
    /// Its phone numbers as written and its email addresses, all of them.
    phones: Vec<CardPhone>,
    emails: Vec<String>,
    /// The organisation's name and sort key.
    organization: Option<(String, Vec<u8>)>,
    /// The person's fields but the company (an error fails the import
    /// when the card's turn comes).
    fields: Result<Vec<(String, Value)>>,
    /// The id the person gets if the card is not a duplicate.
    id: EntityId,
    /// What the store's projections prepared for that person from
    /// `fields` (see [`NewEntity::ahead`]): the company the planner adds
    /// is not part of it, as the projection reads the company's name from
    /// the database.
    ahead: Vec<Option<Prepared>>,
}

/// Works out `card` (at `at`) as far as it can be without the database,
/// with what `preparing` (if given) prepares for the person it may create.
pub(super) fn read_card(
    card: Card,
    at: String,
    region: &Region,
    collation: &Collation,
    preparing: Option<&Preparing>,
) -> ReadCard {
    let (given, family) = match (&card.given, &card.family) {
        (None, None) => split_name(card.formatted_name.as_deref().unwrap_or("")),
        _ => (card.given.clone(), card.family.clone()),
    };
    let name = display_name(given.as_deref(), family.as_deref());
    let organization = card.organization.map(|org| {
        let key = collation.sort_key(&org);
        (org, key)
    });
    if name.is_empty() {
        return ReadCard {
            at,
            name,
            numbers: Vec::new(),
            phones: Vec::new(),
            emails: Vec::new(),
            organization,
            fields: Ok(Vec::new()),
            id: EntityId::new(),
            ahead: Vec::new(),
        };
    }
    let numbers: Vec<Option<String>> = card
        .phones
        .iter()
        .map(|p| phone::normalize(&p.number, region).ok())
        .collect();
    let phones = read_phones_value(
        card.phones.iter().zip(&numbers).map(|(p, reading)| {
            let reading = reading
                .clone()
                .ok_or_else(|| Error::invalid("phone", "not a number"));
            (label_of(p.kind), p.number.clone(), reading)
        }),
        true,
    );
    let draft = PersonDraft {
        given,
        family,
        title: card.title,
        // Set by the planner: a company of this import is not stored yet.
        company: None,
        phones: None,
        emails: Some(
            card.emails
                .iter()
                .filter(|e| e.contains('@'))
                .cloned()
                .collect(),
        ),
        address: card.address,
        tags: Some(card.categories),
        note: card.note,
        custom: Vec::new(),
    };
    let fields = phones.and_then(|p| plain_person_fields(draft, Some(p)));
    let id = EntityId::new();
    let ahead = match (preparing, &fields) {
        (Some(p), Ok(f)) => p.ahead(kind::PERSON, &id, f),
        _ => Vec::new(),
    };
    ReadCard {
        at,
        name,
        numbers,
        phones: card.phones,
        emails: card.emails,
        organization,
        fields,
        id,
        ahead,
    }
}

/// An import being planned: the people and companies to create, and
/// what earlier cards of the same file hold (a later card with the same
/// number or email is their duplicate; the same organisation, their
/// company).
pub(super) struct Planner {
    /// The region numbers without a country code are read in.
    region: &'static Region,
    /// E.164 number → the planned person who has it.
    phones: HashMap<String, EntityId>,
    /// Lowercased email → the planned person who has it.
    emails: HashMap<String, EntityId>,
    /// A company name's sort key → the company (here, or planned).
    companies: HashMap<Vec<u8>, EntityId>,
    /// Which tables held rows before the import: one that held none can
    /// only hold what this plan made (and its maps know), so it is not
    /// asked per card. A first import into a new database then asks the
    /// database nothing per card (a 100k-person vCard import: 200k index
    /// lookups fewer on the writing thread).
    here: Here,
    /// What to create, in order (a company before its people).
    pub(super) items: VecDeque<NewEntity>,
}

/// Whether the database held phone numbers, email addresses and companies
/// when the plan began.
#[derive(Clone, Copy, Debug)]
struct Here {
    phones: bool,
    emails: bool,
    companies: bool,
}

impl Planner {
    /// An empty plan for numbers of `region`, over the database as `conn`
    /// reads it now (before anything of the plan is stored).
    pub(super) fn new(region: &'static Region, conn: &Connection) -> Result<Self> {
        let any = |table: &str| -> Result<bool> {
            Ok(
                conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), [], |r| {
                    r.get(0)
                })?,
            )
        };
        Ok(Planner {
            region,
            phones: HashMap::new(),
            emails: HashMap::new(),
            companies: HashMap::new(),
            here: Here {
                phones: any("phones")?,
                emails: any("emails")?,
                companies: any("companies")?,
            },
            items: VecDeque::new(),
        })
    }

    /// Adds `card` to the plan, reading the database through `conn`: a
    /// duplicate is skipped, an organisation becomes a company.
    pub(super) fn decide(
        &mut self,
        conn: &Connection,
        card: ReadCard,
        report: &mut ImportReport,
    ) -> Result<()> {
        if card.name.is_empty() {
            // A card of an organisation only: make sure the company exists.
            if let Some((org, key)) = &card.organization {
                self.company(conn, org, key, report)?;
            }
            return Ok(());
        }
        if let Some((existing, by)) = self.duplicate(conn, &card)? {
            report.duplicates.push(Duplicate {
                name: card.name,
                existing,
                matched: by,
            });
            return Ok(());
        }
        let (at, name) = (&card.at, &card.name);
        for (CardPhone { number, .. }, e164) in card.phones.iter().zip(&card.numbers) {
            if e164.is_none() {
                report.warnings.push(format!("{at} ({name}): phone {number:?} kept as written; it cannot be read as a number in region {}", self.region.code()));
            }
        }
        let company = match &card.organization {
            Some((org, key)) => Some(self.company(conn, org, key, report)?),
            None => None,
        };
        for e in card.emails.iter().filter(|e| !e.contains('@')) {
            report.warnings.push(format!(
                "{at} ({name}): {e:?} is not an email address; left out"
            ));
        }
        let mut fields = card.fields?;
        if let Some(c) = company {
            // Where `person_fields` puts it: after the names and the title.
            let at = fields
                .iter()
                .take_while(|(n, _)| matches!(n.as_str(), "given" | "family" | "title"))
                .count();
            fields.insert(at, ("company".into(), Value::Ref(c)));
        }
        let id = card.id;
        for e164 in card.numbers.into_iter().flatten() {
            self.phones.entry(e164).or_insert(id);
        }
        for e in card.emails.iter().filter(|e| e.contains('@')) {
            self.emails.entry(e.to_lowercase()).or_insert(id);
        }
        self.items.push_back(NewEntity {
            kind: kind::PERSON.into(),
            id,
            fields,
            ahead: card.ahead,
        });
        report.created.push(id);
        Ok(())
    }

    /// The company named `name` (sort key `key`): one here, one of the
    /// plan, or a new one added to the plan.
    fn company(
        &mut self,
        conn: &Connection,
        name: &str,
        key: &[u8],
        report: &mut ImportReport,
    ) -> Result<EntityId> {
        if let Some(id) = self.companies.get(key) {
            return Ok(*id);
        }
        if self.here.companies
            && let Some(id) = company_by_key(conn, key)?
        {
            self.companies.insert(key.to_vec(), id);
            return Ok(id);
        }
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "a company needs a name"));
        }
        let id = EntityId::new();
        self.companies.insert(key.to_vec(), id);
        self.items.push_back(NewEntity::new(
            kind::COMPANY,
            id,
            vec![("name".into(), opt_text(Some(name.to_string())))],
        ));
        report.companies_created += 1;
        Ok(id)
    }

    /// The person here, or of an earlier card of the plan, who has one of
    /// the card's phone numbers or email addresses.
    fn duplicate(&self, conn: &Connection, card: &ReadCard) -> Result<Option<(EntityId, String)>> {
        // CROSS JOIN: the number or address first (a few rows), never every
        // person first (the planner's pick without statistics).
        for e164 in card.numbers.iter().flatten() {
            let found = match self.phones.get(e164) {
                Some(id) => Some(*id),
                None if !self.here.phones => None,
                None => live_person(
                    conn,
                    "SELECT p.entity FROM phones p CROSS JOIN entities e ON e.id = p.entity
                     WHERE p.number = ?1 AND e.kind = 'person' AND e.deleted = 0 LIMIT 1",
                    e164,
                )?,
            };
            if let Some(id) = found {
                return Ok(Some((id, format!("phone {e164}"))));
            }
        }
        for e in &card.emails {
            let lower = e.to_lowercase();
            let found = match self.emails.get(&lower) {
                Some(id) => Some(*id),
                None if !self.here.emails => None,
                None => live_person(
                    conn,
                    "SELECT m.entity FROM emails m CROSS JOIN entities e ON e.id = m.entity
                     WHERE m.email = ?1 AND e.kind = 'person' AND e.deleted = 0 LIMIT 1",
                    &lower,
                )?,
            };
            if let Some(id) = found {
                return Ok(Some((id, format!("email {e}"))));
            }
        }
        Ok(None)
    }
}

/// The live person that `sql` finds for `key` (a number or an address).
fn live_person(conn: &Connection, sql: &str, key: &str) -> Result<Option<EntityId>> {
    let hit: Option<Vec<u8>> = conn
        .prepare_cached(sql)?
        .query_row([key], |r| r.get(0))
        .optional()?;
    hit.map(|id| EntityId::from_slice(&id)).transpose()
}

/// The live company whose name sorts as `key` (the oldest, if several).
pub(super) fn company_by_key(conn: &Connection, key: &[u8]) -> Result<Option<EntityId>> {
    let id: Option<Vec<u8>> = conn
        .prepare_cached(
            "SELECT id FROM companies WHERE deleted = 0 AND sort_name = ?1 ORDER BY id LIMIT 1",
        )?
        .query_row([key], |r| r.get(0))
        .optional()?;
    id.map(|b| EntityId::from_slice(&b)).transpose()
}
