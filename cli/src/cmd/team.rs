//! The team: `deko init`, `deko invite`, `deko ticket`, `deko devices`,
//! `deko revoke`.

use std::net::SocketAddr;

use deko_core::identity::DeviceId;
use deko_core::model::Crm;
use deko_core::net::ticket::Ticket;
use deko_core::record::Role;
use serde_json::json;

use crate::data::{DEFAULT_PORT, DataDir};
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::{net, parse};

/// `deko init`: founds a team in a data directory without one.
pub fn init(data: &DataDir, out: Out, team: &str, name: &str) -> Result<()> {
    if team.trim().is_empty() || name.trim().is_empty() {
        return Err(CliError::usage("--team and --name must not be empty"));
    }
    if data.has_db() {
        let crm = Crm::open(data.db_path())?;
        if let Some(t) = crm.store().team_id() {
            return Err(deko_core::Error::AlreadyInTeam(t.to_string()).into());
        }
    }
    let mut crm = data.open_or_create()?;
    let id = crm.create_team(team.trim(), name.trim())?;
    let device = crm.store().device_id();
    out.print(
        json!({"team": id.to_string(), "team_name": team.trim(), "device": device.to_string(),
               "fingerprint": device.fingerprint(), "data_dir": data.path()}),
        || {
            println!("founded team {:?} ({id})", team.trim());
            println!("this device   {} ({})", device.fingerprint(), name.trim());
            println!("data          {}", data.path().display());
            println!("next: `deko serve` to let other devices join and sync");
        },
    );
    Ok(())
}

/// The addresses for a ticket: `--addr`, else the running serve's, else
/// this machine's addresses on the default port (with a warning).
fn ticket_addrs(data: &DataDir, given: &[String]) -> Result<Vec<SocketAddr>> {
    if !given.is_empty() {
        return net::given_addrs(given);
    }
    if let Some(addrs) = data.running_serve().filter(|a| !a.is_empty()) {
        return Ok(addrs);
    }
    eprintln!(
        "note: no `deko serve` runs on {}; the ticket names port {DEFAULT_PORT}, start `deko serve` before it is used",
        data.path().display()
    );
    Ok(net::reachable(SocketAddr::from((
        [0, 0, 0, 0],
        DEFAULT_PORT,
    ))))
}

/// Makes a ticket for this device (naming its relay, if set), with a new
/// invite if `invite` is given.
pub fn make_ticket(
    crm: &mut Crm,
    addrs: Vec<SocketAddr>,
    invite: Option<(Role, std::time::Duration)>,
) -> Result<Ticket> {
    let relay = crate::relay::load(crm)?;
    Ok(deko_core::node::make_ticket(crm, addrs, invite, relay)?)
}

/// `deko invite`.
pub fn invite(
    data: &DataDir,
    out: Out,
    admin: bool,
    ttl: &str,
    addrs: &[String],
    no_qr: bool,
) -> Result<()> {
    let ttl = parse::duration(ttl)?;
    let addrs = ticket_addrs(data, addrs)?;
    let mut crm = data.open()?;
    let role = if admin { Role::Admin } else { Role::Member };
    let ticket = make_ticket(&mut crm, addrs, Some((role, ttl)))?;
    let uri = ticket.to_uri()?;
    if out.json {
        out.print(
            json!({"ticket": uri, "role": if admin {"admin"} else {"member"},
                   "expires_at": ticket.expires_at,
                   "addrs": ticket.addrs.iter().map(|a| a.to_string()).collect::<Vec<_>>()}),
            || {},
        );
    } else {
        net::print_ticket(
            &ticket,
            no_qr,
            &format!(
                "one-time invite ({}), valid for {}: on the new device run `deko join TICKET --name NAME`",
                if admin { "admin" } else { "member" },
                humantime::format_duration(ttl)
            ),
        )?;
    }
    Ok(())
}

