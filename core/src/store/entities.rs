//! The generic entity layer: entity states in SQLite, projections that
//! derive typed views from them, and the generic reads (get, list, trash,
//! conflicts).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};
use crate::identity::DeviceId;
use crate::merge::{DELETED, EntityState};
use crate::record::{EntityId, Hlc, Value};

/// What a projection worked out ahead for one entity, with no database at
/// hand ([`Projection::prepare`]); only the projection that made it reads it.
pub type Prepared = Box<dyn std::any::Any + Send>;

/// A derived view kept current with the entities (typed tables, search
/// index). Implemented by layers above the store; called inside the store's
/// transactions, so a view is never out of step with the state. `Sync`: a
/// catch-up prepares entities ([`Projection::prepare`]) on a second thread
/// while its writer projects the ones before them.
pub trait Projection: Send + Sync {
    /// A short stable name; the store remembers which projections kept the
    /// derived tables current, and rebuilds when one was missing.
    fn name(&self) -> &'static str;
    /// Empties the view before a rebuild.
    fn clear(&self, conn: &Connection) -> Result<()>;
    /// Brings the view up to date for one entity whose state changed.
    fn project(&self, conn: &Connection, id: &EntityId, state: &EntityState) -> Result<()>;
    /// The part of projecting `state` that needs no database (sort keys,
    /// phone numbers read, search text), worked out ahead: a catch-up
    /// prepares the next entities on a second thread while its one writer
    /// projects the ones before them, so the writer does little but write.
    /// Handed back to [`Projection::project_many`] and
    /// [`Projection::project_fill`]. `None` (the default): nothing ahead.
    fn prepare(&self, _id: &EntityId, _state: &EntityState) -> Option<Prepared> {
        None
    }
    /// [`Projection::project`] with what [`Projection::prepare`] gave the
    /// entity ahead, if anything. By default, `project`.
    fn project_prepared(
        &self,
        conn: &Connection,
        id: &EntityId,
        state: &EntityState,
        ahead: Option<&Prepared>,
    ) -> Result<()> {
        let _ = ahead;
        self.project(conn, id, state)
    }
    /// Brings the view up to date for many entities at once (a piece of a
    /// catch-up), each once: a view may then work out what spans entities
    /// (a person's last contact from their calls) once per entity touched
    /// instead of once per change. `ahead`: what [`Projection::prepare`]
    /// gave each entity, in the same order, or empty when nothing was
    /// prepared. By default one by one, ignoring `ahead`.
    fn project_many(
        &self,
        conn: &Connection,
        entities: &[(EntityId, EntityState)],
        ahead: &[Option<Prepared>],
    ) -> Result<()> {
        let _ = ahead;
        for (id, state) in entities {
            self.project(conn, id, state)?;
        }
        Ok(())
    }
    /// Indexes of the view that a bulk fill (see
    /// [`Store::catch_up_projections`]) drops first and builds again at its
    /// end, each in one sorted pass: a first sync writes most of the rows
    /// the view will hold, and keeping an index keyed by name or time
    /// current row by row costs a random B-tree write per row. Only indexes
    /// that no write of the view reads and that no statement names (`INDEXED
    /// BY`): until the fill ends, reads that would use them scan instead.
    fn fill_indexes(&self) -> &'static [&'static str] {
        &[]
    }
    /// [`Projection::project_many`] for a chunk of a bulk fill: what spans
    /// entities may be left to [`Projection::finish_fill`], which works it
    /// out once for the whole view.
    fn project_fill(
        &self,
        conn: &Connection,
        entities: &[(EntityId, EntityState)],
        ahead: &[Option<Prepared>],
    ) -> Result<()> {
        self.project_many(conn, entities, ahead)
    }
    /// Moves what [`Projection::project_fill`] staged into the view, in one
    /// sorted pass: called between the chunks of a bulk fill every
    /// [`StoreOptions::fill_merge`](super::StoreOptions) entities, and
    /// before [`Projection::finish_fill`].
    fn merge_fill(&self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
    /// Ends a bulk fill, before its indexes are built again (and after
    /// [`Projection::merge_fill`]): works out what
    /// [`Projection::project_fill`] left, over the whole view.
    fn finish_fill(&self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
    /// Whether records of `kind` count only when their author wrote them
    /// with admin authority (the model's definitions: pipeline stages,
    /// custom fields). Records of such kinds from anyone else are kept and
    /// forwarded but leave the state untouched, on every device alike.
    fn admin_only(&self, _kind: &str) -> bool {
        false
    }
}

/// An entity as stored: its merged state and a few derived facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Its id.
    pub id: EntityId,
    /// Its kind.
    pub kind: String,
    /// In the trash.
    pub deleted: bool,
    /// At least one field holds concurrent values.
    pub conflicted: bool,
    /// The newest change.
    pub updated: Hlc,
    /// The merged fields.
    pub state: EntityState,
}

