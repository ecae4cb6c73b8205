//! How an entity's merged state is stored (`entities.state`).
//!
//! Every head names the record that wrote it: its author's 32-byte key, its
//! seq and its hlc. Stored as they are (postcard of [`EntityState`]), those
//! were two thirds of a person's state (568 bytes on average over 100k
//! imported people), nearly all of it the same key and the same hlc again
//! and again: the heads one record writes share both. The compact form
//! lists each author once; a head names its author by position and gives
//! its hlc as the difference from the kind's (zero for the heads of the
//! creating record).
//!
//! The first form is still read: states stored before stay as they are
//! until they change. The first byte tells them apart: the first form
//! starts with the kind's length (at most [`MAX_NAME_LEN`], 64), the
//! compact one with [`COMPACT`].

use std::collections::BTreeMap;

use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::{EntityState, Head, MAX_NAME_LEN};
use crate::identity::DeviceId;
use crate::record::{Hlc, Value, VersionId};

/// The first byte of the compact form; never a length the first form
/// starts with.
const COMPACT: u8 = 0xC1;
const _: () = assert!(MAX_NAME_LEN < COMPACT as usize);

/// Encodes `state` in the compact form.
pub(super) fn encode(state: &EntityState) -> Vec<u8> {
    let mut authors: Vec<DeviceId> = Vec::new();
    let mut note = |a: &DeviceId| {
        if !authors.contains(a) {
            authors.push(*a);
        }
    };
    state.kind_from.iter().for_each(|v| note(&v.author));
    state
        .fields
        .values()
        .flatten()
        .for_each(|h| note(&h.version.author));
    state.tombstones.iter().for_each(|(_, v)| note(&v.author));
    let out = Out {
        kind: &state.kind,
        authors: &authors,
        kind_from: state.kind_from.map(|v| (at(&authors, &v.author), v.seq)),
        kind_hlc: state.kind_hlc.0,
        fields: Fields {
            state,
            authors: &authors,
        },
        tombstones: Tombstones {
            state,
            authors: &authors,
        },
    };
    let mut bytes = Vec::with_capacity(64 + 48 * state.fields.len());
    bytes.push(COMPACT);
    postcard::to_io(&out, &mut bytes).expect("encoding into a Vec cannot fail");
    bytes
}

/// Decodes a state stored in either form.
pub(super) fn decode(bytes: &[u8]) -> Result<EntityState, String> {
    match bytes.split_first() {
        Some((&COMPACT, rest)) => {
            let i: In = postcard::from_bytes(rest).map_err(|e| e.to_string())?;
            i.into_state()
        }
        _ => postcard::from_bytes(bytes).map_err(|e| e.to_string()),
    }
}

/// `author`'s position in `authors` (`encode` lists every author of the
/// state there first).
fn at(authors: &[DeviceId], author: &DeviceId) -> u32 {
    let found = authors.iter().position(|a| a == author);
    debug_assert!(found.is_some(), "every author is listed before use");
    found.unwrap_or(0) as u32
}

/// A head's hlc as the difference from the kind's (wrapping, so any two
/// values round-trip).
fn delta(hlc: Hlc, base: u64) -> i64 {
    hlc.0.wrapping_sub(base) as i64
}

#[derive(Serialize)]
struct Out<'a> {
    kind: &'a str,
    authors: &'a [DeviceId],
    kind_from: Option<(u32, u64)>,
    kind_hlc: u64,
    fields: Fields<'a>,
    tombstones: Tombstones<'a>,
}

/// The fields in order, each with its heads: (name, [(author, seq, hlc
/// difference, value)]).
struct Fields<'a> {
    state: &'a EntityState,
    authors: &'a [DeviceId],
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.state.fields.len()))?;
        for (name, heads) in &self.state.fields {
            let heads = Heads {
                heads,
                authors: self.authors,
                base: self.state.kind_hlc.0,
            };
            seq.serialize_element(&(name.as_str(), heads))?;
        }
        seq.end()
    }
}

struct Heads<'a> {
    heads: &'a [Head],
    authors: &'a [DeviceId],
    base: u64,
}

impl Serialize for Heads<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.heads.len()))?;
        for h in self.heads {
            seq.serialize_element(&(
                at(self.authors, &h.version.author),
                h.version.seq,
                delta(h.hlc, self.base),
                &h.value,
            ))?;
        }
        seq.end()
    }
}

/// The tombstones: (field, author, seq).
struct Tombstones<'a> {
    state: &'a EntityState,
    authors: &'a [DeviceId],
}

impl Serialize for Tombstones<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.state.tombstones.len()))?;
        for (field, v) in &self.state.tombstones {
            seq.serialize_element(&(field.as_str(), at(self.authors, &v.author), v.seq))?;
        }
        seq.end()
    }
}

/// A stored head: (author's position, seq, hlc difference, value).
type InHead = (u32, u64, i64, Value);

