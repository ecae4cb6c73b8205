//! Creating many things at once: generated sample data, loads from other
//! systems. Each item is checked exactly as its one-at-a-time call checks
//! it (`create_person`, `record_call`, ...), then all are stored in one
//! go by [`Store::create_many`](crate::store::Store::create_many), which
//! signs on a second thread.

use super::{
    CallRecord, CompanyDraft, Crm, DealDraft, MeetingInput, NoteInput, PersonDraft, TaskDraft, kind,
};
use crate::error::Result;
use crate::record::EntityId;
use crate::store::NewEntity;

/// One thing to create in a batch.
#[derive(Clone, Debug)]
pub enum NewItem {
    /// A company, as `create_company`.
    Company(CompanyDraft),
    /// A person, as `create_person`.
    Person(PersonDraft),
    /// A deal, as `create_deal`.
    Deal(DealDraft),
    /// A task, as `create_task`.
    Task(TaskDraft),
    /// A call, as `record_call`.
    Call(CallRecord),
    /// A meeting, as `log_meeting`.
    Meeting(MeetingInput),
    /// A note, as `add_note`.
    Note(NoteInput),
}

impl Crm {
    /// Creates `items` in order, in one durable transaction; returns their
    /// ids in the same order. An item may refer only to entities already
    /// stored (create companies in one batch, then their people in the
    /// next). All or nothing: the first refused item is the error and
    /// nothing is kept. `progress` is told how many are stored now and
    /// then.
    pub fn create_batch(
        &mut self,
        items: Vec<NewItem>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<EntityId>> {
        let mut first_stage = None;
        let mut planned = Vec::with_capacity(items.len());
        for item in items {
            let (k, fields) = match item {
                NewItem::Company(d) => (kind::COMPANY, self.new_company(d)?),
                NewItem::Person(d) => (kind::PERSON, self.new_person(d)?),
                NewItem::Deal(d) => {
                    if first_stage.is_none() {
                        first_stage = Some(self.stages()?.first().map(|s| s.id));
                    }
                    (kind::DEAL, self.new_deal(d, first_stage.flatten())?)
                }
                NewItem::Task(d) => (kind::TASK, self.new_task(d)?),
                NewItem::Call(c) => (kind::CALL, self.new_call(c)?),
                NewItem::Meeting(m) => (kind::MEETING, self.new_meeting(m)?),
                NewItem::Note(n) => (kind::NOTE, self.new_note(n)?),
            };
            planned.push(NewEntity::new(k.to_string(), EntityId::new(), fields));
        }
        let ids = planned.iter().map(|p| p.id).collect();
        self.store.create_many(planned, progress)?;
        Ok(ids)
    }
}
