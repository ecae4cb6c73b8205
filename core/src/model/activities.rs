//! Activities: calls, meetings and notes, each linked to people and/or a
//! company and attributed to the device (and so the person) that wrote it.

use super::fields::{Fields, opt_ref, opt_text};
use super::types::{Activity, ActivityKind, Direction};
use super::{Crm, kind};
use crate::error::{Error, Result};
use crate::record::{EntityId, Value};
use crate::store::Entity;

/// A meeting to record.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingInput {
    /// Start (ms since epoch).
    pub start: i64,
    /// End (ms since epoch).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub end: Option<i64>,
    /// Where.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub place: Option<String>,
    /// Who took part.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub attendees: Vec<EntityId>,
    /// The company it concerned.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company: Option<EntityId>,
    /// Free note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
}

/// A note to record.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NoteInput {
    /// When (ms since epoch).
    pub at: i64,
    /// The text.
    pub text: String,
    /// About whom.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub people: Vec<EntityId>,
    /// About which company.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company: Option<EntityId>,
}

impl Crm {
    pub(crate) fn check_links(&self, people: &[EntityId], company: Option<EntityId>) -> Result<()> {
        for p in people {
            self.check_kind(p, &[kind::PERSON])?;
        }
        if let Some(c) = company {
            self.check_kind(&c, &[kind::COMPANY])?;
        }
        Ok(())
    }

    /// Records a meeting.
    pub fn log_meeting(&mut self, m: MeetingInput) -> Result<EntityId> {
        let f = self.new_meeting(m)?;
        self.store.put(kind::MEETING, None, f)
    }

    /// A new meeting's fields, checked as `log_meeting` checks them.
    pub(super) fn new_meeting(&self, m: MeetingInput) -> Result<Vec<(String, Value)>> {
        self.check_links(&m.attendees, m.company)?;
        if m.end.is_some_and(|e| e < m.start) {
            return Err(Error::invalid(
                "end",
                "a meeting cannot end before it starts",
            ));
        }
        let mut f = vec![
            ("at".to_string(), Value::Time(m.start)),
            (
                "end".to_string(),
                m.end.map(Value::Time).unwrap_or(Value::Null),
            ),
            ("place".to_string(), opt_text(m.place)),
            ("note".to_string(), opt_text(m.note)),
            ("company".to_string(), opt_ref(m.company)),
        ];
        if !m.attendees.is_empty() {
            f.push(("people".into(), Value::Refs(m.attendees)));
        }
        Ok(f)
    }

    /// Records a note about people and/or a company.
    pub fn add_note(&mut self, n: NoteInput) -> Result<EntityId> {
        let f = self.new_note(n)?;
        self.store.put(kind::NOTE, None, f)
    }

    /// A new note's fields, checked as `add_note` checks them.
    pub(super) fn new_note(&self, n: NoteInput) -> Result<Vec<(String, Value)>> {
        if n.text.trim().is_empty() {
            return Err(Error::invalid("text", "a note needs some text"));
        }
        self.check_links(&n.people, n.company)?;
        let mut f = vec![
            ("at".to_string(), Value::Time(n.at)),
            ("note".to_string(), opt_text(Some(n.text))),
            ("company".to_string(), opt_ref(n.company)),
        ];
        if !n.people.is_empty() {
            f.push(("people".into(), Value::Refs(n.people)));
        }
        Ok(f)
    }

    /// Changes the note of a call, meeting or note.
    pub fn set_activity_note(&mut self, id: EntityId, note: Option<String>) -> Result<()> {
        let e = self.expect_kind(&id, &[kind::CALL, kind::MEETING, kind::NOTE])?;
        self.store
            .put(&e.kind, Some(id), vec![("note".into(), opt_text(note))])?;
        Ok(())
    }

    /// Links an activity to people and/or a company (replacing its links).
    pub fn link_activity(
        &mut self,
        id: EntityId,
        people: Vec<EntityId>,
        company: Option<EntityId>,
    ) -> Result<()> {
        let e = self.expect_kind(&id, &[kind::CALL, kind::MEETING, kind::NOTE])?;
        self.check_links(&people, company)?;
        let people = if people.is_empty() {
            Value::Null
        } else {
            Value::Refs(people)
        };
        self.store.put(
            &e.kind,
            Some(id),
            vec![
                ("people".into(), people),
                ("company".into(), opt_ref(company)),
            ],
        )?;
        Ok(())
    }

    /// One activity.
    pub fn activity(&mut self, id: &EntityId) -> Result<Option<Activity>> {
        match self.store.get(id)? {
            Some(e) if [kind::CALL, kind::MEETING, kind::NOTE].contains(&e.kind.as_str()) => {
                Ok(Some(self.read_activity(&e)?))
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn read_activity(&mut self, e: &Entity) -> Result<Activity> {
        let s = &e.state;
        let kind = match e.kind.as_str() {
            kind::CALL => ActivityKind::Call {
                direction: s
                    .text("direction")
                    .and_then(|d| Direction::parse(&d))
                    .unwrap_or(Direction::Out),
                number: s.text("number"),
                duration_s: s.int("duration").unwrap_or(0),
                outcome: s.text("outcome"),
            },
            kind::MEETING => ActivityKind::Meeting {
                end: s.time("end"),
                place: s.text("place"),
            },
            _ => ActivityKind::Note,
        };
        let device = s.kind_from.map(|v| v.author);
        let by = match device {
            Some(d) => self
                .store
                .roster()?
                .and_then(|r| r.members.get(&d).map(|m| m.person_name.clone())),
            None => None,
        };
        Ok(Activity {
            id: e.id,
            kind,
            at: s
                .time("at")
                .unwrap_or_else(|| super::projection::created_ms(&e.id)),
            people: s.refs("people"),
            company: s.reference("company"),
            note: s.text("note"),
            device,
            by,
            deleted: e.deleted,
        })
    }
}
