//! `deko field add|list|rename`: custom-field definitions (admins define them).

use deko_core::ErrorKind;
use deko_core::model::FieldType;
use deko_core::record::EntityId;
use serde_json::json;

use crate::args::FieldCmd;
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};

/// Runs a field command.
pub fn run(data: &DataDir, out: Out, cmd: FieldCmd) -> Result<()> {
    let mut crm = data.open()?;
    match cmd {
        FieldCmd::Add {
            name,
            target,
            field_type,
            choices,
        } => {
            let ty = FieldType::parse(&field_type).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown field type {field_type:?} (text, number, date, choice or yesno)"
                ))
            })?;
            let id = crm.define_field(&name, &target, ty, choices)?;
            let json = json!({"id": id, "name": name.trim(), "target": target, "type": ty});
            out.print(&json, || {
                println!(
                    "defined {} field {:?} on {target} ({id})",
                    ty.as_str(),
                    name.trim()
                )
            });
            Ok(())
        }
        FieldCmd::List => {
            let defs = crm.field_defs(None)?;
            out.print(&defs, || {
                let rows: Vec<Vec<String>> = defs
                    .iter()
                    .map(|d| {
                        vec![
                            d.target.clone(),
                            d.name.clone(),
                            d.field_type.as_str().into(),
                            d.choices.join(", "),
                            d.id.to_string(),
                        ]
                    })
                    .collect();
                output::table(&["on", "name", "type", "choices", "id"], &rows);
            });
            Ok(())
        }
        FieldCmd::Rename {
            name,
            new_name,
            target,
        } => {
            let def = match EntityId::parse(name.trim()) {
                Ok(id) => crm.field_defs(None)?.into_iter().find(|d| d.id == id),
                Err(_) => crm.field_def_by_name(&target, &name)?,
            }
            .ok_or_else(|| {
                CliError::failed(
                    ErrorKind::NotFound,
                    format!("{target} has no custom field {name:?} (see `deko field list`)"),
                )
            })?;
            crm.rename_field(def.id, &new_name)?;
            let json = json!({"id": def.id, "name": new_name.trim(), "target": def.target});
            out.print(&json, || {
                println!(
                    "renamed {} field {:?} to {:?}",
                    def.target,
                    def.name,
                    new_name.trim()
                )
            });
            Ok(())
        }
    }
}
