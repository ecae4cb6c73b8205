//! Tasks: to-dos with a due time, an assignee and what they are about;
//! the overdue and due-today lists.

use rusqlite::params;

use super::fields::{Fields, opt_ref, opt_text, opt_time};
use super::types::{Task, TaskDraft};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::record::{EntityId, Value};

/// Which tasks to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TaskFilter {
    /// Open tasks due before today (local time).
    Overdue,
    /// Open tasks due today (local time).
    DueToday,
    /// All open tasks, soonest due first (undated last).
    Open,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl Crm {
    /// Creates a task; it needs a title.
    pub fn create_task(&mut self, draft: TaskDraft) -> Result<EntityId> {
        let f = self.new_task(draft)?;
        self.store.put(kind::TASK, None, f)
    }

    /// A new task's fields, checked as `create_task` checks them.
    pub(super) fn new_task(&self, draft: TaskDraft) -> Result<Vec<(String, Value)>> {
        if draft.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(Error::invalid("title", "a task needs a title"));
        }
        self.task_fields(draft)
    }

    /// Changes the fields of `draft` that are `Some` on a task.
    pub fn update_task(&mut self, id: EntityId, draft: TaskDraft) -> Result<()> {
        self.check_kind(&id, &[kind::TASK])?;
        let f = self.task_fields(draft)?;
        if !f.is_empty() {
            self.store.put(kind::TASK, Some(id), f)?;
        }
        Ok(())
    }

    /// Marks a task done (or not done).
    pub fn set_task_done(&mut self, id: EntityId, done: bool) -> Result<()> {
        self.update_task(
            id,
            TaskDraft {
                done: Some(done),
                ..Default::default()
            },
        )
    }

    fn task_fields(&self, d: TaskDraft) -> Result<Vec<(String, Value)>> {
        let mut f = Vec::new();
        if let Some(t) = d.title {
            if t.trim().is_empty() {
                return Err(Error::invalid("title", "a task needs a title"));
            }
            f.push(("title".to_string(), opt_text(Some(t))));
        }
        if let Some(v) = d.due {
            f.push(("due".into(), opt_time(v)));
        }
        if let Some(v) = d.done {
            f.push(("done".into(), Value::Bool(v)));
        }
        if let Some(v) = d.assignee {
            f.push(("assignee".into(), opt_ref(v)));
        }
        for (name, v, k) in [
            ("person", d.person, kind::PERSON),
            ("company", d.company, kind::COMPANY),
            ("deal", d.deal, kind::DEAL),
        ] {
            if let Some(v) = v {
                if let Some(id) = v {
                    self.check_kind(&id, &[k])?;
                }
                f.push((name.into(), opt_ref(v)));
            }
        }
        Ok(f)
    }

    /// One task.
    pub fn task(&self, id: &EntityId) -> Result<Option<Task>> {
        match self.store.get(id)? {
            Some(e) if e.kind == kind::TASK => {
                let s = &e.state;
                let (person, company, deal) = (
                    s.reference("person"),
                    s.reference("company"),
                    s.reference("deal"),
                );
                Ok(Some(Task {
                    id: e.id,
                    title: s.text("title").unwrap_or_default(),
                    due: s.time("due"),
                    done: s.flag("done").unwrap_or(false),
                    assignee: s.reference("assignee"),
                    person_name: self.person_name(person.as_ref())?,
                    company_name: self.company_name(company.as_ref())?,
                    deal_title: self.deal_title(deal.as_ref())?,
                    person,
                    company,
                    deal,
                    deleted: e.deleted,
                }))
            }
            _ => Ok(None),
        }
    }

    /// Open tasks by `filter`, as of `now` (ms since epoch) in a time zone
    /// `utc_offset_min` minutes east of UTC (what "today" means).
    pub fn tasks(&self, filter: TaskFilter, now: i64, utc_offset_min: i32) -> Result<Vec<Task>> {
        let offset = i64::from(utc_offset_min) * 60_000;
        let local = now.saturating_add(offset);
        let today_start = local
            .saturating_sub(local.rem_euclid(DAY_MS))
            .saturating_sub(offset);
        let (from, to) = match filter {
            TaskFilter::Overdue => (i64::MIN, today_start),
            TaskFilter::DueToday => (today_start, today_start.saturating_add(DAY_MS)),
            TaskFilter::Open => (i64::MIN, i64::MAX),
        };
        let sql = if filter == TaskFilter::Open {
            "SELECT id FROM tasks WHERE done = 0 AND deleted = 0 ORDER BY due IS NULL, due, id"
        } else {
            "SELECT id FROM tasks WHERE done = 0 AND deleted = 0 AND due >= ?1 AND due < ?2 ORDER BY due, id"
        };
        let ids = if filter == TaskFilter::Open {
            self.ids(sql, [])?
        } else {
            self.ids(sql, params![from, to])?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.task(&id)?);
        }
        Ok(out)
    }
}
