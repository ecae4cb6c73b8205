//! Local writes: sign a record, append it to the log, apply it, all in one
//! transaction that is durable (synchronous=FULL) when the call returns.

use rusqlite::{Connection, TransactionBehavior};

use super::apply::{self, ApplyReport, STATE_COUNTED, insert_record};
use super::entities::load_entity;
use super::{Ctx, META_TEAM, Store, author_head, get_meta, set_meta};
use crate::error::{Error, Result, StoreError};
use crate::identity::{DeviceId, random_bytes};
use crate::merge::{self, DELETED};
use crate::record::{
    Admit, BODY_VERSION, Body, EntityId, FieldWrite, Genesis, Header, Put, Revoke, Role,
    SignedRecord, TeamId, Value, wall_clock_ms,
};
use crate::team::Standing;

impl Store {
    /// Founds a new team with this device as its first admin. `person_name`
    /// is the founder's name; returns the new team's id.
    pub fn create_team(&mut self, team_name: &str, person_name: &str) -> Result<TeamId> {
        let team_name = team_name.trim();
        let person_name = person_name.trim();
        if team_name.is_empty() || person_name.is_empty() {
            return Err(Error::invalid(
                "name",
                "a team needs a name and its founder a name",
            ));
        }
        let nonce: [u8; 16] = random_bytes()?;
        let team = TeamId::derive(&self.ctx.device, &nonce);
        let genesis = Genesis {
            nonce,
            team_name: team_name.to_string(),
            person_id: EntityId::new(),
            person_name: person_name.to_string(),
        };
        self.write(|tx, ctx| {
            if let Some(existing) = ctx.team {
                return Err(Error::Store(StoreError::AlreadyInTeam(
                    existing.to_string(),
                )));
            }
            set_meta(tx, META_TEAM, &team.0)?;
            ctx.team = Some(team);
            Ok(Some(Body::Genesis(genesis)))
        })?;
        log::info!("founded team {team} ({team_name})");
        Ok(team)
    }

    /// Sets the team this database is joining; its records are then accepted
    /// (pending until this device's admission and the genesis arrive). A
    /// database that holds records of another team is refused; one that
    /// only tried to join another team and received nothing may switch.
    pub fn join_team(&mut self, team: TeamId) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A join that never received anything (the inviter was unreachable,
        // the invite refused) holds no data: another team may be joined.
        let holds_records = tx
            .prepare_cached("SELECT 1 FROM records UNION ALL SELECT 1 FROM pending LIMIT 1")?
            .exists([])?;
        match get_meta(&tx, META_TEAM)? {
            Some(existing) if existing != team.0 && !holds_records => {
                log::info!("joining team {team} instead of one that sent nothing");
                set_meta(&tx, META_TEAM, &team.0)?;
            }
            Some(existing) if existing != team.0 => {
                return Err(Error::Store(StoreError::AlreadyInTeam(
                    TeamId(existing.try_into().map_err(|_| Error::corrupt("team id"))?).to_string(),
                )));
            }
            Some(_) => {}
            None => set_meta(&tx, META_TEAM, &team.0)?,
        }
        tx.commit()?;
        self.ctx.team = Some(team);
        Ok(())
    }

    /// Admits `device` (belonging to the person `person_id`, named
    /// `person_name`) with `role`. Admins only.
    pub fn admit(
        &mut self,
        device: DeviceId,
        person_id: EntityId,
        person_name: &str,
        role: Role,
    ) -> Result<()> {
        if person_name.trim().is_empty() {
            return Err(Error::invalid(
                "person_name",
                "the admitted person needs a name",
            ));
        }
        let admit = Admit {
            device,
            person_id,
            person_name: person_name.trim().to_string(),
            role,
        };
        self.write(|_, ctx| {
            if let Some(m) = ctx.roster.as_ref().and_then(|r| r.members.get(&device))
                && m.revoked_after.is_some()
            {
                return Err(Error::invalid(
                    "device",
                    format!(
                        "device {} was revoked; a revoked device must make a new key",
                        device.fingerprint()
                    ),
                ));
            }
            Ok(Some(Body::Admit(admit)))
        })?;
        Ok(())
    }

