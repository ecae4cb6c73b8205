//! Making pairing tickets for this device: its addresses, its relay, and
//! optionally a fresh one-time invite stored in the database.

use std::net::SocketAddr;
use std::time::Duration;

use crate::error::{Error, Result, StoreError};
use crate::model::Crm;
use crate::net::relay::RelaySettings;
use crate::net::ticket::{Invite, InviteRole, Ticket};
use crate::record::Role;

/// A ticket to reach this device at `addrs` (and through `relay`, if any);
/// with `invite`, a one-time invite for that role valid for `ttl` (admins
/// only), written to the database. Used by [`super::Node::ticket`] and by
/// tools that make tickets for a node running in another process.
pub fn make_ticket(
    crm: &mut Crm,
    addrs: Vec<SocketAddr>,
    invite: Option<(Role, Duration)>,
    relay: Option<RelaySettings>,
) -> Result<Ticket> {
    let team = crm
        .store()
        .team_id()
        .ok_or(Error::Store(StoreError::NotAMember))?;
    let (invite, expires_at) = match invite {
        Some((role, ttl)) => {
            let expires = super::now_s().saturating_add(ttl.as_secs().max(1));
            let secret = crm.store_mut().create_invite(role, expires)?;
            let role = if role == Role::Admin {
                InviteRole::Admin
            } else {
                InviteRole::Member
            };
            (Some(Invite { secret, role }), expires)
        }
        None => (None, 0),
    };
    Ok(Ticket {
        team: team.0,
        device: crm.store().device_id().0,
        addrs,
        relay: relay.as_ref().map(|r| r.relay.clone()),
        relay_token: relay.and_then(|r| r.token),
        invite,
        expires_at,
    })
}
