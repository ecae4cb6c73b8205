//! Import and export: vCard 2.1/3/4 import of people with duplicate
//! detection by phone and email; export of people as vCard, of people and
//! companies as CSV, and of everything as JSON (which imports back).

use serde::Serialize;
use serde_json::{Value as Json, json};

use super::types::{CompanyDraft, Page, PersonDraft, PhoneLabel, SortBy};
use super::vcard::{self, Card, CardPhone, PhoneKind};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::merge::DELETED;
use crate::record::{EntityId, Value};
use crate::search::phone;
use crate::store::{ListOptions, NewEntity};
use std::collections::HashMap;

#[allow(unused_imports)]
use super::fields::Fields as _;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    /// People (or entities, for JSON; companies, for a CSV file of them) created.
    pub created: Vec<EntityId>,
    /// Companies created for the people's organisations.
    pub companies_created: u64,
    /// Cards skipped because the person is already here.
    pub duplicates: Vec<Duplicate>,
    /// Things kept as they were (e.g. a phone number that cannot be read).
    pub warnings: Vec<String>,
}

/// How far an import is, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// Cards (or rows) read and checked for duplicates, of all.
    Read {
        /// Read so far.
        done: usize,
        /// In all.
        total: usize,
    },
    /// New people and companies stored, of all to store.
    Stored {
        /// Stored so far.
        done: usize,
        /// In all.
        total: usize,
    },
}

/// An import being planned: the people and companies to create, and
/// what earlier cards of the same file hold (a later card with the same
/// number or email is their duplicate; the same organisation, their
/// company).
#[derive(Default)]
pub(super) struct ImportPlan {
    /// E.164 number → the planned person who has it.
    phones: HashMap<String, EntityId>,
    /// Lowercased email → the planned person who has it.
    emails: HashMap<String, EntityId>,
    /// A company name's sort key → the company (here, or planned).
    companies: HashMap<Vec<u8>, EntityId>,
    /// What to create, in order (a company before its people).
    items: Vec<NewEntity>,
}

/// A card skipped on import because the person is already here.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Duplicate {
    /// The card's name.
    pub name: String,
    /// The person already here.
    pub existing: EntityId,
    /// What matched (phone, email, name).
    pub matched: String,
}

/// Every entity (trash included) with its shown field values, as JSON.
pub fn export_json_value(crm: &Crm) -> Result<Json> {
    let store = crm.store();
    let mut entities = Vec::new();
    let all = ListOptions {
        include_deleted: true,
        limit: usize::MAX >> 2,
        offset: 0,
    };
    for k in [
        kind::COMPANY,
        kind::PERSON,
        kind::STAGE,
        kind::FIELD_DEF,
        kind::DEAL,
        kind::TASK,
        kind::CALL,
        kind::MEETING,
        kind::NOTE,
    ] {
        for e in store.list(k, &all)? {
            entities.push(entity_json(&e.id, &e.state)?);
        }
    }
    Ok(json!({ "format": "deko-export", "version": 1, "entities": entities }))
}

/// One entity as the JSON export writes it: id, kind, deleted and the
/// shown value of each field.
fn entity_json(id: &EntityId, state: &crate::merge::EntityState) -> Result<Json> {
    let mut fields = serde_json::Map::new();
    for name in state.fields.keys() {
        if name == DELETED {
            continue;
        }
        if let Some(v) = state.value(name) {
            fields.insert(
                name.clone(),
                serde_json::to_value(v).map_err(|x| Error::invalid("json", x.to_string()))?,
            );
        }
    }
    Ok(json!({ "id": id, "kind": state.kind, "deleted": state.is_deleted(), "fields": fields }))
}

