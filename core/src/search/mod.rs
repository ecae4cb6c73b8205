//! Finding things: full-text search as you type (FTS5, case- and
//! diacritics-insensitive, ranked, with snippets) and caller lookup by
//! phone number in any common written form (one indexed query).

pub mod phone;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::EntityId;
use crate::store::Store;
use phone::Region;

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    /// The entity found.
    pub id: EntityId,
    /// Its kind (person, company, call, meeting, note, task, deal).
    pub kind: String,
    /// Its name or title ("" for activities, whose text is the snippet).
    pub name: String,
    /// The matching text, matches in `[` `]`.
    pub snippet: String,
    /// bm25 rank among people, companies, deals and tasks: lower is
    /// better; 0 for activity notes (which follow, newest first).
    pub rank: f64,
}

/// The longest query accepted.
pub const MAX_QUERY_CHARS: usize = 200;

/// The most matches ranked for one query. bm25 costs a few microseconds a
/// match, so an unselective prefix ("n", "co", a mail domain) matching most
/// of 100k documents would take tens of milliseconds per keystroke; past
/// this bound only the newest matches are ranked, which keeps every
/// keystroke within a few milliseconds. A query that selective enough to
/// matter (a few more letters) is ranked over all its matches.
pub const MAX_RANKED: usize = 2_000;

/// Builds an FTS5 query from what a person typed: every word must match,
/// the last one (or every one, for search as you type) as a prefix. A
/// word the tokenizer splits ("o'brien", "jan.novak@acme") is a phrase:
/// its pieces in that order, the last a prefix, so "o'brien" finds
/// O'Brien and not every name with an "o" beside a Brien (and FTS5 never
/// walks the huge doclist of a one-letter prefix). Pieces are quoted, so
/// FTS5 syntax in the input is just text.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|word| {
            word.split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
                .filter(|piece| piece.chars().any(char::is_alphanumeric))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

/// A combining diacritic (as in a decomposed "á"): part of its word, as
/// the tokenizer reads it, not a break between two.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Searches names, companies, emails, phones, notes and custom text fields.
///
/// People, companies, deals and tasks come first, ranked (bm25, names
/// weighing ten times more than the rest); then calls, meetings and notes
/// whose text matches, most recently written first. Ranking only the first
/// group keeps a search over a million activity notes fast: FTS5 reads the
/// notes index in docid order and stops after a page. A query matching more
/// than [`MAX_RANKED`] of the first group ranks only its newest
/// [`MAX_RANKED`] (bounded work per keystroke). Empty input finds nothing.
pub fn search(store: &Store, input: &str, offset: usize, limit: usize) -> Result<Vec<SearchHit>> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::invalid(
            "query",
            format!("a search is at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let conn = store.conn();
    let wanted = offset.saturating_add(limit);
    let mut out = Vec::new();
    {
        // The lowest docid among the newest MAX_RANKED matches: FTS5 walks
        // its doclist backwards and stops there (no ranking, no content).
        let floor: i64 = conn
            .prepare_cached(
                "SELECT rowid FROM search WHERE search MATCH ?1
                 ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![query, (MAX_RANKED - 1) as i64], |r| r.get(0))
            .optional()?
            .unwrap_or(i64::MIN);
        // Ordered by FTS5's own rank column: FTS5 sorts the rowids by
        // rank itself, so the name, the join and the snippet are read for
        // the rows returned only (ordering by a bm25() result column had
        // SQLite build every candidate row before sorting: 25-35% slower
        // on most queries of the crm bench).
        let mut stmt = conn.prepare_cached(
            "SELECT d.entity, d.kind, s.name,
                    snippet(search, -1, '[', ']', '…', 10), s.rank
             FROM search s JOIN search_docs d ON d.docid = s.rowid
             WHERE search MATCH ?1 AND s.rank MATCH 'bm25(10.0, 1.0)' AND s.rowid >= ?3
             ORDER BY s.rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, wanted as i64, floor], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        for row in rows {
            let (id, kind, name, snippet, rank) = row?;
            out.push(SearchHit {
                id: EntityId::from_slice(&id)?,
                kind,
                name,
                snippet,
                rank,
            });
        }
    }
    if out.len() < wanted {
        let mut stmt = conn.prepare_cached(
            "SELECT d.entity, d.kind, snippet(search_notes, 0, '[', ']', '…', 10)
             FROM search_notes s JOIN search_docs d ON d.docid = s.rowid
             WHERE search_notes MATCH ?1
             ORDER BY s.rowid DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, (wanted - out.len()) as i64], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get(1)?, r.get(2)?))
        })?;
        for row in rows {
            let (id, kind, snippet) = row?;
            out.push(SearchHit {
                id: EntityId::from_slice(&id)?,
                kind,
                name: String::new(),
                snippet,
                rank: 0.0,
            });
        }
    }
    Ok(out.into_iter().skip(offset).collect())
}

/// Who has this number: people and companies (not in the trash) with the
/// number in any common written form, in one indexed lookup.
pub fn lookup_number(
    store: &Store,
    region: &Region,
    number: &str,
) -> Result<Vec<(EntityId, String)>> {
    let e164 = phone::read(number, region)?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT p.entity, e.kind FROM phones p JOIN entities e ON e.id = p.entity
         WHERE p.number = ?1 AND e.deleted = 0 ORDER BY e.kind DESC, p.entity",
    )?;
    let rows = stmt.query_map([e164], |r| {
        Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind) = row?;
        out.push((EntityId::from_slice(&id)?, kind));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_quoted_prefixes() {
        assert_eq!(fts_query("novak").unwrap(), "\"novak\"*");
        assert_eq!(fts_query("Jan  Nov").unwrap(), "\"Jan\"* \"Nov\"*");
        assert_eq!(fts_query("a\" OR b*").unwrap(), "\"a\"* \"OR\"* \"b\"*");
        assert!(fts_query("  -- ").is_none());
        assert_eq!(fts_query("Nova\u{301}k").unwrap(), "\"Nova\u{301}k\"*");
        assert!(
            fts_query("\u{301} \u{308}'").is_none(),
            "marks alone are no word"
        );
        assert_eq!(fts_query("o'brien").unwrap(), "\"o brien\"*");
        assert_eq!(
            fts_query("jan.novak@acme.cz Praha").unwrap(),
            "\"jan novak acme cz\"* \"Praha\"*"
        );
    }
}
