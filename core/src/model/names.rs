//! The names a read shows beside the ids it links to (a task's person, a
//! deal's company and contact, whose field is in conflict and who wrote
//! each value), read from the views in one indexed lookup each, so that no
//! face looks them up one by one itself.

use rusqlite::OptionalExtension;

use super::types::display_name;
use super::{Crm, kind};
use crate::error::Result;
use crate::record::EntityId;
use crate::store::Conflict;

impl Crm {
    /// Every field in conflict, as [`Store::conflicts`](crate::store::Store::conflicts)
    /// reads it, with what each entity is called (`Conflict::name`) and
    /// who wrote each value (`ConflictValue::by`, from the roster).
    pub fn conflicts(&mut self) -> Result<Vec<Conflict>> {
        let roster = self.store.roster()?;
        let mut all = self.store.conflicts()?;
        for c in &mut all {
            c.name = self.entity_name(&c.kind, &c.entity)?;
            for v in &mut c.values {
                v.by = roster
                    .as_ref()
                    .and_then(|r| r.members.get(&v.author))
                    .map(|m| m.person_name.clone());
            }
        }
        Ok(all)
    }

    /// What entity `id` of `kind` is called, for the kinds people name.
    fn entity_name(&self, of: &str, id: &EntityId) -> Result<Option<String>> {
        match of {
            kind::PERSON => self.person_name(Some(id)),
            kind::COMPANY => self.company_name(Some(id)),
            kind::DEAL => self.deal_title(Some(id)),
            kind::TASK => self.text_of("SELECT title FROM tasks WHERE id = ?1", Some(id)),
            _ => Ok(None),
        }
    }

    /// The name of person `id` as a person reads (`display_name`); `None`
    /// for no id, or one the views do not hold (yet).
    pub(crate) fn person_name(&self, id: Option<&EntityId>) -> Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        let parts: Option<(Option<String>, Option<String>)> = self
            .store
            .conn()
            .prepare_cached("SELECT given, family FROM people WHERE id = ?1")?
            .query_row([&id.0[..]], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(parts.map(|(g, f)| display_name(g.as_deref(), f.as_deref())))
    }

    /// The name of company `id`, as `person_name`.
    pub(crate) fn company_name(&self, id: Option<&EntityId>) -> Result<Option<String>> {
        self.text_of("SELECT name FROM companies WHERE id = ?1", id)
    }

    /// The title of deal `id`, as `person_name`.
    pub(crate) fn deal_title(&self, id: Option<&EntityId>) -> Result<Option<String>> {
        self.text_of("SELECT title FROM deals WHERE id = ?1", id)
    }

    fn text_of(&self, sql: &str, id: Option<&EntityId>) -> Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        Ok(self
            .store
            .conn()
            .prepare_cached(sql)?
            .query_row([&id.0[..]], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }
}