    /// Revokes `device`: the records of it this database holds stay valid
    /// (the cutoff is the last one held, so no admission this device's own
    /// authority rests on is cut off), every later one is left out
    /// everywhere. Admins only; a device cannot revoke itself.
    pub fn revoke(&mut self, device: DeviceId) -> Result<u64> {
        let mut cutoff = 0;
        self.write(|tx, ctx| {
            let Some(roster) = ctx.roster.as_ref() else {
                return Err(Error::Store(StoreError::NotAMember));
            };
            let Some(member) = roster.members.get(&device) else {
                return Err(Error::NotFound {
                    kind: "device".into(),
                    id: device.to_string(),
                });
            };
            if device == ctx.device {
                return Err(Error::invalid(
                    "device",
                    "a device cannot revoke itself: ask another admin",
                ));
            }
            if member.revoked_after.is_some() {
                return Err(Error::invalid(
                    "device",
                    format!("device {} is already revoked", device.fingerprint()),
                ));
            }
            cutoff = author_head(tx, &device)?.seq;
            let revoke = Revoke { device, cutoff };
            Ok(Some(Body::Revoke(revoke)))
        })?;
        Ok(cutoff)
    }

    /// Creates or updates an entity of `kind`: writes each field whose value
    /// differs, replacing the versions this device has seen. `id` `None`
    /// creates a new entity. Returns the entity's id.
    pub fn put(
        &mut self,
        kind: &str,
        id: Option<EntityId>,
        fields: Vec<(String, Value)>,
    ) -> Result<EntityId> {
        let id = id.unwrap_or_default();
        for (f, _) in &fields {
            if f.starts_with('_') {
                return Err(Error::invalid(
                    "field",
                    format!("field name {f:?} is reserved"),
                ));
            }
        }
        self.write(|tx, _| {
            let state = load_entity(tx, &id)?;
            if let Some(s) = &state
                && s.kind != kind
            {
                return Err(Error::invalid(
                    "id",
                    format!("{id} is a {}, not a {kind}", s.kind),
                ));
            }
            let state = state.unwrap_or_default();
            let mut writes = Vec::new();
            for (field, value) in fields {
                let heads = state
                    .fields
                    .get(&field)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let unchanged = match heads {
                    [only] => only.value.same_as(&value),
                    [] => value == Value::Null,
                    _ => false,
                };
                if !unchanged {
                    let replaces = heads.iter().map(|h| h.version).collect();
                    writes.push(FieldWrite {
                        field,
                        value,
                        replaces,
                    });
                }
            }
            if writes.is_empty() {
                return Ok(None);
            }
            writes.push(deleted_write(&state, false));
            Ok(Some(Body::Put(Put {
                kind: kind.to_string(),
                entity: id,
                writes,
            })))
        })?;
        Ok(id)
    }

    /// Moves an entity to the trash (it can be restored).
    pub fn delete(&mut self, id: EntityId) -> Result<()> {
        self.set_deleted(id, true)
    }

    /// Brings an entity back from the trash.
    pub fn restore(&mut self, id: EntityId) -> Result<()> {
        self.set_deleted(id, false)
    }

    fn set_deleted(&mut self, id: EntityId, deleted: bool) -> Result<()> {
        self.write(|tx, _| {
            let state = load_entity(tx, &id)?.ok_or_else(|| Error::NotFound {
                kind: "entity".into(),
                id: id.to_string(),
            })?;
            let heads = state
                .fields
                .get(DELETED)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if heads.len() == 1 && heads[0].value == Value::Bool(deleted) {
                return Ok(None);
            }
            let kind = state.kind.clone();
            Ok(Some(Body::Put(Put {
                kind,
                entity: id,
                writes: vec![deleted_write(&state, deleted)],
            })))
        })?;
        Ok(())
    }

