//! The merge: how records turn into entity state. Pure functions, no I/O.
//!
//! Every field of an entity is a multi-value register. A write names the
//! versions it replaces (the heads the writer saw); the versions nothing
//! replaces are the field's heads. One head is the value; several heads with
//! different values are a conflict, shown with a winner (highest hlc, then
//! author id) and all the other values. Deletion is the field [`DELETED`]:
//! every edit also writes `false` over the heads it saw, so a delete and a
//! concurrent edit leave two heads and the entity stays (flagged).
//!
//! A version replaced before it arrived (possible when records of different
//! authors arrive in different orders) is remembered as a tombstone, so the
//! result is the same whatever order records are applied in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::record::{FieldWrite, Hlc, Put, Value, VersionId};

mod codec;

/// The reserved field that holds whether an entity is deleted.
pub const DELETED: &str = "_deleted";
/// The longest field or kind name.
pub const MAX_NAME_LEN: usize = 64;

/// One head of a field: a version nothing has replaced yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Head {
    /// The record that wrote it.
    pub version: VersionId,
    /// When it was written.
    pub hlc: Hlc,
    /// The value written.
    pub value: Value,
}

/// The merged state of one entity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityState {
    /// The entity's kind.
    pub kind: String,
    /// The version whose kind counts: the creating record, i.e. the
    /// earliest (by hlc, then version) that named one.
    pub kind_from: Option<VersionId>,
    /// That version's timestamp.
    pub kind_hlc: Hlc,
    /// Each field's heads, sorted by version.
    pub fields: BTreeMap<String, Vec<Head>>,
    /// Versions replaced before they arrived: (field, version), sorted.
    pub tombstones: Vec<(String, VersionId)>,
}

impl EntityState {
    /// Decodes a stored state (either storage form: see `merge/codec.rs`).
    pub fn decode(bytes: &[u8]) -> Result<EntityState, String> {
        codec::decode(bytes)
    }

    /// Encodes the state for storage: each author's key once, not once
    /// per head (see `merge/codec.rs`).
    pub fn encode(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// The canonical bytes of what the state shows (tombstones excluded):
    /// equal on every device holding the same records.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(&(&self.kind, &self.fields)).expect("encoding into a Vec cannot fail")
    }

    /// The heads of a field, winner first.
    pub fn heads(&self, field: &str) -> Vec<&Head> {
        let mut heads: Vec<&Head> = self
            .fields
            .get(field)
            .map(|h| h.iter().collect())
            .unwrap_or_default();
        heads.sort_by(|a, b| winner_order(b, a));
        heads
    }

    /// The value shown for a field: its winning head's.
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.fields
            .get(field)?
            .iter()
            .max_by(|a, b| winner_order(a, b))
            .map(|h| &h.value)
    }

    /// Deleted when every head of [`DELETED`] says so (and there is one).
    pub fn is_deleted(&self) -> bool {
        match self.fields.get(DELETED) {
            Some(heads) if !heads.is_empty() => heads.iter().all(|h| h.value == Value::Bool(true)),
            _ => false,
        }
    }

    /// Fields whose heads hold more than one distinct value.
    pub fn conflicted_fields(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(_, heads)| has_distinct_values(heads))
            .map(|(f, _)| f.as_str())
            .collect()
    }

    /// Whether any field is in conflict.
    pub fn is_conflicted(&self) -> bool {
        self.fields.values().any(|h| has_distinct_values(h))
    }

    /// The newest timestamp among the heads.
    pub fn updated(&self) -> Hlc {
        self.fields
            .values()
            .flatten()
            .map(|h| h.hlc)
            .max()
            .unwrap_or_default()
    }
}

fn has_distinct_values(heads: &[Head]) -> bool {
    heads
        .first()
        .is_some_and(|first| heads.iter().any(|h| !h.value.same_as(&first.value)))
}

/// Orders heads so that the greater one wins: higher hlc, then higher author,
/// then higher seq.
pub fn winner_order(a: &Head, b: &Head) -> std::cmp::Ordering {
    (a.hlc, a.version.author, a.version.seq).cmp(&(b.hlc, b.version.author, b.version.seq))
}

