//! `deko relay` as its own process, and devices that reach each other only
//! through it: join and sync via the relay, refusals for a wrong token and
//! for a team it does not serve, its health command, and SIGTERM.

use super::common::*;

const TOKEN: &str = "acme relay token";

fn team_id(dev: &Dev) -> String {
    dev.status()["team"]["id"].as_str().unwrap().to_string()
}

/// Starts `deko --json relay` on a free loopback port serving `allow`,
/// read from a file (tokens stay out of the process list).
fn start_relay(dev: &Dev, allow: &str) -> Serve {
    start_relay_with(dev, allow, &[])
}

fn start_relay_with(dev: &Dev, allow: &str, extra: &[&str]) -> Serve {
    std::fs::create_dir_all(&dev.dir).unwrap();
    let file = dev.dir.join("allow.txt");
    std::fs::write(&file, format!("# teams this relay serves\n\n{allow}\n")).unwrap();
    Serve::spawn(
        dev,
        &[
            "--json",
            "relay",
            "--listen",
            "127.0.0.1:0",
            "--allow-file",
            file.to_str().unwrap(),
            "--rate",
            "50MB",
            "--idle",
            "30s",
        ]
        .iter()
        .chain(extra)
        .copied()
        .collect::<Vec<_>>(),
    )
}

#[test]
fn two_devices_with_no_direct_route_sync_through_a_relay_process() {
    let a = Dev::new();
    let b = Dev::new();
    let r = Dev::new();
    a.init("Eva");
    let relay = start_relay(&r, &format!("{}:{TOKEN}", team_id(&a)));
    let raddr = relay.addr();
    let health = r.json(&["relay", "--health", &raddr]);
    assert_eq!(health["accepting"], true);
    assert_eq!(health["sessions_total"], 0);

    let token_file = a.dir.join("relay-token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let server = Serve::start(
        &a,
        &[
            "--relay",
            &raddr,
            "--relay-token-file",
            token_file.to_str().unwrap(),
        ],
    );
    assert_eq!(server.info["relay"]["addr"], raddr.as_str());
    // The invite names only an address where nothing listens; the relay
    // and its token come with the ticket.
    let dead = dead_addr();
    let ticket = a.json(&["invite", "--addr", &dead])["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let joined = b.json(&["join", &ticket, "--name", "Petr", "--timeout", "2s"]);
    assert_eq!(joined["via"], "relay");
    assert_eq!(joined["team_name"], "Acme");
    assert_eq!(b.status()["relay"]["addr"], raddr.as_str());
    assert_eq!(b.status()["relay"]["token"], true);

    // Apart: both write; B knows only the dead address of A.
    let jana = b.add_person(&["--given", "Jana", "--phone", "+420 603 123 456"]);
    a.add_person(&["--given", "Karel"]);
    let peers = b.status()["peers"].clone();
    assert!(
        peers
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["addr"] == dead.as_str()),
        "{peers}"
    );
    let synced = b.json(&["sync", "--timeout", "2s"]);
    let session = &synced["sessions"][0];
    assert_eq!(session["ok"], true, "{synced}");
    assert_eq!(session["via"], "relay");
    assert_eq!(session["relay"], raddr.as_str());
    assert_eq!(session["sent"], 1);
    assert_eq!(b.digest(), a.digest());
    assert_eq!(a.json(&["person", "show", &jana])["name"], "Jana");
    // A `deko sync` next to A's running serve leaves the relay to the serve
    // (a second registration of A would take its place there) ...
    let err = a.fails(&[
        "sync",
        joined["device"].as_str().unwrap(),
        "--timeout",
        "2s",
    ]);
    assert!(err.contains("no address known"), "{err}");
    // ... so B still reaches A through it.
    assert!(b.ok(&["sync", "--timeout", "2s"]).contains("relay"));

    // A wrong token: refused by the relay, one clear line, non-zero exit.
    b.ok(&["set-relay", &raddr, "--token", "not the token"]);
    let err = b.fails(&["sync", "--timeout", "2s"]);
    assert!(err.contains("wrong relay token"), "{err}");
    b.ok(&["set-relay", "--clear"]);
    assert!(b.status()["relay"].is_null());

    let health = r.json(&["relay", "--health", &raddr]);
    assert!(health["sessions_total"].as_u64().unwrap() >= 3, "{health}");
    assert!(health["refusals"].as_u64().unwrap() >= 1, "{health}");
    assert!(health["bytes_forwarded"].as_u64().unwrap() > 0, "{health}");

    let (code, log) = relay.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("event=signal signal=SIGTERM"), "{log}");
    assert!(log.contains("event=stopped"), "{log}");
    assert!(log.contains("event=session_start"), "{log}");
    // Gone: the health check fails clearly.
    let err = r.fails(&["relay", "--health", &raddr, "--timeout", "2s"]);
    assert!(err.contains(&raddr), "{err}");
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0));
    assert!(log.contains("started (incoming, via relay)"), "{log}");
}

