//! Sessions with peers: `deko join` and `deko sync`. Each run starts a
//! node on an ephemeral port next to whatever else uses the database (a
//! running `deko serve` included), runs its sessions with a progress bar,
//! and remembers where peers answered.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deko_core::identity::DeviceId;
use deko_core::model::Crm;
use deko_core::net::relay::RelaySettings;
use deko_core::net::ticket::Ticket;
use deko_core::net::{SyncEvent, Via};
use deko_core::node::{DIRECT_TIMEOUT, Node};
use deko_core::record::TeamId;
use deko_core::sync::SessionStats;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::{net, parse, relay};

/// Longest wait for connections to close when a command ends.
const SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

fn now_s() -> u64 {
    (parse::now_ms() / 1000).max(0) as u64
}

/// A node for this command's sessions, with a watchdog per attempt.
struct Runner {
    node: Node,
    /// The peer the current attempt waits for.
    expect: Arc<Mutex<Option<DeviceId>>>,
    /// Whether that peer answered (the session started).
    started: Arc<AtomicBool>,
    /// How the current attempt's session reached the peer.
    via: Arc<Mutex<Option<Via>>>,
    bar: ProgressBar,
}

impl Runner {
    async fn start(crm: Crm) -> Result<Runner> {
        let node = Node::start(crm, SocketAddr::from(([0, 0, 0, 0], 0))).await?;
        let expect: Arc<Mutex<Option<DeviceId>>> = Arc::new(Mutex::new(None));
        let started = Arc::new(AtomicBool::new(false));
        let via: Arc<Mutex<Option<Via>>> = Arc::new(Mutex::new(None));
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} records ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let (e, s, v, b) = (expect.clone(), started.clone(), via.clone(), bar.clone());
        node.subscribe(Arc::new(move |event: &SyncEvent| match event {
            SyncEvent::Started {
                peer,
                initiator: true,
                via,
            } => {
                if *e.lock().unwrap_or_else(|p| p.into_inner()) == Some(*peer) {
                    s.store(true, Ordering::SeqCst);
                    *v.lock().unwrap_or_else(|p| p.into_inner()) = Some(*via);
                }
                b.set_message(format!("sync with {}", peer.fingerprint()));
            }
            SyncEvent::Progress { stats, .. } => {
                b.set_length(stats.to_send + stats.to_receive);
                b.set_position(stats.sent + stats.received);
            }
            _ => {}
        }));
        Ok(Runner {
            node,
            expect,
            started,
            via,
            bar,
        })
    }

    /// Runs `session` (with `peer` at `addr`, or through the relay when
    /// `addr` is `None`), giving up if the peer has not answered within
    /// `timeout`; a session that started runs to its end. Returns how the
    /// session went and how it reached the peer.
    async fn attempt(
        &self,
        peer: DeviceId,
        addr: Option<SocketAddr>,
        timeout: Duration,
        session: impl Future<Output = deko_core::Result<SessionStats>>,
    ) -> (Result<SessionStats>, Option<Via>) {
        *self.expect.lock().unwrap_or_else(|p| p.into_inner()) = Some(peer);
        *self.via.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.started.store(false, Ordering::SeqCst);
        let started = self.started.clone();
        let watchdog = async move {
            tokio::time::sleep(timeout).await;
            if started.load(Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
        };
        let result = tokio::select! {
            r = session => r.map_err(CliError::from),
            _ = watchdog => Err(CliError::Timeout(
                match addr {
                    Some(a) => format!("{} at {a}", peer.fingerprint()),
                    None => format!("{} through the relay", peer.fingerprint()),
                },
                humantime::format_duration(timeout).to_string(),
            )),
        };
        self.bar.finish_and_clear();
        self.bar.reset();
        let via = *self.via.lock().unwrap_or_else(|p| p.into_inner());
        let result = match (result, addr) {
            (Ok(stats), Some(addr)) if via != Some(Via::Relay) => self
                .node
                .with_crm(|c| c.store().remember_peer(peer, addr, now_s()))
                .map(|_| stats)
                .map_err(CliError::from),
            (r, _) => r,
        };
        (result, via)
    }

    /// A session with `peer` through `relay` alone (a ticket naming only
    /// the relay), with or without a join.
    async fn through_relay(
        &self,
        team: [u8; 16],
        peer: DeviceId,
        relay: &RelaySettings,
        timeout: Duration,
        join: Option<(&Ticket, &str)>,
    ) -> (Result<SessionStats>, Option<Via>) {
        let ticket = Ticket {
            team,
            device: peer.0,
            addrs: Vec::new(),
            relay: Some(relay.relay.clone()),
            relay_token: relay.token.clone(),
            invite: join.and_then(|(t, _)| t.invite.clone()),
            expires_at: join.map(|(t, _)| t.expires_at).unwrap_or(0),
        };
        let uri = match ticket.to_uri() {
            Ok(u) => u,
            Err(e) => return (Err(e.into()), None),
        };
        match join {
            Some((_, name)) => {
                self.attempt(peer, None, timeout, self.node.join_ticket(&uri, name))
                    .await
            }
            None => {
                self.attempt(peer, None, timeout, self.node.sync_ticket(&uri))
                    .await
            }
        }
    }

    /// Closes the node. Everything is stored by now; the wait for QUIC
    /// connections to drain is cut short, since an attempt at an address
    /// that never answered would otherwise hold the exit for seconds.
    async fn shutdown(self) {
        let _ = tokio::time::timeout(SHUTDOWN_WAIT, self.node.shutdown()).await;
    }
}

