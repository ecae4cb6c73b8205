//! [`Database`]: the open database the apps hold, and its CRM calls.
//!
//! It owns the core's `Crm` until sync starts; then the core's `Node` owns
//! it and every call goes through `Node::with_crm`. Calls are short local
//! SQLite work and synchronous; heavy and network work is async (`io.rs`,
//! `sync.rs`).

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use deko_core::model::{
    Activity, CallInput, CallerMatch, Company, Crm, Deal, FieldDef, FieldType, LoggedCall,
    MeetingInput, NoteInput, Page, Person, PipelineColumn, SortBy, Stage, StageOutcome, Stats,
    Task, TaskFilter, TimelineItem, UnknownNumber,
};
use deko_core::node::{DiscoveryTask, Node};
use deko_core::record::Value;
use deko_core::search::SearchHit;
use deko_core::store::{Conflict, Device, TeamInfo, TrashItem};

use crate::convert;
use crate::error::{DekoError, Result};
use crate::sync::SyncListener;
use crate::types::{CompanyDraft, DealDraft, PersonDraft, TaskDraft};

/// Who holds the CRM right now.
pub(crate) enum State {
    /// The database alone (no sync yet).
    Local(Box<Crm>),
    /// A node owns the database and serves sync.
    Running(Arc<Node>),
    /// Between the two (a node starting or stopping); callers wait.
    Busy,
    /// The file could not be opened again after a node ended: every call
    /// fails with this (the core's) error until the app opens it anew.
    Broken(DekoError),
}

/// An open Deko database: every CRM call, the team, and sync. Safe to share
/// between threads; calls from several threads are serialised by the core.
#[derive(uniffi::Object)]
pub struct Database {
    pub(crate) path: PathBuf,
    state: Mutex<State>,
    settled: Condvar,
    pub(crate) listeners: Arc<Mutex<Vec<Arc<dyn SyncListener>>>>,
    pub(crate) discovery: Mutex<Option<DiscoveryTask>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn page(offset: u32, limit: u32) -> Page {
    Page {
        offset: offset as usize,
        limit: limit as usize,
    }
}

impl Database {
    /// Runs `f` with the CRM, wherever it is held.
    pub(crate) fn with_crm<R>(
        &self,
        f: impl FnOnce(&mut Crm) -> deko_core::Result<R>,
    ) -> Result<R> {
        let mut state = lock(&self.state);
        loop {
            match &mut *state {
                State::Local(crm) => return Ok(f(crm)?),
                State::Running(node) => {
                    let node = node.clone();
                    drop(state);
                    return Ok(node.with_crm(f)?);
                }
                State::Broken(e) => return Err(e.clone()),
                State::Busy => state = self.settled.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        }
    }

    /// Takes the CRM out for a node to own (the state is busy until
    /// [`Database::settle`]).
    pub(crate) fn take_crm(&self) -> Result<Crm> {
        let mut state = lock(&self.state);
        loop {
            match std::mem::replace(&mut *state, State::Busy) {
                State::Local(crm) => return Ok(*crm),
                State::Running(node) => {
                    *state = State::Running(node);
                    return Err(DekoError::state("sync is already running"));
                }
                State::Broken(e) => {
                    *state = State::Broken(e.clone());
                    return Err(e);
                }
                State::Busy => state = self.settled.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        }
    }

    /// The running node.
    pub(crate) fn node(&self) -> Result<Arc<Node>> {
        let mut state = lock(&self.state);
        loop {
            match &*state {
                State::Running(node) => return Ok(node.clone()),
                State::Local(_) => {
                    return Err(DekoError::state(
                        "sync is not running: start it (start_sync or join) first",
                    ));
                }
                State::Broken(e) => return Err(e.clone()),
                State::Busy => state = self.settled.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        }
    }

    /// Takes the running node out (the state is busy until settled).
    pub(crate) fn take_node(&self) -> Option<Arc<Node>> {
        let mut state = lock(&self.state);
        loop {
            match std::mem::replace(&mut *state, State::Busy) {
                State::Running(node) => return Some(node),
                other @ (State::Local(_) | State::Broken(_)) => {
                    *state = other;
                    return None;
                }
                State::Busy => state = self.settled.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        }
    }

    /// Ends a transition started by [`Database::take_crm`] or
    /// [`Database::take_node`].
    fn settle(&self, next: State) {
        *lock(&self.state) = next;
        self.settled.notify_all();
    }

    /// Guards the transition just begun with [`Database::take_crm`] or
    /// [`Database::take_node`] (see [`Transition`]).
    pub(crate) fn transition(&self) -> Transition<'_> {
        Transition {
            db: self,
            settled: false,
        }
    }

    /// Opens the database file again (after a node that owned the CRM ended
    /// or failed to start).
    pub(crate) fn reopen(&self) -> State {
        match Crm::open(&self.path) {
            Ok(crm) => State::Local(Box::new(crm)),
            Err(e) => {
                log::error!("cannot reopen {}: {e}", self.path.display());
                State::Broken(e.into())
            }
        }
    }
}

/// A start or stop of sync under way: the state is [`State::Busy`] and
/// every other call waits for it. It ends with [`Transition::settle`];
/// dropped without (the node's start or shutdown panicked), it opens the
/// database again, so that the waiting calls go on instead of waiting
/// forever.
pub(crate) struct Transition<'a> {
    db: &'a Database,
    settled: bool,
}

impl Transition<'_> {
    /// Ends the transition in `next`.
    pub(crate) fn settle(mut self, next: State) {
        self.settled = true;
        self.db.settle(next);
    }
}

impl Drop for Transition<'_> {
    fn drop(&mut self) {
        if !self.settled {
            log::error!("starting or stopping sync did not finish: the database is opened again");
            self.db.settle(self.db.reopen());
        }
    }
}

impl Drop for Database {
    /// A database dropped with sync running closes its endpoint (in the
    /// background) so the port and the connections are released.
    fn drop(&mut self) {
        if let State::Running(node) = std::mem::replace(&mut *lock(&self.state), State::Busy) {
            crate::runtime::handle().spawn(async move { node.shutdown().await });
        }
    }
}

#[uniffi::export]
impl Database {
    /// Opens (or creates) the database at `path`. `region` is the default
    /// phone region (ISO code such as "CZ") for numbers written without a
    /// country code; `null` keeps the database's own (CZ when new).
    #[uniffi::constructor]
    pub fn open(path: String, region: Option<String>) -> Result<Arc<Database>> {
        let mut crm = Crm::open(&path)?;
        if let Some(region) = region
            && !crm.region().code().eq_ignore_ascii_case(region.trim())
        {
            crm.set_region(region.trim())?;
        }
        Ok(Arc::new(Database {
            path: PathBuf::from(path),
            state: Mutex::new(State::Local(Box::new(crm))),
            settled: Condvar::new(),
            listeners: Arc::new(Mutex::new(Vec::new())),
            discovery: Mutex::new(None),
        }))
    }