#[test]
fn a_team_the_relay_does_not_serve_is_refused_and_bad_relay_flags_are_clear() {
    let r = Dev::new();
    let other = "00112233445566778899aabbccddeeff";
    let relay = start_relay(&r, &format!("{other}:{TOKEN}"));
    let raddr = relay.addr();

    let c = Dev::new();
    let d = Dev::new();
    c.init("Carla");
    c.ok(&["set-relay", &raddr, "--token", TOKEN]);
    let ticket = c.json(&["invite", "--addr", &dead_addr()])["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let err = d.fails(&["join", &ticket, "--name", "Dan", "--timeout", "2s"]);
    assert!(err.contains("does not serve team"), "{err}");
    assert!(
        !d.dir.join("deko.db").exists(),
        "a refused join keeps nothing"
    );

    // Bad flags: a usage error (exit 2), nothing started.
    for args in [
        &["relay", "--listen", "127.0.0.1:0"][..],
        &["relay", "--allow", "acme"],
        &["relay", "--allow", &format!("{other}:{}", "x".repeat(33))],
        &["relay", "--allow", other, "--rate", "fast"],
        &["set-relay", "relay example:1"],
        &["serve", "--relay", "127.0.0.1:1", "--relay-token", ""],
    ] {
        let out = r.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        r.fails(args);
    }
    assert!(!r.dir.join("deko.db").exists(), "bad flags found no team");
    let err = r.fails(&["relay", "--health", &dead_addr(), "--timeout", "1s"]);
    assert!(err.contains("did not answer"), "{err}");
    let (code, _) = relay.terminate();
    assert_eq!(code, Some(0));
}

/// The admin rotates the team's relay token; the operator swaps the line
/// in the relay's allow file (read again by the running relay); a member
/// learns the new token by syncing through the relay on the old one during
/// the grace period, and after it syncs on the new one. (A revoked device
/// losing the relay: tests/tests/relay_rotation.rs.)
#[test]
fn a_rotated_relay_token_reaches_members_through_the_running_relay() {
    let a = Dev::new();
    let b = Dev::new();
    let r = Dev::new();
    a.init("Eva");
    let team = team_id(&a);
    let relay = start_relay_with(&r, &format!("{team}:{TOKEN}"), &["--token-grace", "8s"]);
    let raddr = relay.addr();
    a.ok(&["set-relay", &raddr, "--token", TOKEN, "--team"]);
    let ticket = a.json(&["invite", "--addr", &dead_addr()])["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let server = Serve::start(&a, &[]);
    assert_eq!(
        b.json(&["join", &ticket, "--name", "Petr", "--timeout", "2s"])["via"],
        "relay"
    );
    // A member may not rotate.
    let err = b.fails(&["set-relay", "--rotate-token"]);
    assert!(err.contains("admin"), "{err}");

    let rotated = a.json(&["set-relay", "--rotate-token"]);
    let line = rotated["allow"].as_str().unwrap().to_string();
    assert!(line.starts_with(&format!("{team}:")), "{rotated}");
    assert_ne!(line, format!("{team}:{TOKEN}"));
    std::fs::write(r.dir.join("allow.txt"), format!("{line}\n")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3)); // the relay reads it again
    // (A's serve was started before the rotation: it keeps the old token.)
    drop(server);
    let server = Serve::start(&a, &[]);
    assert_eq!(a.status()["relay"]["token"], true);
    // Within the grace: B syncs through the relay on the old token and
    // comes back with the new one.
    b.add_person(&["--given", "Jana"]);
    let synced = b.json(&["sync", "--timeout", "2s"]);
    assert_eq!(synced["sessions"][0]["via"], "relay", "{synced}");
    std::thread::sleep(std::time::Duration::from_secs(8)); // the grace ends
    b.add_person(&["--given", "Karel"]);
    let synced = b.json(&["sync", "--timeout", "2s"]);
    assert_eq!(synced["sessions"][0]["ok"], true, "{synced}");
    assert_eq!(synced["sessions"][0]["via"], "relay", "{synced}");
    assert_eq!(a.digest(), b.digest());
    b.ok(&["set-relay", &raddr, "--token", TOKEN]);
    // (B's own setting names the team's relay: the team's token wins.)
    assert!(b.json(&["sync", "--timeout", "2s"])["sessions"][0]["ok"] == true);
    let (code, log) = relay.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("event=allow_list_read"), "{log}");
    assert!(!log.contains("wrong relay token"), "{log}");
    drop(server);
}
