//! `deko relay` (the relay server as its own process, or `--health` of a
//! running one) and `deko set-relay` (the relay this device uses).

use std::path::Path;
use std::time::Duration;

use deko_core::ErrorKind;
use deko_core::identity::DeviceKey;
use deko_core::net::relay::{
    Limits, RelayConfig, RelayServer, RelayStats, TeamAccess, relay_health,
};
use serde_json::json;

use crate::args::RelayArgs;
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::{net, parse, relay};

/// The relay's key, in its data directory (hex of the 32 secret bytes):
/// devices pin nothing about it, but a stable key keeps its identity in
/// logs across restarts.
const KEY_FILE: &str = "relay.key";
/// How long sessions may take to end after SIGINT/SIGTERM.
const GRACE: Duration = Duration::from_secs(5);

/// `deko relay`.
pub async fn run(data: &DataDir, out: Out, args: RelayArgs) -> Result<()> {
    if let Some(addr) = &args.health {
        return health(out, addr, &args.timeout).await;
    }
    super::serve::init_logging();
    let listen = *net::host_port(&args.listen)?
        .first()
        .ok_or_else(|| CliError::usage("--listen needs an address"))?;
    let mut allow_list = AllowList {
        given: args.allow.clone(),
        file: args.allow_file.clone(),
        read_at: None,
        grace: parse::duration(&args.token_grace)?,
    };
    let teams = allow_list.read()?;
    let served = teams.len();
    if teams.is_empty() {
        return Err(CliError::usage(
            "this relay would serve no team: pass --allow TEAM_ID[:TOKEN] or --allow-file (the id from `deko status`)",
        ));
    }
    let limits = Limits {
        max_connections: args.max_connections.max(1),
        max_sessions_per_device: args.max_sessions_per_device.max(1),
        bytes_per_second_per_device: rate(&args.rate)?,
        idle_timeout: parse::duration(&args.idle)?,
        max_unregistered: args.max_unregistered.max(1),
        max_unregistered_per_address: args.max_unregistered_per_address.max(1),
        register_within: parse::duration(&args.register_within)?,
    };
    let interval = parse::duration(&args.stats_interval)?;
    let key = load_key(data.path())?;
    let mut config = RelayConfig::new(listen, key);
    config.teams = teams;
    config.limits = limits.clone();
    let server = RelayServer::bind(config).await.map_err(|e| match e {
        e @ deko_core::Error::Net(_) => CliError::failed(
            e.kind(),
            format!("{e} (choose another address with --listen)"),
        ),
        e => e.into(),
    })?;
    let local = server.local_addr()?;
    let id = server.device_id();
    log::info!(
        target: "deko::relay",
        "event=listening addr={local} relay={} teams={} max_connections={} max_sessions_per_device={} rate={} idle_s={} data={}",
        id.fingerprint(),
        served,
        limits.max_connections,
        limits.max_sessions_per_device,
        limits.bytes_per_second_per_device,
        limits.idle_timeout.as_secs(),
        data.path().display()
    );
    // One line of JSON each (start, then the counters at exit), so that a
    // supervisor can read them as they come.
    if out.json {
        println!(
            "{}",
            json!({"listen": local.to_string(), "relay": id.to_string(),
                   "fingerprint": id.fingerprint(), "teams": served})
        );
    } else {
        println!("relay {} listening on {local}", id.fingerprint());
        println!(
            "devices use it with `deko set-relay HOST:{} [--token TOKEN]` or `deko serve --relay ...`",
            local.port()
        );
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();

    wait_for_stop(&server, interval, &mut allow_list).await?;
    server.shutdown(GRACE).await;
    let stats = server.stats();
    log_stats(&stats);
    if out.json {
        println!("{}", stats_json(&stats));
    }
    Ok(())
}

/// The teams a relay serves: `--allow` lines and the `--allow-file`, which
/// is read again when it changes (and on SIGHUP), so that an operator
/// rotates a team's token by editing the file.
struct AllowList {
    given: Vec<String>,
    file: Option<std::path::PathBuf>,
    /// The file's modification time when it was read last.
    read_at: Option<std::time::SystemTime>,
    /// How long a token taken off the list is still accepted.
    grace: Duration,
}

impl AllowList {
    fn modified(&self) -> Option<std::time::SystemTime> {
        let path = self.file.as_ref()?;
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }

    /// Reads the list (the file as it is now).
    fn read(&mut self) -> Result<Vec<TeamAccess>> {
        let mut lines = self.given.clone();
        self.read_at = self.modified();
        if let Some(path) = &self.file {
            lines.extend(crate::relay::secret_lines(path)?);
        }
        lines.iter().map(|a| allow(a)).collect()
    }

    /// Reads the file again if `forced` or if it changed, and hands the
    /// list to `server`; a file that cannot be read keeps the list served.
    fn reload(&mut self, server: &RelayServer, forced: bool) {
        if self.file.is_none() || (!forced && self.modified() == self.read_at) {
            return;
        }
        match self.read().and_then(|teams| {
            if teams.is_empty() {
                return Err(CliError::usage("the allow list would serve no team"));
            }
            Ok(server.set_teams(teams, self.grace)?)
        }) {
            Ok(()) => log::info!(
                target: "deko::relay",
                "event=allow_list_read grace={}",
                humantime::format_duration(self.grace)
            ),
            Err(e) => log::error!(
                target: "deko::relay",
                "event=allow_list_refused reason={:?} (the relay keeps serving the list it had)",
                e.to_string()
            ),
        }
    }
}

/// Logs counters every `interval` and on SIGUSR1, reads the allow list
/// again when its file changes or on SIGHUP, until SIGINT or SIGTERM.
async fn wait_for_stop(
    server: &RelayServer,
    interval: Duration,
    allow_list: &mut AllowList,
) -> Result<()> {
    let mut watch_file = tokio::time::interval(Duration::from_secs(2));
    let period = interval.max(Duration::from_secs(1));
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let ticking = !interval.is_zero();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let watch = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|e| {
                CliError::failed(ErrorKind::Network, format!("cannot watch for {name}: {e}"))
            })
        };
        let mut term = watch(SignalKind::terminate(), "SIGTERM")?;
        let mut usr1 = watch(SignalKind::user_defined1(), "SIGUSR1")?;
        let mut hup = watch(SignalKind::hangup(), "SIGHUP")?;
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => { log::info!(target: "deko::relay", "event=signal signal=SIGINT"); break; }
                _ = term.recv() => { log::info!(target: "deko::relay", "event=signal signal=SIGTERM"); break; }
                _ = usr1.recv() => log_stats(&server.stats()),
                _ = hup.recv() => allow_list.reload(server, true),
                _ = watch_file.tick() => allow_list.reload(server, false),
                _ = ticker.tick(), if ticking => log_stats(&server.stats()),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (&mut ticker, ticking);
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = watch_file.tick() => allow_list.reload(server, false),
            }
        }
        log::info!(target: "deko::relay", "event=signal signal=interrupt");
    }
    Ok(())
}

