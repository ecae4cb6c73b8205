//! What the person, company, deal and task commands have in common (add,
//! edit, show, delete, restore), once, over a [`Kind`] that says how that
//! kind is written and shown.

use deko_core::model::{Crm, Page};
use deko_core::record::EntityId;
use serde::Serialize;

use crate::args::EntityCmd;
use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Named, Out, Shown};
use crate::parse;
use crate::reference;

/// Writes a new entity from a draft (`Crm::create_person`, ...).
pub type Create<D> = fn(&mut Crm, D) -> deko_core::Result<EntityId>;
/// Writes a draft over an entity (`Crm::update_person`, ...).
pub type Update<D> = fn(&mut Crm, EntityId, D) -> deko_core::Result<()>;

/// One kind of entity as its command group handles it.
pub trait Kind {
    /// The kind's name in the store and on the command line ("person").
    const NAME: &'static str;
    /// Its command-line fields.
    type Fields;
    /// The core's draft of it.
    type Draft;
    /// The core's call that creates one.
    const CREATE: Create<Self::Draft>;
    /// The core's call that changes one.
    const UPDATE: Update<Self::Draft>;
    /// Reads the fields given into a draft (`new`: for `add`, which may
    /// need more of them).
    fn draft(crm: &mut Crm, fields: Self::Fields, new: bool) -> Result<Self::Draft>;
    /// Prints one (JSON or text).
    fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()>;
}

/// Runs one of the common commands for kind `K`.
pub fn run<K: Kind>(data: &DataDir, out: Out, cmd: EntityCmd<K::Fields>) -> Result<()>
where
    K::Fields: clap::Args,
{
    let mut crm = data.open()?;
    match cmd {
        EntityCmd::Add(fields) => {
            let draft = K::draft(&mut crm, fields, true)?;
            let id = K::CREATE(&mut crm, draft)?;
            K::show(&crm, out, &id)
        }
        EntityCmd::Edit { id, fields } => {
            let id = reference::entity(&crm, &id, &[K::NAME])?;
            let draft = K::draft(&mut crm, fields, false)?;
            K::UPDATE(&mut crm, id, draft)?;
            K::show(&crm, out, &id)
        }
        EntityCmd::Show { id } => K::show(&crm, out, &reference::entity(&crm, &id, &[K::NAME])?),
        EntityCmd::Delete { id } => {
            let id = reference::entity(&crm, &id, &[K::NAME])?;
            crm.expect_kind(&id, &[K::NAME])?;
            crm.delete(id)?;
            let json = Deleted { id, deleted: true };
            out.print(&json, || {
                println!(
                    "moved {id} to the trash (`deko {} restore {id}` brings it back)",
                    K::NAME
                )
            });
            Ok(())
        }
        EntityCmd::Restore { id } => {
            let id = parse::id(&id)?;
            crm.expect_kind(&id, &[K::NAME])?;
            crm.restore(id)?;
            K::show(&crm, out, &id)
        }
    }
}

/// What `delete` prints in JSON.
#[derive(Serialize)]
struct Deleted {
    id: EntityId,
    deleted: bool,
}

/// Prints `item` (JSON, or `human` for people) with the start of its
/// timeline, and for a company its `people`.
pub fn show_with_recent<T: Serialize>(
    crm: &Crm,
    out: Out,
    id: &EntityId,
    item: &T,
    people: Option<Vec<Named>>,
    human: impl FnOnce(),
) -> Result<()> {
    let recent = crm.timeline(id, &Page::first(10))?;
    let shown = Shown {
        item,
        people,
        recent: &recent,
    };
    out.print(&shown, || {
        human();
        if !recent.is_empty() {
            println!();
            output::timeline_table(&recent);
        }
    });
    Ok(())
}

/// The entity `found` as read, or the core's "no KIND with id ID".
pub fn found<T>(found: Option<T>, kind: &str, id: &EntityId) -> Result<T> {
    found.ok_or_else(|| {
        deko_core::Error::NotFound {
            kind: kind.into(),
            id: id.to_string(),
        }
        .into()
    })
}