    /// The database file.
    pub fn path(&self) -> String {
        self.path.display().to_string()
    }

    // ---- team and devices ------------------------------------------------

    /// The default phone region (ISO code).
    pub fn region(&self) -> Result<String> {
        self.with_crm(|c| Ok(c.region().code().to_string()))
    }

    /// Sets the default phone region (any ISO code libphonenumber knows)
    /// and re-indexes phone numbers under it.
    pub fn set_region(&self, region: String) -> Result<()> {
        self.with_crm(|c| c.set_region(region.trim()))
    }

    /// Every region the phone region can be (ISO codes, sorted).
    pub fn regions(&self) -> Vec<String> {
        deko_core::search::phone::Region::all()
            .iter()
            .map(|r| r.code().to_string())
            .collect()
    }

    /// A stored number as this database shows it: national grouping at
    /// home ("603 123 456"), international abroad ("+44 20 7946 0958").
    pub fn format_phone(&self, number: String) -> Result<String> {
        self.with_crm(|c| Ok(c.format_phone(&number)))
    }

    /// The locale lists are sorted by (BCP 47, e.g. "cs").
    pub fn locale(&self) -> Result<String> {
        self.with_crm(|c| Ok(c.locale().to_string()))
    }

    /// Sets the sort locale ("" = the region's language); sort keys are
    /// made anew.
    pub fn set_locale(&self, locale: String) -> Result<()> {
        self.with_crm(|c| c.set_locale(&locale))
    }

    /// This device's id (full base32 key).
    pub fn device_id(&self) -> Result<String> {
        self.with_crm(|c| Ok(c.store().device_id().to_string()))
    }

    /// This device's short fingerprint (`K3F9-2XQ7`).
    pub fn device_fingerprint(&self) -> Result<String> {
        self.with_crm(|c| Ok(c.store().device_id().fingerprint()))
    }

    /// The team, once founded or joined and its genesis is here.
    pub fn team(&self) -> Result<Option<TeamInfo>> {
        self.with_crm(|c| c.store_mut().team_info())
    }

