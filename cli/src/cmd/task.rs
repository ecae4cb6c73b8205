//! `deko task add|edit|done|show|delete|restore` and `deko tasks`.

use deko_core::model::{Crm, TaskDraft, TaskFilter};
use deko_core::record::EntityId;
use serde_json::json;

use crate::args::{DueFilter, TaskCmd, TaskFields};
use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};
use crate::parse;

fn draft(crm: &Crm, f: TaskFields) -> Result<TaskDraft> {
    Ok(TaskDraft {
        title: f.title,
        due: f.due.as_deref().map(parse::opt_time).transpose()?,
        done: None,
        assignee: None,
        person: f.person.as_deref().map(parse::opt_id).transpose()?,
        company: f
            .company
            .as_deref()
            .map(|c| parse::company(crm, c))
            .transpose()?,
        deal: f.deal.as_deref().map(parse::opt_id).transpose()?,
    })
}

fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
    let t = crm.task(id)?.ok_or_else(|| deko_core::Error::NotFound {
        kind: "task".into(),
        id: id.to_string(),
    })?;
    out.print(output::task_json(&t), || {
        output::block(&[
            ("id", t.id.to_string()),
            ("title", t.title.clone()),
            ("due", output::opt_time(t.due)),
            ("done", if t.done { "yes" } else { "no" }.into()),
            (
                "person",
                t.person.map(|x| x.to_string()).unwrap_or_default(),
            ),
            (
                "company",
                t.company.map(|x| x.to_string()).unwrap_or_default(),
            ),
            ("deal", t.deal.map(|x| x.to_string()).unwrap_or_default()),
            (
                "in trash",
                if t.deleted {
                    "yes".into()
                } else {
                    String::new()
                },
            ),
        ])
    });
    Ok(())
}

/// Runs a task command.
pub fn run(data: &DataDir, out: Out, cmd: TaskCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        TaskCmd::Add(f) => {
            let d = draft(&crm, f)?;
            let id = crm.create_task(d)?;
            show(&crm, out, &id)
        }
        TaskCmd::Edit { id, fields } => {
            let id = parse::id(&id)?;
            let d = draft(&crm, fields)?;
            crm.update_task(id, d)?;
            show(&crm, out, &id)
        }
        TaskCmd::Done { id, undo } => {
            let id = parse::id(&id)?;
            crm.set_task_done(id, !undo)?;
            show(&crm, out, &id)
        }
        TaskCmd::Show { id } => show(&crm, out, &parse::id(&id)?),
        TaskCmd::Delete { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "task")?;
            crm.delete(id)?;
            out.print(json!({"id": id.to_string(), "deleted": true}), || {
                println!("moved {id} to the trash (`deko task restore {id}` brings it back)")
            });
            Ok(())
        }
        TaskCmd::Restore { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "task")?;
            crm.restore(id)?;
            show(&crm, out, &id)
        }
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
    out.print(
        json!(tasks.iter().map(output::task_json).collect::<Vec<_>>()),
        || {
            let rows: Vec<Vec<String>> = tasks.iter().map(output::task_row).collect();
            output::table(&["id", "due", "state", "title"], &rows);
        },
    );
    Ok(())
}
