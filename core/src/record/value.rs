//! Typed field values. Deliberately not recursive: a record from outside can
//! never nest values deep enough to exhaust the stack while decoding.

use serde::{Deserialize, Serialize};

use super::ids::EntityId;

/// One value with a label, e.g. a phone number labelled "mobile" (the
/// apps' `LabeledText`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "LabeledText")
)]
pub struct Labeled {
    /// What the value is (mobile, work, home, other, or free text).
    pub label: String,
    /// The value itself.
    pub value: String,
}

/// A field's value (the apps' `FieldValue`; there each variant's value has
/// a name: `value`, `ms`, `days`, `id`, `values`, `ids`). Records and the
/// JSON export carry it in its serde form (externally tagged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "FieldValue"))]
pub enum Value {
    /// No value (a cleared field).
    Null,
    /// Yes or no.
    Bool(#[cfg_attr(feature = "uniffi", uniffi(name = "value"))] bool),
    /// A whole number.
    Int(#[cfg_attr(feature = "uniffi", uniffi(name = "value"))] i64),
    /// A decimal number.
    Float(#[cfg_attr(feature = "uniffi", uniffi(name = "value"))] f64),
    /// Text.
    Text(#[cfg_attr(feature = "uniffi", uniffi(name = "value"))] String),
    /// An instant: milliseconds since the Unix epoch, UTC.
    Time(#[cfg_attr(feature = "uniffi", uniffi(name = "ms"))] i64),
    /// A calendar date: days since 1970-01-01.
    Date(#[cfg_attr(feature = "uniffi", uniffi(name = "days"))] i32),
    /// A reference to another entity.
    Ref(#[cfg_attr(feature = "uniffi", uniffi(name = "id"))] EntityId),
    /// An amount of money in minor units (cents) with an ISO 4217 currency.
    Money { minor: i64, currency: String },
    /// Several texts (tags, emails).
    Texts(#[cfg_attr(feature = "uniffi", uniffi(name = "values"))] Vec<String>),
    /// Several references (attendees, linked people).
    Refs(#[cfg_attr(feature = "uniffi", uniffi(name = "ids"))] Vec<EntityId>),
    /// Several labelled texts (typed phone numbers).
    Labeled(#[cfg_attr(feature = "uniffi", uniffi(name = "values"))] Vec<Labeled>),
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

    /// The value as plain JSON for people and scripts (the CLI's `--json`):
    /// texts as strings, numbers as numbers, times as ms, dates as
    /// `YYYY-MM-DD`, money as `{minor, currency}`, lists as arrays, phone
    /// lists as `[{label, value}]`. (Records and exports keep the tagged
    /// serde form, which says the type.)
    pub fn plain_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => json!(b),
            Value::Int(i) => json!(i),
            Value::Float(f) => json!(f),
            Value::Text(t) => json!(t),
            Value::Time(ms) => json!(ms),
            Value::Date(days) => json!(date_text(*days)),
            Value::Ref(id) => json!(id.to_string()),
            Value::Money { minor, currency } => json!({"minor": minor, "currency": currency}),
            Value::Texts(t) => json!(t),
            Value::Refs(r) => json!(r.iter().map(|i| i.to_string()).collect::<Vec<_>>()),
            Value::Labeled(l) => json!(l),
        }
    }

    /// Serializes the value as [`Value::plain_json`] (for `serialize_with`).
    pub fn serialize_plain<S: serde::Serializer>(v: &Value, s: S) -> Result<S::Ok, S::Error> {
        v.plain_json().serialize(s)
    }
}

/// A date given as days since 1970-01-01 as `YYYY-MM-DD` (proleptic
/// Gregorian; Howard Hinnant's civil_from_days).
pub fn date_text(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_calendar_days() {
        assert_eq!(date_text(0), "1970-01-01");
        assert_eq!(date_text(-1), "1969-12-31");
        assert_eq!(date_text(20_454), "2026-01-01");
        assert_eq!(date_text(11_016), "2000-02-29");
    }
}
