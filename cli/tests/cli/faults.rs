//! Faults: a peer killed in the middle of a large sync, SIGTERM, and
//! several processes starting on one fresh data directory at once.

use std::time::Duration;

use super::common::*;

#[test]
fn kill_9_in_the_middle_of_a_join_loses_and_duplicates_nothing() {
    let a = Dev::new();
    a.init("Eva");
    // Several sync batches (at most 4,096 records each, one commit each),
    // so that the join can be cut between two of them.
    a.json(&["demo", "--people", "1000"]);
    let total = a.count("records");
    assert!(total > 2 * 4_096, "{total} records");
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

/// A damaged database still gives its data back: one malformed team row
/// makes the database unusable (it cannot compute its team), but `doctor`
/// says what is wrong and `export --salvage` gets out every record and
/// entity it can still read, which a fresh database imports.
#[test]
fn a_damaged_database_is_diagnosed_and_salvaged() {
    let dev = Dev::new();
    dev.init("Eva");
    for i in 0..20 {
        dev.add_person(&["--given", &format!("Jana{i}"), "--family", "Nováková"]);
    }
    let healthy = dev.json(&["doctor"]);
    assert_eq!(healthy["healthy"], true, "{healthy}");
    let db = dev.dir.join("deko.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // A team record's bytes cut short, and one entity state garbled.
        conn.execute_batch(
            "UPDATE records SET bytes = substr(bytes, 1, 40) WHERE rowid =
                 (SELECT min(rowid) FROM records WHERE team = 1);
             UPDATE entities SET state = x'ffff' WHERE id = (SELECT min(id) FROM entities);",
        )
        .unwrap();
    }
    let err = dev.fails(&["person", "list"]);
    assert!(err.contains("deko: "), "{err}");
    let out = dev.run(&["--json", "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["healthy"], false);
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("does not parse") || problems.contains("truncated"),
        "{problems}"
    );
    assert!(problems.contains("state does not decode"), "{problems}");
    let salvaged = dev.dir.join("salvage.json");
    dev.ok(&["export", "--salvage", "--out", salvaged.to_str().unwrap()]);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&salvaged).unwrap()).unwrap();
    let people = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "person")
        .count();
    assert!(people >= 19, "{people} people salvaged");
    assert!(doc["records"].as_array().unwrap().len() >= 20);
    // A fresh database takes the salvaged data.
    let fresh = Dev::new();
    fresh.init("Eva");
    fresh.ok(&["import", salvaged.to_str().unwrap()]);
    assert!(fresh.count("people") >= 19);

    // Damage at the page level: SQLite's own check says so, and salvage
    // still reads what it can without failing.
    let bytes = std::fs::read(&db).unwrap();
    let mut broken = bytes.clone();
    let mid = broken.len() / 2;
    for b in &mut broken[mid..mid + 4096] {
        *b = 0x5a;
    }
    std::fs::write(&db, &broken).unwrap();
    let _ = std::fs::remove_file(dev.dir.join("deko.db-wal"));
    let out = dev.run(&["--json", "doctor"]);
    assert_ne!(out.status.code(), Some(101), "doctor panicked");
    let out = dev.run(&["export", "--salvage"]);
    assert_ne!(out.status.code(), Some(101), "salvage panicked");
}
