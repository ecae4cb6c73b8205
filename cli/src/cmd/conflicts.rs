//! `deko conflicts` (every field edited concurrently, with all values) and
//! `deko resolve ID FIELD VALUE`.

use deko_core::record::Value;
use deko_core::store::Conflict;
use serde_json::json;

use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;
use crate::reference;

/// A conflict as JSON: the core's form, each value with its `text` as
/// people read it.
fn conflict_json(c: &Conflict) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    if let Some(values) = v["values"].as_array_mut() {
        for (json, value) in values.iter_mut().zip(&c.values) {
            json["text"] = json!(output::value_text(&value.value));
        }
    }
    v
}

/// `deko conflicts`.
pub fn list(data: &DataDir, out: Out) -> Result<()> {
    let mut crm = data.open()?;
    let all = crm.conflicts()?;
    let json: Vec<serde_json::Value> = all.iter().map(conflict_json).collect();
    out.print(&json, || {
        if all.is_empty() {
            println!("no conflicts");
        }
        for c in &all {
            match &c.name {
                Some(name) => println!("{} {name} ({}) field {:?}:", c.kind, c.entity, c.field),
                None => println!("{} {} field {:?}:", c.kind, c.entity, c.field),
            }
            for (i, v) in c.values.iter().enumerate() {
                let by = match &v.by {
                    Some(person) => format!("{person}, {}", v.author_fingerprint),
                    None => v.author_fingerprint.clone(),
                };
                println!(
                    "  #{} {}  (by {by} at {}){}",
                    i + 1,
                    output::value_text(&v.value),
                    output::time(v.written_at),
                    if i == 0 { "  shown" } else { "" }
                );
            }
            println!(
                "  settle: deko resolve {} {} '#N' (or a new value)",
                c.entity, c.field
            );
        }
    });
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
            let m = parse::money(s, currency)?;
            Value::Money {
                minor: m.minor,
                currency: m.currency,
            }
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
    let mut crm = data.open()?;
    let id = reference::entity(&crm, id, &["person", "company", "deal", "task"])?;
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
    let json = json!({"entity": id, "field": field, "value": chosen.plain_json()});
    out.print(&json, || {
        println!("{field} of {id} is now {}", output::value_text(&chosen))
    });
    Ok(())
}