/// Everything a damaged database file still gives (see
/// [`crate::store::salvage`]), as a JSON export: the entities whose state
/// reads (in the export's own shape, so `import_json` takes them into a
/// fresh database), every record that parses and verifies (hex, verbatim:
/// a fresh device can take them as from a peer), and what could not be
/// read. Opens the file read-only.
pub fn salvage_json(path: &std::path::Path) -> Result<Json> {
    let s = crate::store::salvage::salvage(path)?;
    let mut entities = Vec::with_capacity(s.entities.len());
    for (id, state) in &s.entities {
        if !state.fields.is_empty() {
            entities.push(entity_json(id, state)?);
        }
    }
    let records: Vec<Json> = s
        .records
        .iter()
        .map(|r| {
            json!({
                "author": r.author.to_string(),
                "seq": r.seq,
                "bytes": data_encoding::HEXLOWER.encode(&r.bytes),
            })
        })
        .collect();
    Ok(json!({
        "format": "deko-export",
        "version": 1,
        "salvaged": true,
        "entities": entities,
        "records": records,
        "problems": s.problems,
    }))
}

impl Crm {
    /// Imports the people of a vCard file (2.1, 3.0 or 4.0). The file is
    /// read whole first: a broken file is an error naming the line, and
    /// nothing is stored. Then all people are written in one transaction.
    /// A card whose phone number or email belongs to someone already here
    /// (or to an earlier card of the file) is skipped as a duplicate.
    /// Organisations become companies (found by name, or created).
    pub fn import_vcard(&mut self, source_name: &str, bytes: &[u8]) -> Result<ImportReport> {
        self.import_vcard_with_progress(source_name, bytes, &mut |_| {})
    }

    /// [`Crm::import_vcard`], telling `progress` now and then how far it
    /// is (for a progress bar: the cards are read first, then stored).
    pub fn import_vcard_with_progress(
        &mut self,
        source_name: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let parsed = vcard::parse_file(source_name, bytes, Some(self.region.code()))?;
        let cards = parsed.cards;
        let region = self.region;
        let mut report = ImportReport::default();
        if let Some(charset) = parsed.guessed {
            report.warnings.push(format!(
                "{source_name} has text that is not UTF-8 and names no charset: \
                 read as {charset} (a guess from its letters)"
            ));
        }
        let total = cards.len();
        let mut plan = ImportPlan::default();
        for (i, card) in cards.into_iter().enumerate() {
            self.plan_card(
                &mut plan,
                card,
                &format!("card {}", i + 1),
                region,
                &mut report,
            )?;
            if (i + 1).is_multiple_of(4096) {
                progress(ImportProgress::Read { done: i + 1, total });
            }
        }
        self.create_planned(plan, progress)?;
        Ok(report)
    }

