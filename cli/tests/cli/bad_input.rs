//! Bad input: a clear one-line message, a non-zero exit, nothing changed.

use super::common::*;

/// What must not change: the log and the state.
fn snapshot(dev: &Dev) -> (u64, String) {
    (dev.count("records"), dev.digest())
}

#[test]
fn unknown_commands_and_flags_are_usage_errors() {
    let a = Dev::new();
    let e = a.fails(&["frobnicate"]);
    assert!(e.contains("frobnicate"), "{e}");
    assert_eq!(a.run(&["frobnicate"]).status.code(), Some(2));
    let e = a.fails(&["person", "add", "--shoe-size", "44"]);
    assert!(e.contains("--shoe-size"), "{e}");
    // Nothing was created by either.
    assert!(!a.dir.exists());
}

#[test]
fn commands_before_init_say_what_to_do_and_create_nothing() {
    let a = Dev::new();
    let e = a.fails(&["person", "list"]);
    assert!(e.contains("deko init"), "{e}");
    assert!(!a.dir.exists());
}

#[test]
fn malformed_tickets_are_refused_before_anything_is_stored() {
    let b = Dev::new();
    let e = b.fails(&["join", "deko:AAAA", "--name", "Petr"]);
    assert!(e.contains("ticket"), "{e}");
    let e = b.fails(&["join", "https://example.com", "--name", "Petr"]);
    assert!(e.contains("ticket"), "{e}");
    assert!(!b.dir.exists());

    let a = Dev::new();
    a.init("Eva");
    let before = snapshot(&a);
    // A typo in a real ticket: the checksum catches it.
    let mut ticket = a.json(&["ticket", "--addr", "127.0.0.1:9"])["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let last = ticket.pop().unwrap();
    ticket.push(if last == 'A' { 'B' } else { 'A' });
    let e = a.fails(&["sync", &ticket]);
    assert!(e.contains("ticket"), "{e}");
    assert_eq!(snapshot(&a), before);
}

#[test]
fn unreachable_peers_time_out_and_change_nothing() {
    let a = Dev::new();
    a.init("Eva");
    let b = Dev::new();
    // A server that is gone by the time its invite is used.
    let ticket = {
        let server = Serve::start(&a, &[]);
        let t = a.json(&["invite"])["ticket"].as_str().unwrap().to_string();
        let (code, _) = server.terminate();
        assert_eq!(code, Some(0));
        t
    };
    let e = b.fails(&["join", &ticket, "--name", "Petr", "--timeout", "1s"]);
    assert!(e.contains("did not answer"), "{e}");
    assert!(!b.dir.exists(), "a failed join leaves nothing behind");

    let before = snapshot(&a);
    let e = a.fails(&["sync", &dead_addr(), "--timeout", "1s"]);
    assert!(
        e.contains("no other device") || e.contains("did not answer"),
        "{e}"
    );
    let e = a.fails(&["sync"]);
    assert!(e.contains("no known peers"), "{e}");
    assert_eq!(snapshot(&a), before);
}

#[test]
fn bad_numbers_and_corrupt_vcards_store_nothing() {
    let a = Dev::new();
    a.init("Eva");
    a.add_person(&["--given", "Jana", "--phone", "+420 603 123 456"]);
    let before = snapshot(&a);
    let e = a.fails(&["call", "log", "--number", "call me maybe"]);
    assert!(e.contains("phone number"), "{e}");
    let e = a.fails(&["person", "add", "--given", "X", "--phone", "12"]);
    assert!(e.contains("phone number"), "{e}");
    let e = a.fails(&["who", "not a number"]);
    assert!(e.contains("phone number"), "{e}");
    let e = a.fails(&["call", "log", "--number", "603123456", "--duration", "long"]);
    assert!(e.contains("duration"), "{e}");

    let tmp = tempfile::tempdir().unwrap();
    let vcf = tmp.path().join("broken.vcf");
    std::fs::write(
        &vcf,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok Person\r\nTEL:+420603000111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n",
    )
    .unwrap();
    let e = a.fails(&["import", vcf.to_str().unwrap()]);
    assert!(e.contains("broken.vcf"), "{e}");
    let e = a.fails(&["import", tmp.path().join("missing.vcf").to_str().unwrap()]);
    assert!(e.contains("missing.vcf"), "{e}");
    assert_eq!(snapshot(&a), before);
}

#[test]
fn a_data_directory_that_cannot_be_written_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A regular file where a directory should be (root may write anywhere,
    // so permissions alone would not stop this test's user).
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let dir = file.join("deko");
    let out = command(&dir)
        .args(["init", "--team", "Acme", "--name", "Eva"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("deko: cannot use data directory"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn serve_on_a_busy_port_founds_no_team() {
    let busy = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let a = Dev::new();
    let e = a.fails(&["serve", "--listen", &addr, "--no-discovery"]);
    assert!(e.contains("cannot listen"), "{e}");
    assert!(!a.dir.join("deko.db").exists());
}

/// The data directory and the database hold the device's signing key:
/// private to their owner when made, and made so when found open.
#[cfg(unix)]
#[test]
fn the_data_directory_and_database_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dev = Dev::new();
    dev.init("Eva");
    assert_eq!(mode(&dev.dir), 0o700);
    for f in ["deko.db", "deko.db-wal", "deko.db-shm"] {
        let p = dev.dir.join(f);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    // An older build left them open: the next command closes them, saying so.
    std::fs::set_permissions(&dev.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = dev.dir.join("deko.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = dev.run(&["status"]);
    assert!(out.status.success());
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("deko: warn:") && log.contains("now 0600") && log.contains("now 0700"),
        "{log}"
    );
    assert_eq!(mode(&dev.dir), 0o700);
    assert_eq!(mode(&db), 0o600);
    // A relay token from the environment, not the command line.
    let out = command(&dev.dir)
        .env("DEKO_RELAY_TOKEN", "from the environment")
        .args(["--json", "set-relay", "relay.example.com:7412"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dev.status()["relay"]["token"], true);
    let empty = dev.dir.join("empty-token");
    std::fs::write(&empty, "\n# nothing\n").unwrap();
    let err = dev.fails(&[
        "set-relay",
        "relay.example.com:7412",
        "--token-file",
        empty.to_str().unwrap(),
    ]);
    assert!(err.contains("holds no token"), "{err}");
}

/// Runs `deko --json ARGS`, which must fail with one line of JSON on
/// stderr; returns the exit code, the error's kind and its message.
fn json_failure(dev: &Dev, args: &[&str]) -> (Option<i32>, String, String) {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    let out = dev.run(&a);
    assert!(!out.status.success(), "deko {a:?} should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line of JSON expected: {err}");
    let v: serde_json::Value =
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {err}"));
    let e = &v["error"];
    assert_eq!(e.as_object().map(|o| o.len()), Some(2), "{v}");
    let kind = e["kind"].as_str().unwrap().to_string();
    let message = e["message"].as_str().unwrap().to_string();
    (out.status.code(), kind, message)
}

#[test]
fn errors_under_json_are_json_with_the_kinds_of_the_apps() {
    let a = Dev::new();
    // Before any team, and a mistake in the command line.
    let (code, kind, message) = json_failure(&a, &["person", "list"]);
    assert_eq!((code, kind.as_str()), (Some(1), "NotAMember"), "{message}");
    assert!(message.contains("deko init"), "{message}");
    let (code, kind, _) = json_failure(&a, &["frobnicate"]);
    assert_eq!((code, kind.as_str()), (Some(2), "BadInput"));
    a.init("Eva");
    let unknown = "0190c7d2-0000-7000-8000-000000000000";
    let (code, kind, message) = json_failure(&a, &["person", "show", unknown]);
    assert_eq!((code, kind.as_str()), (Some(1), "NotFound"));
    assert_eq!(message, format!("no person with id {unknown}"));
    let (code, kind, message) = json_failure(&a, &["sync", "DEKO:AAAA"]);
    assert_eq!((code, kind.as_str()), (Some(1), "BadTicket"), "{message}");
    assert!(message.starts_with("invalid ticket: "), "{message}");
    let (code, kind, message) = json_failure(&a, &["sync"]);
    assert_eq!((code, kind.as_str()), (Some(1), "Unreachable"), "{message}");
    let (code, kind, _) = json_failure(&a, &["person", "add", "--given", "X", "--phone", "hello"]);
    assert_eq!((code, kind.as_str()), (Some(1), "InvalidPhoneNumber"));
}

#[test]
fn any_region_libphonenumber_knows_can_be_set_and_reads_its_numbers() {
    let a = Dev::new();
    a.init("Eva");
    assert_eq!(a.json(&["region"])["region"], "CZ");
    let e = a.fails(&["region", "XX"]);
    assert!(e.contains("\"XX\"") && e.contains("region"), "{e}");
    assert_eq!(a.json(&["region"])["region"], "CZ", "unchanged");
    let set = a.json(&["region", "ro"]);
    assert_eq!(
        (&set["region"], &set["calling_code"]),
        (&"RO".into(), &40.into())
    );
    a.add_person(&[
        "--given",
        "Ion",
        "--family",
        "Popescu",
        "--phone",
        "0721 123 456",
    ]);
    let found = a.json(&["who", "+40 0721 123 456"]);
    assert_eq!(
        found["people"][0]["phones"][0]["number"], "+40721123456",
        "{found}"
    );
    let list = a.json(&["region", "--list"]);
    assert!(list.as_array().unwrap().len() > 240, "{list}");
    // Sorting follows the region's language unless a locale is set.
    assert_eq!(a.json(&["locale"])["locale"], "ro");
    assert_eq!(a.json(&["locale", "de"])["locale"], "de");
    let e = a.fails(&["locale", "not a locale!"]);
    assert!(e.contains("locale"), "{e}");
    assert_eq!(a.json(&["locale", ""])["locale"], "ro");
}
