//! Sessions with peers: `deko join` and `deko sync`. Each run starts a
//! node on an ephemeral port next to whatever else uses the database (a
//! running `deko serve` included) and makes one call into it
//! (`Node::join`, `Node::sync`: the core tries each address, then the
//! relay, and remembers where peers answered); this file shows progress
//! and prints the outcome, refused records included.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use deko_core::ErrorKind;
use deko_core::identity::DeviceId;
use deko_core::model::Crm;
use deko_core::net::{SyncEvent, Via};
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncOutcome, SyncTarget};
use deko_core::sync::{RefusalSummary, SessionStats, final_count};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::json;

use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::{net, parse, progress, relay};

/// Longest wait for connections to close when a command ends.
const SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

/// Where a command's node listens: every interface, a free port.
fn any_port() -> SocketAddr {
    SocketAddr::from(([0, 0, 0, 0], 0))
}

/// A progress bar fed by the node's sync events: each session's records,
/// then the views catching up with what a large transfer brought (a first
/// sync spends about half its time there).
fn progress_bar() -> (ProgressBar, deko_core::node::Listener) {
    let bar = ProgressBar::new_spinner();
    let b = bar.clone();
    let listener = Arc::new(move |event: &SyncEvent| match event {
        SyncEvent::Started {
            peer,
            initiator: true,
            ..
        } => progress::restart(&b, format!("sync with {}", peer.fingerprint())),
        SyncEvent::Progress { stats, .. } => progress::advance(
            &b,
            progress::RECORDS,
            stats.sent + stats.received,
            stats.to_send + stats.to_receive,
        ),
        SyncEvent::Views { done, total } if done < total => {
            if *done == 0 {
                progress::restart(&b, "updating lists and search".into());
            }
            progress::advance(&b, progress::VIEWS, *done, *total);
        }
        SyncEvent::Finished { .. } | SyncEvent::Failed { .. } | SyncEvent::Views { .. } => {
            b.finish_and_clear();
        }
        _ => {}
    });
    (bar, listener)
}

/// Closes the node. Everything is stored by now; the wait for QUIC
/// connections to drain is cut short, since an attempt at an address that
/// never answered would otherwise hold the exit for seconds.
async fn shutdown(node: Node) {
    let _ = tokio::time::timeout(SHUTDOWN_WAIT, node.shutdown()).await;
}

/// The exit rule for refused records: records refused for good (a bad
/// signature, a broken chain, ...) make the command fail after its output;
/// records that come again at a later sync do not.
fn refusal_failure(stats: &SessionStats) -> Result<()> {
    if final_count(&stats.refused_by_reason) > 0 {
        return Err(CliError::Refused(stats.refused_by_reason.clone()));
    }
    Ok(())
}

/// One peer of `deko sync --json`: who, where, how, and the session's
/// counters when it completed, or its error.
#[derive(Serialize)]
struct Session<'a> {
    device: DeviceId,
    fingerprint: String,
    addr: Option<SocketAddr>,
    ok: bool,
    via: Option<Via>,
    relay: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(flatten)]
    stats: Option<&'a SessionStats>,
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
    let dir_existed = data.path().exists();
    let db_existed = data.has_db();
    let crm = data.open_or_create()?;
    let me = crm.store().device_id();
    let (bar, listener) = progress_bar();
    let mut options = JoinOptions::new(name.trim());
    options.listen = any_port();
    options.listener = Some(listener);
    options.sync.timeout = timeout;
    let (node, joined) = match Node::join(crm, ticket_text, options).await {
        Ok(x) => x,
        Err(e) => {
            bar.finish_and_clear();
            let records = if data.has_db() {
                Crm::open(data.db_path())?.store().record_count()?
            } else {
                0
            };
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
            return Err(e.into());
        }
    };
    // The ticket's relay, now this device's: kept for `serve` and `sync`.
    let ticket_relay = node.relay_settings();
    let saved = node.with_crm(|c| -> Result<_> {
        if ticket_relay.is_some() {
            relay::save(c, ticket_relay.as_ref())?;
        }
        let records = c.store().record_count()?;
        let s = c.store_mut();
        let team = s.roster()?.map(|r| (r.team, r.team_name.clone()));
        Ok((records, team, s.state_digest()?.to_string()))
    });
    shutdown(node).await;
    let (records, team, digest) = saved?;
    let (team, team_name) = team.map(|(t, n)| (t.to_string(), n)).unzip();
    let team_name = team_name.unwrap_or_default();
    let stats = &joined.stats;
    let json = json!({"team": team, "team_name": team_name,
               "device": me, "fingerprint": me.fingerprint(),
               "records": records, "state_digest": digest, "stats": stats,
               "via": joined.via, "relay": relay::json(ticket_relay.as_ref())});
    out.print(&json, || {
        println!(
            "joined team {team_name:?} as {}{}",
            me.fingerprint(),
            if joined.via == Via::Relay {
                " (via relay)"
            } else {
                ""
            }
        );
        if ticket_relay.is_some() {
            println!("relay: {}", relay::text(ticket_relay.as_ref()));
        }
        println!(
            "received {} ({} applied)",
            output::count(stats.received, "record", "records"),
            output::grouped(stats.applied)
        );
        if stats.refused > 0 {
            println!("{}", RefusalSummary(&stats.refused_by_reason));
        }
        println!("next: `deko serve` to stay reachable, or `deko sync` now and then");
    });
    refusal_failure(&joined.stats)
}