    /// Adds one card to the plan (`at` names it in warnings, e.g. "card
    /// 3"): a duplicate is skipped, an organisation becomes a company.
    pub(super) fn plan_card(
        &self,
        plan: &mut ImportPlan,
        card: Card,
        at: &str,
        region: &phone::Region,
        report: &mut ImportReport,
    ) -> Result<()> {
        let (given, family) = match (&card.given, &card.family) {
            (None, None) => split_name(card.formatted_name.as_deref().unwrap_or("")),
            _ => (card.given.clone(), card.family.clone()),
        };
        let name = super::types::display_name(given.as_deref(), family.as_deref());
        if name.is_empty() {
            // A card of an organisation only: make sure the company exists.
            if let Some(org) = &card.organization {
                self.plan_company(plan, org, report)?;
            }
            return Ok(());
        }
        let numbers: Vec<Option<String>> = card
            .phones
            .iter()
            .map(|p| phone::normalize(&p.number, region).ok())
            .collect();
        if let Some((existing, by)) = self.find_duplicate(plan, &card, &numbers)? {
            report.duplicates.push(Duplicate {
                name,
                existing,
                matched: by,
            });
            return Ok(());
        }
        let mut phones = Vec::new();
        for (CardPhone { kind, number }, e164) in card.phones.iter().zip(&numbers) {
            if e164.is_none() {
                report.warnings.push(format!("{at} ({name}): phone {number:?} kept as written; it cannot be read as a number in region {}", region.code()));
            }
            phones.push((label_of(*kind), number.clone()));
        }
        let company = match &card.organization {
            Some(org) => Some(self.plan_company(plan, org, report)?),
            None => None,
        };
        let emails: Vec<String> = card
            .emails
            .iter()
            .filter(|e| e.contains('@'))
            .cloned()
            .collect();
        for e in card.emails.iter().filter(|e| !e.contains('@')) {
            report.warnings.push(format!(
                "{at} ({name}): {e:?} is not an email address; left out"
            ));
        }
        let draft = PersonDraft {
            given,
            family,
            title: card.title.clone(),
            // Set below: a company of this plan is not in the database yet.
            company: None,
            phones: Some(phones),
            emails: Some(emails.clone()),
            address: card.address.clone(),
            tags: Some(card.categories.clone()),
            note: card.note.clone(),
            custom: Vec::new(),
        };
        let mut fields = self.person_fields(draft, true)?;
        if let Some(c) = company {
            fields.push(("company".into(), Value::Ref(c)));
        }
        let id = EntityId::new();
        for e164 in numbers.into_iter().flatten() {
            plan.phones.entry(e164).or_insert(id);
        }
        for e in emails {
            plan.emails.entry(e.to_lowercase()).or_insert(id);
        }
        plan.items.push(NewEntity {
            kind: kind::PERSON.into(),
            id,
            fields,
        });
        report.created.push(id);
        Ok(())
    }

