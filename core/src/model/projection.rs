//! The CRM projection: keeps the typed tables (people, companies,
//! activities, tasks, deals, stages, custom-field definitions), the phone
//! index and the full-text index current with the entity state. Called by
//! the store inside its transactions, so the views never lag the state, and
//! rebuilt from scratch with it. Every table is a function of the entity
//! states alone, so the views are as order-independent as the state.

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};

use std::sync::Arc;

use super::collation::Collation;
use super::fields::Fields;
use super::kind;
use crate::error::Result;
use crate::merge::EntityState;
use crate::record::{EntityId, Labeled, Value};
use crate::search::phone::{self, Region};
use crate::store::{Prepared, Projection, load_entity_state};

/// A person's last contact (SQL): the latest of their calls and meetings,
/// for the person whose id is `$who` (a parameter or a column). One text
/// for the three places that work it out (a person written, an activity's
/// links replaced, the end of a bulk fill), so they cannot disagree.
macro_rules! last_contact_of {
    ($who:literal) => {
        concat!(
            "(SELECT max(at) FROM links WHERE target = ",
            $who,
            " AND kind IN ('call', 'meeting'))"
        )
    };
}

/// The CRM projection for one default phone region and one collation.
pub(crate) struct CrmProjection {
    region: &'static Region,
    collation: Arc<Collation>,
}

impl CrmProjection {
    pub(crate) fn new(region: &'static Region, collation: Arc<Collation>) -> Self {
        CrmProjection { region, collation }
    }
}

impl Projection for CrmProjection {
    /// Versioned: a change to what the projection writes bumps it, and
    /// databases written by the older one are rebuilt at open. v3: sort
    /// keys by icu_collator 2.4.0 (an upgrade of it must bump this too),
    /// phones read with libphonenumber.
    fn name(&self) -> &'static str {
        "crm.v3"
    }

    /// Pipeline stages and custom-field definitions are the team's
    /// definitions: only records written with admin authority count.
    fn admin_only(&self, kind: &str) -> bool {
        matches!(kind, kind::STAGE | kind::FIELD_DEF | kind::TEAM_RELAY)
    }

    fn clear(&self, conn: &Connection) -> Result<()> {
        conn.execute_batch(
            "DELETE FROM people; DELETE FROM companies; DELETE FROM activities; DELETE FROM links;
             DELETE FROM links_fill;
             DELETE FROM tasks; DELETE FROM deals; DELETE FROM stages; DELETE FROM field_defs;
             DELETE FROM phones; DELETE FROM emails; DELETE FROM search_docs;
             DELETE FROM search; DELETE FROM search_notes;",
        )?;
        Ok(())
    }

    fn project(&self, conn: &Connection, id: &EntityId, state: &EntityState) -> Result<()> {
        self.project_prepared(conn, id, state, None)
    }

    fn project_prepared(
        &self,
        conn: &Connection,
        id: &EntityId,
        state: &EntityState,
        ahead: Option<&Prepared>,
    ) -> Result<()> {
        let mut contacts = Contacts::default();
        self.project_one(&mut Writer::new(conn), id, state, ahead, &mut contacts)?;
        contacts.apply(conn)
    }

    /// A person's or company's sort key, phone numbers and search text.
    fn prepare(&self, _id: &EntityId, state: &EntityState) -> Option<Prepared> {
        let ahead: Prepared = match state.kind.as_str() {
            kind::PERSON => Box::new(self.person_parts(state)),
            kind::COMPANY => Box::new(self.company_parts(state)),
            _ => return None,
        };
        Some(ahead)
    }

    fn project_many(
        &self,
        conn: &Connection,
        entities: &[(EntityId, EntityState)],
        ahead: &[Option<Prepared>],
    ) -> Result<()> {
        // A busy customer's calls arrive together: their last contact is
        // worked out once, after all of them.
        let mut contacts = Contacts::default();
        let mut w = Writer::new(conn);
        for ((id, state), ahead) in entities.iter().zip(aligned(ahead, entities.len())) {
            self.project_one(&mut w, id, state, ahead, &mut contacts)?;
        }
        drop(w);
        contacts.apply(conn)
    }

    /// The lists of people (by name, by last contact, by change), the open
    /// tasks by due date and the deals by stage: what the app's screens
    /// read, never the projection's own writes. (A company's people and the
    /// unlinked calls are read by writes and named by `INDEXED BY`.
    /// Activities by time are kept: building that index again at the end
    /// sorts a million keys in memory, 48 MB more at the peak of a first
    /// sync, for a few seconds saved.)
    fn fill_indexes(&self) -> &'static [&'static str] {
        &[
            "people_by_name",
            "people_by_contact",
            "people_by_updated",
            "tasks_open_by_due",
            "deals_by_stage",
        ]
    }

    /// As `project_many`, without raising last contacts: `finish_fill`
    /// works them all out at once.
    fn project_fill(
        &self,
        conn: &Connection,
        entities: &[(EntityId, EntityState)],
        ahead: &[Option<Prepared>],
    ) -> Result<()> {
        let mut ignored = Contacts::default();
        let mut w = Writer::filling(conn);
        for ((id, state), ahead) in entities.iter().zip(aligned(ahead, entities.len())) {
            self.project_one(&mut w, id, state, ahead, &mut ignored)?;
        }
        Ok(())
    }

    /// The links the fill staged, into `links` in its key order (one
    /// sorted insert: it meets each page of `links` once, where inserting
    /// them as they came met a random page per link).
    fn merge_fill(&self, conn: &Connection) -> Result<()> {
        conn.execute_batch(
            "INSERT OR IGNORE INTO links (target, at, entity, kind)
                 SELECT target, at, entity, kind FROM links_fill ORDER BY target, at, entity;
             DELETE FROM links_fill;",
        )?;
        Ok(())
    }

    /// Every person's last contact from their links, in one statement
    /// (after `merge_fill`).
    fn finish_fill(&self, conn: &Connection) -> Result<()> {
        conn.execute(
            concat!(
                "UPDATE people SET last_contact = ",
                last_contact_of!("people.id")
            ),
            [],
        )?;
        Ok(())
    }
}