impl Entity {
    /// A field's shown value (the winner when in conflict).
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.state.value(field)
    }

    /// A text field's shown value.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.value(field).and_then(Value::as_text)
    }
}

/// Paging of generic lists.
#[derive(Clone, Debug)]
pub struct ListOptions {
    /// Include entities in the trash.
    pub include_deleted: bool,
    /// At most this many.
    pub limit: usize,
    /// Skip this many first.
    pub offset: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            include_deleted: false,
            limit: 100,
            offset: 0,
        }
    }
}

/// An entity in the trash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TrashItem {
    /// Its id.
    pub id: EntityId,
    /// Its kind.
    pub kind: String,
    /// When it last changed (ms since epoch).
    pub updated: i64,
}

/// A field in conflict, with every concurrent value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Conflict {
    /// The entity.
    pub entity: EntityId,
    /// Its kind.
    pub kind: String,
    /// The field.
    pub field: String,
    /// All concurrent values, the shown winner first.
    pub values: Vec<ConflictValue>,
    /// What the entity is called (a person's or company's name, a deal's
    /// or task's title), so that every face says whose field it is; read
    /// by `Crm::conflicts`, `None` from the bare store.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
}

/// One of a conflict's values. (JSON: the value in its plain form, the
/// author as `device` and `fingerprint`, the time as `at`.)
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConflictValue {
    /// The value.
    #[serde(serialize_with = "Value::serialize_plain")]
    pub value: Value,
    /// The device that wrote it.
    #[serde(rename = "device")]
    pub author: DeviceId,
    /// That device's short fingerprint.
    #[serde(rename = "fingerprint")]
    pub author_fingerprint: String,
    /// The record's sequence number in the author's log.
    pub seq: u64,
    /// When it was written (ms since epoch).
    #[serde(rename = "at")]
    pub written_at: i64,
    /// The person the roster names for the device that wrote it (as an
    /// activity's `by`); read by `Crm::conflicts`, `None` from the bare
    /// store or for a device the roster does not hold.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub by: Option<String>,
}

/// The merged state of one entity, read inside a projection's transaction.
pub fn load_entity_state(conn: &Connection, id: &EntityId) -> Result<Option<EntityState>> {
    load_entity(conn, id)
}

pub(crate) fn load_entity(conn: &Connection, id: &EntityId) -> Result<Option<EntityState>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT state FROM entities WHERE id = ?1")?
        .query_row([&id.0[..]], |r| r.get(0))
        .optional()?;
    bytes
        .map(|b| EntityState::decode(&b).map_err(|e| Error::corrupt(format!("entity {id}: {e}"))))
        .transpose()
}

/// Stores entity `id`'s state, `encoded` being its encoding (made before:
/// an import makes it on its signing thread).
pub(crate) fn save_encoded(
    conn: &Connection,
    id: &EntityId,
    state: &EntityState,
    encoded: Vec<u8>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO entities (id, kind, deleted, conflicted, updated, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, deleted = excluded.deleted,
           conflicted = excluded.conflicted, updated = excluded.updated, state = excluded.state",
    )?
    .execute(params![
        &id.0[..],
        state.kind,
        state.is_deleted(),
        state.is_conflicted(),
        state.updated().0 as i64,
        encoded
    ])?;
    Ok(())
}

fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Vec<u8>, Vec<u8>)> {
    Ok((row.get(0)?, row.get(1)?))
}

fn to_entity((id, state): (Vec<u8>, Vec<u8>)) -> Result<Entity> {
    let id = EntityId::from_slice(&id)?;
    let state =
        EntityState::decode(&state).map_err(|e| Error::corrupt(format!("entity {id}: {e}")))?;
    Ok(Entity {
        id,
        kind: state.kind.clone(),
        deleted: state.is_deleted(),
        conflicted: state.is_conflicted(),
        updated: state.updated(),
        state,
    })
}

impl Store {
    /// One entity by id, trashed or not.
    pub fn get(&self, id: &EntityId) -> Result<Option<Entity>> {
        let row = self
            .conn
            .prepare_cached("SELECT id, state FROM entities WHERE id = ?1")?
            .query_row([&id.0[..]], entity_from_row)
            .optional()?;
        row.map(to_entity).transpose()
    }

    /// Entities of `kind`, most recently changed first.
    pub fn list(&self, kind: &str, opts: &ListOptions) -> Result<Vec<Entity>> {
        let sql = if opts.include_deleted {
            "SELECT id, state FROM entities WHERE kind = ?1 ORDER BY updated DESC, id LIMIT ?2 OFFSET ?3"
        } else {
            "SELECT id, state FROM entities WHERE kind = ?1 AND deleted = 0 ORDER BY updated DESC, id LIMIT ?2 OFFSET ?3"
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(
            params![kind, opts.limit as i64, opts.offset as i64],
            entity_from_row,
        )?;
        rows.map(|r| to_entity(r?)).collect()
    }

    /// Entities in the trash (of one kind, or all), most recently deleted first.
    pub fn trash(&self, kind: Option<&str>) -> Result<Vec<TrashItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, state FROM entities WHERE deleted = 1 AND (?1 IS NULL OR kind = ?1) ORDER BY updated DESC, id",
        )?;
        let rows = stmt.query_map([kind], entity_from_row)?;
        rows.map(|r| {
            let e = to_entity(r?)?;
            Ok(TrashItem {
                id: e.id,
                kind: e.kind,
                updated: e.updated.millis() as i64,
            })
        })
        .collect()
    }

    /// Every field in conflict, with all its values (the shown winner first).
    /// A delete against a concurrent edit shows as a conflict on `_deleted`.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, state FROM entities WHERE conflicted = 1 ORDER BY id")?;
        let rows = stmt.query_map([], entity_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let e = to_entity(row?)?;
            for field in e.state.conflicted_fields() {
                let values = e
                    .state
                    .heads(field)
                    .into_iter()
                    .map(|h| ConflictValue {
                        value: h.value.clone(),
                        author: h.version.author,
                        author_fingerprint: h.version.author.fingerprint(),
                        seq: h.version.seq,
                        written_at: h.hlc.millis() as i64,
                        by: None,
                    })
                    .collect();
                out.push(Conflict {
                    entity: e.id,
                    kind: e.kind.clone(),
                    field: field.to_string(),
                    values,
                    name: None,
                });
            }
        }
        Ok(out)
    }

    /// Number of entities of `kind` not in the trash.
    pub fn count(&self, kind: &str) -> Result<u64> {
        if let Some(n) = super::tally::read(&self.conn, kind)? {
            return Ok(n);
        }
        Ok(self.conn.query_row(
            "SELECT count(*) FROM entities WHERE kind = ?1 AND deleted = 0",
            [kind],
            |r| r.get(0),
        )?)
    }
}

/// The field name of the deletion flag, re-exported for callers that show
/// conflicts.
pub const DELETED_FIELD: &str = DELETED;