/// `deko ticket`.
pub fn ticket(data: &DataDir, out: Out, addrs: &[String], no_qr: bool) -> Result<()> {
    let addrs = ticket_addrs(data, addrs)?;
    let mut crm = data.open()?;
    let ticket = make_ticket(&mut crm, addrs, None)?;
    let uri = ticket.to_uri()?;
    if out.json {
        out.print(json!({"ticket": uri}), || {});
    } else {
        net::print_ticket(
            &ticket,
            no_qr,
            "team devices sync with this one by `deko sync TICKET`",
        )?;
    }
    Ok(())
}

/// Finds a roster device by full id or fingerprint (case-insensitive).
pub fn find_device(crm: &mut Crm, s: &str) -> Result<DeviceId> {
    if let Ok(d) = DeviceId::parse(s) {
        return Ok(d);
    }
    let roster = crm
        .store_mut()
        .roster()?
        .ok_or(deko_core::Error::NotAMember)?;
    let want = s.trim().to_ascii_uppercase().replace('-', "");
    let found: Vec<DeviceId> = roster
        .members
        .keys()
        .filter(|d| !want.is_empty() && d.fingerprint().replace('-', "").starts_with(&want))
        .copied()
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::usage(format!(
            "no device {s:?} in the team (see `deko devices`)"
        ))),
        _ => Err(CliError::usage(format!(
            "{s:?} names several devices; give more of the fingerprint"
        ))),
    }
}

/// `deko devices`.
pub fn devices(data: &DataDir, out: Out) -> Result<()> {
    let mut crm = data.open()?;
    let me = crm.store().device_id();
    let roster = crm
        .store_mut()
        .roster()?
        .ok_or(deko_core::Error::NotAMember)?;
    let known = crm.store().known_peers()?;
    let vector = crm.store().version_vector()?;
    let mut items = Vec::new();
    let mut rows = Vec::new();
    for m in roster.members.values() {
        let seen = known
            .iter()
            .filter(|k| k.device == m.device)
            .map(|k| k.seen)
            .max();
        let role = match m.role {
            Role::Admin => "admin",
            Role::Member => "member",
        };
        let status = match m.revoked_after {
            Some(_) => "revoked",
            None => "active",
        };
        items.push(json!({
            "device": m.device.to_string(),
            "fingerprint": m.device.fingerprint(),
            "person": m.person_name,
            "person_id": m.person_id.to_string(),
            "role": role,
            "status": status,
            "revoked_after": m.revoked_after,
            "this_device": m.device == me,
            "founder": m.device == roster.founder,
            "records": vector.get(&m.device).copied().unwrap_or(0),
            "last_seen": seen,
        }));
        rows.push(vec![
            format!(
                "{}{}",
                m.device.fingerprint(),
                if m.device == me { " *" } else { "" }
            ),
            m.person_name.clone(),
            role.to_string(),
            status.to_string(),
            vector.get(&m.device).copied().unwrap_or(0).to_string(),
            seen.map(|s| output::time(s as i64 * 1000))
                .unwrap_or_default(),
            m.device.to_string(),
        ]);
    }
    out.print(
        json!({"team": roster.team.to_string(), "team_name": roster.team_name, "devices": items}),
        || {
            println!("team {} ({})", roster.team_name, roster.team);
            output::table(
                &[
                    "fingerprint",
                    "person",
                    "role",
                    "status",
                    "records",
                    "last seen",
                    "device id",
                ],
                &rows,
            );
            println!("* this device");
        },
    );
    Ok(())
}

/// `deko revoke`.
pub fn revoke(data: &DataDir, out: Out, device: &str) -> Result<()> {
    let mut crm = data.open()?;
    let d = find_device(&mut crm, device)?;
    let cutoff = crm.store_mut().revoke(d)?;
    crm.store().forget_peer(&d)?;
    out.print(
        json!({"device": d.to_string(), "fingerprint": d.fingerprint(), "revoked_after": cutoff}),
        || {
            println!(
                "revoked {}: its records after {cutoff} no longer count anywhere, it can no longer sync",
                d.fingerprint()
            )
        },
    );
    Ok(())
}
