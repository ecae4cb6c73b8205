//! Custom fields: admins define typed fields (text, number, date, choice,
//! yes/no) on people, companies and deals. A value is stored on the entity
//! under the definition's id (`cf.<id>`), so renaming a field keeps its
//! values. Definitions sync like everything else; only records written with
//! admin authority count (the store leaves out the others, on every device).

use rusqlite::{Connection, OptionalExtension};

use super::types::{CustomValue, FieldDef, FieldType};
use super::{Crm, kind};
use crate::error::{Error, Result, StoreError};
use crate::identity::DeviceId;
use crate::merge::EntityState;
use crate::record::{EntityId, Value};

/// Kinds custom fields can be defined on.
pub const CUSTOM_TARGETS: &[&str] = &[kind::PERSON, kind::COMPANY, kind::DEAL];

/// The entity field that holds a definition's values.
pub fn field_key(def: &EntityId) -> String {
    format!("cf.{}", uuid::Uuid::from_bytes(def.0).simple())
}

impl Crm {
    fn require_admin(&mut self, what: &'static str) -> Result<()> {
        let me = self.store.device_id();
        match self.store.roster()? {
            Some(r) if r.is_admin(&me) => Ok(()),
            Some(_) => Err(Error::Store(StoreError::NotAdmin(what))),
            None => Err(Error::Store(StoreError::NotAMember)),
        }
    }

    /// Defines a custom field on people, companies or deals. Admins only.
    pub fn define_field(
        &mut self,
        name: &str,
        target: &str,
        field_type: FieldType,
        choices: Vec<String>,
    ) -> Result<EntityId> {
        self.require_admin("define custom fields")?;
        if !CUSTOM_TARGETS.contains(&target) {
            return Err(Error::invalid(
                "target",
                format!("custom fields go on people, companies or deals, not {target:?}"),
            ));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "a custom field needs a name"));
        }
        let choices: Vec<String> = choices
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        if field_type == FieldType::Choice && choices.is_empty() {
            return Err(Error::invalid(
                "choices",
                "a choice field needs at least one choice",
            ));
        }
        if self
            .field_defs(Some(target))?
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(name))
        {
            return Err(Error::invalid(
                "name",
                format!("{target} already has a field named {name:?}"),
            ));
        }
        let position = self.field_defs(Some(target))?.len() as f64;
        self.store.put(
            kind::FIELD_DEF,
            None,
            vec![
                ("name".into(), Value::Text(name.into())),
                ("target".into(), Value::Text(target.into())),
                ("type".into(), Value::Text(field_type.as_str().into())),
                (
                    "choices".into(),
                    if choices.is_empty() {
                        Value::Null
                    } else {
                        Value::Texts(choices)
                    },
                ),
                ("position".into(), Value::Float(position)),
            ],
        )
    }

    /// Renames a custom field; its values stay. Admins only.
    pub fn rename_field(&mut self, id: EntityId, name: &str) -> Result<()> {
        self.require_admin("rename custom fields")?;
        self.check_kind(&id, &[kind::FIELD_DEF])?;
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "a custom field needs a name"));
        }
        self.store.put(
            kind::FIELD_DEF,
            Some(id),
            vec![("name".into(), Value::Text(name.trim().into()))],
        )?;
        Ok(())
    }

    /// The custom field of `target` named `name` (case-insensitive), if
    /// any. Two definitions carry one name only when admins defined or
    /// renamed them on two devices at once; which one is meant is then
    /// [`Error::ConflictNeedsResolution`] until one of them is renamed.
    pub fn field_def_by_name(&mut self, target: &str, name: &str) -> Result<Option<FieldDef>> {
        let mut found: Vec<FieldDef> = self
            .field_defs(Some(target))?
            .into_iter()
            .filter(|d| d.name.eq_ignore_ascii_case(name.trim()))
            .collect();
        if found.len() > 1 {
            let ids: Vec<String> = found.iter().map(|d| d.id.to_string()).collect();
            return Err(Error::ConflictNeedsResolution(format!(
                "{target} has {} custom fields named {:?}, defined on several devices at once: \
                 rename all but one ({})",
                found.len(),
                name.trim(),
                ids.join(", ")
            )));
        }
        Ok(found.pop())
    }

    /// The custom fields (of one kind, or all), in display order.
    pub fn field_defs(&mut self, target: Option<&str>) -> Result<Vec<FieldDef>> {
        let sql = format!(
            "SELECT {DEF_COLUMNS} FROM field_defs
             WHERE deleted = 0 AND (?1 IS NULL OR target = ?1) ORDER BY target, position, id"
        );
        let mut stmt = self.store.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([target], DefRow::read)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.into_def()?);
        }
        Ok(out)
    }
}

