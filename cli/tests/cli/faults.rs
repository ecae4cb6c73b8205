//! Faults: a peer killed in the middle of a large sync, SIGTERM, and
//! several processes starting on one fresh data directory at once.

use std::time::Duration;

use super::common::*;

#[test]
fn kill_9_in_the_middle_of_a_join_loses_and_duplicates_nothing() {
    let a = Dev::new();
    a.init("Eva");
    a.json(&["demo", "--people", "300"]);
    let total = a.count("records");
    let _server = Serve::start(&a, &[]);
    let ticket = a.json(&["invite"])["ticket"].as_str().unwrap().to_string();
    let b = Dev::new();
    let mut join = command(&b.dir)
        .args(["join", &ticket, "--name", "Petr"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once part of the log has arrived.
    let mut polls = 0;
    loop {
        let db = b.dir.join("deko.db");
        if db.exists() && b.records_in_file() > 200 {
            break;
        }
        assert!(
            join.try_wait().unwrap().is_none(),
            "the join ended before it could be cut"
        );
        polls += 1;
        assert!(polls < 6_000, "no records arrived");
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(&join, "KILL");
    join.wait().unwrap();
    let partial = b.records_in_file() as u64;
    assert!(partial > 0 && partial < total, "{partial} of {total}");

    // Restarted: `deko sync` knows the peer from the ticket and finishes.
    let synced = b.json(&["sync"]);
    assert_eq!(synced["sessions"][0]["ok"], true, "{synced}");
    assert_eq!(b.count("records"), a.count("records"));
    assert_eq!(b.records_in_file() as u64, b.count("records"));
    for what in [
        "people",
        "companies",
        "calls",
        "meetings",
        "notes",
        "tasks",
        "deals",
    ] {
        assert_eq!(b.count(what), a.count(what), "{what}");
    }
    assert_eq!(b.digest(), a.digest());
    // Nothing left over: another sync moves nothing.
    let again = b.json(&["sync"]);
    assert_eq!(again["sessions"][0]["received"].as_u64(), Some(0));
    assert_eq!(again["sessions"][0]["sent"].as_u64(), Some(0));
}

#[test]
fn sigterm_stops_a_fresh_serve_cleanly_with_its_database_intact() {
    let a = Dev::new();
    // A fresh machine: serve alone founds the team and prints an invite.
    let server = Serve::start(&a, &["--team", "Fresh Co", "--name", "Server"]);
    assert_eq!(server.info["fresh"], true);
    assert_eq!(server.info["invite"], true);
    let b = Dev::new();
    let joined = b.join(&server.ticket(), "Petr");
    assert_eq!(joined["team_name"], "Fresh Co");
    b.add_person(&["--given", "Karel"]);
    b.json(&["sync"]);
    assert_eq!(a.status()["serve"]["running"], true);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("stopped"), "{log}");
    let conn = rusqlite::Connection::open(a.dir.join("deko.db")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    assert_eq!(a.status()["serve"]["running"], false);
    assert_eq!(a.count("people"), 1);
    assert_eq!(a.digest(), b.digest());
    // It starts again on the same data, as the same team, with no new invite.
    let again = Serve::start(&a, &[]);
    assert_eq!(again.info["fresh"], false);
    assert_eq!(again.info["invite"], false);
    // A second server on the same directory is refused.
    let second = a.fails(&["serve", "--listen", "127.0.0.1:0", "--no-discovery"]);
    assert!(second.contains("already running"), "{second}");
}

/// Several processes founding a team on one fresh directory at once: the
/// schema is made once, one founds the team, the others say clearly that
/// the database already belongs to a team (never a database error).
#[test]
fn processes_started_together_on_a_fresh_directory_do_not_race() {
    for round in 0..5 {
        let dev = Dev::new();
        let children: Vec<_> = (0..4)
            .map(|i| {
                command(&dev.dir)
                    .args(["init", "--team", "Acme", "--name", &format!("P{i}")])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let ok = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(ok, 1, "round {round}: one founds the team");
        for o in outs.iter().filter(|o| !o.status.success()) {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("already belongs to team"),
                "round {round}: {err}"
            );
        }
        assert_eq!(dev.status()["team"]["devices"], 1);
    }
}
