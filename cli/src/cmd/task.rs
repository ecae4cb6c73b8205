//! `deko task add|edit|done|show|delete|restore` and `deko tasks`.

use deko_core::model::{Crm, TaskDraft, TaskFilter};
use deko_core::record::EntityId;

use super::entity::{self, Create, Kind, Update};
use crate::args::{DueFilter, TaskCmd, TaskFields};
use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};
use crate::parse;
use crate::reference;

/// Tasks: `deko task`.
struct Tasks;

impl Kind for Tasks {
    const NAME: &'static str = "task";
    type Fields = TaskFields;
    type Draft = TaskDraft;
    const CREATE: Create<TaskDraft> = Crm::create_task;
    const UPDATE: Update<TaskDraft> = Crm::update_task;

    fn draft(crm: &mut Crm, f: TaskFields, _new: bool) -> Result<TaskDraft> {
        let link = |text: &Option<String>, kind: &str| {
            text.as_deref()
                .map(|t| reference::opt_entity(crm, t, &[kind]))
                .transpose()
        };
        Ok(TaskDraft {
            title: f.title.or(f.title_flag),
            due: f.due.as_deref().map(parse::opt_time_ahead).transpose()?,
            done: None,
            assignee: None,
            person: link(&f.person, "person")?,
            company: link(&f.company, "company")?,
            deal: link(&f.deal, "deal")?,
        })
    }

    fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
        let t = entity::found(crm.task(id)?, Self::NAME, id)?;
        out.print(&t, || output::task_block(&t));
        Ok(())
    }
}

/// Runs a task command.
pub fn run(data: &DataDir, out: Out, cmd: TaskCmd) -> Result<()> {
    match cmd {
        TaskCmd::Done { id, undo } => {
            let mut crm = data.open()?;
            let id = reference::entity(&crm, &id, &["task"])?;
            crm.set_task_done(id, !undo)?;
            Tasks::show(&crm, out, &id)
        }
        TaskCmd::Entity(c) => entity::run::<Tasks>(data, out, c),
    }
}

/// `deko tasks [--due today|overdue]`.
pub fn list(data: &DataDir, out: Out, due: Option<DueFilter>) -> Result<()> {
    let crm = data.open()?;
    let filter = match due {
        None => TaskFilter::Open,
        Some(DueFilter::Today) => TaskFilter::DueToday,
        Some(DueFilter::Overdue) => TaskFilter::Overdue,
    };
    let tasks = crm.tasks(filter, parse::now_ms(), parse::utc_offset_min())?;
    out.print(&tasks, || {
        let rows: Vec<Vec<String>> = tasks.iter().map(output::task_row).collect();
        output::table(&["id", "due", "state", "title", "about"], &rows);
    });
    Ok(())
}
