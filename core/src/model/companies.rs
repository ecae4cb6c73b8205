//! Companies: create, edit, read, list.

use rusqlite::params;

use super::custom::{custom_values, validate_custom};
use super::fields::{Fields, opt_text};
use super::people::{emails_value, phones_value};
use super::types::{Company, CompanyDraft, Page, SortBy};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::record::{EntityId, Value};
use crate::store::Entity;

impl Crm {
    /// Creates a company; it needs a name.
    pub fn create_company(&mut self, draft: CompanyDraft) -> Result<EntityId> {
        let fields = self.new_company(draft)?;
        self.store.put(kind::COMPANY, None, fields)
    }

    /// A new company's fields, checked as `create_company` checks them.
    pub(super) fn new_company(&self, draft: CompanyDraft) -> Result<Vec<(String, Value)>> {
        if draft.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::invalid("name", "a company needs a name"));
        }
        self.company_fields(draft, false)
    }

    /// Changes the fields of `draft` that are `Some` on a company.
    pub fn update_company(&mut self, id: EntityId, draft: CompanyDraft) -> Result<()> {
        self.check_kind(&id, &[kind::COMPANY])?;
        if draft.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::invalid("name", "a company needs a name"));
        }
        let fields = self.company_fields(draft, false)?;
        if !fields.is_empty() {
            self.store.put(kind::COMPANY, Some(id), fields)?;
        }
        Ok(())
    }

    pub(crate) fn company_fields(
        &self,
        d: CompanyDraft,
        lenient: bool,
    ) -> Result<Vec<(String, Value)>> {
        let mut f: Vec<(String, Value)> = Vec::new();
        for (name, v) in [
            ("name", d.name),
            ("website", d.website),
            ("address", d.address),
            ("industry", d.industry),
            ("note", d.note),
        ] {
            if let Some(v) = v {
                f.push((name.into(), opt_text(Some(v))));
            }
        }
        if let Some(v) = d.phones {
            f.push(("phones".into(), phones_value(v, self.region, lenient)?));
        }
        if let Some(v) = d.emails {
            f.push(("emails".into(), emails_value(v)?));
        }
        f.extend(validate_custom(self.store.conn(), kind::COMPANY, d.custom)?);
        Ok(f)
    }

    /// One company, trashed or not.
    pub fn company(&self, id: &EntityId) -> Result<Option<Company>> {
        match self.store.get(id)? {
            Some(e) if e.kind == kind::COMPANY => Ok(Some(self.read_company(&e)?)),
            _ => Ok(None),
        }
    }

    /// Companies not in the trash, by name or by last change.
    pub fn companies(&self, sort: SortBy, page: &Page) -> Result<Vec<Company>> {
        let sql = match sort {
            SortBy::Name => {
                "SELECT id FROM companies WHERE deleted = 0 ORDER BY sort_name, id LIMIT ?1 OFFSET ?2"
            }
            SortBy::Updated => {
                "SELECT id FROM companies WHERE deleted = 0 ORDER BY updated DESC, id LIMIT ?1 OFFSET ?2"
            }
        };
        let mut out = Vec::new();
        for id in self.ids(sql, params![page.limit as i64, page.offset as i64])? {
            out.extend(self.company(&id)?);
        }
        Ok(out)
    }

    /// A company by exact name (case-insensitive; as the database's
    /// collation compares names), not in the trash.
    pub fn company_by_name(&self, name: &str) -> Result<Option<EntityId>> {
        let key = self.collation.sort_key(name);
        super::import_plan::company_by_key(self.store.conn(), &key)
    }

    /// The company a form's company field names: the one with this name
    /// (as [`Crm::company_by_name`] finds it), or a new one with it. One
    /// call, so that two faces typing the same new name a moment apart
    /// on one device get one company, and no face holds this rule itself.
    pub fn company_named(&mut self, name: &str) -> Result<EntityId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a company needs a name"));
        }
        if let Some(id) = self.company_by_name(name)? {
            return Ok(id);
        }
        self.create_company(CompanyDraft {
            name: Some(name.to_string()),
            ..Default::default()
        })
    }

    pub(crate) fn read_company(&self, e: &Entity) -> Result<Company> {
        let s = &e.state;
        Ok(Company {
            id: e.id,
            name: s.text("name"),
            phones: self.read_phones(s),
            emails: s.texts("emails"),
            website: s.text("website"),
            address: s.text("address"),
            industry: s.text("industry"),
            note: s.text("note"),
            custom: custom_values(self.store.conn(), s)?,
            deleted: e.deleted,
            conflicts: s
                .conflicted_fields()
                .into_iter()
                .map(String::from)
                .collect(),
        })
    }
}