fn log_stats(s: &RelayStats) {
    log::info!(
        target: "deko::relay",
        "event=stats uptime_s={} accepting={} connections={} registered={} unregistered={} sessions_active={} sessions_total={} bytes_forwarded={} refusals={} idle_closed={}",
        s.uptime_s,
        s.accepting,
        s.connections,
        s.registered,
        s.unregistered,
        s.sessions_active,
        s.sessions_total,
        s.bytes_forwarded,
        s.refusals,
        s.idle_closed
    );
}

fn stats_json(s: &RelayStats) -> serde_json::Value {
    json!({"uptime_s": s.uptime_s, "accepting": s.accepting, "connections": s.connections,
           "registered": s.registered, "unregistered": s.unregistered, "sessions_active": s.sessions_active,
           "sessions_total": s.sessions_total, "bytes_forwarded": s.bytes_forwarded,
           "refusals": s.refusals, "idle_closed": s.idle_closed})
}

/// `deko relay --health ADDR`: the relay's counters; an error (non-zero
/// exit) when it cannot be reached or is shutting down.
async fn health(out: Out, addr: &str, timeout: &str) -> Result<()> {
    let timeout = parse::duration(timeout)?;
    let target = *net::host_port(addr)?
        .first()
        .ok_or_else(|| CliError::usage("--health needs HOST:PORT"))?;
    let stats = match tokio::time::timeout(timeout, relay_health(target)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            return Err(CliError::failed(
                e.kind(),
                format!("relay at {target} is not healthy: {e}"),
            ));
        }
        Err(_) => {
            return Err(CliError::Timeout(
                format!("relay at {target}"),
                humantime::format_duration(timeout).to_string(),
            ));
        }
    };
    out.print(&stats_json(&stats), || {
        output::block(&[
            ("relay", target.to_string()),
            (
                "state",
                if stats.accepting {
                    "healthy".into()
                } else {
                    "shutting down".into()
                },
            ),
            (
                "uptime",
                humantime::format_duration(Duration::from_secs(stats.uptime_s)).to_string(),
            ),
            ("connections", stats.connections.to_string()),
            ("registered", stats.registered.to_string()),
            ("waiting to register", stats.unregistered.to_string()),
            ("sessions active", stats.sessions_active.to_string()),
            ("sessions total", stats.sessions_total.to_string()),
            ("bytes forwarded", stats.bytes_forwarded.to_string()),
            ("refusals", stats.refusals.to_string()),
            ("idle closed", stats.idle_closed.to_string()),
        ])
    });
    if !stats.accepting {
        return Err(CliError::failed(
            ErrorKind::Unreachable,
            format!("relay at {target} is shutting down"),
        ));
    }
    Ok(())
}