/// The people whose last contact projecting may have changed. A new call
/// or meeting can only move a last contact later (`raised`, a cheap
/// conditional update: the usual case of a sync or an import); an
/// activity whose links were replaced (edited, trashed, restored) has its
/// old and new people worked out again from their links (`recount`).
#[derive(Default)]
struct Contacts {
    raised: Vec<(EntityId, i64)>,
    recount: Vec<EntityId>,
}

impl Contacts {
    fn apply(mut self, conn: &Connection) -> Result<()> {
        // The latest time per person first, so each is raised once.
        self.raised
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        self.raised.dedup_by_key(|(id, _)| *id);
        let mut raise = conn.prepare_cached(
            "UPDATE people SET last_contact = ?2 WHERE id = ?1 AND ifnull(last_contact, -1) < ?2",
        )?;
        for (id, at) in &self.raised {
            raise.execute(params![&id.0[..], at])?;
        }
        // Then the recounts, which read every link and so have the last word.
        self.recount.sort_unstable();
        self.recount.dedup();
        for id in &self.recount {
            update_last_contact(conn, id)?;
        }
        Ok(())
    }
}

impl CrmProjection {
    /// Projects one entity; the people whose last contact may have changed
    /// are added to `contacts`.
    fn project_one(
        &self,
        w: &mut Writer<'_>,
        id: &EntityId,
        state: &EntityState,
        ahead: Option<&Prepared>,
        contacts: &mut Contacts,
    ) -> Result<()> {
        match state.kind.as_str() {
            kind::PERSON => match ahead.and_then(|a| a.downcast_ref::<PersonParts>()) {
                Some(parts) => self.person(w, id, state, parts),
                None => self.person(w, id, state, &self.person_parts(state)),
            },
            kind::COMPANY => match ahead.and_then(|a| a.downcast_ref::<CompanyParts>()) {
                Some(parts) => self.company(w, id, state, parts),
                None => self.company(w, id, state, &self.company_parts(state)),
            },
            kind::CALL | kind::MEETING | kind::NOTE => activity(w, id, state, contacts),
            kind::TASK => task(w, id, state),
            kind::DEAL => deal(w, id, state),
            kind::STAGE => stage(w.conn, id, state),
            kind::FIELD_DEF => field_def(w.conn, id, state),
            _ => Ok(()),
        }
    }
}

/// Milliseconds since the epoch at which a UUIDv7 entity was created.
pub(crate) fn created_ms(id: &EntityId) -> i64 {
    let b = id.0;
    i64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
}

