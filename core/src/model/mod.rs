//! The CRM a salesperson uses: people, companies, calls, meetings, notes,
//! tasks, deals, pipeline stages and custom fields, on top of the generic
//! entity layer of [`crate::store`]. Every write is a signed record; every
//! read comes from the typed tables the projection (`model/projection.rs`) keeps current.
//!
//! [`Crm`] is the handle: a [`Store`] with the CRM projection registered and
//! the database's default phone region.

pub(crate) mod activities;
mod batch;
pub(crate) mod calls;
pub mod collation;
mod companies;
mod csv_columns;
mod csv_import;
pub(crate) mod custom;
mod deals;
mod fields;
mod import_plan;
mod io;
mod money;
mod names;
mod people;
mod phone_display;
pub(crate) mod projection;
pub(crate) mod tasks;
mod timeline;
mod types;
pub mod vcard;

pub use activities::{MeetingInput, NoteInput};
pub use batch::NewItem;
pub use calls::{CallInput, CallRecord, CallerMatch, FollowUp, LoggedCall, UnknownNumber};
pub use csv_columns::CsvRecords;
pub use csv_import::{CsvColumn, CsvImport};
pub use custom::{CUSTOM_TARGETS, field_key};
pub use io::{
    Duplicate, ImportProgress, ImportReport, export_json_value, salvage_json, split_name,
};
pub use money::minor_digits;
pub use tasks::TaskFilter;
pub use timeline::{TimelineItem, TimelineKind};
pub use types::*;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::record::{EntityId, TeamId, Value};
use crate::search::phone::Region;
use crate::store::{Store, StoreOptions};

/// Entity kinds of the CRM.
pub mod kind {
    /// A person (contact).
    pub const PERSON: &str = "person";
    /// A company (account).
    pub const COMPANY: &str = "company";
    /// A phone call.
    pub const CALL: &str = "call";
    /// A meeting.
    pub const MEETING: &str = "meeting";
    /// A note.
    pub const NOTE: &str = "note";
    /// A task (to-do).
    pub const TASK: &str = "task";
    /// A deal (opportunity).
    pub const DEAL: &str = "deal";
    /// A pipeline stage.
    pub const STAGE: &str = "stage";
    /// A custom-field definition.
    pub const FIELD_DEF: &str = "field_def";
    /// The team's relay and its token (admins only; `node::team_relay`).
    pub const TEAM_RELAY: &str = "team_relay";
}

/// The region used for numbers written without a country code, unless the
/// database sets another ([`Crm::set_region`]).
pub const DEFAULT_REGION: &str = "CZ";
const META_REGION: &str = "region";
const META_LOCALE: &str = "locale";

/// The default pipeline a new team starts with (admins can change it).
pub const DEFAULT_STAGES: &[(&str, StageOutcome)] = &[
    ("Lead", StageOutcome::Open),
    ("Qualified", StageOutcome::Open),
    ("Proposal", StageOutcome::Open),
    ("Negotiation", StageOutcome::Open),
    ("Won", StageOutcome::Won),
    ("Lost", StageOutcome::Lost),
];

/// An open CRM database.
pub struct Crm {
    store: Store,
    region: &'static Region,
    collation: Arc<collation::Collation>,
    /// Phone numbers as shown, under `region`.
    phone_display: phone_display::PhoneDisplay,
}

