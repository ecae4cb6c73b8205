//! The team: `deko init`, `deko invite`, `deko ticket`, `deko devices`,
//! `deko revoke`.

use std::net::SocketAddr;

use deko_core::error::StoreError;
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
            return Err(deko_core::Error::Store(StoreError::AlreadyInTeam(t.to_string())).into());
        }
    }
    let mut crm = data.open_or_create()?;
    let id = crm.create_team(team.trim(), name.trim())?;
    let device = crm.store().device_id();
    let json = json!({"team": id, "team_name": team.trim(), "device": device,
               "fingerprint": device.fingerprint(), "data_dir": data.path()});
    out.print(&json, || {
        println!("founded team {:?} ({id})", team.trim());
        println!("this device   {} ({})", device.fingerprint(), name.trim());
        println!("data          {}", data.path().display());
        println!("next: `deko serve` to let other devices join and sync");
    });
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
    let relay = crate::relay::effective(crm)?;
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
        let json = json!({"ticket": uri, "role": role, "expires_at": ticket.expires_at,
                          "addrs": ticket.addrs});
        out.print(&json, || {});
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
        out.print(&json!({"ticket": uri}), || {});
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
        .ok_or(deko_core::Error::Store(StoreError::NotAMember))?;
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
    let store = crm.store_mut();
    let team = store
        .team_info()?
        .ok_or(deko_core::Error::Store(StoreError::NotAMember))?;
    let devices = store.devices()?;
    let json = json!({"team": team.id, "team_name": team.name, "devices": devices});
    out.print(&json, || {
        println!("team {} ({})", team.name, team.id);
        let rows: Vec<Vec<String>> = devices
            .iter()
            .map(|d| {
                let me = if d.is_this_device { " *" } else { "" };
                let status = if d.revoked_after.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                vec![
                    format!("{}{me}", d.fingerprint),
                    d.person_name.clone(),
                    role_name(d.role).into(),
                    status.into(),
                    d.records.to_string(),
                    d.last_seen.map(output::time).unwrap_or_default(),
                    d.device.to_string(),
                ]
            })
            .collect();
        let header = [
            "fingerprint",
            "person",
            "role",
            "status",
            "records",
            "last seen",
            "device id",
        ];
        output::table(&header, &rows);
        println!("* this device");
    });
    Ok(())
}

/// A role as people read it.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Member => "member",
    }
}

/// `deko revoke`.
pub fn revoke(data: &DataDir, out: Out, device: &str) -> Result<()> {
    let mut crm = data.open()?;
    let d = find_device(&mut crm, device)?;
    let cutoff = crm.store_mut().revoke(d)?;
    crm.store().forget_peer(&d)?;
    let json = json!({"device": d, "fingerprint": d.fingerprint(), "revoked_after": cutoff});
    out.print(&json, || {
        println!(
            "revoked {}: its records after {cutoff} no longer count anywhere, it can no longer sync",
            d.fingerprint()
        )
    });
    Ok(())
}
