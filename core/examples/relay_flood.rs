//! Relay flood test (issue 16): strangers (their own process) open 10,000
//! QUIC connections to a relay (its own process), each with a fresh key,
//! from 625 loopback addresses, never register and keep their connections
//! alive; while the flood runs, a founder registers and a new device joins
//! its team through the relay, then both write and sync again. Reports how long the pair
//! took with and without the flood, what the relay did with the strangers,
//! and its peak memory (VmHWM of the relay process).
//!
//! Run: `cargo run --release -p deko-core --features relay-server --example relay_flood [-- CONNECTIONS]`
//! (default 10,000; Linux: every 127.x.y.z address is loopback).

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deko_core::identity::DeviceKey;
use deko_core::model::Crm;
use deko_core::net::relay::{
    Limits, RELAY_NAME, RelayConfig, RelayServer, RelaySettings, TeamAccess, relay_health,
};
use deko_core::net::tls;
use deko_core::node::{JoinOptions, Node, SyncOptions, SyncTarget};
use deko_core::record::{Role, Value};

const PER_ADDRESS: usize = 16;

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

/// The relay process: serves one team (`HEX=TOKEN`), prints its address,
/// runs until stdin closes, prints its counters and peak memory.
async fn relay_process(team: &str) {
    let (team, token) = team.split_once('=').expect("HEX=TOKEN");
    let team = data_encoding::HEXLOWER.decode(team.as_bytes()).unwrap();
    let mut cfg = RelayConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    cfg.teams = vec![TeamAccess {
        team: team.try_into().unwrap(),
        token: Some(token.as_bytes().to_vec()),
    }];
    cfg.limits = Limits::default();
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
    relay.shutdown(Duration::ZERO).await;
    println!("STATS {stats:?}");
    println!("PEAK_KIB {}", peak_rss_kib());
}

#[derive(Default)]
struct Flood {
    handshakes: AtomicU64,
    refused: AtomicU64,
    cut: AtomicU64,
}