impl Crm {
    /// Opens (or creates) the CRM database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Crm> {
        Self::with_store(Store::open(path)?)
    }

    /// Opens with store options.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Crm> {
        Self::with_store(Store::open_with(path, options)?)
    }

    /// [`Crm::open`], telling `progress` how far the views have caught up
    /// (`done`, `total` entities) when a bulk transfer left them behind:
    /// what a node does after a large sync, so the app can show it.
    pub fn open_catching_up(
        path: impl AsRef<Path>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Crm> {
        Self::with_store_catching_up(Store::open(path)?, progress)
    }

    /// A CRM database in memory (tests, tools).
    pub fn open_in_memory() -> Result<Crm> {
        Self::with_store(Store::open_in_memory()?)
    }

    /// Wraps an open store, registering the CRM projection (and rebuilding
    /// the CRM tables if they are stale).
    pub fn with_store(store: Store) -> Result<Crm> {
        Self::with_store_catching_up(store, &mut |_, _| {})
    }

    fn with_store_catching_up(mut store: Store, progress: &mut dyn FnMut(u64, u64)) -> Result<Crm> {
        let region = load_region(&store)?;
        let collation = Arc::new(load_collation(&store, region)?);
        store.add_projection(Box::new(projection::CrmProjection::new(
            region,
            collation.clone(),
        )))?;
        // Views left behind by a bulk transfer (the node's catch-up after a
        // session, or one that stopped before it: a crash, a killed process).
        store.catch_up_projections_with(progress)?;
        Ok(Crm {
            store,
            region,
            collation,
            phone_display: phone_display::PhoneDisplay::new(region),
        })
    }

    /// The underlying store (log, sync, generic entities).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The underlying store, mutable.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// The default region for phone numbers written without a country code.
    pub fn region(&self) -> &'static Region {
        self.region
    }

    /// A stored number as this database shows it: national grouping for
    /// numbers of its own region's calling code ("603 123 456"),
    /// international for the rest ("+44 20 7946 0958"); anything that is
    /// not E.164 (an import kept as written) comes back unchanged.
    pub fn format_phone(&self, number: &str) -> String {
        self.phone_display.show(number)
    }

    /// Sets the default phone region of this database (an ISO code such as
    /// "CZ" or "RO": any region libphonenumber knows) and re-indexes the
    /// phone numbers under it. A database that names no locale sorts by
    /// the new region's language from now on.
    pub fn set_region(&mut self, iso: &str) -> Result<()> {
        let region = Region::by_code(iso).ok_or_else(|| {
            Error::invalid(
                "region",
                format!(
                    "{iso:?} is not a region libphonenumber knows \
                     (an ISO 3166 code such as CZ, DE or RO)"
                ),
            )
        })?;
        self.store
            .set_setting(META_REGION, region.code().as_bytes())?;
        let collation = Arc::new(load_collation(&self.store, region)?);
        self.store
            .replace_projection(Box::new(projection::CrmProjection::new(
                region,
                collation.clone(),
            )))?;
        self.region = region;
        self.collation = collation;
        self.phone_display = phone_display::PhoneDisplay::new(region);
        Ok(())
    }

    /// The locale names are sorted by (BCP 47: "cs", "de-AT"): the
    /// database's setting, else the region's language.
    pub fn locale(&self) -> &str {
        self.collation.locale()
    }

    /// Sets the locale names are sorted by ("cs", "de", "en", ...; empty:
    /// back to the region's language) and makes the sort keys anew.
    pub fn set_locale(&mut self, tag: &str) -> Result<()> {
        let collation = Arc::new(match tag.trim() {
            "" => collation::Collation::for_region(self.region.code()),
            tag => collation::Collation::new(tag)?,
        });
        self.store.set_setting(META_LOCALE, tag.trim().as_bytes())?;
        self.store
            .replace_projection(Box::new(projection::CrmProjection::new(
                self.region,
                collation.clone(),
            )))?;
        self.collation = collation;
        Ok(())
    }

    /// Founds a new team with this device as its first admin, and the
    /// default pipeline stages.
    pub fn create_team(&mut self, team_name: &str, person_name: &str) -> Result<TeamId> {
        let team = self.store.create_team(team_name, person_name)?;
        for (i, (name, outcome)) in DEFAULT_STAGES.iter().enumerate() {
            self.store.put(
                kind::STAGE,
                None,
                vec![
                    ("name".into(), Value::Text((*name).into())),
                    ("position".into(), Value::Float(i as f64)),
                    ("outcome".into(), Value::Text(outcome.as_str().into())),
                ],
            )?;
        }
        Ok(team)
    }

    /// Moves any CRM entity to the trash.
    pub fn delete(&mut self, id: EntityId) -> Result<()> {
        self.store.delete(id)
    }

    /// Brings an entity back from the trash.
    pub fn restore(&mut self, id: EntityId) -> Result<()> {
        self.store.restore(id)
    }

    /// Searches as you type (see [`crate::search::search`]).
    pub fn search(
        &self,
        input: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<crate::search::SearchHit>> {
        crate::search::search(&self.store, input, offset, limit)
    }

    /// What the database holds, for a status screen: entities of each kind
    /// (not in the trash), log records, records waiting or kept apart, and
    /// fields in conflict.
    pub fn stats(&self) -> Result<Stats> {
        let s = &self.store;
        Ok(Stats {
            people: s.count(kind::PERSON)?,
            companies: s.count(kind::COMPANY)?,
            calls: s.count(kind::CALL)?,
            meetings: s.count(kind::MEETING)?,
            notes: s.count(kind::NOTE)?,
            tasks: s.count(kind::TASK)?,
            deals: s.count(kind::DEAL)?,
            records: s.record_count()?,
            pending: s.pending_count()?,
            quarantined: s.quarantine_count()?,
            conflicts: s.conflicts()?.len() as u64,
        })
    }

    /// The kind of an entity, if it exists.
    pub fn kind_of(&self, id: &EntityId) -> Result<Option<String>> {
        Ok(self.store.get(id)?.map(|e| e.kind))
    }

    /// The entity ids a query of one id column returns, in its order.
    pub(crate) fn ids(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<EntityId>> {
        let mut stmt = self.store.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| EntityId::from_slice(&r?)).collect()
    }

    /// Fails unless `id` is an entity (trashed or not) of one of the
    /// `expected` kinds; reads its kind only, not its state.
    pub(crate) fn check_kind(&self, id: &EntityId, expected: &[&str]) -> Result<()> {
        let found: Option<String> = rusqlite::OptionalExtension::optional(
            self.store
                .conn()
                .prepare_cached("SELECT kind FROM entities WHERE id = ?1")?
                .query_row([&id.0[..]], |r| r.get(0)),
        )?;
        match found {
            Some(k) if expected.contains(&k.as_str()) => Ok(()),
            _ => Err(Error::NotFound {
                kind: expected[0].to_string(),
                id: id.to_string(),
            }),
        }
    }

    /// The entity `id` if it is of one of the `expected` kinds (trash
    /// included), else [`Error::NotFound`] naming the first of them.
    pub fn expect_kind(&self, id: &EntityId, expected: &[&str]) -> Result<crate::store::Entity> {
        match self.store.get(id)? {
            Some(e) if expected.contains(&e.kind.as_str()) => Ok(e),
            _ => Err(Error::NotFound {
                kind: expected[0].to_string(),
                id: id.to_string(),
            }),
        }
    }
}

fn load_region(store: &Store) -> Result<&'static Region> {
    let code = store
        .setting(META_REGION)?
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    Region::by_code(&code).ok_or_else(|| Error::corrupt(format!("unknown region {code:?}")))
}

/// The database's collation: its locale setting, else its region's language.
fn load_collation(store: &Store, region: &Region) -> Result<collation::Collation> {
    let tag = store
        .setting(META_LOCALE)?
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    match tag.trim() {
        "" => Ok(collation::Collation::for_region(region.code())),
        tag => collation::Collation::new(tag)
            .map_err(|e| Error::corrupt(format!("the locale setting {tag:?}: {e}"))),
    }
}