fn stats_json(s: &SessionStats) -> serde_json::Value {
    json!({"sent": s.sent, "received": s.received, "applied": s.applied,
           "duplicates": s.duplicates, "refused": s.refused, "pending": s.pending})
}

/// `deko join`.
pub async fn join(
    data: &DataDir,
    out: Out,
    ticket_text: &str,
    name: &str,
    timeout: &str,
) -> Result<()> {
    let timeout = parse::duration(timeout)?;
    if name.trim().is_empty() {
        return Err(CliError::usage("--name must not be empty"));
    }
    let ticket = Ticket::parse(ticket_text, now_s())?;
    if ticket.invite.is_none() {
        return Err(deko_core::Error::InvalidTicket(
            "this ticket carries no invite (make one with `deko invite`)".into(),
        )
        .into());
    }
    if ticket.addrs.is_empty() {
        return Err(deko_core::Error::InvalidTicket(
            "the ticket lists no address to reach the device".into(),
        )
        .into());
    }
    let dir_existed = data.path().exists();
    let db_existed = data.has_db();
    let mut crm = data.open_or_create()?;
    let me = crm.store().device_id();
    if let Some(roster) = crm.store_mut().roster()?
        && roster.team.0 == ticket.team
        && roster.is_active(&me)
    {
        return Err(CliError::usage(
            "this device is already a member of that team; use `deko sync`",
        ));
    }
    crm.store_mut().join_team(TeamId(ticket.team))?;
    let peer = DeviceId(ticket.device);
    // Remembered now, so a join that is cut can be finished by `deko sync`.
    for addr in ticket.addrs.iter().rev() {
        crm.store().remember_peer(peer, *addr, now_s())?;
    }
    let ticket_relay = RelaySettings::from_ticket(&ticket);
    // With a relay to fall back on, a silent address is given up sooner.
    let direct_timeout = match ticket_relay {
        Some(_) => timeout.min(DIRECT_TIMEOUT),
        None => timeout,
    };
    let runner = Runner::start(crm).await?;
    let mut result = Err(CliError::Sync("the ticket lists no address".into()));
    let mut via = None;
    for addr in &ticket.addrs {
        let single = Ticket {
            addrs: vec![*addr],
            relay: None,
            relay_token: None,
            ..ticket.clone()
        }
        .to_uri()?;
        (result, via) = runner
            .attempt(
                peer,
                Some(*addr),
                direct_timeout,
                runner.node.join_ticket(&single, name.trim()),
            )
            .await;
        match &result {
            Ok(_) => break,
            Err(CliError::Core(deko_core::Error::Refused(_))) => break,
            Err(_) => continue,
        }
    }
    if let Some(r) = &ticket_relay
        && result.is_err()
        && !matches!(result, Err(CliError::Core(deko_core::Error::Refused(_))))
    {
        (result, via) = runner
            .through_relay(ticket.team, peer, r, timeout, Some((&ticket, name.trim())))
            .await;
    }
    if result.is_ok()
        && let Some(r) = &ticket_relay
    {
        runner.node.with_crm(|c| relay::save(c, Some(r)))?;
    }
    let records = runner.node.with_crm(|c| c.store().record_count())?;
    match result {
        Ok(stats) => {
            let (team_name, digest) = runner.node.with_crm(|c| -> Result<_> {
                let s = c.store_mut();
                let team = s.roster()?.map(|r| r.team_name).unwrap_or_default();
                Ok((team, s.state_digest()?.to_string()))
            })?;
            runner.shutdown().await;
            out.print(
                json!({"team": TeamId(ticket.team).to_string(), "team_name": team_name,
                       "device": me.to_string(), "fingerprint": me.fingerprint(),
                       "records": records, "state_digest": digest, "stats": stats_json(&stats),
                       "via": via_name(via), "relay": relay::json(ticket_relay.as_ref())}),
                || {
                    println!(
                        "joined team {team_name:?} as {}{}",
                        me.fingerprint(),
                        if via == Some(Via::Relay) {
                            " (via relay)"
                        } else {
                            ""
                        }
                    );
                    if ticket_relay.is_some() {
                        println!("relay: {}", relay::text(ticket_relay.as_ref()));
                    }
                    println!(
                        "received {} records ({} applied)",
                        stats.received, stats.applied
                    );
                    println!("next: `deko serve` to stay reachable, or `deko sync` now and then");
                },
            );
            Ok(())
        }
        Err(e) => {
            runner.shutdown().await;
            if !db_existed && records == 0 {
                // Nothing arrived: leave the directory as it was.
                data.remove_db();
                if !dir_existed {
                    let _ = std::fs::remove_dir(data.path());
                }
            } else if records > 0 {
                eprintln!(
                    "deko: the join was cut after {records} records; run `deko sync` to fetch the rest"
                );
            }
            Err(e)
        }
    }
}

