//! How commands print: aligned tables and key/value blocks for people, or
//! JSON with stable field names (`--json`, documented in cli/README.md).
//! Ids are strings, times are milliseconds since the Unix epoch (UTC).

use chrono::{Local, TimeZone};
use deko_core::model::{
    Activity, ActivityKind, Company, CustomValue, Deal, Person, Phone, Task, TimelineItem,
};
use deko_core::record::Value;
use serde_json::{Value as Json, json};

/// Where a command's output goes: JSON or text.
#[derive(Clone, Copy, Debug)]
pub struct Out {
    /// Print JSON.
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or calls `human` to print text.
    pub fn print(&self, value: Json, human: impl FnOnce()) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_else(|_| "null".into())
            );
        } else {
            human();
        }
    }
}

/// Prints rows under a header, columns padded to their widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        println!("{}", s.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    if rows.is_empty() {
        println!("(none)");
    }
}

/// Prints `key  value` lines, keys padded, skipping empty values.
pub fn block(pairs: &[(&str, String)]) {
    let w = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in pairs {
        if !v.is_empty() {
            println!("{k:<w$}  {v}");
        }
    }
}

/// A time for people: local `YYYY-MM-DD HH:MM`.
pub fn time(ms: i64) -> String {
    match Local.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => ms.to_string(),
    }
}

/// An optional time for people ("" when none).
pub fn opt_time(ms: Option<i64>) -> String {
    ms.map(time).unwrap_or_default()
}

/// Money for people: `12,500.00 EUR`-like (`12500.00 EUR`).
pub fn money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", m / 100, m % 100)
}

/// A field value for people.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "(empty)".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Time(ms) => time(*ms),
        Value::Date(d) => chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(i64::from(*d))))
            .map(|d| d.to_string())
            .unwrap_or_else(|| d.to_string()),
        Value::Ref(id) => id.to_string(),
        Value::Money { minor, currency } => money(*minor, currency),
        Value::Texts(t) => t.join(", "),
        Value::Refs(r) => r
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Labeled(l) => l
            .iter()
            .map(|x| format!("{}: {}", x.label, x.value))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A field value as JSON: texts as strings, numbers as numbers, times as
/// ms, dates as `YYYY-MM-DD`, money as `{minor, currency}`, lists as arrays.
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Text(t) => json!(t),
        Value::Time(ms) => json!(ms),
        Value::Date(_) => json!(value_text(v)),
        Value::Ref(id) => json!(id.to_string()),
        Value::Money { minor, currency } => json!({"minor": minor, "currency": currency}),
        Value::Texts(t) => json!(t),
        Value::Refs(r) => json!(r.iter().map(|i| i.to_string()).collect::<Vec<_>>()),
        Value::Labeled(l) => json!(
            l.iter()
                .map(|x| json!({"label": x.label, "value": x.value}))
                .collect::<Vec<_>>()
        ),
    }
}

fn phones_json(p: &[Phone]) -> Json {
    json!(
        p.iter()
            .map(|p| json!({"label": p.label.as_str(), "number": p.number}))
            .collect::<Vec<_>>()
    )
}