/// The columns [`DefRow::read`] reads.
const DEF_COLUMNS: &str = "id, name, target, type, choices, position, created_by";

/// A row of `field_defs` as read.
struct DefRow {
    id: Vec<u8>,
    name: String,
    target: String,
    ty: String,
    choices: String,
    position: f64,
    created_by: Vec<u8>,
}

impl DefRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<DefRow> {
        Ok(DefRow {
            id: r.get(0)?,
            name: r.get(1)?,
            target: r.get(2)?,
            ty: r.get(3)?,
            choices: r.get(4)?,
            position: r.get(5)?,
            created_by: r.get(6)?,
        })
    }

    fn into_def(self) -> Result<FieldDef> {
        Ok(FieldDef {
            id: EntityId::from_slice(&self.id)?,
            name: self.name,
            target: self.target,
            field_type: FieldType::parse(&self.ty).unwrap_or(FieldType::Text),
            choices: if self.choices.is_empty() {
                Vec::new()
            } else {
                self.choices.split('\u{1f}').map(String::from).collect()
            },
            position: self.position,
            created_by: DeviceId::from_slice(&self.created_by)?,
        })
    }
}

fn load_def(conn: &Connection, id: &EntityId) -> Result<Option<FieldDef>> {
    let sql = format!("SELECT {DEF_COLUMNS} FROM field_defs WHERE id = ?1 AND deleted = 0");
    let row = conn
        .prepare_cached(&sql)?
        .query_row([&id.0[..]], DefRow::read)
        .optional()?;
    row.map(DefRow::into_def).transpose()
}

/// Checks custom values against their definitions and turns them into fields.
pub(crate) fn validate_custom(
    conn: &Connection,
    target: &str,
    values: Vec<(EntityId, Value)>,
) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for (def_id, value) in values {
        let def = load_def(conn, &def_id)?.ok_or_else(|| Error::NotFound {
            kind: "custom field".into(),
            id: def_id.to_string(),
        })?;
        if def.target != target {
            return Err(Error::invalid(
                "value",
                format!(
                    "custom field {:?} belongs to {}, not {target}",
                    def.name, def.target
                ),
            ));
        }
        let ok = match (&def.field_type, &value) {
            (_, Value::Null) => true,
            (FieldType::Text, Value::Text(_)) => true,
            (FieldType::Number, Value::Int(_) | Value::Float(_)) => true,
            (FieldType::Date, Value::Date(_)) => true,
            (FieldType::YesNo, Value::Bool(_)) => true,
            (FieldType::Choice, Value::Text(t)) => def.choices.contains(t),
            _ => false,
        };
        if !ok {
            return Err(Error::invalid(
                "value",
                format!(
                    "{value:?} is not a valid {} for custom field {:?}",
                    def.field_type.as_str(),
                    def.name
                ),
            ));
        }
        out.push((field_key(&def_id), value));
    }
    Ok(out)
}

/// The custom values an entity holds, with their current definitions.
pub(crate) fn custom_values(conn: &Connection, s: &EntityState) -> Result<Vec<CustomValue>> {
    let mut out = Vec::new();
    for (field, _) in s.fields.iter().filter(|(f, _)| f.starts_with("cf.")) {
        let Ok(u) = uuid::Uuid::parse_str(&field[3..]) else {
            continue;
        };
        let Some(def) = load_def(conn, &EntityId(*u.as_bytes()))? else {
            continue;
        };
        match s.value(field) {
            Some(Value::Null) | None => {}
            Some(v) => out.push(CustomValue {
                field: def,
                value: v.clone(),
            }),
        }
    }
    out.sort_by(|a, b| a.field.position.total_cmp(&b.field.position));
    Ok(out)
}