/// Checks that a put is well formed: a valid kind, at least one write,
/// valid and unique field names. Applied to local and remote puts alike, so
/// every device accepts the same records.
pub fn validate_put(put: &Put) -> Result<(), String> {
    validate_name("kind", &put.kind)?;
    if put.kind.starts_with('_') {
        return Err(format!("kind {:?} is reserved", put.kind));
    }
    if put.writes.is_empty() {
        return Err("a put writes at least one field".into());
    }
    let mut seen: Vec<&str> = Vec::with_capacity(put.writes.len());
    for w in &put.writes {
        validate_name("field", &w.field)?;
        if w.field.starts_with('_') && w.field != DELETED {
            return Err(format!("field name {:?} is reserved", w.field));
        }
        if w.field == DELETED && !matches!(w.value, Value::Bool(_)) {
            return Err(format!("{DELETED} holds yes or no"));
        }
        if seen.contains(&w.field.as_str()) {
            return Err(format!("field {:?} written twice in one record", w.field));
        }
        seen.push(&w.field);
    }
    Ok(())
}

/// Checks a kind or field name: 1 to [`MAX_NAME_LEN`] bytes of letters,
/// digits, `_`, `-`, `.` and `:`.
pub fn validate_name(what: &str, name: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    if name.is_empty() || name.len() > MAX_NAME_LEN || !name.chars().all(ok_char) {
        return Err(format!(
            "{what} name {name:?} must be 1 to {MAX_NAME_LEN} letters, digits or _ - . :"
        ));
    }
    Ok(())
}