fn phones_text(p: &[Phone]) -> String {
    p.iter()
        .map(|p| format!("{} ({})", p.number, p.label.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn custom_json(c: &[CustomValue]) -> Json {
    let mut map = serde_json::Map::new();
    for v in c {
        map.insert(v.field.name.clone(), value_json(&v.value));
    }
    Json::Object(map)
}

fn custom_pairs(c: &[CustomValue]) -> Vec<(String, String)> {
    c.iter()
        .map(|v| (v.field.name.clone(), value_text(&v.value)))
        .collect()
}

/// A person as JSON.
pub fn person_json(p: &Person) -> Json {
    json!({
        "id": p.id.to_string(),
        "name": p.display_name(),
        "given": p.given,
        "family": p.family,
        "title": p.title,
        "company": p.company.map(|c| c.to_string()),
        "company_name": p.company_name,
        "phones": phones_json(&p.phones),
        "emails": p.emails,
        "address": p.address,
        "tags": p.tags,
        "note": p.note,
        "custom": custom_json(&p.custom),
        "deleted": p.deleted,
        "conflicts": p.conflicts,
        "last_contact": p.last_contact,
    })
}

/// A person for people.
pub fn person_block(p: &Person) {
    let mut pairs: Vec<(&str, String)> = vec![
        ("id", p.id.to_string()),
        ("name", p.display_name()),
        ("title", p.title.clone().unwrap_or_default()),
        ("company", p.company_name.clone().unwrap_or_default()),
        ("phones", phones_text(&p.phones)),
        ("emails", p.emails.join(", ")),
        ("address", p.address.clone().unwrap_or_default()),
        ("tags", p.tags.join(", ")),
        ("note", p.note.clone().unwrap_or_default()),
        ("last contact", opt_time(p.last_contact)),
        (
            "in trash",
            if p.deleted {
                "yes".into()
            } else {
                String::new()
            },
        ),
        ("conflicts", p.conflicts.join(", ")),
    ];
    let custom = custom_pairs(&p.custom);
    pairs.extend(custom.iter().map(|(k, v)| (k.as_str(), v.clone())));
    block(&pairs);
}

/// A company as JSON.
pub fn company_json(c: &Company) -> Json {
    json!({
        "id": c.id.to_string(),
        "name": c.name,
        "phones": phones_json(&c.phones),
        "emails": c.emails,
        "website": c.website,
        "address": c.address,
        "industry": c.industry,
        "note": c.note,
        "custom": custom_json(&c.custom),
        "deleted": c.deleted,
        "conflicts": c.conflicts,
    })
}

/// A company for people.
pub fn company_block(c: &Company) {
    let mut pairs: Vec<(&str, String)> = vec![
        ("id", c.id.to_string()),
        ("name", c.name.clone().unwrap_or_default()),
        ("phones", phones_text(&c.phones)),
        ("emails", c.emails.join(", ")),
        ("website", c.website.clone().unwrap_or_default()),
        ("address", c.address.clone().unwrap_or_default()),
        ("industry", c.industry.clone().unwrap_or_default()),
        ("note", c.note.clone().unwrap_or_default()),
        (
            "in trash",
            if c.deleted {
                "yes".into()
            } else {
                String::new()
            },
        ),
        ("conflicts", c.conflicts.join(", ")),
    ];
    let custom = custom_pairs(&c.custom);
    pairs.extend(custom.iter().map(|(k, v)| (k.as_str(), v.clone())));
    block(&pairs);
}

/// A deal as JSON.
pub fn deal_json(d: &Deal, stage_name: Option<&str>) -> Json {
    json!({
        "id": d.id.to_string(),
        "title": d.title,
        "company": d.company.map(|c| c.to_string()),
        "contact": d.contact.map(|c| c.to_string()),
        "value": d.value.as_ref().map(|(m, c)| json!({"minor": m, "currency": c})),
        "stage": d.stage.map(|s| s.to_string()),
        "stage_name": stage_name,
        "expected_close": d.expected_close,
        "owner": d.owner.map(|o| o.to_string()),
        "custom": custom_json(&d.custom),
        "deleted": d.deleted,
        "conflicts": d.conflicts,
    })
}

/// A deal for people.
pub fn deal_block(d: &Deal, stage_name: Option<&str>) {
    let mut pairs: Vec<(&str, String)> = vec![
        ("id", d.id.to_string()),
        ("title", d.title.clone()),
        ("stage", stage_name.unwrap_or_default().to_string()),
        (
            "value",
            d.value
                .as_ref()
                .map(|(m, c)| money(*m, c))
                .unwrap_or_default(),
        ),
        (
            "company",
            d.company.map(|c| c.to_string()).unwrap_or_default(),
        ),
        (
            "contact",
            d.contact.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("expected close", opt_time(d.expected_close)),
        (
            "in trash",
            if d.deleted {
                "yes".into()
            } else {
                String::new()
            },
        ),
        ("conflicts", d.conflicts.join(", ")),
    ];
    let custom = custom_pairs(&d.custom);
    pairs.extend(custom.iter().map(|(k, v)| (k.as_str(), v.clone())));
    block(&pairs);
}

/// A task as JSON.
pub fn task_json(t: &Task) -> Json {
    json!({
        "id": t.id.to_string(),
        "title": t.title,
        "due": t.due,
        "done": t.done,
        "assignee": t.assignee.map(|x| x.to_string()),
        "person": t.person.map(|x| x.to_string()),
        "company": t.company.map(|x| x.to_string()),
        "deal": t.deal.map(|x| x.to_string()),
        "deleted": t.deleted,
    })
}

/// A task as a table row: id, due, done, title.
pub fn task_row(t: &Task) -> Vec<String> {
    vec![
        t.id.to_string(),
        opt_time(t.due),
        if t.done { "done".into() } else { "open".into() },
        t.title.clone(),
    ]
}

/// An activity as JSON.
pub fn activity_json(a: &Activity) -> Json {
    let mut v = json!({
        "id": a.id.to_string(),
        "at": a.at,
        "people": a.people.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "company": a.company.map(|c| c.to_string()),
        "note": a.note,
        "device": a.device.map(|d| d.to_string()),
        "by": a.by,
        "deleted": a.deleted,
    });
    let extra = match &a.kind {
        ActivityKind::Call {
            direction,
            number,
            duration_s,
            outcome,
        } => json!({"kind": "call", "direction": direction.as_str(), "number": number,
                    "duration_s": duration_s, "outcome": outcome}),
        ActivityKind::Meeting { end, place } => {
            json!({"kind": "meeting", "end": end, "place": place})
        }
        ActivityKind::Note => json!({"kind": "note"}),
    };
    if let (Some(o), Json::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    v
}

/// A timeline entry as JSON.
pub fn timeline_json(t: &TimelineItem) -> Json {
    json!({
        "id": t.id.to_string(),
        "kind": timeline_kind(t),
        "at": t.at,
        "summary": t.summary,
    })
}

/// The kind of a timeline entry as a word.
pub fn timeline_kind(t: &TimelineItem) -> String {
    serde_json::to_value(t.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Timeline entries as a table.
pub fn timeline_table(items: &[TimelineItem]) {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|t| {
            vec![
                time(t.at),
                timeline_kind(t),
                t.summary.clone(),
                t.id.to_string(),
            ]
        })
        .collect();
    table(&["when", "what", "summary", "id"], &rows);
}