    /// Resolves a conflict (or simply sets a field): writes `value` over every
    /// head of `field`, whatever they hold.
    pub fn resolve(&mut self, id: EntityId, field: &str, value: Value) -> Result<()> {
        self.write(|tx, _| {
            let state = load_entity(tx, &id)?.ok_or_else(|| Error::NotFound {
                kind: "entity".into(),
                id: id.to_string(),
            })?;
            let replaces = state
                .fields
                .get(field)
                .map(|h| h.iter().map(|h| h.version).collect());
            let mut writes = vec![FieldWrite {
                field: field.to_string(),
                value,
                replaces: replaces.unwrap_or_default(),
            }];
            if field != DELETED {
                writes.push(deleted_write(&state, false));
            }
            Ok(Some(Body::Put(Put {
                kind: state.kind.clone(),
                entity: id,
                writes,
            })))
        })?;
        Ok(())
    }

    /// Runs many local writes in one durable transaction: `f` may call any
    /// writing method of the store; a refused write changes nothing and the
    /// others are kept. If `f` fails, or a write failed after it had changed
    /// the database (I/O, a full disk), nothing of it is kept. Used for imports and bulk loads (one fsync, not thousands).
    pub fn bulk<R>(&mut self, f: impl FnOnce(&mut Store) -> Result<R>) -> Result<R> {
        let started = self.begin_bulk()?;
        let result = f(self);
        self.end_bulk(started, result)
    }

