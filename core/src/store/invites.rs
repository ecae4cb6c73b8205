//! Invites: one-time secrets an admin puts in a pairing ticket. A new
//! device presenting one (over an authenticated connection) is admitted by
//! this device, once, before it expires. Local to the inviting device.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{Error, Result, StoreError};
use crate::identity::{DeviceId, random_bytes};
use crate::record::{EntityId, Role};

impl Store {
    /// Makes a one-time invite for `role`, valid until `expires_s` (Unix
    /// seconds). Admins only (only admins admit).
    pub fn create_invite(&mut self, role: Role, expires_s: u64) -> Result<[u8; 16]> {
        let me = self.device_id();
        match self.roster()? {
            Some(r) if r.is_admin(&me) => {}
            Some(_) => return Err(Error::Store(StoreError::NotAdmin("invite devices"))),
            None => return Err(Error::Store(StoreError::NotAMember)),
        }
        let secret: [u8; 16] = random_bytes()?;
        self.conn.execute(
            "INSERT INTO invites (secret, role, expires) VALUES (?1, ?2, ?3)",
            params![&secret[..], (role == Role::Admin) as i64, expires_s as i64],
        )?;
        Ok(secret)
    }

    /// Whether any invite is still open (unused, not expired) at `now_s`.
    pub fn has_open_invites(&self, now_s: u64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM invites WHERE used_by IS NULL AND expires > ?1 LIMIT 1")?
            .exists([now_s as i64])?)
    }

    /// Redeems an invite for `device` (named `person_name`): checks it is
    /// known, unused (or already used by this very device, so a joiner whose
    /// connection broke can retry) and not expired, then admits the device,
    /// in one transaction.
    pub fn redeem_invite(
        &mut self,
        secret: &[u8; 16],
        device: DeviceId,
        person_name: &str,
        now_s: u64,
    ) -> Result<()> {
        let name = person_name.trim();
        // Read and mark in one write transaction: another process on the
        // same file (a `deko serve` beside a `deko sync`) cannot redeem the
        // same secret in between.
        let admitted = self.bulk(|s| {
            let row: Option<(i64, i64, Option<Vec<u8>>)> = s
                .conn
                .query_row(
                    "SELECT role, expires, used_by FROM invites WHERE secret = ?1",
                    [&secret[..]],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((role, expires, used_by)) = row else {
                return Err(StoreError::InviteRefused(
                    "the invite is not known to this device".into(),
                )
                .into());
            };
            if let Some(by) = used_by {
                return if by == device.0 {
                    Ok(false)
                } else {
                    Err(StoreError::InviteRefused("the invite was already used".into()).into())
                };
            }
            if now_s >= expires as u64 {
                return Err(StoreError::InviteRefused("the invite has expired".into()).into());
            }
            if name.is_empty() {
                return Err(
                    StoreError::InviteRefused("the joining person needs a name".into()).into(),
                );
            }
            let marked = s.conn.execute(
                "UPDATE invites SET used_by = ?2 WHERE secret = ?1 AND used_by IS NULL",
                params![&secret[..], &device.0[..]],
            )?;
            if marked != 1 {
                return Err(StoreError::InviteRefused("the invite was already used".into()).into());
            }
            let role = if role == 1 { Role::Admin } else { Role::Member };
            s.admit(device, EntityId::new(), name, role)?;
            Ok(true)
        })?;
        if !admitted {
            return Ok(());
        }
        log::info!(
            "admitted device {} ({name}) with an invite",
            device.fingerprint()
        );
        Ok(())
    }
}
