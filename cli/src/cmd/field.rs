//! `deko field add|list`: custom-field definitions (admins define them).

use deko_core::model::FieldType;
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
    }
}