    /// The company named `name`: one here, one of the plan, or a new one
    /// added to the plan.
    fn plan_company(
        &self,
        plan: &mut ImportPlan,
        name: &str,
        report: &mut ImportReport,
    ) -> Result<EntityId> {
        let key = self.collation.sort_key(name);
        if let Some(id) = plan.companies.get(&key) {
            return Ok(*id);
        }
        if let Some(id) = self.company_by_name(name)? {
            plan.companies.insert(key, id);
            return Ok(id);
        }
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "a company needs a name"));
        }
        let fields = self.company_fields(
            CompanyDraft {
                name: Some(name.to_string()),
                ..Default::default()
            },
            false,
        )?;
        let id = EntityId::new();
        plan.companies.insert(key, id);
        plan.items.push(NewEntity {
            kind: kind::COMPANY.into(),
            id,
            fields,
        });
        report.companies_created += 1;
        Ok(id)
    }

    /// Creates what the plan holds, in one go (see `Store::create_many`).
    pub(super) fn create_planned(
        &mut self,
        plan: ImportPlan,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<()> {
        let total = plan.items.len();
        self.store.create_many(plan.items, &mut |done| {
            progress(ImportProgress::Stored { done, total })
        })
    }

    /// The person here, or of an earlier card of the plan, who has one of
    /// the card's phone numbers (`numbers`: their E.164 readings) or email
    /// addresses.
    fn find_duplicate(
        &self,
        plan: &ImportPlan,
        card: &Card,
        numbers: &[Option<String>],
    ) -> Result<Option<(EntityId, String)>> {
        let conn = self.store.conn();
        for e164 in numbers.iter().flatten() {
            if let Some(id) = plan.phones.get(e164) {
                return Ok(Some((*id, format!("phone {e164}"))));
            }
            let hit: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(
                conn.prepare_cached(
                    // CROSS JOIN: the number first (a few rows), never
                    // every person first (the planner's pick without
                    // statistics).
                    "SELECT p.entity FROM phones p CROSS JOIN entities e ON e.id = p.entity
                     WHERE p.number = ?1 AND e.kind = 'person' AND e.deleted = 0 LIMIT 1",
                )?
                .query_row([e164], |r| r.get(0)),
            )?;
            if let Some(id) = hit {
                return Ok(Some((EntityId::from_slice(&id)?, format!("phone {e164}"))));
            }
        }
        for e in &card.emails {
            let lower = e.to_lowercase();
            if let Some(id) = plan.emails.get(&lower) {
                return Ok(Some((*id, format!("email {e}"))));
            }
            let hit: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(
                conn.prepare_cached(
                    "SELECT m.entity FROM emails m CROSS JOIN entities e ON e.id = m.entity
                     WHERE m.email = ?1 AND e.kind = 'person' AND e.deleted = 0 LIMIT 1",
                )?
                .query_row([lower], |r| r.get(0)),
            )?;
            if let Some(id) = hit {
                return Ok(Some((EntityId::from_slice(&id)?, format!("email {e}"))));
            }
        }
        Ok(None)
    }

    /// Runs many writes in one durable transaction (see `Store::bulk`).
    pub fn bulk<R>(&mut self, f: impl FnOnce(&mut Crm) -> Result<R>) -> Result<R> {
        let started = self.store.begin_bulk()?;
        let result = f(self);
        self.store.end_bulk(started, result)
    }

    /// Every person (not in the trash) as vCard 4.0.
    pub fn export_vcard(&self) -> Result<String> {
        let mut cards = Vec::new();
        for p in self.all_people()? {
            cards.push(Card {
                formatted_name: Some(p.display_name.clone()),
                given: p.given.clone(),
                family: p.family.clone(),
                organization: p.company_name.clone(),
                title: p.title.clone(),
                phones: p
                    .phones
                    .iter()
                    .map(|ph| CardPhone {
                        kind: kind_of(ph.label),
                        number: ph.number.clone(),
                    })
                    .collect(),
                emails: p.emails.clone(),
                address: p.address.clone(),
                note: p.note.clone(),
                categories: p.tags.clone(),
                url: None,
            });
        }
        Ok(vcard::write(&cards))
    }

    fn all_people(&self) -> Result<Vec<super::Person>> {
        self.people(
            SortBy::Name,
            &Page {
                offset: 0,
                limit: usize::MAX >> 2,
            },
        )
    }

    /// People (not in the trash) as CSV with a header row.
    pub fn export_people_csv(&self) -> Result<String> {
        let mut out = String::new();
        csv_row(
            &mut out,
            &[
                "id", "given", "family", "title", "company", "phones", "emails", "address", "tags",
                "note",
            ],
        );
        for p in self.all_people()? {
            let phones: Vec<String> = p
                .phones
                .iter()
                .map(|ph| format!("{}:{}", ph.label.as_str(), ph.number))
                .collect();
            csv_row(
                &mut out,
                &[
                    &p.id.to_string(),
                    p.given.as_deref().unwrap_or(""),
                    p.family.as_deref().unwrap_or(""),
                    p.title.as_deref().unwrap_or(""),
                    p.company_name.as_deref().unwrap_or(""),
                    &phones.join("; "),
                    &p.emails.join("; "),
                    p.address.as_deref().unwrap_or(""),
                    &p.tags.join("; "),
                    p.note.as_deref().unwrap_or(""),
                ],
            );
        }
        Ok(out)
    }

    /// Companies (not in the trash) as CSV with a header row.
    pub fn export_companies_csv(&self) -> Result<String> {
        let mut out = String::new();
        csv_row(
            &mut out,
            &[
                "id", "name", "industry", "website", "phones", "emails", "address", "note",
            ],
        );
        for c in self.companies(
            SortBy::Name,
            &Page {
                offset: 0,
                limit: usize::MAX >> 2,
            },
        )? {
            let phones: Vec<String> = c
                .phones
                .iter()
                .map(|ph| format!("{}:{}", ph.label.as_str(), ph.number))
                .collect();
            csv_row(
                &mut out,
                &[
                    &c.id.to_string(),
                    c.name.as_deref().unwrap_or(""),
                    c.industry.as_deref().unwrap_or(""),
                    c.website.as_deref().unwrap_or(""),
                    &phones.join("; "),
                    &c.emails.join("; "),
                    c.address.as_deref().unwrap_or(""),
                    c.note.as_deref().unwrap_or(""),
                ],
            );
        }
        Ok(out)
    }

    /// Everything as JSON (see [`export_json_value`]), pretty-printed.
    pub fn export_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&export_json_value(self)?)
            .map_err(|e| Error::invalid("json", e.to_string()))
    }

    /// Imports a JSON export: every entity with the same id, kind and field
    /// values, written as this device's records, in one transaction. An
    /// entity already here gets the exported values written over it.
    pub fn import_json(&mut self, text: &str) -> Result<ImportReport> {
        let doc: Json = serde_json::from_str(text)
            .map_err(|e| Error::invalid("json", format!("not a Deko JSON export: {e}")))?;
        if doc.get("format").and_then(Json::as_str) != Some("deko-export") {
            return Err(Error::invalid(
                "json",
                "not a Deko JSON export (no \"format\": \"deko-export\")",
            ));
        }
        let entities = doc
            .get("entities")
            .and_then(Json::as_array)
            .ok_or_else(|| Error::invalid("json", "a Deko JSON export lists \"entities\""))?;
        let mut parsed = Vec::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            let bad = |what: &str| Error::invalid("json", format!("entity {}: {what}", i + 1));
            let id: EntityId = serde_json::from_value(e.get("id").cloned().unwrap_or(Json::Null))
                .map_err(|_| bad("no valid id"))?;
            let k = e
                .get("kind")
                .and_then(Json::as_str)
                .ok_or_else(|| bad("no kind"))?
                .to_string();
            let deleted = e.get("deleted").and_then(Json::as_bool).unwrap_or(false);
            let mut fields = Vec::new();
            for (name, v) in e
                .get("fields")
                .and_then(Json::as_object)
                .ok_or_else(|| bad("no fields"))?
            {
                let value: Value = serde_json::from_value(v.clone())
                    .map_err(|x| bad(&format!("field {name}: {x}")))?;
                fields.push((name.clone(), value));
            }
            parsed.push((id, k, deleted, fields));
        }
        let mut report = ImportReport::default();
        self.bulk(|crm| {
            for (id, k, deleted, fields) in parsed {
                crm.store.put(&k, Some(id), fields)?;
                if deleted {
                    crm.store.delete(id)?;
                }
                report.created.push(id);
            }
            Ok(())
        })?;
        Ok(report)
    }
}

