//! `deko person add|edit|show|list|delete|restore`.

use deko_core::model::{Crm, Page, PersonDraft, SortBy};
use serde_json::json;

use crate::args::{PersonCmd, PersonFields};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;

fn draft(crm: &mut Crm, f: PersonFields) -> Result<PersonDraft> {
    let company = match &f.company {
        Some(c) => Some(parse::company(crm, c)?),
        None => None,
    };
    Ok(PersonDraft {
        custom: parse::custom(crm, "person", &f.custom)?,
        given: f.given,
        family: f.family,
        title: f.title,
        company,
        phones: parse::opt_list(f.phones.iter().map(|p| parse::phone(p)).collect()),
        emails: parse::opt_list(f.emails),
        address: f.address,
        tags: parse::opt_list(f.tags),
        note: f.note,
    })
}

/// Prints one person (and, for people, the start of their timeline).
pub fn show(crm: &Crm, out: Out, id: &deko_core::record::EntityId) -> Result<()> {
    let p = crm.person(id)?.ok_or_else(|| deko_core::Error::NotFound {
        kind: "person".into(),
        id: id.to_string(),
    })?;
    let recent = crm.timeline(
        id,
        &Page {
            offset: 0,
            limit: 10,
        },
    )?;
    let mut v = output::person_json(&p);
    v["recent"] = json!(recent.iter().map(output::timeline_json).collect::<Vec<_>>());
    out.print(v, || {
        output::person_block(&p);
        if !recent.is_empty() {
            println!();
            output::timeline_table(&recent);
        }
    });
    Ok(())
}

/// Runs a person command.
pub fn run(data: &DataDir, out: Out, cmd: PersonCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        PersonCmd::Add(f) => {
            if f.given.is_none() && f.family.is_none() {
                return Err(CliError::usage("a person needs --given or --family"));
            }
            let d = draft(&mut crm, f)?;
            let id = crm.create_person(d)?;
            show(&crm, out, &id)
        }
        PersonCmd::Edit { id, fields } => {
            let id = parse::id(&id)?;
            let d = draft(&mut crm, fields)?;
            crm.update_person(id, d)?;
            show(&crm, out, &id)
        }
        PersonCmd::Show { id } => show(&crm, out, &parse::id(&id)?),
        PersonCmd::List(l) => {
            let sort = if l.recent {
                SortBy::Updated
            } else {
                SortBy::Name
            };
            let people = crm.people(
                sort,
                &Page {
                    offset: l.offset,
                    limit: l.limit,
                },
            )?;
            out.print(
                json!(people.iter().map(output::person_json).collect::<Vec<_>>()),
                || {
                    let rows: Vec<Vec<String>> = people
                        .iter()
                        .map(|p| {
                            vec![
                                p.display_name(),
                                p.company_name.clone().unwrap_or_default(),
                                p.phones
                                    .first()
                                    .map(|x| x.number.clone())
                                    .unwrap_or_default(),
                                p.emails.first().cloned().unwrap_or_default(),
                                p.id.to_string(),
                            ]
                        })
                        .collect();
                    output::table(&["name", "company", "phone", "email", "id"], &rows);
                },
            );
            Ok(())
        }
        PersonCmd::Delete { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "person")?;
            crm.delete(id)?;
            out.print(json!({"id": id.to_string(), "deleted": true}), || {
                println!("moved {id} to the trash (`deko person restore {id}` brings it back)")
            });
            Ok(())
        }
        PersonCmd::Restore { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "person")?;
            crm.restore(id)?;
            show(&crm, out, &id)
        }
    }
}
