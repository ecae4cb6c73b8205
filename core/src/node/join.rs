//! [`Node::join`]: a new device joins a team with a ticket carrying an
//! invite, and receives the whole database in the same session.

use std::net::SocketAddr;
use std::time::Duration;

use super::sync::SyncOptions;
use super::{Listener, Node, now_s};
use crate::error::{Error, Result, StoreError, TicketError};
use crate::identity::DeviceId;
use crate::model::Crm;
use crate::net::relay::RelaySettings;
use crate::net::ticket::Ticket;
use crate::net::{JoinRequest, Via};
use crate::record::TeamId;
use crate::sync::SessionStats;

/// How long a failed join waits for its connections to close: attempts at
/// addresses that never answered would otherwise hold it for seconds.
const FAILED_JOIN_WAIT: Duration = Duration::from_millis(500);

/// How a device joins.
#[derive(Clone)]
pub struct JoinOptions {
    /// The name of the person joining (shown to the team).
    pub person_name: String,
    /// Where the new node listens (port 0 picks a free one).
    pub listen: SocketAddr,
    /// This device's own relay, set before the joining session (so a
    /// ticket without a reachable address or relay can still be used
    /// through it). Without it, the ticket's relay becomes the device's own
    /// after joining.
    pub relay: Option<RelaySettings>,
    /// Subscribed before the joining session, so it sees that session too.
    pub listener: Option<Listener>,
    /// How the inviting device is reached.
    pub sync: SyncOptions,
}

impl JoinOptions {
    /// Joining as `person_name`, listening on every interface on a free
    /// port, with the default attempt policy.
    pub fn new(person_name: impl Into<String>) -> JoinOptions {
        JoinOptions {
            person_name: person_name.into(),
            listen: SocketAddr::from(([0, 0, 0, 0], 0)),
            relay: None,
            listener: None,
            sync: SyncOptions::default(),
        }
    }
}

/// The joining session.
#[derive(Clone, Debug)]
pub struct Joined {
    /// How it reached the inviting device.
    pub via: Via,
    /// The ticket's address that answered (`None` through the relay).
    pub addr: Option<SocketAddr>,
    /// The relay that carried it, if any.
    pub relay: Option<RelaySettings>,
    /// Its counters (refused records and their reasons included).
    pub stats: SessionStats,
}

impl Node {
    /// Joins the team of `ticket` (which must carry an invite): this
    /// device takes the ticket's team, remembers its addresses, starts a
    /// node, reaches the inviting device (its addresses, then the ticket's
    /// relay or `options.relay`), is admitted by it and receives the whole
    /// database. On failure the node is closed; records that arrived stay
    /// (a later sync fetches the rest).
    pub async fn join(mut crm: Crm, ticket: &str, options: JoinOptions) -> Result<(Node, Joined)> {
        let ticket = Ticket::parse(ticket, now_s())?;
        let invite = ticket.invite.clone().ok_or(TicketError::NoInvite)?;
        let team = TeamId(ticket.team);
        let me = crm.store().device_id();
        if let Some(roster) = crm.store_mut().roster()?
            && roster.team == team
            && roster.is_active(&me)
        {
            return Err(Error::Store(StoreError::AlreadyInTeam(team.to_string())));
        }
        crm.store_mut().join_team(team)?;
        let peer = DeviceId(ticket.device);
        // Remembered now, so a join that is cut can be finished by a sync.
        let now = now_s();
        for addr in ticket.addrs.iter().rev() {
            crm.store().remember_peer(peer, *addr, now)?;
        }
        let node = Node::start(crm, options.listen).await?;
        if let Some(listener) = options.listener {
            node.subscribe(listener);
        }
        let join = JoinRequest {
            secret: invite.secret,
            person_name: options.person_name,
        };
        let joined = node
            .join_session(&ticket, join, options.relay, &options.sync)
            .await;
        match joined {
            Ok(joined) => Ok((node, joined)),
            Err(e) => {
                node.close(FAILED_JOIN_WAIT).await;
                Err(e)
            }
        }
    }

    async fn join_session(
        &self,
        ticket: &Ticket,
        join: JoinRequest,
        relay: Option<RelaySettings>,
        options: &SyncOptions,
    ) -> Result<Joined> {
        if relay.is_some() {
            self.set_relay(relay)?;
        }
        let ticket_relay = RelaySettings::from_ticket(ticket);
        let fallback = self.fallback_relay(ticket_relay.clone(), options.relay);
        if ticket.addrs.is_empty() && fallback.is_none() {
            return Err(TicketError::NoAddress.into());
        }
        let peer = DeviceId(ticket.device);
        let outcome = self
            .reach(peer, &ticket.addrs, fallback, Some(join), options)
            .await;
        let stats = outcome.result?;
        if self.relay_settings().is_none()
            && let Some(relay) = ticket_relay
        {
            self.set_relay(Some(relay))?;
        }
        Ok(Joined {
            via: if outcome.relay.is_some() {
                Via::Relay
            } else {
                Via::Direct
            },
            addr: outcome.addr,
            relay: outcome.relay,
            stats,
        })
    }
}