/// `"direct"`, `"relay"` or null, as `--json` shows how a session went.
fn via_name(via: Option<Via>) -> Option<&'static str> {
    via.map(|v| match v {
        Via::Direct => "direct",
        Via::Relay => "relay",
    })
}

/// One peer's outcome in `deko sync`.
struct Outcome {
    device: DeviceId,
    addr: Option<SocketAddr>,
    via: Option<Via>,
    relay: Option<String>,
    result: Result<SessionStats>,
}

/// Tries `peer` at each address until one syncs, then through `relay`.
async fn sync_device(
    runner: &Runner,
    team: [u8; 16],
    peer: DeviceId,
    addrs: &[SocketAddr],
    relay: Option<&RelaySettings>,
    timeout: Duration,
) -> Outcome {
    let mut last = Outcome {
        device: peer,
        addr: None,
        via: None,
        relay: None,
        result: Err(CliError::Sync(format!(
            "no address known for {}",
            peer.fingerprint()
        ))),
    };
    // With a relay to fall back on, a silent address is given up sooner.
    let direct_timeout = match relay {
        Some(_) => timeout.min(DIRECT_TIMEOUT),
        None => timeout,
    };
    for addr in addrs {
        let (result, via) = runner
            .attempt(
                peer,
                Some(*addr),
                direct_timeout,
                runner.node.sync_with(*addr, peer),
            )
            .await;
        let ok = result.is_ok();
        let refused = matches!(result, Err(CliError::Core(deko_core::Error::Refused(_))));
        last = Outcome {
            device: peer,
            addr: Some(*addr),
            via,
            relay: None,
            result,
        };
        if ok || refused {
            return last;
        }
    }
    if let Some(r) = relay {
        let (result, via) = runner.through_relay(team, peer, r, timeout, None).await;
        last = Outcome {
            device: peer,
            addr: None,
            via,
            relay: Some(r.relay_text()),
            result,
        };
    }
    last
}

