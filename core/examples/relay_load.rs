//! Relay load test, bounded in time and count: one relay in its own
//! process, 50 pairs of devices (each pair its own team, own SQLite files)
//! that reach each other only through it, all at once. Each new device
//! joins its team through the relay (receiving the founder's records), then
//! both write more and sync again through the relay. Reports whether every
//! pair ended with equal digests, the time taken, the relay's counters and
//! its peak memory (VmHWM of the relay process).
//!
//! Run: `cargo run --release -p deko-core --example relay_load [-- PAIRS RECORDS]`
//! (defaults: 50 pairs, 2,000 records per founder; gives up after 10 minutes).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use deko_core::identity::DeviceKey;
use deko_core::model::Crm;
use deko_core::net::relay::{
    Limits, RelayConfig, RelayServer, RelaySettings, TeamAccess, relay_health,
};
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncTarget};
use deko_core::record::{Role, Value};

const LIMIT: Duration = Duration::from_secs(600);

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The relay process: serves the teams given as `HEX=TOKEN` arguments,
/// prints its address, runs until stdin closes, shuts down gracefully and
/// prints its peak memory.
async fn relay_process(teams: &[String]) {
    let teams = teams
        .iter()
        .map(|t| {
            let (team, token) = t.split_once('=').expect("HEX=TOKEN");
            let team = data_encoding::HEXLOWER
                .decode(team.as_bytes())
                .expect("hex");
            TeamAccess {
                team: team.try_into().expect("16 bytes"),
                token: Some(token.as_bytes().to_vec()),
            }
        })
        .collect();
    let mut cfg = RelayConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    cfg.teams = teams;
    cfg.limits = Limits {
        max_sessions_per_device: 64,
        ..Limits::default()
    };
    let relay = RelayServer::bind(cfg).await.unwrap();
    println!("ADDR {}", relay.local_addr().unwrap());
    std::io::stdout().flush().unwrap();
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin()
            .read_line(&mut line)
            .map(|n| n > 0)
            .unwrap_or(false)
        {}
    })
    .await
    .unwrap();
    let stats = relay.stats();
    relay.shutdown(Duration::from_secs(2)).await;
    println!("STATS {stats:?}");
    println!("PEAK_KIB {}", peak_rss_kib());
}

fn founder(dir: &std::path::Path, i: usize, n: usize) -> Crm {
    let mut crm = Crm::open(dir.join(format!("a{i}.db"))).unwrap();
    crm.create_team(&format!("Team {i}"), "A").unwrap();
    crm.store_mut()
        .bulk(|s| {
            for j in 0..n {
                s.put(
                    "person",
                    None,
                    vec![
                        ("given".into(), Value::Text(format!("Jana{j}"))),
                        ("family".into(), Value::Text("Nováková".into())),
                        (
                            "note".into(),
                            Value::Text("Met at the fair in Brno.".into()),
                        ),
                    ],
                )?;
            }
            Ok(())
        })
        .unwrap();
    crm
}

fn digest(n: &Node) -> String {
    n.with_crm(|c| c.store_mut().state_digest().unwrap().to_string())
}

