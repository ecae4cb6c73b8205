//! How commands print: aligned tables and key/value blocks for people, or
//! JSON (`--json`): the core's own types in their serde form, whose field
//! names are the ones documented in cli/README.md (pinned by
//! `tests/cli/json_shapes.rs`). Ids are strings, times are milliseconds
//! since the Unix epoch (UTC).

use chrono::{Local, TimeZone};
use deko_core::model::{Company, CustomValue, Deal, Money, Person, Phone, Task, TimelineItem};
use deko_core::record::Value;
use serde::Serialize;

/// Where a command's output goes: JSON or text.
#[derive(Clone, Copy, Debug)]
pub struct Out {
    /// Print JSON.
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or calls `human` to print text.
    pub fn print<T: Serialize + ?Sized>(&self, value: &T, human: impl FnOnce()) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
            );
        } else {
            human();
        }
    }
}

/// An entity shown with the start of its timeline (`person show`,
/// `company show`: the entity's fields, `recent`, and for a company its
/// `people`).
#[derive(Serialize)]
pub struct Shown<'a, T: Serialize> {
    /// The entity.
    #[serde(flatten)]
    pub item: &'a T,
    /// A company's people, by id and name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<Named>>,
    /// The newest timeline entries.
    pub recent: &'a [TimelineItem],
}

/// An entity by id and name.
#[derive(Serialize)]
pub struct Named {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// `n` things in words: "1 person", "12,288 people" (thousands grouped,
/// as the progress bars show them).
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// `n` with its thousands grouped: "245,009" (as the progress bars write
/// counts: indicatif's `HumanCount`).
pub fn grouped(n: u64) -> String {
    indicatif::HumanCount(n).to_string()
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

/// Money for people: `12500.00 EUR` (`1000 JPY`: the currency's minor digits).
pub fn money(m: &Money) -> String {
    m.text()
}

/// An amount in minor units for people: `12500.00 EUR`.
pub fn money_text(minor: i64, currency: &str) -> String {
    Money {
        minor,
        currency: currency.to_string(),
    }
    .text()
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
        Value::Date(d) => deko_core::record::date_text(*d),
        Value::Ref(id) => id.to_string(),
        Value::Money { minor, currency } => money_text(*minor, currency),
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

/// A number grouped the international way ("+44 20 7946 0958"): the same
/// whatever the database's region, so scripts and people read them alike
/// (the apps show `Phone::display`, the national way at home).
pub fn phone_text(p: &Phone) -> String {
    deko_core::search::phone::format_international(&p.number)
}

/// Every number with its label, as `phone_text` writes it.
fn phones_text(p: &[Phone]) -> String {
    p.iter()
        .map(|p| format!("{} ({})", phone_text(p), p.label.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints an entity's `pairs`, then what every kind has: whether it is in
/// the trash, its fields in conflict and its custom values.
fn entity_block<'a>(
    mut pairs: Vec<(&'a str, String)>,
    deleted: bool,
    conflicts: &[String],
    custom: &'a [CustomValue],
) {
    let trash = if deleted { "yes" } else { "" };
    pairs.push(("in trash", trash.into()));
    pairs.push(("conflicts", conflicts.join(", ")));
    pairs.extend(
        custom
            .iter()
            .map(|v| (v.field.name.as_str(), value_text(&v.value))),
    );
    block(&pairs);
}

/// A person for people.
pub fn person_block(p: &Person) {
    let pairs = vec![
        ("id", p.id.to_string()),
        ("name", p.display_name.clone()),
        ("title", p.title.clone().unwrap_or_default()),
        ("company", p.company_name.clone().unwrap_or_default()),
        ("phones", phones_text(&p.phones)),
        ("emails", p.emails.join(", ")),
        ("address", p.address.clone().unwrap_or_default()),
        ("tags", p.tags.join(", ")),
        ("note", p.note.clone().unwrap_or_default()),
        ("last contact", opt_time(p.last_contact)),
    ];
    entity_block(pairs, p.deleted, &p.conflicts, &p.custom);
}

/// A company for people.
pub fn company_block(c: &Company) {
    let pairs = vec![
        ("id", c.id.to_string()),
        ("name", c.name.clone().unwrap_or_default()),
        ("phones", phones_text(&c.phones)),
        ("emails", c.emails.join(", ")),
        ("website", c.website.clone().unwrap_or_default()),
        ("address", c.address.clone().unwrap_or_default()),
        ("industry", c.industry.clone().unwrap_or_default()),
        ("note", c.note.clone().unwrap_or_default()),
    ];
    entity_block(pairs, c.deleted, &c.conflicts, &c.custom);
}

/// A deal for people.
pub fn deal_block(d: &Deal) {
    let pairs = vec![
        ("id", d.id.to_string()),
        ("title", d.title.clone()),
        ("stage", d.stage_name.clone().unwrap_or_default()),
        ("value", d.value.as_ref().map(money).unwrap_or_default()),
        ("company", linked(&d.company_name, d.company)),
        ("contact", linked(&d.contact_name, d.contact)),
        ("expected close", opt_time(d.expected_close)),
    ];
    entity_block(pairs, d.deleted, &d.conflicts, &d.custom);
}

/// A task for people.
pub fn task_block(t: &Task) {
    let pairs = vec![
        ("id", t.id.to_string()),
        ("title", t.title.clone()),
        ("due", opt_time(t.due)),
        ("done", if t.done { "yes" } else { "no" }.into()),
        ("person", linked(&t.person_name, t.person)),
        ("company", linked(&t.company_name, t.company)),
        ("deal", linked(&t.deal_title, t.deal)),
    ];
    entity_block(pairs, t.deleted, &[], &[]);
}

/// What a task or deal links to, by name (the id while the views do not
/// know the name yet, as right after a large sync); "" for nothing.
fn linked(name: &Option<String>, id: Option<deko_core::record::EntityId>) -> String {
    match (name, id) {
        (Some(n), _) if !n.is_empty() => n.clone(),
        (_, Some(id)) => id.to_string(),
        _ => String::new(),
    }
}

/// A task as a table row: id, due, done, title, whom it is about (the
/// person, else the company).
pub fn task_row(t: &Task) -> Vec<String> {
    let about = t.person_name.as_ref().or(t.company_name.as_ref());
    vec![
        t.id.to_string(),
        opt_time(t.due),
        if t.done { "done".into() } else { "open".into() },
        t.title.clone(),
        about.cloned().unwrap_or_default(),
    ]
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

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_read_as_words_with_grouped_digits() {
        assert_eq!(count(0, "person", "people"), "0 people");
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(999, "record", "records"), "999 records");
        assert_eq!(count(1_000, "record", "records"), "1,000 records");
        assert_eq!(count(12_288, "record", "records"), "12,288 records");
        assert_eq!(count(1_234_567, "record", "records"), "1,234,567 records");
        assert_eq!(super::grouped(245_009), "245,009");
    }
}
