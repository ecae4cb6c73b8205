//! `deko status`: team, this device, peers seen, counts, the version
//! vector and the state digest.

use deko_core::record::Role;
use serde_json::json;

use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};

/// `deko status`.
pub fn status(data: &DataDir, out: Out) -> Result<()> {
    let mut crm = data.open()?;
    let store = crm.store_mut();
    let me = store.device_id();
    let roster = store.roster()?;
    let team = store.team_id().map(|t| t.to_string());
    let member = roster.as_ref().and_then(|r| r.members.get(&me).cloned());
    let serving = data.running_serve();
    let known = store.known_peers()?;
    let vector = store.version_vector()?;
    let digest = store.state_digest()?.to_string();
    let conflicts = store.conflicts()?.len();
    let relay = crate::relay::load(&crm)?;
    let store = crm.store_mut();
    let mut counts = serde_json::Map::new();
    for (key, kind) in [
        ("people", "person"),
        ("companies", "company"),
        ("calls", "call"),
        ("meetings", "meeting"),
        ("notes", "note"),
        ("tasks", "task"),
        ("deals", "deal"),
    ] {
        counts.insert(key.into(), json!(store.count(kind)?));
    }
    counts.insert("records".into(), json!(store.record_count()?));
    counts.insert("pending".into(), json!(store.pending_count()?));
    counts.insert("quarantined".into(), json!(store.quarantine_count()?));
    counts.insert("conflicts".into(), json!(conflicts));
    let name_of = |d: &deko_core::identity::DeviceId| {
        roster
            .as_ref()
            .and_then(|r| r.members.get(d))
            .map(|m| m.person_name.clone())
    };
    let peers: Vec<serde_json::Value> = known
        .iter()
        .map(|k| {
            json!({"device": k.device.to_string(), "fingerprint": k.device.fingerprint(),
                   "person": name_of(&k.device), "addr": k.addr.to_string(), "seen": k.seen})
        })
        .collect();
    let vv: Vec<serde_json::Value> = vector
        .iter()
        .map(|(d, seq)| {
            json!({"device": d.to_string(), "fingerprint": d.fingerprint(),
                   "person": name_of(d), "seq": seq})
        })
        .collect();
    let v = json!({
        "data_dir": data.path(),
        "team": {
            "id": team,
            "name": roster.as_ref().map(|r| r.team_name.clone()),
            "devices": roster.as_ref().map(|r| r.members.len()).unwrap_or(0),
        },
        "device": {
            "id": me.to_string(),
            "fingerprint": me.fingerprint(),
            "person": member.as_ref().map(|m| m.person_name.clone()),
            "role": member.as_ref().map(|m| if m.role == Role::Admin { "admin" } else { "member" }),
            "admitted": member.is_some(),
        },
        "serve": {
            "running": serving.is_some(),
            "addrs": serving.clone().unwrap_or_default().iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        },
        "relay": crate::relay::json(relay.as_ref()),
        "peers": peers,
        "counts": counts,
        "version_vector": vv,
        "state_digest": digest,
    });
    out.print(v, || {
        output::block(&[
            (
                "team",
                format!(
                    "{} ({})",
                    roster
                        .as_ref()
                        .map(|r| r.team_name.as_str())
                        .unwrap_or("not admitted yet"),
                    team.clone().unwrap_or_default()
                ),
            ),
            (
                "this device",
                format!(
                    "{} {}",
                    me.fingerprint(),
                    member
                        .as_ref()
                        .map(|m| format!(
                            "({}, {})",
                            m.person_name,
                            if m.role == Role::Admin {
                                "admin"
                            } else {
                                "member"
                            }
                        ))
                        .unwrap_or_default()
                ),
            ),
            ("data", data.path().display().to_string()),
            (
                "serve",
                match &serving {
                    Some(a) => format!(
                        "running at {}",
                        a.iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => "not running".into(),
                },
            ),
            ("relay", crate::relay::text(relay.as_ref())),
            ("state digest", digest.clone()),
        ]);
        println!();
        let rows: Vec<Vec<String>> = counts
            .iter()
            .map(|(k, v)| vec![k.clone(), v.to_string()])
            .collect();
        output::table(&["what", "count"], &rows);
        println!();
        let rows: Vec<Vec<String>> = vector
            .iter()
            .map(|(d, seq)| {
                let seen = known
                    .iter()
                    .filter(|k| k.device == *d)
                    .map(|k| k.seen)
                    .max();
                vec![
                    d.fingerprint(),
                    name_of(d).unwrap_or_default(),
                    seq.to_string(),
                    seen.map(|s| output::time(s as i64 * 1000))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        output::table(&["device", "person", "records", "last seen"], &rows);
    });
    Ok(())
}
