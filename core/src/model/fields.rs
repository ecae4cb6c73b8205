//! Reading typed values out of an entity's merged state, and the small
//! conversions between model types and field values.

use super::types::Money;
use crate::merge::EntityState;
use crate::record::{EntityId, Labeled, Value};

/// Typed reads of an entity's shown values.
pub(crate) trait Fields {
    fn text(&self, f: &str) -> Option<String>;
    fn int(&self, f: &str) -> Option<i64>;
    fn float(&self, f: &str) -> Option<f64>;
    fn time(&self, f: &str) -> Option<i64>;
    fn flag(&self, f: &str) -> Option<bool>;
    fn reference(&self, f: &str) -> Option<EntityId>;
    fn refs(&self, f: &str) -> Vec<EntityId>;
    fn texts(&self, f: &str) -> Vec<String>;
    fn labeled(&self, f: &str) -> Vec<Labeled>;
    fn money(&self, f: &str) -> Option<Money>;
}

impl Fields for EntityState {
    fn text(&self, f: &str) -> Option<String> {
        match self.value(f)? {
            Value::Text(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    }
    fn int(&self, f: &str) -> Option<i64> {
        match self.value(f)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    fn float(&self, f: &str) -> Option<f64> {
        match self.value(f)? {
            Value::Float(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
    fn time(&self, f: &str) -> Option<i64> {
        match self.value(f)? {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }
    fn flag(&self, f: &str) -> Option<bool> {
        self.value(f)?.as_bool()
    }
    fn reference(&self, f: &str) -> Option<EntityId> {
        self.value(f)?.as_ref_id()
    }
    fn refs(&self, f: &str) -> Vec<EntityId> {
        match self.value(f) {
            Some(Value::Refs(r)) => r.clone(),
            Some(Value::Ref(r)) => vec![*r],
            _ => Vec::new(),
        }
    }
    fn texts(&self, f: &str) -> Vec<String> {
        match self.value(f) {
            Some(Value::Texts(t)) => t.clone(),
            Some(Value::Text(t)) if !t.is_empty() => vec![t.clone()],
            _ => Vec::new(),
        }
    }
    fn labeled(&self, f: &str) -> Vec<Labeled> {
        match self.value(f) {
            Some(Value::Labeled(l)) => l.clone(),
            _ => Vec::new(),
        }
    }
    fn money(&self, f: &str) -> Option<Money> {
        match self.value(f)? {
            Value::Money { minor, currency } => Some(Money {
                minor: *minor,
                currency: currency.clone(),
            }),
            _ => None,
        }
    }
}

/// `Some(text)` as a text value, `None` as a cleared field.
pub(crate) fn opt_text(v: Option<String>) -> Value {
    match v {
        Some(s) if !s.trim().is_empty() => Value::Text(s.trim().to_string()),
        _ => Value::Null,
    }
}

pub(crate) fn opt_ref(v: Option<EntityId>) -> Value {
    v.map(Value::Ref).unwrap_or(Value::Null)
}

pub(crate) fn opt_time(v: Option<i64>) -> Value {
    v.map(Value::Time).unwrap_or(Value::Null)
}