impl CrmProjection {
    /// What projecting a person takes that needs no database.
    fn person_parts(&self, s: &EntityState) -> PersonParts {
        let given = s.text("given");
        let family = s.text("family");
        let sort = self.collation.sort_key(&format!(
            "{} {}",
            family.as_deref().unwrap_or(""),
            given.as_deref().unwrap_or("")
        ));
        let numbers = self.numbers(s);
        let mut rest = s.texts("emails");
        rest.extend(phone_terms(&numbers));
        rest.extend(s.texts("tags"));
        rest.extend(s.text("address"));
        rest.extend(s.text("note"));
        rest.extend(custom_texts(s));
        PersonParts {
            sort,
            name: super::types::display_name(given.as_deref(), family.as_deref()),
            numbers,
            title: s.text("title"),
            rest,
        }
    }

    fn person(
        &self,
        w: &mut Writer<'_>,
        id: &EntityId,
        s: &EntityState,
        parts: &PersonParts,
    ) -> Result<()> {
        let deleted = s.is_deleted();
        let company = s.reference("company");
        w.stmt(Sql::UpsertPerson)?.execute(params![
            &id.0[..],
            s.text("given"),
            s.text("family"),
            parts.sort,
            parts.title,
            company.as_ref().map(|c| c.0.to_vec()),
            s.texts("emails").first(),
            deleted,
            s.updated().millis() as i64,
        ])?;
        let doc = doc_of(w, id)?;
        self.phones(w, id, s, &parts.numbers, deleted, doc.is_some())?;
        if deleted {
            return remove_docid(w, doc);
        }
        let company_name: Option<String> = match company {
            Some(c) => w
                .stmt(Sql::CompanyName)?
                .query_row([&c.0[..]], |r| r.get(0))
                .optional()?
                .flatten(),
            None => None,
        };
        let mut body: Vec<&str> = Vec::with_capacity(parts.rest.len() + 2);
        body.extend(parts.title.as_deref());
        body.extend(company_name.as_deref());
        body.extend(parts.rest.iter().map(String::as_str));
        set_doc_at(
            w,
            doc,
            id,
            kind::PERSON,
            &parts.name,
            &body.join(" \u{2022} "),
        )
    }

    /// What projecting a company takes that needs no database.
    fn company_parts(&self, s: &EntityState) -> CompanyParts {
        let numbers = self.numbers(s);
        let mut body = Vec::new();
        body.extend(s.text("industry"));
        body.extend(s.text("website"));
        body.extend(s.texts("emails"));
        body.extend(phone_terms(&numbers));
        body.extend(s.text("address"));
        body.extend(s.text("note"));
        body.extend(custom_texts(s));
        CompanyParts {
            sort: self
                .collation
                .sort_key(s.text("name").as_deref().unwrap_or("")),
            numbers,
            body: body.join(" \u{2022} "),
        }
    }