    /// Founds a new team with this device as its first admin (and the
    /// default pipeline). Returns the team id.
    pub fn create_team(&self, team_name: String, person_name: String) -> Result<String> {
        self.with_crm(|c| Ok(c.create_team(&team_name, &person_name)?.to_string()))
    }

    /// Every device ever admitted (revoked ones included).
    pub fn devices(&self) -> Result<Vec<Device>> {
        self.with_crm(|c| c.store_mut().devices())
    }

    /// Revokes a device (admins only): its records so far stay, later ones
    /// are refused everywhere. Returns its last valid record number.
    pub fn revoke(&self, device: String) -> Result<u64> {
        let device = convert::device(&device)?;
        self.with_crm(|c| c.store_mut().revoke(device))
    }

    /// A hash of the roster and every entity's state: two devices holding
    /// the same records show the same digest.
    pub fn state_digest(&self) -> Result<String> {
        self.with_crm(|c| Ok(c.store_mut().state_digest()?.to_string()))
    }

    /// What the database holds.
    pub fn stats(&self) -> Result<Stats> {
        self.with_crm(|c| c.stats())
    }

    // ---- people and companies ----------------------------------------------

    /// Creates a person; returns the id.
    pub fn create_person(&self, draft: PersonDraft) -> Result<String> {
        let draft = draft.try_into()?;
        self.with_crm(|c| Ok(c.create_person(draft)?.to_string()))
    }

    /// Changes the non-null fields of `draft` on a person.
    pub fn update_person(&self, id: String, draft: PersonDraft) -> Result<()> {
        let id = convert::id(&id)?;
        let draft = draft.try_into()?;
        self.with_crm(|c| c.update_person(id, draft))
    }