/// Applies one put (already validated) written as `version` at `hlc`.
///
/// `applied_before(v)` tells whether version `v`'s record was applied before
/// this one; a replaced version that was not is remembered as a tombstone.
pub fn apply_put(
    state: &mut EntityState,
    version: VersionId,
    hlc: Hlc,
    put: &Put,
    mut applied_before: impl FnMut(&VersionId) -> bool,
) {
    if state
        .kind_from
        .is_none_or(|k| (hlc, version) < (state.kind_hlc, k))
    {
        state.kind = put.kind.clone();
        state.kind_from = Some(version);
        state.kind_hlc = hlc;
    }
    for FieldWrite {
        field,
        value,
        replaces,
    } in &put.writes
    {
        let heads = state.fields.entry(field.clone()).or_default();
        for r in replaces {
            if let Some(pos) = heads.iter().position(|h| h.version == *r) {
                heads.remove(pos);
            } else if *r != version && !applied_before(r) {
                let t = (field.clone(), *r);
                if let Err(pos) = state.tombstones.binary_search(&t) {
                    state.tombstones.insert(pos, t);
                }
            }
        }
        let me = (field.clone(), version);
        if let Ok(pos) = state.tombstones.binary_search(&me) {
            state.tombstones.remove(pos);
        } else if let Err(pos) = heads.binary_search_by(|h| h.version.cmp(&version)) {
            heads.insert(
                pos,
                Head {
                    version,
                    hlc,
                    value: value.clone(),
                },
            );
        }
        if heads.is_empty() {
            state.fields.remove(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::DeviceId;

    fn v(author: u8, seq: u64) -> VersionId {
        VersionId {
            author: DeviceId([author; 32]),
            seq,
        }
    }

    fn put(field: &str, value: Value, replaces: Vec<VersionId>) -> Put {
        Put {
            kind: "person".into(),
            entity: crate::record::EntityId([1; 16]),
            writes: vec![FieldWrite {
                field: field.into(),
                value,
                replaces,
            }],
        }
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn sequential_edits_leave_one_head() {
        let mut s = EntityState::default();
        apply_put(
            &mut s,
            v(1, 1),
            Hlc(1),
            &put("name", text("a"), vec![]),
            |_| false,
        );
        apply_put(
            &mut s,
            v(1, 2),
            Hlc(2),
            &put("name", text("b"), vec![v(1, 1)]),
            |_| true,
        );
        assert_eq!(s.value("name"), Some(&text("b")));
        assert!(!s.is_conflicted());
    }

    #[test]
    fn concurrent_edits_conflict_and_a_new_write_resolves() {
        let mut s = EntityState::default();
        apply_put(
            &mut s,
            v(1, 1),
            Hlc(1),
            &put("name", text("a"), vec![]),
            |_| false,
        );
        apply_put(
            &mut s,
            v(2, 1),
            Hlc(5),
            &put("name", text("b"), vec![v(1, 1)]),
            |_| true,
        );
        apply_put(
            &mut s,
            v(3, 1),
            Hlc(4),
            &put("name", text("c"), vec![v(1, 1)]),
            |_| true,
        );
        assert_eq!(s.conflicted_fields(), vec!["name"]);
        assert_eq!(
            s.value("name"),
            Some(&text("b")),
            "highest hlc wins the display"
        );
        let heads: Vec<_> = s.heads("name").iter().map(|h| h.value.clone()).collect();
        assert_eq!(heads, vec![text("b"), text("c")]);
        apply_put(
            &mut s,
            v(1, 2),
            Hlc(6),
            &put("name", text("d"), vec![v(2, 1), v(3, 1)]),
            |_| true,
        );
        assert!(!s.is_conflicted());
        assert_eq!(s.value("name"), Some(&text("d")));
    }

    #[test]
    fn equal_concurrent_values_are_no_conflict() {
        let mut s = EntityState::default();
        apply_put(
            &mut s,
            v(1, 1),
            Hlc(1),
            &put("x", text("same"), vec![]),
            |_| false,
        );
        apply_put(
            &mut s,
            v(2, 1),
            Hlc(2),
            &put("x", text("same"), vec![]),
            |_| false,
        );
        assert_eq!(s.heads("x").len(), 2);
        assert!(!s.is_conflicted());
    }

    #[test]
    fn replaced_before_arrival_stays_replaced() {
        let a = put("name", text("old"), vec![]);
        let b = put("name", text("new"), vec![v(1, 1)]);
        let mut s1 = EntityState::default();
        apply_put(&mut s1, v(1, 1), Hlc(1), &a, |_| false);
        apply_put(&mut s1, v(2, 1), Hlc(2), &b, |_| true);
        let mut s2 = EntityState::default();
        apply_put(&mut s2, v(2, 1), Hlc(2), &b, |_| false);
        assert_eq!(s2.tombstones.len(), 1);
        apply_put(&mut s2, v(1, 1), Hlc(1), &a, |_| false);
        assert_eq!(s1, s2);
        assert!(s2.tombstones.is_empty());
    }

    #[test]
    fn delete_against_concurrent_edit_keeps_entity() {
        let mut s = EntityState::default();
        apply_put(
            &mut s,
            v(1, 1),
            Hlc(1),
            &put(DELETED, Value::Bool(false), vec![]),
            |_| false,
        );
        apply_put(
            &mut s,
            v(2, 1),
            Hlc(2),
            &put(DELETED, Value::Bool(true), vec![v(1, 1)]),
            |_| true,
        );
        assert!(s.is_deleted());
        apply_put(
            &mut s,
            v(3, 1),
            Hlc(3),
            &put(DELETED, Value::Bool(false), vec![v(1, 1)]),
            |_| true,
        );
        assert!(!s.is_deleted(), "edit wins over a concurrent delete");
        assert_eq!(s.conflicted_fields(), vec![DELETED]);
    }

    #[test]
    fn validation_refuses_bad_names_and_duplicates() {
        assert!(validate_put(&put("name", text("a"), vec![])).is_ok());
        assert!(validate_put(&put("", text("a"), vec![])).is_err());
        assert!(validate_put(&put("_secret", text("a"), vec![])).is_err());
        assert!(validate_put(&put(DELETED, text("a"), vec![])).is_err());
        let mut p = put("name", text("a"), vec![]);
        p.writes.push(p.writes[0].clone());
        assert!(validate_put(&p).unwrap_err().contains("twice"));
        p.writes.clear();
        assert!(validate_put(&p).is_err());
    }
}
