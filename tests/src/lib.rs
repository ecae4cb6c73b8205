//! Shared helpers of the multi-device scenarios: devices with real SQLite
//! files in temporary folders, running real QUIC nodes on loopback.

use std::net::SocketAddr;

use deko_core::model::{Crm, PersonDraft, PhoneLabel};
use deko_core::record::EntityId;

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
