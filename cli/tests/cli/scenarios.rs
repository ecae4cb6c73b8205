//! Devices that meet through `deko serve`: join, edits while apart, sync,
//! conflicts, three devices, several syncs into one server at once.

use super::common::*;

fn invite(dev: &Dev) -> String {
    dev.json(&["invite"])["ticket"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The calls in a person's timeline.
fn calls_of(dev: &Dev, id: &str) -> usize {
    dev.json(&["timeline", id])
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "call")
        .count()
}

#[test]
fn two_devices_log_calls_and_edit_apart_then_converge_with_the_conflict_listed() {
    let a = Dev::new();
    let b = Dev::new();
    a.init("Eva");
    let jana = a.add_person(&[
        "--given",
        "Jana",
        "--family",
        "Nováková",
        "--phone",
        "+420 603 123 456",
        "--title",
        "Buyer",
    ]);
    let server = Serve::start(&a, &[]);
    assert_eq!(server.info["fresh"], false);
    // The invite is made by another process next to the running server,
    // which finds the server's address in the data directory.
    let ticket = invite(&a);
    let joined = b.join(&ticket, "Petr");
    assert_eq!(joined["team_name"], "Acme");
    assert_eq!(b.digest(), a.digest());
    assert_eq!(b.json(&["person", "show", &jana])["name"], "Jana Nováková");

    // Apart: both log a call with Jana by number and change her title.
    let call_a = a.json(&[
        "call",
        "log",
        "--number",
        "603 123 456",
        "--duration",
        "4m30s",
    ]);
    assert_eq!(call_a["person"]["id"], jana.as_str());
    let call_b = b.json(&[
        "call",
        "log",
        "--number",
        "00420603123456",
        "--direction",
        "in",
        "--note",
        "Chce slevu",
    ]);
    assert_eq!(call_b["person"]["id"], jana.as_str());
    a.ok(&["person", "edit", &jana, "--title", "Head of purchasing"]);
    b.ok(&["person", "edit", &jana, "--title", "CFO"]);
    assert_ne!(a.digest(), b.digest());

    // B syncs with every peer it knows (the server it joined through).
    let synced = b.json(&["sync"]);
    assert_eq!(synced["sessions"][0]["ok"], true, "{synced}");
    assert_eq!(synced["sessions"][0]["received"].as_u64(), Some(2));
    assert_eq!(synced["sessions"][0]["sent"].as_u64(), Some(2));
    assert_eq!(a.digest(), b.digest());
    assert_eq!(calls_of(&a, &jana), 2);
    assert_eq!(calls_of(&b, &jana), 2);

    for dev in [&a, &b] {
        let conflicts = dev.json(&["conflicts"]);
        let c = conflicts.as_array().unwrap();
        assert_eq!(c.len(), 1, "{conflicts}");
        assert_eq!(c[0]["entity"], jana.as_str());
        assert_eq!(c[0]["field"], "title");
        // Each value's `key`, sorted.
        let sorted = |key: &str| {
            let mut all: Vec<&str> = c[0]["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v[key].as_str().unwrap())
                .collect();
            all.sort();
            all
        };
        assert_eq!(sorted("value"), ["CFO", "Head of purchasing"]);
        // Whose field it is and who wrote each value, in words.
        assert_eq!(c[0]["name"], "Jana Nováková");
        assert_eq!(sorted("by"), ["Eva", "Petr"]);
        let text = dev.ok(&["conflicts"]);
        assert!(
            text.contains(&format!("person Jana Nováková ({jana}) field \"title\"")),
            "{text}"
        );
    }

    // Settled on one device, the other learns it at the next sync.
    b.ok(&["resolve", &jana, "title", "CFO"]);
    b.json(&["sync"]);
    assert_eq!(a.json(&["conflicts"]).as_array().unwrap().len(), 0);
    assert_eq!(a.json(&["person", "show", &jana])["title"], "CFO");
    assert_eq!(a.digest(), b.digest());
    let log = server.log();
    assert!(log.contains("session with"), "{log}");
    assert!(log.contains("finished"), "{log}");
}

#[test]
fn three_devices_converge_through_the_server() {
    let a = Dev::new();
    a.init("Eva");
    let server = Serve::start(&a, &[]);
    let b = Dev::new();
    let c = Dev::new();
    b.join(&invite(&a), "Petr");
    c.join(&invite(&a), "Iva");
    a.add_person(&["--given", "From", "--family", "A"]);
    b.add_person(&["--given", "From", "--family", "B"]);
    c.add_person(&["--given", "From", "--family", "C"]);
    // Also by the server's address alone (the device is found by its key).
    b.json(&["sync", &server.addr()]);
    c.json(&["sync"]);
    b.json(&["sync"]);
    let d = a.digest();
    assert_eq!(b.digest(), d);
    assert_eq!(c.digest(), d);
    assert_eq!(c.count("people"), 3);
    let devices = c.json(&["devices"]);
    assert_eq!(devices["devices"].as_array().unwrap().len(), 3);
    drop(server);
}

#[test]
fn serve_takes_syncs_from_several_devices_at_once() {
    let a = Dev::new();
    a.init("Eva");
    let server = Serve::start(&a, &[]);
    let devs: Vec<Dev> = (0..3).map(|_| Dev::new()).collect();
    for (i, d) in devs.iter().enumerate() {
        d.join(&invite(&a), &format!("Seller {i}"));
        d.json(&[
            "demo",
            "--people",
            "10",
            "--seed",
            &(i as u64 + 7).to_string(),
        ]);
    }
    let children: Vec<_> = devs
        .iter()
        .map(|d| {
            command(&d.dir)
                .args(["--json", "sync"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A second round brings everyone what the others sent meanwhile.
    for d in &devs {
        d.json(&["sync"]);
    }
    let digest = a.digest();
    for d in &devs {
        assert_eq!(d.digest(), digest);
    }
    assert_eq!(a.count("people"), 30);
    let log = server.log();
    assert!(log.matches("finished").count() >= 9, "{log}");
}

/// Flips one bit of the signature of the newest record in `dev`'s log, as
/// a damaged disk or a forging peer would; returns its seq.
fn damage_newest_record(dev: &Dev) -> u64 {
    let conn = rusqlite::Connection::open(dev.dir.join("deko.db")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let (rowid, mut bytes, seq): (i64, Vec<u8>, i64) = conn
        .query_row(
            "SELECT rowid, bytes, seq FROM records ORDER BY rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    conn.execute(
        "UPDATE records SET bytes = ?1 WHERE rowid = ?2",
        rusqlite::params![bytes, rowid],
    )
    .unwrap();
    seq as u64
}

#[test]
fn a_record_damaged_on_the_peer_is_refused_and_the_sync_says_so_and_fails() {
    let a = Dev::new();
    a.init("Eva");
    let _server = Serve::start(&a, &[]);
    let b = Dev::new();
    b.join(&invite(&a), "Petr");
    a.add_person(&["--given", "Damaged"]);
    let seq = damage_newest_record(&a);
    let a_device = a.status()["device"]["id"].as_str().unwrap().to_string();

    let out = b.run(&["--json", "sync"]);
    assert_eq!(out.status.code(), Some(1), "refused records fail the sync");
    let synced: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let session = &synced["sessions"][0];
    assert_eq!(session["ok"], true, "{synced}");
    assert_eq!(session["refused"], 1, "{synced}");
    assert_eq!(session["refused_by_reason"]["bad_signature"], 1, "{synced}");
    let refusal = &session["refusals"][0];
    assert_eq!(refusal["reason"], "bad_signature", "{synced}");
    assert_eq!(refusal["author"], a_device.as_str());
    assert_eq!(refusal["seq"], seq);
    assert!(
        refusal["detail"]
            .as_str()
            .unwrap()
            .contains("bad signature"),
        "{synced}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let err: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(err["error"]["kind"], "InvalidRecord", "{err}");
    assert_eq!(
        err["error"]["message"], "1 record refused: bad signature (1)",
        "{err}"
    );
    // Nothing of it was stored; the table says so too.
    assert_eq!(b.count("people"), 0);
    let err = b.fails(&["sync"]);
    assert!(err.contains("bad signature (1)"), "{err}");
}