async fn pair(i: usize, dir: Arc<tempfile::TempDir>, a: Node) -> Result<u64, String> {
    let ticket = a
        .ticket(vec![], Some((Role::Member, Duration::from_secs(600))))
        .map_err(|e| e.to_string())?
        .to_uri()
        .map_err(|e| e.to_string())?;
    // Should the relay refuse (it should not: every founder is registered),
    // retry the join, each try on a fresh database (a joined database
    // belongs to the team).
    let mut tries = 0;
    let (b, first) = loop {
        let path = dir.path().join(format!("b{i}-{tries}.db"));
        let crm = Crm::open(path).map_err(|e| e.to_string())?;
        let options = JoinOptions {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..JoinOptions::new("B")
        };
        match Node::join(crm, &ticket, options).await {
            Ok((b, joined)) => break (b, joined.stats),
            Err(e) if tries < 20 => {
                log::info!("pair {i}: join: {e}; retrying");
                tries += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => return Err(format!("pair {i}: join: {e}")),
        }
    };
    // Both write; B syncs again, through the relay only.
    for (node, tag) in [(&a, "a"), (&b, "b")] {
        node.with_crm(|c| {
            c.store_mut().bulk(|s| {
                for j in 0..100 {
                    s.put(
                        "note",
                        None,
                        vec![("note".into(), Value::Text(format!("{tag}{j}")))],
                    )?;
                }
                Ok(())
            })
        })
        .map_err(|e| e.to_string())?;
    }
    let second = b
        .sync(SyncTarget::Device(a.device_id()), &SyncOptions::default())
        .await
        .and_then(|r| r.into_stats())
        .map_err(|e| format!("pair {i}: second sync: {e}"))?;
    if digest(&a) != digest(&b) {
        return Err(format!("pair {i}: digests differ"));
    }
    let moved = first.received + second.received + second.sent;
    b.shutdown().await;
    a.shutdown().await;
    Ok(moved)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if args.first().map(String::as_str) == Some("--relay") {
        rt.block_on(relay_process(&args[1..]));
        return;
    }
    let pairs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(50);
    let records: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let dir = Arc::new(tempfile::tempdir().unwrap());
    eprintln!("preparing {pairs} founders with {records} records each ...");
    let founders: Vec<Crm> = (0..pairs)
        .map(|i| founder(dir.path(), i, records))
        .collect();
    let teams: Vec<String> = founders
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let team = c.store().team_id().unwrap().0;
            format!("{}=token-{i}", data_encoding::HEXLOWER.encode(&team))
        })
        .collect();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--relay")
        .args(&teams)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the relay process");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let relay: std::net::SocketAddr = line
        .trim()
        .strip_prefix("ADDR ")
        .expect("the relay prints its address")
        .parse()
        .unwrap();
    eprintln!("relay process {} at {relay}", child.id());
    let result = rt.block_on(async {
        let mut nodes = Vec::new();
        for (i, crm) in founders.into_iter().enumerate() {
            let a = Node::start(crm, "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            let token = format!("token-{i}").into_bytes();
            a.set_relay(Some(RelaySettings::new(relay, Some(token))))
                .unwrap();
            nodes.push(a);
        }
        while relay_health(relay).await.map(|h| h.registered).unwrap_or(0) < pairs as u64 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let t = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for (i, a) in nodes.into_iter().enumerate() {
            set.spawn(pair(i, dir.clone(), a));
        }
        let run = async {
            let mut ok = 0;
            let mut moved = 0;
            let mut failed = Vec::new();
            while let Some(r) = set.join_next().await {
                match r.expect("pair task") {
                    Ok(m) => {
                        ok += 1;
                        moved += m;
                    }
                    Err(e) => failed.push(e),
                }
            }
            (ok, moved, failed)
        };
        let outcome = tokio::time::timeout(LIMIT, run).await;
        let took = t.elapsed();
        let health = relay_health(relay).await;
        (outcome, took, health)
    });
    drop(child.stdin.take());
    let mut rest = String::new();
    for l in out.lines() {
        let l = l.unwrap();
        rest.push_str(&l);
        rest.push('\n');
    }
    let _ = child.wait();
    let (outcome, took, health) = result;
    let peak = rest
        .lines()
        .find_map(|l| l.strip_prefix("PEAK_KIB "))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .unwrap_or(0);
    match outcome {
        Ok((ok, moved, failed)) => {
            eprintln!(
                "{ok} of {pairs} pairs finished with equal digests in {took:.1?} \
                 ({moved} records moved through the relay, {:.0} records/s overall)",
                moved as f64 / took.as_secs_f64()
            );
            for f in &failed {
                eprintln!("FAILED: {f}");
            }
            if let Ok(h) = health {
                eprintln!("relay counters: {h:?}");
            }
            eprintln!(
                "relay peak memory (VmHWM of the relay process): {:.1} MiB",
                peak as f64 / 1024.0
            );
            if !failed.is_empty() || ok != pairs {
                std::process::exit(1);
            }
        }
        Err(_) => {
            eprintln!("gave up after {LIMIT:?}");
            std::process::exit(1);
        }
    }
}
