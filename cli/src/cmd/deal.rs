//! `deko deal add|edit|show|list|delete|restore` and `deko pipeline`.

use deko_core::model::{Crm, DealDraft, Stage, StageOutcome};
use deko_core::record::EntityId;

use super::entity::{self, Create, Kind, Update};
use crate::args::{DealCmd, DealFields, StageCmd};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;
use crate::reference;

/// Deals: `deko deal`.
struct Deals;

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

impl Kind for Deals {
    const NAME: &'static str = "deal";
    type Fields = DealFields;
    type Draft = DealDraft;
    const CREATE: Create<DealDraft> = Crm::create_deal;
    const UPDATE: Update<DealDraft> = Crm::update_deal;

    fn draft(crm: &mut Crm, f: DealFields, _new: bool) -> Result<DealDraft> {
        let stages = crm.stages()?;
        let value = match f.value.as_deref() {
            Some(v) if v.trim().is_empty() => Some(None),
            Some(v) => Some(Some(parse::money(v, &f.currency)?)),
            None => None,
        };
        Ok(DealDraft {
            custom: parse::custom(crm, Self::NAME, &f.custom)?,
            title: f.title.or(f.title_flag),
            company: f
                .company
                .as_deref()
                .map(|c| reference::opt_entity(crm, c, &["company"]))
                .transpose()?,
            contact: f
                .contact
                .as_deref()
                .map(|p| reference::opt_entity(crm, p, &["person"]))
                .transpose()?,
            value,
            stage: f.stage.as_deref().map(|s| stage(&stages, s)).transpose()?,
            expected_close: f.close.as_deref().map(parse::opt_time_ahead).transpose()?,
            owner: None,
        })
    }

    fn show(crm: &Crm, out: Out, id: &EntityId) -> Result<()> {
        let d = entity::found(crm.deal(id)?, Self::NAME, id)?;
        out.print(&d, || output::deal_block(&d));
        Ok(())
    }
}

/// Runs a deal command.
pub fn run(data: &DataDir, out: Out, cmd: DealCmd) -> Result<()> {
    match cmd {
        DealCmd::List => list(data, out),
        DealCmd::Entity(c) => entity::run::<Deals>(data, out, c),
    }
}

/// `deko deal list`: every deal of the pipeline, stage by stage.
fn list(data: &DataDir, out: Out) -> Result<()> {
    let crm = data.open()?;
    let deals: Vec<_> = crm.pipeline()?.into_iter().flat_map(|c| c.deals).collect();
    out.print(&deals, || {
        let rows: Vec<Vec<String>> = deals
            .iter()
            .map(|d| {
                vec![
                    d.title.clone(),
                    d.company_name.clone().unwrap_or_default(),
                    d.stage_name.clone().unwrap_or_default(),
                    d.value.as_ref().map(output::money).unwrap_or_default(),
                    output::opt_time(d.expected_close),
                    d.id.to_string(),
                ]
            })
            .collect();
        output::table(&["deal", "company", "stage", "value", "close", "id"], &rows);
    });
    Ok(())
}

/// `deko pipeline`.
pub fn pipeline(data: &DataDir, out: Out) -> Result<()> {
    let crm = data.open()?;
    let columns = crm.pipeline()?;
    out.print(&columns, || {
        let rows: Vec<Vec<String>> = columns
            .iter()
            .map(|c| {
                let totals: Vec<String> = c
                    .totals
                    .iter()
                    .map(|t| output::money_text(t.minor, &t.currency))
                    .collect();
                vec![
                    c.stage.name.clone(),
                    c.stage.outcome.as_str().to_string(),
                    c.count.to_string(),
                    totals.join(", "),
                ]
            })
            .collect();
        output::table(&["stage", "outcome", "deals", "total"], &rows);
    });
    Ok(())
}

/// `deko stage add|rename|move`: the pipeline, changed by an admin; prints
/// the stages as they are afterwards.
pub fn stages(data: &DataDir, out: Out, cmd: StageCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        StageCmd::Add { name, outcome } => {
            let outcome = match outcome.trim().to_ascii_lowercase().as_str() {
                "open" => StageOutcome::Open,
                "won" => StageOutcome::Won,
                "lost" => StageOutcome::Lost,
                _ => {
                    return Err(CliError::usage(format!(
                        "--outcome is open, won or lost, not {outcome:?}"
                    )));
                }
            };
            crm.add_stage(&name, outcome)?;
        }
        StageCmd::Rename { stage: s, new_name } => {
            let id = stage(&crm.stages()?, &s)?;
            crm.rename_stage(id, &new_name)?;
        }
        StageCmd::Move { stage: s, position } => {
            let stages = crm.stages()?;
            if position == 0 || position > stages.len() {
                return Err(CliError::usage(format!(
                    "a stage's place is 1 to {}, not {position}",
                    stages.len()
                )));
            }
            let id = stage(&stages, &s)?;
            crm.move_stage(id, position - 1)?;
        }
    }
    let stages = crm.stages()?;
    out.print(&stages, || {
        let rows: Vec<Vec<String>> = stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.name.clone(),
                    s.outcome.as_str().into(),
                    s.id.to_string(),
                ]
            })
            .collect();
        output::table(&["#", "stage", "outcome", "id"], &rows);
    });
    Ok(())
}