    /// Starts a bulk transaction; `false` if one is already open (nested
    /// bulks join the outer one). Pair with [`Store::end_bulk`].
    pub fn begin_bulk(&mut self) -> Result<bool> {
        if self.in_bulk {
            return Ok(false);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_bulk = true;
        Ok(true)
    }

    /// Inside a bulk write: whether its transaction can take more writes.
    /// After a write failed half-way it cannot; nor after SQLite rolled it
    /// back by itself (it does on a full disk): a write then would commit
    /// on its own, outside the bulk.
    pub(super) fn bulk_alive(&mut self) -> Result<()> {
        if self.bulk_spoiled.is_none() && self.conn.is_autocommit() {
            self.bulk_spoiled = Some((
                "the database rolled the transaction back".into(),
                crate::error::ErrorKind::Database,
            ));
        }
        match &self.bulk_spoiled {
            Some((why, kind)) => Err(Error::Store(StoreError::BulkFailed {
                why: why.clone(),
                kind: *kind,
            })),
            None => Ok(()),
        }
    }

    /// Ends what [`Store::begin_bulk`] started: commits if `result` is `Ok`,
    /// else rolls everything back. Returns `result` (or the commit's error).
    pub fn end_bulk<R>(&mut self, started: bool, result: Result<R>) -> Result<R> {
        if !started {
            return result;
        }
        self.in_bulk = false;
        let spoiled = self.bulk_spoiled.take();
        let result = result.and_then(|v| match spoiled {
            Some((why, kind)) => Err(Error::Store(StoreError::BulkFailed { why, kind })),
            None => Ok(v),
        });
        let result = result.and_then(|v| {
            self.conn
                .execute_batch("COMMIT")
                .map(|_| v)
                .map_err(Error::from)
        });
        if result.is_err() {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            self.ctx.reload(&self.conn)?;
        }
        result
    }

    /// Ends what [`Store::begin_bulk`] started by rolling everything back
    /// (a dry run: the writes were made to see what they would do).
    pub fn abort_bulk(&mut self, started: bool) -> Result<()> {
        if !started {
            return Err(Error::invalid(
                "bulk",
                "cannot roll back: the writes belong to an outer bulk write",
            ));
        }
        self.in_bulk = false;
        self.bulk_spoiled = None;
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        self.ctx.reload(&self.conn)
    }

    /// Runs one local write: `build` sees the transaction and decides the
    /// body (or `None`: nothing to write); the record is signed, appended and
    /// applied, and the transaction committed. On error nothing is kept.
    pub(crate) fn write(
        &mut self,
        build: impl FnOnce(&Connection, &mut Ctx) -> Result<Option<Body>>,
    ) -> Result<Option<SignedRecord>> {
        if self.in_bulk {
            // No savepoint per write: FTS5 flushes its pending index to disk
            // at every savepoint, which made a bulk import write thousands
            // of tiny segments and merge them again. A refused write
            // changes nothing (every check comes before the first change);
            // a write that fails after changing something spoils the whole
            // bulk transaction, which `end_bulk` then rolls back.
            self.bulk_alive()?;
            let mut changed = false;
            let result = write_in(&self.conn, &mut self.ctx, &mut changed, build);
            if let Err(e) = &result {
                if changed {
                    log::warn!("a write inside a bulk transaction failed: {e}");
                    self.bulk_spoiled = Some((e.to_string(), e.kind()));
                }
                self.ctx.reload(&self.conn)?;
            }
            return result;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = write_in(&tx, &mut self.ctx, &mut false, build);
        match result.and_then(|rec| tx.commit().map(|_| rec).map_err(Error::from)) {
            Ok(rec) => Ok(rec),
            Err(e) => {
                self.ctx.reload(&self.conn)?;
                Err(e)
            }
        }
    }
}

/// Makes one local write on `tx`. `changed` turns true once the database
/// was changed (every refusal comes before that).
fn write_in(
    tx: &Connection,
    ctx: &mut Ctx,
    changed: &mut bool,
    build: impl FnOnce(&Connection, &mut Ctx) -> Result<Option<Body>>,
) -> Result<Option<SignedRecord>> {
    ctx.refresh(tx)?;
    let Some(body) = build(tx, ctx)? else {
        return Ok(None);
    };
    let team = ctx.team.ok_or(Error::Store(StoreError::NotAMember))?;
    let head = author_head(tx, &ctx.device)?;
    let (seq, prev) = (head.seq + 1, head.id);
    check_allowed(ctx, &body, seq)?;
    if let Body::Put(put) = &body {
        merge::validate_put(put).map_err(|m| Error::invalid("field", m))?;
    }
    let hlc = ctx.clock.tick(wall_clock_ms());
    let header = Header {
        team,
        author: ctx.device,
        seq,
        prev,
        hlc,
        body_version: BODY_VERSION,
    };
    let rec = SignedRecord::sign(&ctx.key, header, &body.encode())?;
    *changed = true;
    let rowid = insert_record(tx, ctx, &rec, body.is_team_op(), STATE_COUNTED)?;
    let mut report = ApplyReport::default();
    apply::apply_body(tx, ctx, rowid, &header, &body, true, &mut report)?;
    ctx.save_clock(tx)?;
    Ok(Some(rec))
}

pub(super) fn check_allowed(ctx: &Ctx, body: &Body, seq: u64) -> Result<()> {
    let Some(roster) = &ctx.roster else {
        return match body {
            Body::Genesis(_) => Ok(()),
            _ => Err(Error::Store(StoreError::NotAMember)),
        };
    };
    if matches!(body, Body::Genesis(_)) {
        return Err(Error::Store(StoreError::AlreadyInTeam(
            roster.team.to_string(),
        )));
    }
    match roster.standing(&ctx.device, seq) {
        Standing::Accepted => {}
        Standing::NotAdmitted => return Err(Error::Store(StoreError::NotAMember)),
        Standing::Revoked { cutoff } => return Err(StoreError::Revoked { cutoff }.into()),
    }
    if let Some(cutoff) = roster
        .members
        .get(&ctx.device)
        .and_then(|m| m.revoked_after)
    {
        return Err(StoreError::Revoked { cutoff }.into());
    }
    let admin = roster.is_admin(&ctx.device);
    match body {
        Body::Admit(_) if !admin => Err(Error::Store(StoreError::NotAdmin("admit devices"))),
        Body::Revoke(_) if !admin => Err(Error::Store(StoreError::NotAdmin("revoke devices"))),
        Body::Put(put) if ctx.admin_only(&put.kind) && !admin => Err(Error::Store(
            StoreError::NotAdmin("change the team's definitions"),
        )),
        _ => Ok(()),
    }
}

/// The `_deleted` write that every edit carries: `deleted` over the heads seen.
fn deleted_write(state: &crate::merge::EntityState, deleted: bool) -> FieldWrite {
    let replaces = state
        .fields
        .get(DELETED)
        .map(|h| h.iter().map(|h| h.version).collect());
    FieldWrite {
        field: DELETED.to_string(),
        value: Value::Bool(deleted),
        replaces: replaces.unwrap_or_default(),
    }
}
