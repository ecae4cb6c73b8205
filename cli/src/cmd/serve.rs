//! `deko serve`: the always-on peer. Listens on QUIC, syncs with team
//! peers found on the LAN, logs each session, and stops cleanly on SIGINT
//! or SIGTERM. On a fresh data directory it founds a team and prints an
//! invite, so it is the one command a new server needs.

use std::sync::Arc;
use std::time::Duration;

use deko_core::ErrorKind;
use deko_core::net::discovery::MdnsBackend;
use deko_core::net::{SyncEvent, Via};
use deko_core::node::Node;
use deko_core::record::Role;
use serde_json::json;

use crate::args::ServeArgs;
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::Out;
use crate::{net, parse, relay};

/// Logs to stderr (`DEKO_LOG` filters, `DEKO_LOG_STYLE` colours).
pub(super) fn init_logging() {
    let env = env_logger::Env::default()
        .filter_or("DEKO_LOG", "info,mdns_sd=warn,quinn=warn,rustls=warn")
        .write_style("DEKO_LOG_STYLE");
    let _ = env_logger::Builder::from_env(env).try_init();
}

fn log_event(event: &SyncEvent) {
    match event {
        SyncEvent::Started {
            peer,
            initiator,
            via,
        } => log::info!(
            "session with {} started ({}{})",
            peer.fingerprint(),
            if *initiator { "outgoing" } else { "incoming" },
            if *via == Via::Relay {
                ", via relay"
            } else {
                ""
            }
        ),
        SyncEvent::Progress { peer, stats } => log::debug!(
            "session with {}: {} sent, {} received",
            peer.fingerprint(),
            stats.sent,
            stats.received
        ),
        SyncEvent::Finished { peer, stats } => log::info!(
            "session with {} finished: {} sent, {} received, {} applied, {}",
            peer.fingerprint(),
            stats.sent,
            stats.received,
            stats.applied,
            if stats.refused == 0 {
                "0 refused".to_string()
            } else {
                deko_core::sync::RefusalSummary(&stats.refused_by_reason).to_string()
            }
        ),
        SyncEvent::Views { done, total } if done == total => {
            log::info!("views up to date: {total} entities projected")
        }
        SyncEvent::Views { done, total } => {
            log::debug!("views catching up: {done} of {total} entities")
        }
        SyncEvent::Failed { peer, error, .. } => log::warn!(
            "session with {} failed: {error}",
            peer.map(|p| p.fingerprint())
                .unwrap_or_else(|| "an unknown device".into())
        ),
    }
}

/// Waits for SIGINT or SIGTERM.
async fn stop_signal() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(|e| {
            CliError::failed(ErrorKind::Network, format!("cannot watch for SIGTERM: {e}"))
        })?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => log::info!("interrupted (SIGINT)"),
            _ = term.recv() => log::info!("terminated (SIGTERM)"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        log::info!("interrupted");
    }
    Ok(())
}

/// `deko serve`.
pub async fn serve(data: &DataDir, out: Out, args: ServeArgs) -> Result<()> {
    init_logging();
    let listen = *net::host_port(&args.listen)?
        .first()
        .ok_or_else(|| CliError::usage("--listen needs an address"))?;
    let ttl = parse::duration(&args.ttl)?;
    let advertised = net::given_addrs(&args.addrs)?;
    let token = relay::token_from(args.relay_token.clone(), args.relay_token_file.as_deref())?;
    let given_relay = args
        .relay
        .as_deref()
        .map(|a| relay::settings(a, token.as_deref()))
        .transpose()?;
    // The port is checked before anything is written (a fresh directory
    // would otherwise get a team from a serve that cannot run).
    std::net::UdpSocket::bind(listen).map_err(|source| CliError::Listen {
        addr: listen,
        source,
    })?;
    let mut crm = data.open_or_create()?;
    let mut lock = data.lock_serve()?;
    let fresh = crm.store().team_id().is_none();
    if fresh {
        let name = args
            .name
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Admin".into());
        let team = crm.create_team(args.team.trim(), name.trim())?;
        log::info!(
            "founded team {:?} ({team}) in {}; this device is its first admin ({name})",
            args.team,
            data.path().display()
        );
    }
    if let Some(settings) = &given_relay {
        relay::save(&crm, Some(settings))?;
    }
    let relay_settings = relay::effective(&crm)?;
    let roster = crm.store_mut().roster()?;
    let me = crm.store().device_id();
    let admin = roster.as_ref().is_some_and(|r| r.is_admin(&me));
    if roster.is_none() {
        log::warn!("this device has not received its admission yet; waiting for a sync");
    }
    let node = Node::start(crm, listen).await?;
    node.subscribe(Arc::new(log_event));
    // Sessions peers open bring news too: a new token for the team's relay
    // takes effect here once such a session applied records.
    let (news, mut news_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    node.subscribe(Arc::new(move |e: &SyncEvent| {
        if matches!(e, SyncEvent::Finished { stats, .. } if stats.applied > 0) {
            let _ = news.send(());
        }
    }));
    if let Some(r) = relay_settings {
        log::info!(
            "using relay {} (registering, answering sessions through it)",
            relay::text(Some(&r))
        );
        node.set_relay(Some(r))?;
    }
    let local = node.local_addr()?;
    let addrs = if advertised.is_empty() {
        net::reachable(local)
    } else {
        advertised
    };
    lock.publish(&addrs)?;
    log::info!(
        "device {} listening on {local} (data: {})",
        me.fingerprint(),
        data.path().display()
    );
    let invite = (fresh && admin).then_some((Role::Member, ttl));
    let ticket = node.with_crm(|crm| super::team::make_ticket(crm, addrs.clone(), invite))?;
    let uri = ticket.to_uri()?;
    if out.json {
        println!(
            "{}",
            json!({"ticket": uri, "invite": invite.is_some(), "listen": local.to_string(),
                   "device": me.to_string(), "fingerprint": me.fingerprint(), "fresh": fresh,
                   "relay": relay::json(node.relay_settings().as_ref())})
        );
    } else if invite.is_some() {
        net::print_ticket(
            &ticket,
            args.no_qr,
            &format!(
                "invite for a new device, valid for {}: `deko join TICKET --name NAME` (more with `deko invite`)",
                humantime::format_duration(ttl)
            ),
        )?;
    } else {
        net::print_ticket(
            &ticket,
            args.no_qr,
            "team devices sync with this one by `deko sync TICKET`; new devices need `deko invite`",
        )?;
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();

    let discovery = if args.no_discovery {
        None
    } else {
        let interval = Duration::from_secs(args.discovery_interval.max(1));
        match MdnsBackend::new(None).and_then(|b| node.start_discovery(Box::new(b), interval)) {
            Ok(task) => {
                node.set_auto_sync(true);
                log::info!("LAN discovery on, syncing with team peers it finds");
                Some(task)
            }
            Err(e) => {
                log::warn!("LAN discovery is off: {e}");
                None
            }
        }
    };
    // Until a signal (discovery remembers the peers it finds, for `deko sync`).
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            r = &mut stop => { r?; break; }
            Some(()) = news_rx.recv() => node.follow_team_relay(),
        }
    }
    log::info!("stopping");
    drop(discovery);
    node.shutdown().await;
    drop(node);
    drop(lock);
    log::info!("stopped; database closed");
    Ok(())
}