    fn company(
        &self,
        w: &mut Writer<'_>,
        id: &EntityId,
        s: &EntityState,
        parts: &CompanyParts,
    ) -> Result<()> {
        let deleted = s.is_deleted();
        let name = s.text("name");
        w.stmt(Sql::UpsertCompany)?.execute(params![
            &id.0[..],
            name,
            parts.sort,
            s.text("industry"),
            s.text("website"),
            deleted,
            s.updated().millis() as i64,
        ])?;
        let doc = doc_of(w, id)?;
        self.phones(w, id, s, &parts.numbers, deleted, doc.is_some())?;
        if deleted {
            remove_docid(w, doc)?;
        } else {
            set_doc_at(
                w,
                doc,
                id,
                kind::COMPANY,
                name.as_deref().unwrap_or(""),
                &parts.body,
            )?;
        }
        // The company's name is part of its people's search documents.
        let people: Vec<Vec<u8>> = w
            .stmt(Sql::PeopleOfCompany)?
            .query_map([&id.0[..]], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for p in people {
            let pid = EntityId::from_slice(&p)?;
            if let Some(ps) = load_entity_state(w.conn, &pid)? {
                self.person(w, &pid, &ps, &self.person_parts(&ps))?;
            }
        }
        Ok(())
    }

    /// Every phone number of an entity as stored, with its E.164 reading
    /// under the region (read once for the index and the search terms).
    fn numbers(&self, s: &EntityState) -> Vec<(Labeled, Option<phone::Reading>)> {
        s.labeled("phones")
            .into_iter()
            .map(|p| {
                let reading = phone::reading(&p.value, self.region).ok();
                (p, reading)
            })
            .collect()
    }

    /// Indexes every readable phone number and every email address of a
    /// live person or company. `indexed`: the entity has a search document,
    /// so it may have numbers and addresses indexed too (only a live,
    /// projected person or company has either); a new one has none to
    /// delete, which spares an import two deletes per person.
    fn phones(
        &self,
        w: &mut Writer<'_>,
        id: &EntityId,
        s: &EntityState,
        numbers: &[(Labeled, Option<phone::Reading>)],
        deleted: bool,
        indexed: bool,
    ) -> Result<()> {
        if indexed {
            w.stmt(Sql::DeletePhones)?.execute([&id.0[..]])?;
            w.stmt(Sql::DeleteEmails)?.execute([&id.0[..]])?;
        }
        if deleted {
            return Ok(());
        }
        for e in s.texts("emails") {
            w.stmt(Sql::InsertEmail)?
                .execute(params![e.to_lowercase(), &id.0[..]])?;
        }
        for (p, reading) in numbers {
            if let Some(r) = reading {
                w.stmt(Sql::InsertPhone)?
                    .execute(params![r.e164, &id.0[..], p.label])?;
            }
        }
        Ok(())
    }
}

/// What projecting a person takes that needs no database: worked out
/// ahead in a catch-up ([`Projection::prepare`]), else on the spot.
struct PersonParts {
    /// The list order key (family name, then given).
    sort: Vec<u8>,
    /// Their phone numbers as stored, each with its reading.
    numbers: Vec<(Labeled, Option<phone::Reading>)>,
    /// The search document's name.
    name: String,
    /// The search text before the company's name (the title) and after it
    /// (addresses, numbers, tags, notes, custom fields).
    title: Option<String>,
    rest: Vec<String>,
}

/// What projecting a company takes that needs no database.
struct CompanyParts {
    sort: Vec<u8>,
    numbers: Vec<(Labeled, Option<phone::Reading>)>,
    /// The search document's text.
    body: String,
}

/// What was prepared for each of `n` entities: `ahead` as given, or none
/// for each when nothing was prepared.
fn aligned(ahead: &[Option<Prepared>], n: usize) -> impl Iterator<Item = Option<&Prepared>> {
    ahead
        .iter()
        .map(Option::as_ref)
        .chain(std::iter::repeat(None))
        .take(n)
}

/// Search terms for the phone numbers: the E.164 digits, the national
/// number and the number as dialled at home, so "603123456",
/// "420603123456" and "0721123456" find theirs; an unreadable one as written.
fn phone_terms(numbers: &[(Labeled, Option<phone::Reading>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (p, reading) in numbers {
        match reading {
            Some(r) => {
                if let Some((national, dialled)) = r.national_forms() {
                    // As dialled at home, trunk prefix included ("0721123456").
                    if dialled != national {
                        out.push(dialled);
                    }
                    out.push(national);
                }
                out.push(r.e164.trim_start_matches('+').to_string());
            }
            None => out.push(p.value.clone()),
        }
    }
    out
}

fn custom_texts(s: &EntityState) -> Vec<String> {
    s.fields
        .keys()
        .filter(|f| f.starts_with("cf."))
        .filter_map(|f| match s.value(f) {
            Some(Value::Text(t)) if !t.is_empty() => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn activity(
    w: &mut Writer<'_>,
    id: &EntityId,
    s: &EntityState,
    contacts: &mut Contacts,
) -> Result<()> {
    let deleted = s.is_deleted();
    let at = s.time("at").unwrap_or_else(|| created_ms(id));
    let people = s.refs("people");
    let company = s.reference("company");
    let direction = s.text("direction");
    let link_kind = match (s.kind.as_str(), direction.as_deref()) {
        (kind::CALL, Some("missed")) => "missed",
        (k, _) => k,
    };
    let linked = !people.is_empty() || company.is_some();
    w.stmt(Sql::UpsertActivity)?.execute(params![
        &id.0[..],
        s.kind,
        at,
        company.as_ref().map(|c| c.0.to_vec()),
        s.text("number"),
        direction,
        linked,
        deleted
    ])?;
    let mut targets: Vec<EntityId> = people.clone();
    targets.extend(company);
    let targets: &[EntityId] = if deleted { &[] } else { &targets };
    let old = relink(w, id, link_kind, at, targets)?;
    if !old.is_empty() {
        contacts.recount.extend(old);
        contacts.recount.extend_from_slice(targets);
    } else if matches!(link_kind, "call" | "meeting") {
        contacts.raised.extend(targets.iter().map(|t| (*t, at)));
    }
    match s.text("note") {
        Some(note) if !deleted => set_note_doc(w, id, &s.kind, &note),
        _ => remove_doc(w, id),
    }
}

/// Replaces the links of `entity` with `targets`; returns the targets it
/// was linked to before (none for a new entity). In a bulk fill the new
/// links are staged (`links_fill`, moved by `merge_fill`); the old ones
/// may be in either table (a fill stopped half-way and an edit meanwhile).
fn relink(
    w: &mut Writer<'_>,
    entity: &EntityId,
    kind: &str,
    at: i64,
    targets: &[EntityId],
) -> Result<Vec<EntityId>> {
    let old: Vec<Vec<u8>> = w
        .stmt(Sql::LinkTargets)?
        .query_map([&entity.0[..]], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !old.is_empty() {
        w.stmt(Sql::DeleteLinks)?.execute([&entity.0[..]])?;
        w.stmt(Sql::DeleteStagedLinks)?.execute([&entity.0[..]])?;
    }
    let insert = if w.fill {
        Sql::StageLink
    } else {
        Sql::InsertLink
    };
    for t in targets {
        w.stmt(insert)?
            .execute(params![&t.0[..], at, &entity.0[..], kind])?;
    }
    old.iter().map(|o| EntityId::from_slice(o)).collect()
}

fn update_last_contact(conn: &Connection, person: &EntityId) -> Result<()> {
    conn.prepare_cached(concat!(
        "UPDATE people SET last_contact = ",
        last_contact_of!("?1"),
        " WHERE id = ?1"
    ))?
    .execute([&person.0[..]])?;
    Ok(())
}

fn task(w: &mut Writer<'_>, id: &EntityId, s: &EntityState) -> Result<()> {
    let deleted = s.is_deleted();
    let title = s.text("title").unwrap_or_default();
    let due = s.time("due");
    w.conn.prepare_cached(
        "INSERT INTO tasks (id, title, due, done, assignee, deleted) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, due = excluded.due, done = excluded.done,
           assignee = excluded.assignee, deleted = excluded.deleted",
    )?
    .execute(params![
        &id.0[..],
        title,
        due,
        s.flag("done").unwrap_or(false),
        s.reference("assignee").map(|a| a.0.to_vec()),
        deleted
    ])?;
    let targets: Vec<EntityId> = ["person", "company", "deal"]
        .iter()
        .filter_map(|f| s.reference(f))
        .collect();
    let at = due.unwrap_or_else(|| created_ms(id));
    relink(w, id, kind::TASK, at, if deleted { &[] } else { &targets })?;
    match deleted {
        false => set_doc(w, id, kind::TASK, &title, ""),
        true => remove_doc(w, id),
    }
}

fn deal(w: &mut Writer<'_>, id: &EntityId, s: &EntityState) -> Result<()> {
    let deleted = s.is_deleted();
    let title = s.text("title").unwrap_or_default();
    let value = s.money("value");
    let close = s.time("expected_close");
    w.conn.prepare_cached(
        "INSERT INTO deals (id, title, company, contact, value_minor, currency, stage, expected_close, owner, deleted, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, company = excluded.company,
           contact = excluded.contact, value_minor = excluded.value_minor, currency = excluded.currency,
           stage = excluded.stage, expected_close = excluded.expected_close, owner = excluded.owner,
           deleted = excluded.deleted, updated = excluded.updated",
    )?
    .execute(params![
        &id.0[..],
        title,
        s.reference("company").map(|c| c.0.to_vec()),
        s.reference("contact").map(|c| c.0.to_vec()),
        value.as_ref().map(|v| v.minor),
        value.as_ref().map(|v| v.currency.clone()),
        s.reference("stage").map(|c| c.0.to_vec()),
        close,
        s.reference("owner").map(|c| c.0.to_vec()),
        deleted,
        s.updated().millis() as i64,
    ])?;
    let targets: Vec<EntityId> = ["company", "contact"]
        .iter()
        .filter_map(|f| s.reference(f))
        .collect();
    let at = close.unwrap_or_else(|| created_ms(id));
    relink(w, id, kind::DEAL, at, if deleted { &[] } else { &targets })?;
    match deleted {
        false => set_doc(w, id, kind::DEAL, &title, &custom_texts(s).join(" ")),
        true => remove_doc(w, id),
    }
}

fn stage(conn: &Connection, id: &EntityId, s: &EntityState) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stages (id, name, position, outcome, deleted) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position,
           outcome = excluded.outcome, deleted = excluded.deleted",
    )?
    .execute(params![
        &id.0[..],
        s.text("name").unwrap_or_default(),
        s.float("position").unwrap_or(0.0),
        s.text("outcome").unwrap_or_else(|| "open".into()),
        s.is_deleted()
    ])?;
    Ok(())
}

fn field_def(conn: &Connection, id: &EntityId, s: &EntityState) -> Result<()> {
    let created_by = s.kind_from.map(|v| v.author.0.to_vec()).unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO field_defs (id, name, target, type, choices, position, created_by, deleted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, target = excluded.target, type = excluded.type,
           choices = excluded.choices, position = excluded.position, created_by = excluded.created_by,
           deleted = excluded.deleted",
    )?
    .execute(params![
        &id.0[..],
        s.text("name").unwrap_or_default(),
        s.text("target").unwrap_or_default(),
        s.text("type").unwrap_or_else(|| "text".into()),
        s.texts("choices").join("\u{1f}"),
        s.float("position").unwrap_or(0.0),
        created_by,
        s.is_deleted()
    ])?;
    Ok(())
}

fn set_doc(w: &mut Writer<'_>, id: &EntityId, kind: &str, name: &str, body: &str) -> Result<()> {
    let doc = doc_of(w, id)?;
    set_doc_at(w, doc, id, kind, name, body)
}

/// The search document of an entity, if it has one.
fn doc_of(w: &mut Writer<'_>, id: &EntityId) -> Result<Option<i64>> {
    Ok(w.stmt(Sql::DocOf)?
        .query_row([&id.0[..]], |r| r.get(0))
        .optional()?)
}

/// `set_doc` for an entity whose document (`docid`, from `doc_of`) is known.
fn set_doc_at(
    w: &mut Writer<'_>,
    docid: Option<i64>,
    id: &EntityId,
    kind: &str,
    name: &str,
    body: &str,
) -> Result<()> {
    let docid = match docid {
        Some(d) => {
            w.stmt(Sql::DeleteSearch)?.execute([d])?;
            d
        }
        None => {
            w.stmt(Sql::InsertSearchDoc)?
                .execute(params![&id.0[..], kind])?;
            w.conn.last_insert_rowid()
        }
    };
    w.stmt(Sql::InsertSearch)?
        .execute(params![docid, name, body])?;
    Ok(())
}

/// An activity's note goes to the notes index under a fresh docid, so
/// reading by docid, highest first, reads the most recently written first.
fn set_note_doc(w: &mut Writer<'_>, id: &EntityId, kind: &str, body: &str) -> Result<()> {
    remove_doc(w, id)?;
    w.stmt(Sql::InsertSearchDoc)?
        .execute(params![&id.0[..], kind])?;
    let docid = w.conn.last_insert_rowid();
    w.stmt(Sql::InsertNote)?.execute(params![docid, body])?;
    Ok(())
}

fn remove_doc(w: &mut Writer<'_>, id: &EntityId) -> Result<()> {
    let doc = doc_of(w, id)?;
    remove_docid(w, doc)
}

/// `remove_doc` for a document known by `doc_of`.
fn remove_docid(w: &mut Writer<'_>, docid: Option<i64>) -> Result<()> {
    if let Some(d) = docid {
        w.stmt(Sql::DeleteSearch)?.execute([d])?;
        w.stmt(Sql::DeleteNote)?.execute([d])?;
        w.stmt(Sql::DeleteSearchDoc)?.execute([d])?;
    }
    Ok(())
}

/// The statements projecting writes most, each prepared (taken from the
/// connection's cache) once per batch of entities and held while it lasts:
/// a catch-up projects thousands of entities, and looking a statement up in
/// the cache for every execution (hashing its text) showed as 8% of the
/// writing thread's samples in a profile (a 100k-person catch-up gained
/// 2-4% by holding them). An import projects one entity per call and
/// gains nothing.
struct Writer<'c> {
    conn: &'c Connection,
    held: [Option<CachedStatement<'c>>; Sql::COUNT],
    /// Writing a chunk of a bulk fill: links are staged.
    fill: bool,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> Self {
        Writer {
            conn,
            held: std::array::from_fn(|_| None),
            fill: false,
        }
    }

    /// A writer for [`Projection::project_fill`].
    fn filling(conn: &'c Connection) -> Self {
        Writer {
            fill: true,
            ..Writer::new(conn)
        }
    }

    /// `sql`'s statement, prepared on first use.
    fn stmt(&mut self, sql: Sql) -> Result<&mut CachedStatement<'c>> {
        let slot = &mut self.held[sql as usize];
        let stmt = match slot.take() {
            Some(stmt) => stmt,
            None => self.conn.prepare_cached(sql.text())?,
        };
        Ok(slot.insert(stmt))
    }
}

/// The statements a [`Writer`] holds.
#[derive(Clone, Copy)]
enum Sql {
    UpsertPerson,
    CompanyName,
    UpsertCompany,
    PeopleOfCompany,
    DeletePhones,
    DeleteEmails,
    InsertEmail,
    InsertPhone,
    UpsertActivity,
    LinkTargets,
    DeleteLinks,
    DeleteStagedLinks,
    InsertLink,
    StageLink,
    DocOf,
    DeleteSearch,
    DeleteNote,
    DeleteSearchDoc,
    InsertSearchDoc,
    InsertSearch,
    InsertNote,
}

impl Sql {
    const COUNT: usize = Sql::InsertNote as usize + 1;

    fn text(self) -> &'static str {
        match self {
            Sql::UpsertPerson => concat!(
                "INSERT INTO people (id, given, family, sort_name, title, company, email, deleted, updated, last_contact)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ",
                last_contact_of!("?1"),
                ")
                 ON CONFLICT (id) DO UPDATE SET given = excluded.given, family = excluded.family,
                   sort_name = excluded.sort_name, title = excluded.title, company = excluded.company,
                   email = excluded.email, deleted = excluded.deleted, updated = excluded.updated",
            ),
            Sql::CompanyName => "SELECT name FROM companies WHERE id = ?1 AND deleted = 0",
            Sql::UpsertCompany => {
                "INSERT INTO companies (id, name, sort_name, industry, website, deleted, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, sort_name = excluded.sort_name,
                   industry = excluded.industry, website = excluded.website, deleted = excluded.deleted,
                   updated = excluded.updated"
            }
            Sql::PeopleOfCompany => "SELECT id FROM people WHERE company = ?1",
            Sql::DeletePhones => "DELETE FROM phones WHERE entity = ?1",
            Sql::DeleteEmails => "DELETE FROM emails WHERE entity = ?1",
            Sql::InsertEmail => "INSERT OR IGNORE INTO emails (email, entity) VALUES (?1, ?2)",
            Sql::InsertPhone => {
                "INSERT OR IGNORE INTO phones (number, entity, label) VALUES (?1, ?2, ?3)"
            }
            Sql::UpsertActivity => {
                "INSERT INTO activities (id, kind, at, company, number, direction, linked, deleted)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, at = excluded.at, company = excluded.company,
                   number = excluded.number, direction = excluded.direction, linked = excluded.linked,
                   deleted = excluded.deleted"
            }
            Sql::LinkTargets => {
                "SELECT target FROM links WHERE entity = ?1
                 UNION ALL SELECT target FROM links_fill WHERE entity = ?1"
            }
            Sql::DeleteLinks => "DELETE FROM links WHERE entity = ?1",
            Sql::DeleteStagedLinks => "DELETE FROM links_fill WHERE entity = ?1",
            Sql::InsertLink => {
                "INSERT OR IGNORE INTO links (target, at, entity, kind) VALUES (?1, ?2, ?3, ?4)"
            }
            Sql::StageLink => {
                "INSERT OR IGNORE INTO links_fill (target, at, entity, kind) VALUES (?1, ?2, ?3, ?4)"
            }
            Sql::DocOf => "SELECT docid FROM search_docs WHERE entity = ?1",
            Sql::DeleteSearch => "DELETE FROM search WHERE rowid = ?1",
            Sql::DeleteNote => "DELETE FROM search_notes WHERE rowid = ?1",
            Sql::DeleteSearchDoc => "DELETE FROM search_docs WHERE docid = ?1",
            Sql::InsertSearchDoc => "INSERT INTO search_docs (entity, kind) VALUES (?1, ?2)",
            Sql::InsertSearch => "INSERT INTO search (rowid, name, body) VALUES (?1, ?2, ?3)",
            Sql::InsertNote => "INSERT INTO search_notes (rowid, body) VALUES (?1, ?2)",
        }
    }
}
