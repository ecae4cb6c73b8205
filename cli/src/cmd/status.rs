//! `deko status`: team, this device, peers seen, counts, the version
//! vector and the state digest.

use std::net::SocketAddr;
use std::path::Path;

use deko_core::identity::DeviceId;
use deko_core::model::Stats;
use deko_core::record::{Role, TeamId};
use deko_core::store::Device;
use serde::Serialize;

use super::team::role_name;
use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};

/// What `deko status --json` prints (cli/README.md).
#[derive(Serialize)]
struct Status<'a> {
    data_dir: &'a Path,
    team: Team,
    device: This,
    serve: Serve,
    relay: serde_json::Value,
    peers: Vec<Peer>,
    counts: Stats,
    version_vector: Vec<Position>,
    state_digest: String,
}

#[derive(Serialize)]
struct Team {
    id: Option<TeamId>,
    name: Option<String>,
    devices: usize,
}

#[derive(Serialize)]
struct This {
    id: DeviceId,
    fingerprint: String,
    person: Option<String>,
    role: Option<Role>,
    admitted: bool,
}

#[derive(Serialize)]
struct Serve {
    running: bool,
    addrs: Vec<SocketAddr>,
}

/// A peer where it was reached (`seen`: Unix seconds).
#[derive(Serialize)]
struct Peer {
    device: DeviceId,
    fingerprint: String,
    person: Option<String>,
    addr: SocketAddr,
    seen: u64,
}

/// One author's place in the version vector.
#[derive(Serialize)]
struct Position {
    device: DeviceId,
    fingerprint: String,
    person: Option<String>,
    seq: u64,
}

/// `deko status`.
pub fn status(data: &DataDir, out: Out) -> Result<()> {
    let mut crm = data.open()?;
    let counts = crm.stats()?;
    let relay = crate::relay::effective(&crm)?;
    let store = crm.store_mut();
    let me = store.device_id();
    let team = store.team_info()?;
    let devices = store.devices()?;
    let known = store.known_peers()?;
    let vector = store.version_vector()?;
    let digest = store.state_digest()?.to_string();
    let team_id = store.team_id();
    let serving = data.running_serve();
    let device = |d: &DeviceId| devices.iter().find(|x| x.device == *d);
    let name_of = |d: &DeviceId| device(d).map(|m| m.person_name.clone());
    let member: Option<&Device> = device(&me);
    let status = Status {
        data_dir: data.path(),
        team: Team {
            id: team_id,
            name: team.as_ref().map(|t| t.name.clone()),
            devices: devices.len(),
        },
        device: This {
            id: me,
            fingerprint: me.fingerprint(),
            person: member.map(|m| m.person_name.clone()),
            role: member.map(|m| m.role),
            admitted: member.is_some(),
        },
        serve: Serve {
            running: serving.is_some(),
            addrs: serving.clone().unwrap_or_default(),
        },
        relay: crate::relay::json(relay.as_ref()),
        peers: known
            .iter()
            .map(|k| Peer {
                device: k.device,
                fingerprint: k.device.fingerprint(),
                person: name_of(&k.device),
                addr: k.addr,
                seen: k.seen,
            })
            .collect(),
        counts,
        version_vector: vector
            .iter()
            .map(|(d, seq)| Position {
                device: *d,
                fingerprint: d.fingerprint(),
                person: name_of(d),
                seq: *seq,
            })
            .collect(),
        state_digest: digest,
    };
    let relay_text = crate::relay::text(relay.as_ref());
    out.print(&status, || {
        print_status(&status, &relay_text, &known_seen(&known))
    });
    Ok(())
}

/// When each device was last seen (Unix seconds), newest address first.
fn known_seen(known: &[deko_core::store::KnownPeer]) -> Vec<(DeviceId, u64)> {
    let mut seen: Vec<(DeviceId, u64)> = Vec::new();
    for k in known {
        match seen.iter_mut().find(|(d, _)| *d == k.device) {
            Some((_, s)) => *s = (*s).max(k.seen),
            None => seen.push((k.device, k.seen)),
        }
    }
    seen
}

fn print_status(s: &Status, relay: &str, seen: &[(DeviceId, u64)]) {
    let role = s.device.role.map(role_name);
    let this = match (&s.device.person, role) {
        (Some(p), Some(r)) => format!("({p}, {r})"),
        _ => String::new(),
    };
    let addrs: Vec<String> = s.serve.addrs.iter().map(|a| a.to_string()).collect();
    output::block(&[
        (
            "team",
            format!(
                "{} ({})",
                s.team.name.as_deref().unwrap_or("not admitted yet"),
                s.team.id.map(|t| t.to_string()).unwrap_or_default()
            ),
        ),
        ("this device", format!("{} {this}", s.device.fingerprint)),
        ("data", s.data_dir.display().to_string()),
        (
            "serve",
            if s.serve.running {
                format!("running at {}", addrs.join(", "))
            } else {
                "not running".into()
            },
        ),
        ("relay", relay.to_string()),
        ("state digest", s.state_digest.clone()),
    ]);
    println!();
    let counts = serde_json::to_value(&s.counts).unwrap_or_default();
    let rows: Vec<Vec<String>> = counts
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| vec![k.clone(), v.to_string()])
        .collect();
    output::table(&["what", "count"], &rows);
    println!();
    let rows: Vec<Vec<String>> = s
        .version_vector
        .iter()
        .map(|p| {
            let last = seen.iter().find(|(d, _)| *d == p.device).map(|(_, t)| *t);
            vec![
                p.fingerprint.clone(),
                p.person.clone().unwrap_or_default(),
                p.seq.to_string(),
                last.map(|t| output::time(t as i64 * 1000))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&["device", "person", "records", "last seen"], &rows);
}