/// Opens `PER_ADDRESS` stranger connections from `from` and holds each
/// until the relay closes it.
async fn strangers(relay: SocketAddr, from: String, flood: Arc<Flood>) {
    let endpoint = quinn::Endpoint::client(format!("{from}:0").parse().unwrap()).unwrap();
    let mut held = tokio::task::JoinSet::new();
    for _ in 0..PER_ADDRESS {
        let key = DeviceKey::generate().unwrap();
        let crypto = tls::relay_client_config(&key, None).unwrap();
        let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(crypto).unwrap();
        let mut cfg = quinn::ClientConfig::new(Arc::new(crypto));
        let mut transport = quinn::TransportConfig::default();
        transport.keep_alive_interval(Some(Duration::from_secs(2)));
        cfg.transport_config(Arc::new(transport));
        let Ok(connecting) = endpoint.connect_with(cfg, relay, RELAY_NAME) else {
            flood.refused.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        match connecting.await {
            Ok(conn) => {
                flood.handshakes.fetch_add(1, Ordering::Relaxed);
                let flood = flood.clone();
                held.spawn(async move {
                    conn.closed().await;
                    flood.cut.fetch_add(1, Ordering::Relaxed);
                });
            }
            Err(_) => {
                flood.refused.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    while held.join_next().await.is_some() {}
}

/// The flood process: `total` strangers against `relay`, paced a little;
/// prints its counters when stdin closes.
async fn flood_process(relay: SocketAddr, total: usize) {
    let flood = Arc::new(Flood::default());
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..total.div_ceil(PER_ADDRESS) {
        let from = format!("127.0.{}.{}", 1 + i / 250, 1 + i % 250);
        set.spawn(strangers(relay, from, flood.clone()));
        if i % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    while flood.handshakes.load(Ordering::Relaxed) + flood.refused.load(Ordering::Relaxed)
        < total as u64
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("OPENED in {:.1?}", started.elapsed());
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
    println!(
        "FLOOD {} handshakes, {} refused, {} cut by the relay, in {:.1?}",
        flood.handshakes.load(Ordering::Relaxed),
        flood.refused.load(Ordering::Relaxed),
        flood.cut.load(Ordering::Relaxed),
        started.elapsed()
    );
    set.abort_all();
}

fn founder(dir: &std::path::Path) -> Crm {
    let mut crm = Crm::open(dir.join("a.db")).unwrap();
    crm.create_team("Acme", "A").unwrap();
    crm.store_mut()
        .bulk(|s| {
            for j in 0..2_000 {
                s.put(
                    "person",
                    None,
                    vec![
                        ("given".into(), Value::Text(format!("Jana{j}"))),
                        ("family".into(), Value::Text("Nováková".into())),
                    ],
                )?;
            }
            Ok(())
        })
        .unwrap();
    crm
}

/// The founder registers; a new device joins through the relay alone
/// (its ticket names no address), both write, the device syncs again.
async fn pair(dir: &std::path::Path, tag: &str, relay: SocketAddr) -> Result<Duration, String> {
    let crm = founder_copy(dir, tag);
    let a = Node::start(crm, "127.0.0.1:0".parse().unwrap())
        .await
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    a.set_relay(Some(RelaySettings::new(relay, Some(b"token".to_vec()))))
        .map_err(|e| e.to_string())?;
    let ticket = a
        .ticket(vec![], Some((Role::Member, Duration::from_secs(600))))
        .map_err(|e| e.to_string())?
        .to_uri()
        .map_err(|e| e.to_string())?;
    let mut tries = 0;
    let b = loop {
        let crm = Crm::open(dir.join(format!("b-{tag}-{tries}.db"))).map_err(|e| e.to_string())?;
        let options = JoinOptions {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..JoinOptions::new("B")
        };
        match Node::join(crm, &ticket, options).await {
            Ok((b, _)) => break b,
            Err(e) if tries < 40 => {
                eprintln!("  join ({tag}) at {:.1?}: {e}; retrying", t.elapsed());
                tries += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => return Err(format!("join: {e}")),
        }
    };
    eprintln!("  joined ({tag}) at {:.1?}", t.elapsed());
    for node in [&a, &b] {
        node.with_crm(|c| {
            c.store_mut().bulk(|s| {
                for j in 0..100 {
                    s.put(
                        "note",
                        None,
                        vec![("note".into(), Value::Text(format!("n{j}")))],
                    )?;
                }
                Ok(())
            })
        })
        .map_err(|e| e.to_string())?;
    }
    b.sync(SyncTarget::Device(a.device_id()), &SyncOptions::default())
        .await
        .and_then(|r| r.into_stats())
        .map_err(|e| format!("second sync: {e}"))?;
    let took = t.elapsed();
    let same = a.with_crm(|c| c.store_mut().state_digest().unwrap())
        == b.with_crm(|c| c.store_mut().state_digest().unwrap());
    b.shutdown().await;
    a.shutdown().await;
    if same {
        Ok(took)
    } else {
        Err("digests differ".into())
    }
}

/// A copy of the founder's database for one run (the team is the same).
fn founder_copy(dir: &std::path::Path, tag: &str) -> Crm {
    let to = dir.join(format!("a-{tag}.db"));
    std::fs::copy(dir.join("a.db"), &to).unwrap();
    Crm::open(to).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if args.first().map(String::as_str) == Some("--relay") {
        rt.block_on(relay_process(&args[1]));
        return;
    }
    if args.first().map(String::as_str) == Some("--flood") {
        rt.block_on(flood_process(
            args[1].parse().unwrap(),
            args[2].parse().unwrap(),
        ));
        return;
    }
    let total: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut crm = founder(dir.path());
    let team = crm.store().team_id().unwrap().0;
    crm.store_mut()
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(crm);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--relay")
        .arg(format!("{}=token", data_encoding::HEXLOWER.encode(&team)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the relay process");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let relay: SocketAddr = line.trim().strip_prefix("ADDR ").unwrap().parse().unwrap();
    eprintln!("relay process {} at {relay}", child.id());
    let report = rt.block_on(async {
        let quiet = pair(dir.path(), "quiet", relay).await;
        eprintln!("pair without the flood: {quiet:?}");
        let mut flooder = Command::new(std::env::current_exe().unwrap())
            .args(["--flood", &relay.to_string(), &total.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the flood process");
        // The pair starts once strangers hold every place for arrivals.
        let until = Instant::now() + Duration::from_secs(120);
        while relay_health(relay)
            .await
            .map(|h| h.unregistered)
            .unwrap_or(0)
            < 500
            && Instant::now() < until
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!("strangers hold the places: the pair starts");
        let loaded = pair(dir.path(), "flood", relay).await;
        eprintln!("pair while strangers arrive: {loaded:?}");
        // Again once every stranger has had its try.
        let mut said = BufReader::new(flooder.stdout.take().unwrap());
        let mut opened = String::new();
        said.read_line(&mut opened).unwrap();
        eprintln!("all {total} strangers tried: {}", opened.trim());
        let after = pair(dir.path(), "after", relay).await;
        let loaded = loaded.and_then(|l| after.map(|a| (l, a)));
        let during = relay_health(relay).await;
        drop(flooder.stdin.take());
        let said = {
            let mut rest = String::new();
            let _ = std::io::Read::read_to_string(&mut said, &mut rest);
            rest
        };
        let _ = flooder.wait();
        eprint!("{said}");
        (quiet, loaded, during)
    });
    drop(child.stdin.take());
    let rest: Vec<String> = out.lines().map_while(Result::ok).collect();
    let _ = child.wait();
    let (quiet, loaded, during) = report;
    if let Ok(h) = during {
        eprintln!("relay counters during the flood: {h:?}");
    }
    for l in &rest {
        if let Some(kib) = l.strip_prefix("PEAK_KIB ") {
            let kib: f64 = kib.trim().parse().unwrap_or(0.0);
            eprintln!("relay peak memory (VmHWM): {:.1} MiB", kib / 1024.0);
        } else {
            eprintln!("{l}");
        }
    }
    match (quiet, loaded) {
        (Ok(q), Ok((l, a))) => eprintln!(
            "the pair joined and synced through the relay: {q:.2?} without the flood, \
             {l:.2?} while strangers arrived, {a:.2?} after all {total} had tried"
        ),
        (q, l) => {
            eprintln!("FAILED: without the flood {q:?}, during it {l:?}");
            std::process::exit(1);
        }
    }
}
