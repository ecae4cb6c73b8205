//! Deals and the pipeline: stages are data (admins add, rename and reorder
//! them; synced), deals sit in a stage, the pipeline shows each stage with
//! its deals and totals per currency.

use rusqlite::{OptionalExtension, params};

use super::custom::{custom_values, validate_custom};
use super::fields::{Fields, opt_ref, opt_text, opt_time};
use super::types::{CurrencyTotal, Deal, DealDraft, Money, PipelineColumn, Stage, StageOutcome};
use super::{Crm, kind};
use crate::error::{Error, Result, StoreError};
use crate::record::{EntityId, Value};

impl Crm {
    /// Creates a deal; it needs a title. Without a stage it starts in the
    /// first stage of the pipeline.
    pub fn create_deal(&mut self, draft: DealDraft) -> Result<EntityId> {
        let first = self.stages()?.first().map(|s| s.id);
        let f = self.new_deal(draft, first)?;
        self.store.put(kind::DEAL, None, f)
    }

    /// A new deal's fields, checked as `create_deal` checks them (`first`:
    /// the pipeline's first stage, where a deal without one starts).
    pub(super) fn new_deal(
        &self,
        mut draft: DealDraft,
        first: Option<EntityId>,
    ) -> Result<Vec<(String, Value)>> {
        if draft.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(Error::invalid("title", "a deal needs a title"));
        }
        if draft.stage.is_none() {
            draft.stage = first;
        }
        self.deal_fields(draft)
    }

    /// Changes the fields of `draft` that are `Some` on a deal.
    pub fn update_deal(&mut self, id: EntityId, draft: DealDraft) -> Result<()> {
        self.check_kind(&id, &[kind::DEAL])?;
        let f = self.deal_fields(draft)?;
        if !f.is_empty() {
            self.store.put(kind::DEAL, Some(id), f)?;
        }
        Ok(())
    }

    fn deal_fields(&self, d: DealDraft) -> Result<Vec<(String, Value)>> {
        let mut f = Vec::new();
        if let Some(t) = d.title {
            if t.trim().is_empty() {
                return Err(Error::invalid("title", "a deal needs a title"));
            }
            f.push(("title".to_string(), opt_text(Some(t))));
        }
        if let Some(v) = d.company {
            if let Some(id) = v {
                self.check_kind(&id, &[kind::COMPANY])?;
            }
            f.push(("company".into(), opt_ref(v)));
        }
        if let Some(v) = d.contact {
            if let Some(id) = v {
                self.check_kind(&id, &[kind::PERSON])?;
            }
            f.push(("contact".into(), opt_ref(v)));
        }
        if let Some(v) = d.value {
            f.push((
                "value".into(),
                match v {
                    Some(Money { minor, currency }) => Value::Money {
                        minor,
                        currency: super::money::currency_code(&currency)?,
                    },
                    None => Value::Null,
                },
            ));
        }
        if let Some(stage) = d.stage {
            self.check_kind(&stage, &[kind::STAGE])?;
            f.push(("stage".into(), Value::Ref(stage)));
        }
        if let Some(v) = d.expected_close {
            f.push(("expected_close".into(), opt_time(v)));
        }
        if let Some(v) = d.owner {
            f.push(("owner".into(), opt_ref(v)));
        }
        f.extend(validate_custom(self.store.conn(), kind::DEAL, d.custom)?);
        Ok(f)
    }

    /// One deal.
    pub fn deal(&self, id: &EntityId) -> Result<Option<Deal>> {
        match self.store.get(id)? {
            Some(e) if e.kind == kind::DEAL => {
                let s = &e.state;
                let stage = s.reference("stage");
                let stage_name = match stage {
                    Some(st) => self
                        .store
                        .conn()
                        .prepare_cached("SELECT name FROM stages WHERE id = ?1")?
                        .query_row([&st.0[..]], |r| r.get(0))
                        .optional()?,
                    None => None,
                };
                let (company, contact) = (s.reference("company"), s.reference("contact"));
                Ok(Some(Deal {
                    id: e.id,
                    title: s.text("title").unwrap_or_default(),
                    company_name: self.company_name(company.as_ref())?,
                    contact_name: self.person_name(contact.as_ref())?,
                    company,
                    contact,
                    value: s.money("value"),
                    stage,
                    expected_close: s.time("expected_close"),
                    owner: s.reference("owner"),
                    custom: custom_values(self.store.conn(), s)?,
                    deleted: e.deleted,
                    conflicts: s
                        .conflicted_fields()
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    stage_name,
                }))
            }
            _ => Ok(None),
        }
    }

    /// The pipeline's stages in order.
    pub fn stages(&self) -> Result<Vec<Stage>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id, name, position, outcome FROM stages WHERE deleted = 0 ORDER BY position, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, position, outcome) = row?;
            out.push(Stage {
                id: EntityId::from_slice(&id)?,
                name,
                position,
                outcome: StageOutcome::parse(&outcome),
            });
        }
        Ok(out)
    }

    fn require_stage_admin(&mut self) -> Result<()> {
        let me = self.store.device_id();
        match self.store.roster()? {
            Some(r) if r.is_admin(&me) => Ok(()),
            Some(_) => Err(Error::Store(StoreError::NotAdmin("change the pipeline"))),
            None => Err(Error::Store(StoreError::NotAMember)),
        }
    }

    /// Adds a stage at the end of the pipeline. Admins only.
    pub fn add_stage(&mut self, name: &str, outcome: StageOutcome) -> Result<EntityId> {
        self.require_stage_admin()?;
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "a stage needs a name"));
        }
        let last = self.stages()?.last().map(|s| s.position).unwrap_or(-1.0);
        self.store.put(
            kind::STAGE,
            None,
            vec![
                ("name".into(), Value::Text(name.trim().into())),
                ("position".into(), Value::Float(last + 1.0)),
                ("outcome".into(), Value::Text(outcome.as_str().into())),
            ],
        )
    }

    /// Renames a stage. Admins only.
    pub fn rename_stage(&mut self, id: EntityId, name: &str) -> Result<()> {
        self.require_stage_admin()?;
        self.check_kind(&id, &[kind::STAGE])?;
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "a stage needs a name"));
        }
        self.store.put(
            kind::STAGE,
            Some(id),
            vec![("name".into(), Value::Text(name.trim().into()))],
        )?;
        Ok(())
    }

    /// Moves a stage to `index` (0 = first) in the pipeline. Admins only.
    /// Only the moved stage is written (its position goes between its new
    /// neighbours), so concurrent moves of different stages never conflict.
    pub fn move_stage(&mut self, id: EntityId, index: usize) -> Result<()> {
        self.require_stage_admin()?;
        let mut stages = self.stages()?;
        let from = stages
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| Error::NotFound {
                kind: "stage".into(),
                id: id.to_string(),
            })?;
        let moved = stages.remove(from);
        let index = index.min(stages.len());
        let before = index.checked_sub(1).map(|i| stages[i].position);
        let after = stages.get(index).map(|s| s.position);
        let position = match (before, after) {
            (Some(b), Some(a)) => (a + b) / 2.0,
            (Some(b), None) => b + 1.0,
            (None, Some(a)) => a - 1.0,
            (None, None) => 0.0,
        };
        if position != moved.position {
            self.store.put(
                kind::STAGE,
                Some(id),
                vec![("position".into(), Value::Float(position))],
            )?;
        }
        Ok(())
    }

    /// Every stage with its deals (most valuable first) and totals per
    /// currency. Deals without a (known) stage are not shown.
    pub fn pipeline(&self) -> Result<Vec<PipelineColumn>> {
        let mut out = Vec::new();
        for stage in self.stages()? {
            let conn = self.store.conn();
            let totals: Vec<CurrencyTotal> = conn
                .prepare_cached(
                    "SELECT currency, sum(value_minor) FROM deals
                     WHERE deleted = 0 AND stage = ?1 AND currency IS NOT NULL GROUP BY currency ORDER BY currency",
                )?
                .query_map([&stage.id.0[..]], |r| {
                    Ok(CurrencyTotal {
                        currency: r.get(0)?,
                        minor: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let ids: Vec<Vec<u8>> = conn
                .prepare_cached(
                    "SELECT id FROM deals WHERE deleted = 0 AND stage = ?1 ORDER BY value_minor DESC, id",
                )?
                .query_map(params![&stage.id.0[..]], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut deals = Vec::with_capacity(ids.len());
            for id in ids {
                deals.extend(self.deal(&EntityId::from_slice(&id)?)?);
            }
            out.push(PipelineColumn {
                stage,
                count: deals.len() as u64,
                totals,
                deals,
            });
        }
        Ok(out)
    }
}
