//! Which person, company, deal or task the command line means: its id, or
//! what a salesperson would type instead (a name, an email address, a
//! phone number), read through the core's search.
//!
//! `deko timeline "Jana Nováková"` names one person; `deko timeline Jana`
//! does too while only one person matches. When several match, the error
//! names them with their ids (one line, as every error), so the next try
//! can be exact; nothing is ever chosen by rank alone.

use deko_core::ErrorKind;
use deko_core::model::Crm;
use deko_core::record::EntityId;
use deko_core::search::SearchHit;

use crate::error::{CliError, Result};

/// Search results read to decide: the ranked group (people, companies,
/// deals, tasks) comes first, so this many are plenty to tell one match
/// from many.
const READ: usize = 50;

/// Candidates an "ambiguous" error names; the rest are counted.
const NAMED: usize = 5;

/// The entity of one of `kinds` (`person`, `company`, `deal`, `task`) that
/// `text` names: an id as it stands (the caller checks its kind, as for
/// any id); a phone number, in any form caller lookup reads, names whoever
/// has it; else the one search match whose whole name `text` is (case and
/// spaces aside), else the only match at all. No match, or several: an
/// error saying so, naming the candidates with their ids.
pub fn entity(crm: &Crm, text: &str, kinds: &[&str]) -> Result<EntityId> {
    let text = text.trim();
    if let Ok(id) = EntityId::parse(text) {
        return Ok(id);
    }
    let what = kinds_text(kinds, false);
    if text.is_empty() {
        return Err(CliError::usage(format!("name a {what} by its id or name")));
    }
    let hits: Vec<SearchHit> = match by_number(crm, text, kinds) {
        Some(hits) => hits,
        None => crm
            .search(text, 0, READ)?
            .into_iter()
            .filter(|h| kinds.contains(&h.kind.as_str()))
            .collect(),
    };
    let exact: Vec<&SearchHit> = hits.iter().filter(|h| same_name(&h.name, text)).collect();
    if let [one] = exact.as_slice() {
        return Ok(one.id);
    }
    if let [one] = hits.as_slice() {
        return Ok(one.id);
    }
    if hits.is_empty() {
        let hint = match kinds {
            ["company"] => format!("add it with `deko company add {text:?}`"),
            _ => format!("`deko search {text:?}` looks everywhere"),
        };
        return Err(CliError::failed(
            ErrorKind::NotFound,
            format!("no {what} matches {text:?} ({hint})"),
        ));
    }
    // Several: the exact names, if more than one, else every match.
    let candidates: Vec<&SearchHit> = if exact.len() > 1 {
        exact
    } else {
        hits.iter().collect()
    };
    Err(CliError::usage(ambiguous(crm, text, kinds, &candidates)))
}

/// Who has the number `text` is, as search hits; `None` when `text` is not
/// a phone number (too few digits, letters in it) or nobody of `kinds` has
/// it, so search has its turn.
fn by_number(crm: &Crm, text: &str, kinds: &[&str]) -> Option<Vec<SearchHit>> {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if digits < 6 || !phone_like {
        return None;
    }
    let found = crm.lookup_number(text).ok()?;
    let hit = |id, kind: &str, name: String| SearchHit {
        id,
        kind: kind.into(),
        name,
        snippet: String::new(),
        rank: 0.0,
    };
    let people = found
        .people
        .into_iter()
        .filter(|_| kinds.contains(&"person"))
        .map(|p| hit(p.id, "person", p.display_name));
    let companies = found
        .companies
        .into_iter()
        .filter(|_| kinds.contains(&"company"))
        .map(|c| hit(c.id, "company", c.name.unwrap_or_default()));
    let hits: Vec<SearchHit> = people.chain(companies).collect();
    (!hits.is_empty()).then_some(hits)
}

/// [`entity`], where "" means "none" (a flag that removes a link).
pub fn opt_entity(crm: &Crm, text: &str, kinds: &[&str]) -> Result<Option<EntityId>> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        entity(crm, text, kinds).map(Some)
    }
}

/// Every one of `texts` as [`entity`] reads it.
pub fn entities(crm: &Crm, texts: &[String], kinds: &[&str]) -> Result<Vec<EntityId>> {
    texts.iter().map(|t| entity(crm, t, kinds)).collect()
}

/// `"Jana" matches 3 people: Jana Nováková (Stavby Brno) 01a2…, ...; name
/// one by its id`.
fn ambiguous(crm: &Crm, text: &str, kinds: &[&str], candidates: &[&SearchHit]) -> String {
    let many = if candidates.len() >= READ {
        format!("{READ} or more")
    } else {
        candidates.len().to_string()
    };
    let named: Vec<String> = candidates
        .iter()
        .take(NAMED)
        .map(|h| describe(crm, h, kinds.len() > 1))
        .collect();
    let more = match candidates.len().saturating_sub(NAMED) {
        0 => String::new(),
        _ if candidates.len() >= READ => format!(" and more (`deko search {text:?}`)"),
        n => format!(" and {n} more (`deko search {text:?}`)"),
    };
    format!(
        "{text:?} matches {many} {}: {}{more}; name one by its id",
        kinds_text(kinds, true),
        named.join(", ")
    )
}

/// One candidate: its name, what tells it apart (a person's company), its
/// kind when several kinds were asked for, and its id.
fn describe(crm: &Crm, hit: &SearchHit, with_kind: bool) -> String {
    let company = match hit.kind.as_str() {
        "person" => crm
            .person(&hit.id)
            .ok()
            .flatten()
            .and_then(|p| p.company_name),
        _ => None,
    };
    let mut s = if with_kind {
        format!("{} {}", hit.kind, hit.name)
    } else {
        hit.name.clone()
    };
    if let Some(c) = company {
        s.push_str(&format!(" ({c})"));
    }
    format!("{s} {}", hit.id)
}

/// Whether `name` is the whole of `typed`, case and runs of spaces aside.
fn same_name(name: &str, typed: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    fold(name) == fold(typed)
}

/// "person", "person or company"; plural: "people", "people or companies".
fn kinds_text(kinds: &[&str], plural: bool) -> String {
    let word = |k: &&str| match (*k, plural) {
        ("person", true) => "people".to_string(),
        ("company", true) => "companies".to_string(),
        (k, true) => format!("{k}s"),
        (k, false) => k.to_string(),
    };
    kinds.iter().map(word).collect::<Vec<_>>().join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_same_whatever_the_case_and_spacing() {
        assert!(same_name("Jana Nováková", "  jana   NOVÁKOVÁ "));
        assert!(!same_name("Jana Nováková", "Jana"));
        assert!(!same_name("Jana Nováková", "Jana Novakova"));
    }

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(kinds_text(&["person"], false), "person");
        assert_eq!(
            kinds_text(&["person", "company"], true),
            "people or companies"
        );
        assert_eq!(kinds_text(&["deal"], true), "deals");
    }
}
