//! Shared helpers of the multi-device scenarios: devices with real SQLite
//! files in temporary folders, running real QUIC nodes on loopback.

use std::net::SocketAddr;

use deko_core::Result;
use deko_core::identity::DeviceId;
use deko_core::model::{Crm, PersonDraft, PhoneLabel};
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncTarget};
use deko_core::record::EntityId;
use deko_core::sync::SessionStats;

/// A device's database in its own temporary folder.
pub struct Device {
    /// Keeps the folder alive.
    pub dir: tempfile::TempDir,
    /// The open CRM.
    pub crm: Crm,
}

impl Device {
    /// A new, empty device.
    pub fn new() -> Device {
        let dir = tempfile::tempdir().expect("temp dir");
        let crm = Crm::open(dir.path().join("deko.db")).expect("open");
        Device { dir, crm }
    }

    /// A device that founded a team.
    pub fn founder(team: &str) -> Device {
        let mut d = Device::new();
        d.crm.create_team(team, "Founder").expect("team");
        d
    }
}

impl Default for Device {
    fn default() -> Self {
        Device::new()
    }
}

/// Loopback with a free port.
pub fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("address")
}

/// Joins the team of `ticket` as `name`, listening on loopback; the node
/// and the joining session's counters.
pub async fn join_team(crm: Crm, ticket: &str, name: &str) -> Result<(Node, SessionStats)> {
    let options = JoinOptions {
        listen: loopback(),
        ..JoinOptions::new(name)
    };
    let (node, joined) = Node::join(crm, ticket, options).await?;
    Ok((node, joined.stats))
}

/// One session of `node` with `peer`: each of `addrs` directly, then
/// through the node's relay (with no address: the relay alone).
pub async fn sync_at(node: &Node, peer: DeviceId, addrs: &[SocketAddr]) -> Result<SessionStats> {
    let target = SyncTarget::Address {
        addrs: addrs.to_vec(),
        device: Some(peer),
    };
    node.sync(target, &SyncOptions::default())
        .await?
        .into_stats()
}

/// One session of `node` with the device `ticket` names.
pub async fn sync_ticket(node: &Node, ticket: &str) -> Result<SessionStats> {
    node.sync(SyncTarget::Ticket(ticket.into()), &SyncOptions::default())
        .await?
        .into_stats()
}

/// Writes `n` people in one transaction; returns their ids.
pub fn people(crm: &mut Crm, n: usize, tag: &str) -> Vec<EntityId> {
    crm.bulk(|c| {
        (0..n)
            .map(|i| {
                c.create_person(PersonDraft {
                    given: Some(format!("{tag}{i}")),
                    family: Some("Nováková".into()),
                    phones: Some(vec![(
                        PhoneLabel::Mobile,
                        format!("+420 7{:08}", i % 100_000_000),
                    )]),
                    ..Default::default()
                })
            })
            .collect()
    })
    .expect("people")
}