/// Reads `--allow TEAM_ID[:TOKEN]`.
fn allow(s: &str) -> Result<TeamAccess> {
    let (team, token) = match s.split_once(':') {
        Some((t, k)) => (t, Some(relay::parse_token(k)?)),
        None => (s, None),
    };
    let bytes = relay::unhex(team.trim())
        .filter(|b| b.len() == 16)
        .ok_or_else(|| {
            CliError::usage(format!(
                "--allow {s:?}: the team id is 32 hex digits (see `deko status`)"
            ))
        })?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes);
    Ok(TeamAccess { team: id, token })
}

/// Reads a byte rate: a number with an optional unit (B, KB, MB, GB in
/// powers of 1000; KiB, MiB, GiB in powers of 1024) and optional `/s`.
fn rate(s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix("/s").unwrap_or(&t).trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let mult: f64 = match unit.trim() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(CliError::usage(format!(
                "cannot read rate {s:?} (e.g. 2MB, 512KiB, 1000000)"
            )));
        }
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| CliError::usage(format!("cannot read rate {s:?} (e.g. 2MB)")))?;
    Ok((n * mult).round() as u64)
}

/// The relay's key from `DIR/relay.key`, made on first start.
fn load_key(dir: &Path) -> Result<DeviceKey> {
    let path = dir.join(KEY_FILE);
    let file_err = |source| CliError::File {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = relay::unhex(text.trim())
                .filter(|b| b.len() == 32)
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "{} is not a relay key (64 hex digits); move it away to make a new one",
                        path.display()
                    ))
                })?;
            let mut secret = [0u8; 32];
            secret.copy_from_slice(&bytes);
            Ok(DeviceKey::from_secret(secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|source| CliError::DataDir {
                path: dir.to_path_buf(),
                source,
            })?;
            let key = DeviceKey::generate()?;
            let hex: String = key
                .secret_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            write_private(&path, format!("{hex}\n").as_bytes()).map_err(file_err)?;
            log::info!(target: "deko::relay", "event=key_created path={}", path.display());
            Ok(key)
        }
        Err(e) => Err(file_err(e)),
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// `deko set-relay [ADDR --token T [--team] | --clear]`.
pub fn set(
    data: &DataDir,
    out: Out,
    addr: Option<&str>,
    token: Option<&str>,
    clear: bool,
    team: bool,
) -> Result<()> {
    let settings = match (addr, clear) {
        (_, true) => None,
        (Some(a), false) => Some(relay::settings(a, token)?),
        (None, false) => return Err(CliError::usage("name the relay (HOST:PORT) or --clear")),
    };
    let mut crm = data.open()?;
    if team {
        deko_core::node::set_team_relay(&mut crm, settings.as_ref())?;
    }
    relay::save(&crm, settings.as_ref())?;
    let serving = data.running_serve().is_some();
    out.print(&json!({"relay": relay::json(settings.as_ref())}), || {
        println!("relay: {}", relay::text(settings.as_ref()));
        if serving {
            println!("restart `deko serve` for it to take effect there");
        }
    });
    Ok(())
}

/// `deko set-relay [ADDR] --rotate-token`: a new token for the team's
/// relay, synced to every member; prints the relay's new allow line.
pub fn rotate(data: &DataDir, out: Out, addr: Option<&str>) -> Result<()> {
    let named = addr.map(|a| relay::settings(a, None)).transpose()?;
    let mut crm = data.open()?;
    let named = named.or(relay::load(&crm)?);
    let settings = deko_core::node::rotate_relay_token(&mut crm, named)?;
    relay::save(&crm, Some(&settings))?;
    let team = crm
        .store()
        .team_id()
        .map(|t| t.to_string())
        .unwrap_or_default();
    let token = String::from_utf8_lossy(settings.token.as_deref().unwrap_or_default()).to_string();
    let allow_line = format!("{team}:{token}");
    let serving = data.running_serve().is_some();
    out.print(
        &json!({"relay": relay::json(Some(&settings)), "allow": allow_line}),
        || {
            println!("relay: {} with a new token", settings.relay_text());
            println!("members get it with their next sync; new invites carry it.");
            println!("on the relay, put this line in its --allow-file and take the team's old line out");
            println!("(the relay reads the file again by itself; the old token works for its --token-grace):");
            println!("{allow_line}");
            if serving {
                println!("restart `deko serve` for it to take effect there");
            }
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_team_access_are_read_or_refused() {
        assert_eq!(rate("2MB").unwrap(), 2_000_000);
        assert_eq!(rate("512KiB/s").unwrap(), 512 * 1024);
        assert_eq!(rate("1000").unwrap(), 1000);
        assert_eq!(rate("0").unwrap(), 0);
        assert!(rate("fast").is_err());
        assert!(rate("-1MB").is_err());
        let a = allow("00112233445566778899aabbccddeeff:secret").unwrap();
        assert_eq!(a.team[15], 0xff);
        assert_eq!(a.token.as_deref(), Some(&b"secret"[..]));
        assert!(
            allow("00112233445566778899aabbccddeeff")
                .unwrap()
                .token
                .is_none()
        );
        assert!(allow("0011:x").is_err());
        assert!(allow("00112233445566778899aabbccddeeff:").is_err());
    }
}
