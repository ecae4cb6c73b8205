//! Typed field values. Deliberately not recursive: a record from outside can
//! never nest values deep enough to exhaust the stack while decoding.

use serde::{Deserialize, Serialize};

use super::ids::EntityId;

/// One value with a label, e.g. a phone number labelled "mobile".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labeled {
    /// What the value is (mobile, work, home, other, or free text).
    pub label: String,
    /// The value itself.
    pub value: String,
}

/// A field's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// No value (a cleared field).
    Null,
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// Text.
    Text(String),
    /// An instant: milliseconds since the Unix epoch, UTC.
    Time(i64),
    /// A calendar date: days since 1970-01-01.
    Date(i32),
    /// A reference to another entity.
    Ref(EntityId),
    /// An amount of money in minor units (cents) with an ISO 4217 currency.
    Money { minor: i64, currency: String },
    /// Several texts (tags, emails).
    Texts(Vec<String>),
    /// Several references (attendees, linked people).
    Refs(Vec<EntityId>),
    /// Several labelled texts (typed phone numbers).
    Labeled(Vec<Labeled>),
}

impl Value {
    /// The text, if this is a text value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The flag, if this is a yes/no value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The referenced entity, if this is a reference.
    pub fn as_ref_id(&self) -> Option<EntityId> {
        match self {
            Value::Ref(id) => Some(*id),
            _ => None,
        }
    }

    /// Canonical bytes of the value, used for equality of heads and digests.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Whether two values are the same (bitwise for floats, so NaN equals NaN).
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            _ => self == other,
        }
    }
}