pub(super) fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((g, f)) => (Some(g.trim().to_string()), Some(f.trim().to_string())),
        None if full.is_empty() => (None, None),
        None => (None, Some(full.to_string())),
    }
}

fn label_of(k: PhoneKind) -> PhoneLabel {
    match k {
        PhoneKind::Mobile => PhoneLabel::Mobile,
        PhoneKind::Work => PhoneLabel::Work,
        PhoneKind::Home => PhoneLabel::Home,
        PhoneKind::Other => PhoneLabel::Other,
    }
}

fn kind_of(l: PhoneLabel) -> PhoneKind {
    match l {
        PhoneLabel::Mobile => PhoneKind::Mobile,
        PhoneLabel::Work => PhoneKind::Work,
        PhoneLabel::Home => PhoneKind::Home,
        PhoneLabel::Other => PhoneKind::Other,
    }
}

/// Appends one CSV row (RFC 4180: fields with comma, quote or newline
/// quoted). A cell a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP's advice
/// against CSV injection).
fn csv_row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let escaped;
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            escaped = format!("'{f}");
            escaped.as_str()
        } else {
            f
        };
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::csv_row;

    #[test]
    fn formula_cells_are_escaped() {
        let mut out = String::new();
        csv_row(&mut out, &["\tx", "\rx", "a=b", "", "+1"]);
        assert_eq!(out, "'\tx,\"'\rx\",a=b,,'+1\r\n");
    }
}
