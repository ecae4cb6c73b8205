//! Membership that converges, with the real binary: the founder F, admins A
//! and B, member M. While apart, A revokes B and B revokes A; M hears B
//! first, F hears A first. Once they meet, every device shows the same
//! roster and the same state digest, and no sync refuses anything.

use serde_json::Value;

use super::common::*;

fn ticket(dev: &Dev, admin: bool) -> String {
    let args: &[&str] = if admin {
        &["invite", "--admin"]
    } else {
        &["invite"]
    };
    dev.json(args)["ticket"].as_str().unwrap().to_string()
}

fn id(dev: &Dev) -> String {
    dev.status()["device"]["id"].as_str().unwrap().to_string()
}

/// The roster as this device shows it: (device, role, status, cutoff).
fn roster(dev: &Dev) -> Vec<(String, String, String, Option<u64>)> {
    let devices = dev.json(&["devices"]);
    let mut out: Vec<_> = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["device"].as_str().unwrap().to_string(),
                d["role"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
                d["revoked_after"].as_u64(),
            )
        })
        .collect();
    out.sort();
    out
}

fn status_of(dev: &Dev, device: &str) -> String {
    roster(dev)
        .into_iter()
        .find(|(d, ..)| d == device)
        .map(|(_, _, s, _)| s)
        .unwrap()
}

/// `deko --json sync ADDR`: must succeed with one session that refused
/// nothing.
fn sync_clean(dev: &Dev, addr: &str) -> Value {
    let out = dev.json(&["sync", addr]);
    let s = &out["sessions"][0];
    assert_eq!(s["ok"], true, "{out}");
    assert_eq!(s["refused"], 0, "{out}");
    out
}

#[test]
fn mutual_revocations_made_apart_converge_on_every_device() {
    let (f, a, b, m) = (Dev::new(), Dev::new(), Dev::new(), Dev::new());
    f.init("Founder");
    f.add_person(&["--given", "Jana", "--family", "Nováková"]);
    let server = Serve::start(&f, &[]);
    a.join(&ticket(&f, true), "Adam");
    b.join(&ticket(&f, true), "Bára");
    m.join(&ticket(&f, false), "Marie");
    for d in [&a, &b, &m] {
        sync_clean(d, &server.addr());
    }
    let (ida, idb) = (id(&a), id(&b));
    assert_eq!(server.terminate().0, Some(0));

    // Apart: A revokes B, B revokes A.
    a.ok(&["revoke", &idb]);
    b.ok(&["revoke", &ida]);

    // M hears B first; F hears A first.
    let at_b = Serve::start(&b, &[]);
    sync_clean(&m, &at_b.addr());
    at_b.terminate();
    let at_a = Serve::start(&a, &[]);
    sync_clean(&f, &at_a.addr());
    at_a.terminate();
    assert_eq!(status_of(&f, &idb), "revoked");
    assert_eq!(status_of(&f, &ida), "active");
    assert_eq!(status_of(&m, &ida), "revoked");
    assert_eq!(status_of(&m, &idb), "active");

    // F and M meet: both revocations hold (concurrent removals all apply).
    let at_f = Serve::start(&f, &[]);
    sync_clean(&m, &at_f.addr());
    assert_eq!(roster(&f), roster(&m));
    assert_eq!(status_of(&f, &ida), "revoked");
    assert_eq!(status_of(&f, &idb), "revoked");
    assert_eq!(f.digest(), m.digest());
    // Meeting again changes nothing more (and refuses nothing).
    sync_clean(&m, &at_f.addr());

    // A and B, revoked, may still connect to learn of it: they end with the
    // same roster and data as everyone.
    sync_clean(&a, &at_f.addr());
    sync_clean(&b, &at_f.addr());
    let digest = f.digest();
    let expected = roster(&f);
    for d in [&a, &b, &m] {
        assert_eq!(roster(d), expected);
        assert_eq!(d.digest(), digest);
    }
    // And they can no longer write.
    let err = a.fails(&["person", "add", "--given", "Late"]);
    assert!(err.contains("revoked"), "{err}");
    assert_eq!(at_f.terminate().0, Some(0));
}