/// `deko sync [PEER]`.
pub async fn sync(data: &DataDir, out: Out, peer: Option<&str>, timeout: &str) -> Result<()> {
    let timeout = parse::duration(timeout)?;
    let mut crm = data.open()?;
    // A running `deko serve` on this directory holds the device's relay
    // registration; a second registration of the same device from here
    // would take its place at the relay and leave it unreachable there.
    let serving = data.running_serve().is_some();
    let stored_relay = relay::effective(&crm)?;
    let relay_left_to_serve = serving && stored_relay.is_some();
    let (target, any_device) = match peer {
        None => (SyncTarget::AllKnown, false),
        Some(t) if t.trim().to_ascii_lowercase().starts_with("deko:") => {
            (SyncTarget::Ticket(t.to_string()), false)
        }
        Some(t) if t.contains(':') => (
            SyncTarget::Address {
                addrs: net::host_port(t)?,
                device: None,
            },
            true,
        ),
        Some(t) => (
            SyncTarget::Device(super::team::find_device(&mut crm, t)?),
            false,
        ),
    };
    let node = Node::start(crm, any_port()).await?;
    let (bar, listener) = progress_bar();
    node.subscribe(listener);
    let options = SyncOptions {
        timeout,
        relay: !serving,
        ..SyncOptions::default()
    };
    let report = match node.set_relay(stored_relay.filter(|_| !serving)) {
        Ok(()) => node.sync(target, &options).await,
        Err(e) => Err(e),
    };
    bar.finish_and_clear();
    let digest = node.with_crm(|c| c.store_mut().state_digest().map(|d| d.to_string()));
    shutdown(node).await;
    // Where the relay was left to the server, say so with what failed.
    let serve_note = relay_left_to_serve
        .then_some(" (the relay is left to the `deko serve` running on this data directory)");
    let report = report.map_err(|e| match (e, serve_note) {
        (e @ deko_core::Error::NoAddress(_), Some(note)) => {
            CliError::failed(e.kind(), format!("{e}{note}"))
        }
        (e, _) => e.into(),
    })?;
    let digest = digest?;
    let describe = |o: &SyncOutcome| -> Option<String> {
        let e = o.result.as_ref().err()?;
        Some(match (e, serve_note) {
            (e, _) if matches!(e.kind(), ErrorKind::RefusedByPeer | ErrorKind::RelayRefused) => {
                e.to_string()
            }
            (_, None) => e.to_string(),
            (_, Some(_)) if any_device => e.to_string(),
            (_, Some(_)) => {
                format!(
                    "{e} (the relay is left to the `deko serve` running on this data directory: peers reach it there)"
                )
            }
        })
    };
    if any_device && report.all_failed() {
        let (kind, msg) = match report.telling_error() {
            Some(e) => (e.kind(), e.to_string()),
            None => (ErrorKind::Unreachable, "no device answered".into()),
        };
        let peer = peer.unwrap_or_default();
        return Err(CliError::failed(kind, format!("{peer}: {msg}")));
    }
    let sessions: Vec<Session> = report
        .outcomes
        .iter()
        .map(|o| Session {
            device: o.device,
            fingerprint: o.device.fingerprint(),
            addr: o.addr,
            ok: o.result.is_ok(),
            via: o.via.filter(|_| o.result.is_ok()),
            relay: o.relay.as_ref().map(|r| r.relay_text()),
            error: describe(o),
            stats: o.result.as_ref().ok(),
        })
        .collect();
    let json = json!({"sessions": sessions, "state_digest": digest});
    out.print(&json, || {
        let rows: Vec<Vec<String>> = report
            .outcomes
            .iter()
            .map(|o| {
                let (status, sent, recv) = match &o.result {
                    Ok(s) => (
                        "ok".to_string(),
                        output::grouped(s.sent),
                        output::grouped(s.received),
                    ),
                    Err(_) => (
                        describe(o).unwrap_or_default(),
                        String::new(),
                        String::new(),
                    ),
                };
                let place = match (&o.relay, o.addr) {
                    (Some(r), _) => format!("relay {}", r.relay_text()),
                    (None, Some(a)) => a.to_string(),
                    (None, None) => String::new(),
                };
                vec![o.device.fingerprint(), place, sent, recv, status]
            })
            .collect();
        output::table(&["peer", "via", "sent", "received", "result"], &rows);
        for o in &report.outcomes {
            if let Ok(s) = &o.result
                && s.refused > 0
            {
                let summary = RefusalSummary(&s.refused_by_reason);
                println!("{}: {summary}", o.device.fingerprint());
            }
        }
    });
    if report.all_failed() {
        let kind = report
            .telling_error()
            .map_or(ErrorKind::Unreachable, |e| e.kind());
        return Err(CliError::failed(
            kind,
            match report.outcomes.as_slice() {
                [one] => describe(one).unwrap_or_default(),
                _ => "no known peer answered".into(),
            },
        ));
    }
    refusal_failure(&report.total())
}

#[cfg(test)]
mod tests {
    use deko_core::error::{RecordError, StoreError};
    use deko_core::sync::RecordRefusal;

    use super::*;

    #[test]
    fn only_records_refused_for_good_fail_the_command() {
        let mut r = SessionStats::default();
        let later: deko_core::Error =
            StoreError::WaitingRoomFull("the record comes again at a later sync".into()).into();
        r.add_refusal(RecordRefusal::new(None, &later));
        assert!(refusal_failure(&r).is_ok(), "comes again later");
        let author = DeviceId([1; 32]);
        let bad = deko_core::Error::Record(RecordError::BadSignature { author, seq: 4 });
        r.add_refusal(RecordRefusal::new(Some((author, 4)), &bad));
        let e = refusal_failure(&r).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.to_string(),
            "2 records refused: bad signature (1), comes again later (1)"
        );
        assert!(refusal_failure(&SessionStats::default()).is_ok());
    }
}
