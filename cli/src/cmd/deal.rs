//! `deko deal add|edit|show|list|delete|restore` and `deko pipeline`.

use deko_core::model::{Crm, DealDraft, Stage};
use deko_core::record::EntityId;
use serde_json::json;

use crate::args::{DealCmd, DealFields};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;

fn stage(stages: &[Stage], s: &str) -> Result<EntityId> {
    if let Ok(id) = EntityId::parse(s) {
        return Ok(id);
    }
    stages
        .iter()
        .find(|x| x.name.eq_ignore_ascii_case(s.trim()))
        .map(|x| x.id)
        .ok_or_else(|| {
            let names: Vec<&str> = stages.iter().map(|x| x.name.as_str()).collect();
            CliError::usage(format!("no stage {s:?} (stages: {})", names.join(", ")))
        })
}

fn draft(crm: &mut Crm, f: DealFields) -> Result<DealDraft> {
    let stages = crm.stages()?;
    Ok(DealDraft {
        custom: parse::custom(crm, "deal", &f.custom)?,
        title: f.title,
        company: f
            .company
            .as_deref()
            .map(|c| parse::company(crm, c))
            .transpose()?,
        contact: f.contact.as_deref().map(parse::opt_id).transpose()?,
        value: f
            .value
            .as_deref()
            .map(|v| {
                if v.trim().is_empty() {
                    Ok(None)
                } else {
                    parse::money(v, &f.currency).map(Some)
                }
            })
            .transpose()?,
        stage: f.stage.as_deref().map(|s| stage(&stages, s)).transpose()?,
        expected_close: f.close.as_deref().map(parse::opt_time).transpose()?,
        owner: None,
    })
}

fn stage_name(stages: &[Stage], id: Option<EntityId>) -> Option<String> {
    id.and_then(|id| stages.iter().find(|s| s.id == id).map(|s| s.name.clone()))
}

fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
    let d = crm.deal(id)?.ok_or_else(|| deko_core::Error::NotFound {
        kind: "deal".into(),
        id: id.to_string(),
    })?;
    let name = stage_name(&crm.stages()?, d.stage);
    out.print(output::deal_json(&d, name.as_deref()), || {
        output::deal_block(&d, name.as_deref())
    });
    Ok(())
}

/// Runs a deal command.
pub fn run(data: &DataDir, out: Out, cmd: DealCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        DealCmd::Add(f) => {
            let d = draft(&mut crm, f)?;
            let id = crm.create_deal(d)?;
            show(&crm, out, &id)
        }
        DealCmd::Edit { id, fields } => {
            let id = parse::id(&id)?;
            let d = draft(&mut crm, fields)?;
            crm.update_deal(id, d)?;
            show(&crm, out, &id)
        }
        DealCmd::Show { id } => show(&crm, out, &parse::id(&id)?),
        DealCmd::List => {
            let columns = crm.pipeline()?;
            let deals: Vec<_> = columns
                .iter()
                .flat_map(|c| c.deals.iter().map(move |d| (c.stage.name.clone(), d)))
                .collect();
            out.print(
                json!(
                    deals
                        .iter()
                        .map(|(s, d)| output::deal_json(d, Some(s)))
                        .collect::<Vec<_>>()
                ),
                || {
                    let rows: Vec<Vec<String>> = deals
                        .iter()
                        .map(|(s, d)| {
                            vec![
                                d.title.clone(),
                                s.clone(),
                                d.value
                                    .as_ref()
                                    .map(|(m, c)| output::money(*m, c))
                                    .unwrap_or_default(),
                                output::opt_time(d.expected_close),
                                d.id.to_string(),
                            ]
                        })
                        .collect();
                    output::table(&["deal", "stage", "value", "close", "id"], &rows);
                },
            );
            Ok(())
        }
        DealCmd::Delete { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "deal")?;
            crm.delete(id)?;
            out.print(json!({"id": id.to_string(), "deleted": true}), || {
                println!("moved {id} to the trash (`deko deal restore {id}` brings it back)")
            });
            Ok(())
        }
        DealCmd::Restore { id } => {
            let id = parse::id(&id)?;
            super::expect_kind(&crm, &id, "deal")?;
            crm.restore(id)?;
            show(&crm, out, &id)
        }
    }
}

/// `deko pipeline`.
pub fn pipeline(data: &DataDir, out: Out) -> Result<()> {
    let crm = data.open()?;
    let columns = crm.pipeline()?;
    let v: Vec<serde_json::Value> = columns
        .iter()
        .map(|c| {
            json!({
                "stage": c.stage.id.to_string(),
                "name": c.stage.name,
                "outcome": c.stage.outcome.as_str(),
                "count": c.count,
                "totals": c.totals.iter().map(|(cur, m)| json!({"currency": cur, "minor": m})).collect::<Vec<_>>(),
                "deals": c.deals.iter().map(|d| output::deal_json(d, Some(&c.stage.name))).collect::<Vec<_>>(),
            })
        })
        .collect();
    out.print(json!(v), || {
        let rows: Vec<Vec<String>> = columns
            .iter()
            .map(|c| {
                vec![
                    c.stage.name.clone(),
                    c.stage.outcome.as_str().to_string(),
                    c.count.to_string(),
                    c.totals
                        .iter()
                        .map(|(cur, m)| output::money(*m, cur))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect();
        output::table(&["stage", "outcome", "deals", "total"], &rows);
    });
    Ok(())
}
