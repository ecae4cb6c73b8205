//! `deko conflicts` (every field edited concurrently, with all values) and
//! `deko resolve ID FIELD VALUE`.

use deko_core::record::Value;
use deko_core::store::Conflict;
use serde_json::json;

use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;

fn conflict_json(c: &Conflict) -> serde_json::Value {
    json!({
        "entity": c.entity.to_string(),
        "kind": c.kind,
        "field": c.field,
        "values": c.values.iter().map(|v| json!({
            "value": output::value_json(&v.value),
            "text": output::value_text(&v.value),
            "device": v.author.to_string(),
            "fingerprint": v.author.fingerprint(),
            "at": v.hlc.millis(),
        })).collect::<Vec<_>>(),
    })
}

/// `deko conflicts`.
pub fn list(data: &DataDir, out: Out) -> Result<()> {
    let crm = data.open()?;
    let all = crm.store().conflicts()?;
    out.print(
        json!(all.iter().map(conflict_json).collect::<Vec<_>>()),
        || {
            if all.is_empty() {
                println!("no conflicts");
            }
            for c in &all {
                println!("{} {} field {:?}:", c.kind, c.entity, c.field);
                for (i, v) in c.values.iter().enumerate() {
                    println!(
                        "  #{} {}  (by {} at {}){}",
                        i + 1,
                        output::value_text(&v.value),
                        v.author.fingerprint(),
                        output::time(v.hlc.millis() as i64),
                        if i == 0 { "  shown" } else { "" }
                    );
                }
                println!(
                    "  settle: deko resolve {} {} '#N' (or a new value)",
                    c.entity, c.field
                );
            }
        },
    );
    Ok(())
}

/// Reads VALUE for a field whose values look like `like`.
fn typed(like: &Value, s: &str) -> Result<Value> {
    let bad = |what: &str| CliError::usage(format!("{s:?} is not {what}"));
    Ok(match like {
        Value::Text(_) | Value::Null => Value::Text(s.to_string()),
        Value::Int(_) => Value::Int(s.trim().parse().map_err(|_| bad("a whole number"))?),
        Value::Float(_) => Value::Float(
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| bad("a number"))?,
        ),
        Value::Bool(_) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" => Value::Bool(true),
            "no" | "false" => Value::Bool(false),
            _ => return Err(bad("yes or no")),
        },
        Value::Time(_) => Value::Time(parse::time(s)?),
        Value::Date(_) => Value::Date(parse::date_days(s)?),
        Value::Money { currency, .. } => {
            let (minor, currency) = parse::money(s, currency)?;
            Value::Money { minor, currency }
        }
        _ => {
            return Err(CliError::usage(
                "this field takes one of the listed values: give #1, #2, ...",
            ));
        }
    })
}

/// `deko resolve ID FIELD VALUE`.
pub fn resolve(data: &DataDir, out: Out, id: &str, field: &str, value: &str) -> Result<()> {
    let id = parse::id(id)?;
    let mut crm = data.open()?;
    let conflict = crm
        .store()
        .conflicts()?
        .into_iter()
        .find(|c| c.entity == id && c.field == field)
        .ok_or_else(|| {
            CliError::usage(format!(
                "{id} has no conflict on field {field:?} (see `deko conflicts`)"
            ))
        })?;
    let chosen = if let Some(n) = value.trim().strip_prefix('#') {
        let n: usize = n.parse().map_err(|_| {
            CliError::usage(format!("{value:?}: give #1 to #{}", conflict.values.len()))
        })?;
        conflict
            .values
            .get(n.wrapping_sub(1))
            .map(|v| v.value.clone())
            .ok_or_else(|| {
                CliError::usage(format!("{value:?}: give #1 to #{}", conflict.values.len()))
            })?
    } else if let Some(v) = conflict
        .values
        .iter()
        .find(|v| output::value_text(&v.value) == value)
    {
        v.value.clone()
    } else {
        typed(&conflict.values[0].value, value)?
    };
    crm.store_mut().resolve(id, field, chosen.clone())?;
    out.print(
        json!({"entity": id.to_string(), "field": field, "value": output::value_json(&chosen)}),
        || println!("{field} of {id} is now {}", output::value_text(&chosen)),
    );
    Ok(())
}
