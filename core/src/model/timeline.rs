//! A person's or company's history (activities, tasks, deals by time,
//! newest first, paged), recent calls, and people not contacted lately.

use rusqlite::params;
use serde::Serialize;

use super::types::{Activity, Page, Person};
use super::{Crm, kind};
use crate::error::Result;
use crate::record::EntityId;

/// What a timeline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TimelineKind {
    /// A call taken or made.
    Call,
    /// A missed call.
    Missed,
    /// A meeting.
    Meeting,
    /// A note.
    Note,
    /// A task (at its due time, or when it was made).
    Task,
    /// A deal (at its expected close, or when it was made).
    Deal,
}

impl TimelineKind {
    fn parse(s: &str) -> TimelineKind {
        match s {
            "call" => TimelineKind::Call,
            "missed" => TimelineKind::Missed,
            "meeting" => TimelineKind::Meeting,
            "task" => TimelineKind::Task,
            "deal" => TimelineKind::Deal,
            _ => TimelineKind::Note,
        }
    }
}

/// One entry of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimelineItem {
    /// The activity, task or deal.
    pub id: EntityId,
    /// What it is.
    pub kind: TimelineKind,
    /// When (ms since epoch).
    pub at: i64,
    /// A one-line summary (the note's first line, the task's title...).
    pub summary: String,
}

impl Crm {
    /// Everything about a person or company, newest first.
    pub fn timeline(&self, target: &EntityId, page: &Page) -> Result<Vec<TimelineItem>> {
        let rows: Vec<(Vec<u8>, String, i64)> = {
            let mut stmt = self.store.conn().prepare_cached(
                "SELECT entity, kind, at FROM links WHERE target = ?1 ORDER BY at DESC, entity DESC LIMIT ?2 OFFSET ?3",
            )?;
            stmt.query_map(
                params![&target.0[..], page.limit as i64, page.offset as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, k, at) in rows {
            let id = EntityId::from_slice(&id)?;
            let summary = match self.store.get(&id)? {
                Some(e) => summary_of(&e),
                None => String::new(),
            };
            out.push(TimelineItem {
                id,
                kind: TimelineKind::parse(&k),
                at,
                summary,
            });
        }
        Ok(out)
    }

    /// The latest calls of the whole team, newest first.
    pub fn recent_calls(&mut self, page: &Page) -> Result<Vec<Activity>> {
        let ids = self.ids(
            "SELECT id FROM activities WHERE deleted = 0 AND kind = 'call' ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2",
            params![page.limit as i64, page.offset as i64],
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.activity(&id)?);
        }
        Ok(out)
    }

    /// People with no call or meeting in the last `days` days before `now`
    /// (never contacted first, then longest ago).
    pub fn not_contacted_since(&self, days: u32, now: i64, page: &Page) -> Result<Vec<Person>> {
        let cutoff = now.saturating_sub(i64::from(days) * 24 * 60 * 60 * 1000);
        self.people_by(
            // ifnull(..., -1): never contacted first, and one index range
            // (people_by_contact) for "before the cutoff".
            "SELECT id FROM people WHERE deleted = 0 AND ifnull(last_contact, -1) < ?1
             ORDER BY ifnull(last_contact, -1), sort_name LIMIT ?2 OFFSET ?3",
            params![cutoff, page.limit as i64, page.offset as i64],
        )
    }
}

fn summary_of(e: &crate::store::Entity) -> String {
    use super::fields::Fields;
    let s = &e.state;
    let text = match e.kind.as_str() {
        kind::TASK | kind::DEAL => s.text("title"),
        kind::CALL => {
            let dir = s.text("direction").unwrap_or_default();
            let secs = s.int("duration").unwrap_or(0);
            let head = format!("{dir} call, {}:{:02}", secs / 60, secs % 60);
            Some(match s.text("note") {
                Some(n) => format!("{head}: {n}"),
                None => head,
            })
        }
        _ => s.text("note"),
    };
    let text = text.unwrap_or_default();
    let line = text.lines().next().unwrap_or("");
    line.chars().take(120).collect()
}
