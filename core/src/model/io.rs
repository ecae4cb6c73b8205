//! Import and export: vCard 2.1/3/4 import of people with duplicate
//! detection by phone and email; export of people as vCard, of people and
//! companies as CSV, and of everything as JSON (which imports back).

use serde::Serialize;
use serde_json::{Value as Json, json};

use super::types::{Page, PhoneLabel, SortBy};
use super::vcard::{self, Card, CardPhone, PhoneKind};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::merge::DELETED;
use crate::record::{EntityId, Value};
use crate::store::{ListOptions, NewEntity};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, mpsc};

use super::import_plan::{Planner, ReadCard, read_card};

/// Cards handed over at once (each handover may wake a thread: one per
/// card doubled the context switches of an import) and batches read ahead
/// of the one being stored: enough to keep both threads busy, few enough
/// to hold memory flat.
const READ_BATCH: usize = 64;
const READ_AHEAD: usize = 8;

/// What the reading thread of a vCard import hands over: first how many
/// cards the file holds (at most), then the cards as they are read, then
/// whether the whole file was read.
enum Read {
    Total(usize),
    Cards(Vec<ReadCard>),
    /// Every card was handed over.
    Done,
    /// The file could not be read to its end (the reader says why).
    Failed,
}

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
    /// What is stored, of all: the cards of a vCard file (a duplicate
    /// counts once it is skipped), the people and companies to create of
    /// other imports.
    Stored {
        /// Stored so far.
        done: usize,
        /// In all.
        total: usize,
    },
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
    ///
    /// Two threads share the work: one reads the file and works out each
    /// card as far as it can without the database (numbers, fields, sort
    /// keys); this one checks each card for duplicates and stores it,
    /// while a third signs the records (see `Store::create_streamed`).
    pub fn import_vcard_with_progress(
        &mut self,
        source_name: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let region = self.region;
        let collation = Arc::clone(&self.collation);
        // Each new person's views are prepared as its card is read (the
        // reading thread has just read its numbers); the writer only writes.
        let preparing = self.store.preparing();
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<Read>(READ_AHEAD);
            let reader = scope.spawn(move || -> Result<Option<&'static str>> {
                // Cards go to the writer as they are read, 64 at a time; a
                // file that fails part-way says so (Read::Failed) and the
                // writer keeps nothing of it.
                let mut batch = Vec::with_capacity(READ_BATCH);
                let mut i = 0usize;
                // Whether the writer still listens.
                let open = std::cell::Cell::new(true);
                let parsed = vcard::parse_file_each(
                    source_name,
                    bytes,
                    Some(region.code()),
                    &mut |begun| open.set(tx.send(Read::Total(begun)).is_ok()),
                    &mut |card| {
                        i += 1;
                        batch.push(read_card(
                            card,
                            format!("card {i}"),
                            region,
                            &collation,
                            Some(&preparing),
                        ));
                        if batch.len() == READ_BATCH {
                            let full =
                                std::mem::replace(&mut batch, Vec::with_capacity(READ_BATCH));
                            // A closed channel: storing failed; stop reading.
                            open.set(open.get() && tx.send(Read::Cards(full)).is_ok());
                        }
                        open.get()
                    },
                );
                match parsed {
                    Ok(guessed) => {
                        if open.get() && (batch.is_empty() || tx.send(Read::Cards(batch)).is_ok()) {
                            let _ = tx.send(Read::Done);
                        }
                        Ok(guessed)
                    }
                    Err(e) => {
                        let _ = tx.send(Read::Failed);
                        Err(e)
                    }
                }
            });
            let stored = self.store_read_cards(&rx, progress);
            // A failed store drops the receiver, which stops the reader.
            drop(rx);
            let guessed = reader
                .join()
                .map_err(|_| Error::invalid("vcard", "the reading thread panicked"))?;
            // A file that cannot be read is the error (nothing was stored).
            let guessed = guessed?;
            let mut report = stored?;
            if let Some(charset) = guessed {
                report.warnings.insert(
                    0,
                    format!(
                        "{source_name} has text that is not UTF-8 and names no charset: \
                         read as {charset} (a guess from its letters)"
                    ),
                );
            }
            Ok(report)
        })
    }

    /// Decides and stores the cards `rx` hands over, in one transaction.
    fn store_read_cards(
        &mut self,
        rx: &mpsc::Receiver<Read>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let Ok(Read::Total(total)) = rx.recv() else {
            return Ok(report); // the file could not be read: the reader says why
        };
        progress(ImportProgress::Read { done: total, total });
        let mut planner = Planner::new(self.region, self.store.conn())?;
        // For each item handed out, how many cards were decided by then: a
        // card is stored once the items decided with it are.
        let decided_at = RefCell::new(VecDeque::new());
        let mut decided = 0usize;
        let mut cards = Vec::new().into_iter();
        let mut stored = (0usize, 0usize); // (items, cards)
        self.store.create_streamed(
            total,
            &mut |conn| loop {
                if let Some(item) = planner.items.pop_front() {
                    decided_at.borrow_mut().push_back(decided);
                    return Ok(Some(item));
                }
                let card = match cards.next() {
                    Some(card) => card,
                    None => match rx.recv() {
                        Ok(Read::Cards(batch)) => {
                            cards = batch.into_iter();
                            continue;
                        }
                        Ok(Read::Done) => return Ok(None),
                        // Nothing of a file read part-way is kept.
                        Ok(Read::Failed | Read::Total(_)) | Err(_) => {
                            return Err(Error::invalid(
                                "vcard",
                                "the file could not be read whole",
                            ));
                        }
                    },
                };
                planner.decide(conn, card, &mut report)?;
                decided += 1;
            },
            &mut |items| {
                let mut at = decided_at.borrow_mut();
                while stored.0 < items {
                    stored.1 = at.pop_front().unwrap_or(stored.1);
                    stored.0 += 1;
                }
                progress(ImportProgress::Stored {
                    done: stored.1,
                    total,
                });
            },
        )?;
        progress(ImportProgress::Stored { done: total, total });
        Ok(report)
    }

    /// Creates what the plan holds, in one go (see `Store::create_many`).
    pub(super) fn create_planned(
        &mut self,
        plan: Planner,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<()> {
        let items: Vec<NewEntity> = plan.items.into();
        let total = items.len();
        self.store.create_many(items, &mut |done| {
            progress(ImportProgress::Stored { done, total })
        })
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

/// A whole name as given and family name, as imports read a card or row
/// with only a full name (and `deko person add "Jana Nováková"` reads its
/// argument): the last word is the family name, the words before it the
/// given name; one word is a family name alone.
pub fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((g, f)) => (Some(g.trim().to_string()), Some(f.trim().to_string())),
        None if full.is_empty() => (None, None),
        None => (None, Some(full.to_string())),
    }
}

pub(super) fn label_of(k: PhoneKind) -> PhoneLabel {
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