    /// One person (also from the trash), or null.
    pub fn person(&self, id: String) -> Result<Option<Person>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.person(&id))
    }

    /// People, sorted and paged.
    pub fn people(&self, sort: SortBy, offset: u32, limit: u32) -> Result<Vec<Person>> {
        self.with_crm(|c| c.people(sort, &page(offset, limit)))
    }

    /// The people of a company.
    pub fn company_people(&self, company: String) -> Result<Vec<Person>> {
        let id = convert::id(&company)?;
        self.with_crm(|c| c.company_people(&id))
    }

    /// Creates a company; returns the id.
    pub fn create_company(&self, draft: CompanyDraft) -> Result<String> {
        let draft = draft.try_into()?;
        self.with_crm(|c| Ok(c.create_company(draft)?.to_string()))
    }

    /// Changes the non-null fields of `draft` on a company.
    pub fn update_company(&self, id: String, draft: CompanyDraft) -> Result<()> {
        let id = convert::id(&id)?;
        let draft = draft.try_into()?;
        self.with_crm(|c| c.update_company(id, draft))
    }

    /// One company, or null.
    pub fn company(&self, id: String) -> Result<Option<Company>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.company(&id))
    }

    /// Companies, sorted and paged.
    pub fn companies(&self, sort: SortBy, offset: u32, limit: u32) -> Result<Vec<Company>> {
        self.with_crm(|c| c.companies(sort, &page(offset, limit)))
    }

    /// The company with exactly this name (case-insensitive), if any.
    pub fn company_by_name(&self, name: String) -> Result<Option<String>> {
        self.with_crm(|c| Ok(c.company_by_name(&name)?.map(|i| i.to_string())))
    }

    /// The company a form's company field names: the one with this name
    /// (case-insensitive), or a new one with it; returns its id.
    pub fn company_named(&self, name: String) -> Result<String> {
        self.with_crm(|c| Ok(c.company_named(&name)?.to_string()))
    }

    // ---- any entity ------------------------------------------------------

    /// Moves any entity to the trash.
    pub fn delete(&self, id: String) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.delete(id))
    }

    /// Brings an entity back from the trash.
    pub fn restore(&self, id: String) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.restore(id))
    }

    /// What is in the trash (of one kind, or all), newest first.
    pub fn trash(&self, kind: Option<String>) -> Result<Vec<TrashItem>> {
        self.with_crm(|c| c.store().trash(kind.as_deref()))
    }

    /// The kind of an entity (person, company, call...), or null.
    pub fn kind_of(&self, id: String) -> Result<Option<String>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.kind_of(&id))
    }

    // ---- activities and calls ----------------------------------------------

    /// Logs a call in one step: matches the number to a person (or a
    /// company line) and returns them with their latest interactions.
    pub fn log_call(&self, call: CallInput) -> Result<LoggedCall> {
        self.with_crm(|c| c.log_call(call))
    }

    /// Who has this number (any written form): people, then companies.
    pub fn lookup_number(&self, number: String) -> Result<CallerMatch> {
        self.with_crm(|c| c.lookup_number(&number))
    }

    /// Whom a call with `number` is with, by name, as `logCall` will file
    /// it (the person with the number, else `give_to`, else the company
    /// with it): what the call sheet's follow-up task names.
    pub fn call_counterpart(
        &self,
        number: String,
        give_to: Option<String>,
    ) -> Result<Option<String>> {
        let give_to = give_to.map(|id| convert::id(&id)).transpose()?;
        self.with_crm(|c| c.call_counterpart(&number, give_to))
    }

    /// Numbers that called (or were called) and belong to nobody yet.
    pub fn unknown_numbers(&self, offset: u32, limit: u32) -> Result<Vec<UnknownNumber>> {
        self.with_crm(|c| c.unknown_numbers(&page(offset, limit)))
    }

    /// Gives `number` to a person (with `label`) and links its unlinked
    /// calls to them. Returns how many calls were linked.
    pub fn attach_number(&self, number: String, person: String, label: String) -> Result<u64> {
        let person = convert::id(&person)?;
        self.with_crm(|c| Ok(c.attach_number(&number, person, &label)? as u64))
    }

    /// Records a meeting; returns its id.
    pub fn log_meeting(&self, meeting: MeetingInput) -> Result<String> {
        self.with_crm(|c| Ok(c.log_meeting(meeting)?.to_string()))
    }

    /// Records a note; returns its id.
    pub fn add_note(&self, note: NoteInput) -> Result<String> {
        self.with_crm(|c| Ok(c.add_note(note)?.to_string()))
    }

    /// Changes the note of a call, meeting or note (null clears it).
    pub fn set_activity_note(&self, id: String, note: Option<String>) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.set_activity_note(id, note))
    }

    /// Links an activity to people and/or a company (replacing its links).
    pub fn link_activity(
        &self,
        id: String,
        people: Vec<String>,
        company: Option<String>,
    ) -> Result<()> {
        let id = convert::id(&id)?;
        let people = convert::ids(&people)?;
        let company = convert::opt_id(company.as_deref())?;
        self.with_crm(|c| c.link_activity(id, people, company))
    }

    /// One call, meeting or note, or null.
    pub fn activity(&self, id: String) -> Result<Option<Activity>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.activity(&id))
    }

    /// The latest calls, newest first.
    pub fn recent_calls(&self, offset: u32, limit: u32) -> Result<Vec<Activity>> {
        self.with_crm(|c| c.recent_calls(&page(offset, limit)))
    }

    /// Everything about a person or company, newest first.
    pub fn timeline(&self, id: String, offset: u32, limit: u32) -> Result<Vec<TimelineItem>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.timeline(&id, &page(offset, limit)))
    }

    /// People not called or met for `days` days as of `now` (ms).
    pub fn not_contacted_since(
        &self,
        days: u32,
        now: i64,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<Person>> {
        self.with_crm(|c| c.not_contacted_since(days, now, &page(offset, limit)))
    }

    // ---- tasks -----------------------------------------------------------

    /// Creates a task (it needs a title); returns the id.
    pub fn create_task(&self, draft: TaskDraft) -> Result<String> {
        let draft = draft.try_into()?;
        self.with_crm(|c| Ok(c.create_task(draft)?.to_string()))
    }

    /// Changes the non-null fields of `draft` on a task.
    pub fn update_task(&self, id: String, draft: TaskDraft) -> Result<()> {
        let id = convert::id(&id)?;
        let draft = draft.try_into()?;
        self.with_crm(|c| c.update_task(id, draft))
    }

    /// Marks a task done or open again.
    pub fn set_task_done(&self, id: String, done: bool) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.set_task_done(id, done))
    }

    /// One task, or null.
    pub fn task(&self, id: String) -> Result<Option<Task>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.task(&id))
    }

    /// Tasks by filter; "today" is the local day of `now` (ms) at
    /// `utc_offset_min` minutes from UTC.
    pub fn tasks(&self, filter: TaskFilter, now: i64, utc_offset_min: i32) -> Result<Vec<Task>> {
        self.with_crm(|c| c.tasks(filter, now, utc_offset_min))
    }

    // ---- deals and pipeline ----------------------------------------------

    /// Creates a deal (in the first stage unless the draft names one).
    pub fn create_deal(&self, draft: DealDraft) -> Result<String> {
        let draft = draft.try_into()?;
        self.with_crm(|c| Ok(c.create_deal(draft)?.to_string()))
    }

    /// Changes the non-null fields of `draft` on a deal.
    pub fn update_deal(&self, id: String, draft: DealDraft) -> Result<()> {
        let id = convert::id(&id)?;
        let draft = draft.try_into()?;
        self.with_crm(|c| c.update_deal(id, draft))
    }

    /// One deal, or null.
    pub fn deal(&self, id: String) -> Result<Option<Deal>> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.deal(&id))
    }

    /// The pipeline stages in order.
    pub fn stages(&self) -> Result<Vec<Stage>> {
        self.with_crm(|c| c.stages())
    }

    /// Adds a stage at the end of the pipeline (admins only).
    pub fn add_stage(&self, name: String, outcome: StageOutcome) -> Result<String> {
        self.with_crm(|c| Ok(c.add_stage(&name, outcome)?.to_string()))
    }

    /// Renames a stage (admins only).
    pub fn rename_stage(&self, id: String, name: String) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.rename_stage(id, &name))
    }

    /// Moves a stage to `index` in the pipeline (admins only).
    pub fn move_stage(&self, id: String, index: u32) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.move_stage(id, index as usize))
    }

    /// The pipeline: every stage with its deals and totals.
    pub fn pipeline(&self) -> Result<Vec<PipelineColumn>> {
        self.with_crm(|c| c.pipeline())
    }

    // ---- custom fields ---------------------------------------------------

    /// Defines a custom field on "person", "company" or "deal" (admins only).
    pub fn define_field(
        &self,
        name: String,
        target: String,
        field_type: FieldType,
        choices: Vec<String>,
    ) -> Result<String> {
        self.with_crm(|c| {
            Ok(c.define_field(&name, &target, field_type, choices)?
                .to_string())
        })
    }

    /// Renames a custom field (values stay).
    pub fn rename_field(&self, id: String, name: String) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.rename_field(id, &name))
    }

    /// Custom field definitions (of one target, or all), in display order.
    pub fn field_defs(&self, target: Option<String>) -> Result<Vec<FieldDef>> {
        self.with_crm(|c| c.field_defs(target.as_deref()))
    }

    /// The custom field of `target` ("person", "company" or "deal") named
    /// `name` (case-insensitive), or null. Two fields of one name (defined
    /// on two devices at once) throw `ConflictNeedsResolution`.
    pub fn field_def_by_name(&self, target: String, name: String) -> Result<Option<FieldDef>> {
        self.with_crm(|c| c.field_def_by_name(&target, &name))
    }

    // ---- search and conflicts --------------------------------------------

    /// Searches as you type: every word must match (the last as a prefix),
    /// case- and diacritics-insensitive, best first.
    pub fn search(&self, input: String, offset: u32, limit: u32) -> Result<Vec<SearchHit>> {
        self.with_crm(|c| c.search(&input, offset as usize, limit as usize))
    }

    /// Every field in conflict, with all its values, whose it is (`name`)
    /// and who wrote each (`by`).
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        self.with_crm(|c| c.conflicts())
    }

    /// Resolves a conflict by writing `value` over every concurrent value.
    pub fn resolve(&self, id: String, field: String, value: Value) -> Result<()> {
        let id = convert::id(&id)?;
        self.with_crm(|c| c.store_mut().resolve(id, &field, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A start of sync that panics half-way (here: the thread that took the
    /// CRM) must not leave every later call waiting for it forever.
    #[test]
    fn a_transition_that_ends_without_settling_opens_the_database_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deko.db").display().to_string();
        let db = Database::open(path, None).unwrap();
        db.create_team("Acme".into(), "Alena".into()).unwrap();
        let taken = std::thread::scope(|s| {
            s.spawn(|| {
                let crm = db.take_crm().unwrap();
                let _transition = db.transition();
                drop(crm);
                panic!("the node did not start");
            })
            .join()
        });
        assert!(taken.is_err(), "the thread panicked");
        // Busy would block here; the guard opened the file again instead.
        assert!(matches!(*lock(&db.state), State::Local(_)));
        assert_eq!(db.region().unwrap(), "CZ");
        assert!(!db.sync_running());
    }

    /// A settled transition leaves what it was given.
    #[test]
    fn a_settled_transition_keeps_its_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deko.db").display().to_string();
        let db = Database::open(path, None).unwrap();
        let crm = db.take_crm().unwrap();
        db.transition().settle(State::Local(Box::new(crm)));
        assert!(matches!(*lock(&db.state), State::Local(_)));
    }
}
