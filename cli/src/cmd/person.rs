//! `deko person add|edit|show|list|delete|restore`.

use deko_core::model::{Crm, PersonDraft, split_name};
use deko_core::record::EntityId;

use super::entity::{self, Create, Kind, Update};
use crate::args::{PersonCmd, PersonFields, PersonList};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;
use crate::reference;

/// People: `deko person`.
struct People;

impl Kind for People {
    const NAME: &'static str = "person";
    type Fields = PersonFields;
    type Draft = PersonDraft;
    const CREATE: Create<PersonDraft> = Crm::create_person;
    const UPDATE: Update<PersonDraft> = Crm::update_person;

    fn draft(crm: &mut Crm, f: PersonFields, new: bool) -> Result<PersonDraft> {
        // A whole name is all of it: a part it lacks is cleared.
        let (given, family) = match &f.name {
            Some(whole) if !whole.trim().is_empty() => {
                let (g, f) = split_name(whole);
                (Some(g.unwrap_or_default()), Some(f.unwrap_or_default()))
            }
            Some(_) => return Err(CliError::usage("a person's name cannot be empty")),
            None => (f.given, f.family),
        };
        let named = |p: &Option<String>| p.as_deref().is_some_and(|p| !p.trim().is_empty());
        if new && !named(&given) && !named(&family) {
            return Err(CliError::usage(
                "a person needs a name: `deko person add \"Jana Nováková\"` (or --given, --family)",
            ));
        }
        let company = match &f.company {
            Some(c) => Some(reference::opt_entity(crm, c, &["company"])?),
            None => None,
        };
        Ok(PersonDraft {
            custom: parse::custom(crm, Self::NAME, &f.custom)?,
            given,
            family,
            title: f.title,
            company,
            phones: parse::opt_list(f.phones.iter().map(|p| parse::phone(p)).collect()),
            emails: parse::opt_list(f.emails),
            address: f.address,
            tags: parse::opt_list(f.tags),
            note: f.note,
        })
    }

    /// One person and, for people, the start of their timeline.
    fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
        let p = entity::found(crm.person(id)?, Self::NAME, id)?;
        entity::show_with_recent(crm, out, id, &p, None, || output::person_block(&p))
    }
}

fn list(data: &DataDir, out: Out, args: PersonList) -> Result<()> {
    let crm = data.open()?;
    let l = &args.list;
    let people = match &args.not_contacted {
        Some(quiet) => {
            let days = parse::duration(quiet)?.as_secs() / 86_400;
            let days = u32::try_from(days).ok().filter(|d| *d > 0).ok_or_else(|| {
                CliError::usage(format!(
                    "--not-contacted takes a day or more (7d, 6w), not {quiet:?}"
                ))
            })?;
            crm.not_contacted_since(days, parse::now_ms(), &l.page())?
        }
        None => crm.people(l.sort(), &l.page())?,
    };
    // Who is due a call: when they last heard from us, instead of the email.
    let due = args.not_contacted.is_some();
    out.print(&people, || {
        let rows: Vec<Vec<String>> = people
            .iter()
            .map(|p| {
                let last = match p.last_contact {
                    Some(at) => output::time(at),
                    None => "never".into(),
                };
                vec![
                    p.display_name.clone(),
                    p.company_name.clone().unwrap_or_default(),
                    p.phones.first().map(output::phone_text).unwrap_or_default(),
                    if due {
                        last
                    } else {
                        p.emails.first().cloned().unwrap_or_default()
                    },
                    p.id.to_string(),
                ]
            })
            .collect();
        let fourth = if due { "last contact" } else { "email" };
        output::table(&["name", "company", "phone", fourth, "id"], &rows);
    });
    Ok(())
}

/// Runs a person command.
pub fn run(data: &DataDir, out: Out, cmd: PersonCmd) -> Result<()> {
    match cmd {
        PersonCmd::List(l) => list(data, out, l),
        PersonCmd::Entity(c) => entity::run::<People>(data, out, c),
    }
}