#[derive(Deserialize)]
struct In {
    kind: String,
    authors: Vec<DeviceId>,
    kind_from: Option<(u32, u64)>,
    kind_hlc: u64,
    fields: Vec<(String, Vec<InHead>)>,
    tombstones: Vec<(String, u32, u64)>,
}

impl In {
    fn into_state(self) -> Result<EntityState, String> {
        let authors = self.authors;
        let version = |author: u32, seq: u64| -> Result<VersionId, String> {
            let author = *authors
                .get(author as usize)
                .ok_or_else(|| format!("author {author} of {} in a stored state", authors.len()))?;
            Ok(VersionId { author, seq })
        };
        let mut fields = BTreeMap::new();
        for (name, heads) in self.fields {
            let heads = heads
                .into_iter()
                .map(|(author, seq, hlc, value)| {
                    Ok(Head {
                        version: version(author, seq)?,
                        hlc: Hlc(self.kind_hlc.wrapping_add(hlc as u64)),
                        value,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            fields.insert(name, heads);
        }
        Ok(EntityState {
            kind: self.kind,
            kind_from: self
                .kind_from
                .map(|(author, seq)| version(author, seq))
                .transpose()?,
            kind_hlc: Hlc(self.kind_hlc),
            fields,
            tombstones: self
                .tombstones
                .into_iter()
                .map(|(field, author, seq)| Ok((field, version(author, seq)?)))
                .collect::<Result<_, String>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::EntityId;

    fn head(author: u8, seq: u64, hlc: u64, value: Value) -> Head {
        Head {
            version: VersionId {
                author: DeviceId([author; 32]),
                seq,
            },
            hlc: Hlc(hlc),
            value,
        }
    }

    /// A state with every part filled: two authors, a conflict, a
    /// tombstone, heads older and newer than the kind, every kind of value.
    fn full() -> EntityState {
        let mut fields = BTreeMap::new();
        fields.insert(
            "given".to_string(),
            vec![
                head(1, 7, 1_000, Value::Text("Ann".into())),
                head(2, 3, 1_200, Value::Text("Anna".into())),
            ],
        );
        fields.insert(
            "phones".to_string(),
            vec![head(
                2,
                4,
                900,
                Value::Labeled(vec![crate::record::Labeled {
                    label: "work".into(),
                    value: "+420 721 123 456".into(),
                }]),
            )],
        );
        fields.insert(
            "value".to_string(),
            vec![head(
                1,
                7,
                1_000,
                Value::Money {
                    minor: -5,
                    currency: "CZK".into(),
                },
            )],
        );
        fields.insert(
            "company".to_string(),
            vec![head(1, 7, u64::MAX, Value::Ref(EntityId([9; 16])))],
        );
        fields.insert(
            "_deleted".to_string(),
            vec![head(1, 7, 0, Value::Bool(false))],
        );
        fields.insert("cleared".to_string(), vec![head(3, 1, 5, Value::Null)]);
        EntityState {
            kind: "person".into(),
            kind_from: Some(VersionId {
                author: DeviceId([1; 32]),
                seq: 7,
            }),
            kind_hlc: Hlc(1_000),
            fields,
            tombstones: vec![(
                "given".into(),
                VersionId {
                    author: DeviceId([4; 32]),
                    seq: 2,
                },
            )],
        }
    }

    #[test]
    fn round_trips() {
        for state in [full(), EntityState::default()] {
            let bytes = encode(&state);
            assert_eq!(bytes[0], COMPACT);
            assert_eq!(decode(&bytes).unwrap(), state);
        }
    }

    #[test]
    fn lists_each_author_once() {
        let state = full();
        let first_form = postcard::to_stdvec(&state).unwrap();
        let compact = encode(&state);
        // Four authors (one only in a tombstone) named nine times: five
        // keys fewer, less the positions.
        assert_eq!(
            compact.windows(32).filter(|w| *w == [1; 32]).count(),
            1,
            "author 1 is written once"
        );
        assert!(compact.len() + 4 * 32 < first_form.len());
    }

    #[test]
    fn reads_the_first_form() {
        let state = full();
        let first_form = postcard::to_stdvec(&state).unwrap();
        assert!(first_form[0] as usize <= MAX_NAME_LEN);
        assert_eq!(decode(&first_form).unwrap(), state);
    }

    #[test]
    fn refuses_an_author_out_of_range() {
        let mut bytes = encode(&full());
        // The kind_from's author index follows the kind and the authors.
        let at = 1 + 1 + "person".len() + 1 + 4 * 32 + 1;
        assert_eq!(bytes[at], 0, "kind_from's author");
        bytes[at] = 9;
        let err = decode(&bytes).unwrap_err();
        assert!(err.contains("author 9 of 4"), "{err}");
    }

    #[test]
    fn refuses_garbage_without_panicking() {
        for bytes in [&[COMPACT][..], &[COMPACT, 0xFF, 0xFF], &[0xFF; 40]] {
            assert!(decode(bytes).is_err());
        }
    }
}