/// `deko sync [PEER]`.
pub async fn sync(data: &DataDir, out: Out, target: Option<&str>, timeout: &str) -> Result<()> {
    let timeout = parse::duration(timeout)?;
    let mut crm = data.open()?;
    let me = crm.store().device_id();
    let team = crm.store().team_id().ok_or(deko_core::Error::NotAMember)?;
    let roster = crm.store_mut().roster()?;
    let active: Vec<DeviceId> = roster
        .as_ref()
        .map(|r| {
            r.members
                .values()
                .filter(|m| m.revoked_after.is_none() && m.device != me)
                .map(|m| m.device)
                .collect()
        })
        .unwrap_or_default();
    let known = crm.store().known_peers()?;
    // A running `deko serve` on this directory holds the device's relay
    // registration; a second registration of the same device from here
    // would take its place at the relay and leave it unreachable there.
    let serving = data.running_serve().is_some();
    let stored_relay = relay::load(&crm)?;
    let relay_left_to_serve = serving && stored_relay.is_some();
    let own_relay = stored_relay.filter(|_| !serving);
    let addrs_of = |d: &DeviceId| -> Vec<SocketAddr> {
        known
            .iter()
            .filter(|k| k.device == *d)
            .map(|k| k.addr)
            .collect()
    };
    // (device, addresses, relay) to try, and whether any one success is enough.
    let mut plan: Vec<(DeviceId, Vec<SocketAddr>, Option<RelaySettings>)> = Vec::new();
    let mut any_device = false;
    match target {
        Some(t) if t.trim().to_ascii_lowercase().starts_with("deko:") => {
            let ticket = Ticket::parse(t, now_s())?;
            ticket.check_team(&team.0)?;
            let r = RelaySettings::from_ticket(&ticket)
                .or(own_relay.clone())
                .filter(|_| !serving);
            plan.push((DeviceId(ticket.device), ticket.addrs.clone(), r));
        }
        Some(t) if t.contains(':') => {
            let addrs = net::host_port(t)?;
            any_device = true;
            let mut candidates: Vec<DeviceId> = known
                .iter()
                .filter(|k| addrs.contains(&k.addr))
                .map(|k| k.device)
                .collect();
            candidates.extend(active.iter().copied());
            candidates.dedup();
            let mut seen = Vec::new();
            for d in candidates {
                if !seen.contains(&d) && d != me {
                    seen.push(d);
                    plan.push((d, addrs.clone(), None));
                }
            }
            if plan.is_empty() {
                return Err(CliError::Sync(
                    "this team has no other device yet (invite one with `deko invite`)".into(),
                ));
            }
        }
        Some(t) => {
            let d = super::team::find_device(&mut crm, t)?;
            let addrs = addrs_of(&d);
            if addrs.is_empty() && own_relay.is_none() {
                return Err(CliError::Sync(format!(
                    "no address known for {}: sync with its ticket or HOST:PORT once{}",
                    d.fingerprint(),
                    if relay_left_to_serve {
                        " (the relay is left to the `deko serve` running on this data directory)"
                    } else {
                        ""
                    }
                )));
            }
            plan.push((d, addrs, own_relay.clone()));
        }
        None => {
            for k in &known {
                if active.contains(&k.device) && !plan.iter().any(|(d, ..)| *d == k.device) {
                    plan.push((k.device, addrs_of(&k.device), own_relay.clone()));
                }
            }
            // Through a relay, team devices never met directly are reachable too.
            if own_relay.is_some() {
                for d in &active {
                    if !plan.iter().any(|(p, ..)| p == d) {
                        plan.push((*d, Vec::new(), own_relay.clone()));
                    }
                }
            }
            if plan.is_empty() {
                return Err(CliError::Sync(
                    "no known peers yet: name one (`deko sync TICKET` or `deko sync HOST:PORT`)"
                        .into(),
                ));
            }
        }
    }
    let runner = Runner::start(crm).await?;
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (device, addrs, relay) in &plan {
        let mut o = sync_device(&runner, team.0, *device, addrs, relay.as_ref(), timeout).await;
        if relay_left_to_serve && !any_device {
            o.result = o.result.map_err(|e| match e {
                CliError::Core(deko_core::Error::Refused(_)) => e,
                e => CliError::Sync(format!(
                    "{e} (the relay is left to the `deko serve` running on this data directory: peers reach it there)"
                )),
            });
        }
        let ok = o.result.is_ok();
        // For HOST:PORT: a peer that did not answer at all will not answer
        // under another key either.
        let silent = matches!(o.result, Err(CliError::Timeout(..)));
        outcomes.push(o);
        if any_device && (ok || silent) {
            break;
        }
    }
    let digest = runner
        .node
        .with_crm(|c| c.store_mut().state_digest())?
        .to_string();
    runner.shutdown().await;
    if any_device && outcomes.iter().all(|o| o.result.is_err()) {
        // Report the most telling failure (not a key mismatch with a wrong guess).
        let o = outcomes
            .iter()
            .rev()
            .find(|o| matches!(o.result, Err(CliError::Timeout(..))))
            .or(outcomes.last());
        let msg = match o.map(|o| &o.result) {
            Some(Err(e)) => e.to_string(),
            _ => "no device answered".into(),
        };
        return Err(CliError::Sync(format!(
            "{}: {msg}",
            target.unwrap_or_default()
        )));
    }
    let sessions: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let mut v = json!({"device": o.device.to_string(), "fingerprint": o.device.fingerprint(),
                               "addr": o.addr.map(|a| a.to_string()), "ok": o.result.is_ok(),
                               "via": via_name(o.via.filter(|_| o.result.is_ok())), "relay": o.relay});
            match &o.result {
                Ok(s) => {
                    if let (Some(m), serde_json::Value::Object(x)) = (v.as_object_mut(), stats_json(s)) {
                        m.extend(x);
                    }
                }
                Err(e) => v["error"] = json!(e.to_string()),
            }
            v
        })
        .collect();
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    out.print(
        json!({"sessions": sessions, "state_digest": digest}),
        || {
            let rows: Vec<Vec<String>> = outcomes
                .iter()
                .map(|o| {
                    let (status, sent, recv) = match &o.result {
                        Ok(s) => ("ok".to_string(), s.sent.to_string(), s.received.to_string()),
                        Err(e) => (e.to_string(), String::new(), String::new()),
                    };
                    let place = match (&o.relay, o.addr) {
                        (Some(r), _) => format!("relay {r}"),
                        (None, Some(a)) => a.to_string(),
                        (None, None) => String::new(),
                    };
                    vec![o.device.fingerprint(), place, sent, recv, status]
                })
                .collect();
            output::table(&["peer", "via", "sent", "received", "result"], &rows);
        },
    );
    if failed == outcomes.len() {
        return Err(CliError::Sync(if failed == 1 {
            outcomes[0]
                .result
                .as_ref()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        } else {
            "no known peer answered".into()
        }));
    }
    Ok(())
}
