//! `deko company add|edit|show|list|delete|restore`.

use deko_core::model::{CompanyDraft, Crm};
use deko_core::record::EntityId;

use super::entity::{self, Create, Kind, Update};
use crate::args::{CompanyCmd, CompanyFields, ListArgs};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Named, Out};
use crate::parse;

/// Companies: `deko company`.
struct Companies;

impl Kind for Companies {
    const NAME: &'static str = "company";
    type Fields = CompanyFields;
    type Draft = CompanyDraft;
    const CREATE: Create<CompanyDraft> = Crm::create_company;
    const UPDATE: Update<CompanyDraft> = Crm::update_company;

    fn draft(crm: &mut Crm, f: CompanyFields, new: bool) -> Result<CompanyDraft> {
        let name = f.name.or(f.name_flag);
        if new && name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(CliError::usage(
                "a company needs a name: `deko company add \"Stavby Brno\"`",
            ));
        }
        Ok(CompanyDraft {
            custom: parse::custom(crm, Self::NAME, &f.custom)?,
            name,
            phones: parse::opt_list(f.phones.iter().map(|p| parse::phone(p)).collect()),
            emails: parse::opt_list(f.emails),
            website: f.website,
            address: f.address,
            industry: f.industry,
            note: f.note,
        })
    }

    /// One company with its people and the start of its timeline.
    fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
        let c = entity::found(crm.company(id)?, Self::NAME, id)?;
        let people = crm.company_people(id)?;
        let named = people
            .iter()
            .map(|p| Named {
                id: p.id.to_string(),
                name: p.display_name.clone(),
            })
            .collect();
        entity::show_with_recent(crm, out, id, &c, Some(named), || {
            output::company_block(&c);
            if !people.is_empty() {
                println!();
                let rows: Vec<Vec<String>> = people
                    .iter()
                    .map(|p| {
                        let title = p.title.clone().unwrap_or_default();
                        vec![p.display_name.clone(), title, p.id.to_string()]
                    })
                    .collect();
                output::table(&["person", "title", "id"], &rows);
            }
        })
    }
}

fn list(data: &DataDir, out: Out, l: ListArgs) -> Result<()> {
    let crm = data.open()?;
    let list = crm.companies(l.sort(), &l.page())?;
    out.print(&list, || {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|c| {
                let phone = c.phones.first().map(output::phone_text);
                vec![
                    c.name.clone().unwrap_or_default(),
                    c.industry.clone().unwrap_or_default(),
                    phone.unwrap_or_default(),
                    c.id.to_string(),
                ]
            })
            .collect();
        output::table(&["name", "industry", "phone", "id"], &rows);
    });
    Ok(())
}

/// Runs a company command.
pub fn run(data: &DataDir, out: Out, cmd: CompanyCmd) -> Result<()> {
    match cmd {
        CompanyCmd::List(l) => list(data, out, l),
        CompanyCmd::Entity(c) => entity::run::<Companies>(data, out, c),
    }
}
