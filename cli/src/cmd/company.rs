//! `deko company add|edit|show|list|delete|restore`.

use deko_core::model::{CompanyDraft, Crm, Page, SortBy};
use deko_core::record::EntityId;
use serde_json::json;

use crate::args::{CompanyCmd, CompanyFields};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;

fn draft(crm: &mut Crm, f: CompanyFields) -> Result<CompanyDraft> {
    Ok(CompanyDraft {
        custom: parse::custom(crm, "company", &f.custom)?,
        name: f.name,
        phones: parse::opt_list(f.phones.iter().map(|p| parse::phone(p)).collect()),
        emails: parse::opt_list(f.emails),
        website: f.website,
        address: f.address,
        industry: f.industry,
        note: f.note,
    })
}

fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
    let c = crm.company(id)?.ok_or_else(|| deko_core::Error::NotFound {
        kind: "company".into(),
        id: id.to_string(),
    })?;
    let people = crm.company_people(id)?;
    let recent = crm.timeline(
        id,
        &Page {
            offset: 0,
            limit: 10,
        },
    )?;
    let mut v = output::company_json(&c);
    v["people"] = json!(
        people
            .iter()
            .map(|p| json!({"id": p.id.to_string(), "name": p.display_name()}))
            .collect::<Vec<_>>()
    );
    v["recent"] = json!(recent.iter().map(output::timeline_json).collect::<Vec<_>>());
    out.print(v, || {
        output::company_block(&c);
        if !people.is_empty() {
            println!();
            let rows: Vec<Vec<String>> = people
                .iter()
                .map(|p| {
                    vec![
                        p.display_name(),
                        p.title.clone().unwrap_or_default(),
                        p.id.to_string(),
                    ]
                })
                .collect();
            output::table(&["person", "title", "id"], &rows);
        }
        if !recent.is_empty() {
            println!();
            output::timeline_table(&recent);
        }
    });
    Ok(())
}

/// Runs a company command.
pub fn run(data: &DataDir, out: Out, cmd: CompanyCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        CompanyCmd::Add(f) => {
            if f.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(CliError::usage("a company needs --name"));
            }
            let d = draft(&mut crm, f)?;
            let id = crm.create_company(d)?;
            show(&crm, out, &id)
        }
        CompanyCmd::Edit { id, fields } => {
            let id = parse::id(&id)?;
            let d = draft(&mut crm, fields)?;
            crm.update_company(id, d)?;
            show(&crm, out, &id)
        }
        CompanyCmd::Show { id } => show(&crm, out, &parse::id(&id)?),
        CompanyCmd::List(l) => {
            let sort = if l.recent {
                SortBy::Updated
            } else {
                SortBy::Name
            };
            let list = crm.companies(
                sort,
                &Page {
                    offset: l.offset,
                    limit: l.limit,
                },
            )?;
            out.print(
                json!(list.iter().map(output::company_json).collect::<Vec<_>>()),
                || {
                    let rows: Vec<Vec<String>> = list
                        .iter()
                        .map(|c| {
                            vec![
                                c.name.clone().unwrap_or_default(),
                                c.industry.clone().unwrap_or_default(),
                                c.phones
                                    .first()
                                    .map(|x| x.number.clone())
                                    .unwrap_or_default(),
                                c.id.to_string(),
                            ]
                        })
                        .collect();
                    output::table(&["name", "industry", "phone", "id"], &rows);
                },
            );
            Ok(())
        }
        CompanyCmd::Delete { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "company")?;
            crm.delete(id)?;
            out.print(json!({"id": id.to_string(), "deleted": true}), || {
                println!("moved {id} to the trash (`deko company restore {id}` brings it back)")
            });
            Ok(())
        }
        CompanyCmd::Restore { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "company")?;
            crm.restore(id)?;
            show(&crm, out, &id)
        }
    }
}
