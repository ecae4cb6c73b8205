//! The `--json` field names of the main shapes, pinned against the ones
//! cli/README.md documents: the output is the core's own types in their
//! serde form, so a renamed field in the core must show up here.

use serde_json::Value;

use super::common::{Dev, Serve};

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

/// Asserts that `v` has exactly the fields `want` (in any order).
fn fields(what: &str, v: &Value, want: &[&str]) {
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(keys(v), want, "the fields of {what}: {v:#}");
}

const PERSON: &[&str] = &[
    "id",
    "name",
    "given",
    "family",
    "title",
    "company",
    "company_name",
    "phones",
    "emails",
    "address",
    "tags",
    "note",
    "custom",
    "deleted",
    "conflicts",
    "last_contact",
];
const COMPANY: &[&str] = &[
    "id",
    "name",
    "phones",
    "emails",
    "website",
    "address",
    "industry",
    "note",
    "custom",
    "deleted",
    "conflicts",
];
const ACTIVITY: &[&str] = &[
    "id", "kind", "at", "people", "company", "note", "device", "by", "deleted",
];
const TIMELINE: &[&str] = &["id", "kind", "at", "summary"];
const STATS: &[&str] = &[
    "to_send",
    "to_receive",
    "sent",
    "received",
    "applied",
    "duplicates",
    "excluded",
    "refused",
    "pending",
    "bytes_sent",
    "bytes_received",
    "refusals",
    "refused_by_reason",
];

/// `base` and `more`.
fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn json_field_names_are_the_documented_ones() {
    let a = Dev::new();
    a.init("Alena");
    a.ok(&["field", "add", "Size", "--on", "person", "--type", "number"]);

    // People and companies.
    let acme = a.json(&[
        "company",
        "add",
        "--name",
        "Acme",
        "--phone",
        "+420 222 333 444",
    ]);
    fields("company show", &acme, &with(COMPANY, &["people", "recent"]));
    let company = acme["id"].as_str().unwrap();
    let person = a.json(&[
        "person",
        "add",
        "--given",
        "Jana",
        "--family",
        "Nováková",
        "--company",
        company,
        "--phone",
        "mobile:603 123 456",
        "--set",
        "Size=44",
    ]);
    fields("person show", &person, &with(PERSON, &["recent"]));
    assert_eq!(person["name"], "Jana Nováková");
    fields(
        "a phone",
        &person["phones"][0],
        &["label", "number", "display"],
    );
    assert_eq!(person["phones"][0]["label"], "mobile");
    assert_eq!(
        person["phones"][0]["number"], "+420603123456",
        "what to dial"
    );
    assert_eq!(
        person["phones"][0]["display"], "603 123 456",
        "as shown at home"
    );
    // The text tables group numbers the international way, like `show`.
    let table = a.ok(&["person", "list"]);
    assert!(table.contains("+420 603 123 456"), "{table}");
    assert_eq!(person["custom"]["Size"], 44, "custom values by name");
    let id = person["id"].as_str().unwrap();
    let list = a.json(&["person", "list"]);
    fields("person list", &list[0], PERSON);
    let shown = a.json(&["company", "show", company]);
    fields("a company's person", &shown["people"][0], &["id", "name"]);

    // Activities and the timeline.
    let call = a.json(&["call", "log", "--number", "603123456", "--note", "offer"]);
    fields(
        "call log",
        &call,
        &["call", "person", "company", "recent", "follow_up"],
    );
    fields(
        "a call",
        &call["call"],
        &with(ACTIVITY, &["direction", "number", "duration_s", "outcome"]),
    );
    assert_eq!(call["call"]["kind"], "call");
    fields("call log's person", &call["person"], PERSON);
    fields("call log's company", &call["company"], COMPANY);
    let meeting = a.json(&["meeting", "log", "--person", id, "--place", "Brno"]);
    fields("a meeting", &meeting, &with(ACTIVITY, &["end", "place"]));
    let note = a.json(&["note", "add", "Wants a discount", "--person", id]);
    fields("a note", &note, ACTIVITY);
    assert_eq!(note["kind"], "note");
    let timeline = a.json(&["timeline", id]);
    fields("a timeline entry", &timeline[0], TIMELINE);
    fields("a recent entry", &call["recent"][0], TIMELINE);

    // Tasks and deals.
    let task = a.json(&["task", "add", "--title", "Call back", "--person", id]);
    fields(
        "a task",
        &task,
        &[
            "id",
            "title",
            "due",
            "done",
            "assignee",
            "person",
            "company",
            "deal",
            "deleted",
            "person_name",
            "company_name",
            "deal_title",
        ],
    );
    assert_eq!(task["person_name"], "Jana Nováková");
    let deal = a.json(&[
        "deal",
        "add",
        "--title",
        "Press",
        "--company",
        company,
        "--value",
        "12500.50 EUR",
    ]);
    fields(
        "a deal",
        &deal,
        &[
            "id",
            "title",
            "company",
            "contact",
            "value",
            "stage",
            "stage_name",
            "company_name",
            "contact_name",
            "expected_close",
            "owner",
            "custom",
            "deleted",
            "conflicts",
        ],
    );
    fields("money", &deal["value"], &["minor", "currency"]);
    assert_eq!(deal["stage_name"], "Lead");
    let pipeline = a.json(&["pipeline"]);
    fields(
        "a pipeline column",
        &pipeline[0],
        &["stage", "name", "outcome", "count", "totals", "deals"],
    );
    fields("a total", &pipeline[0]["totals"][0], &["currency", "minor"]);
    let stages = a.json(&["stage", "add", "Contract sent"]);
    fields(
        "a stage",
        &stages[0],
        &["id", "name", "position", "outcome"],
    );
    let field = a.json(&["field", "rename", "Size", "Headcount"]);
    fields("field rename", &field, &["id", "name", "target"]);

    // Numbers nobody has, and giving one to a person.
    a.json(&["call", "log", "+44 20 7946 0958"]);
    let unknown = a.json(&["call", "unknown"]);
    fields(
        "an unknown number",
        &unknown[0],
        &["number", "calls", "last", "display"],
    );
    let attached = a.json(&["call", "attach", "+44 20 7946 0958", id]);
    fields("call attach", &attached, &["number", "person", "linked"]);

    // A second device joins; the first one's devices and status.
    let server = Serve::start(&a, &[]);
    let ticket = a.json(&["invite"])["ticket"].as_str().unwrap().to_string();
    let b = Dev::new();
    let joined = b.join(&ticket, "Bohdan");
    fields(
        "join",
        &joined,
        &[
            "team",
            "team_name",
            "device",
            "fingerprint",
            "records",
            "state_digest",
            "stats",
            "via",
            "relay",
        ],
    );
    fields("join's stats", &joined["stats"], STATS);
    let devices = a.json(&["devices"]);
    fields("devices", &devices, &["team", "team_name", "devices"]);
    fields(
        "a device",
        &devices["devices"][0],
        &[
            "device",
            "fingerprint",
            "person",
            "person_id",
            "role",
            "status",
            "revoked_after",
            "this_device",
            "founder",
            "records",
            "last_seen",
        ],
    );
    let status = a.status();
    fields(
        "status",
        &status,
        &[
            "data_dir",
            "team",
            "device",
            "serve",
            "relay",
            "peers",
            "counts",
            "version_vector",
            "state_digest",
        ],
    );
    fields("status.team", &status["team"], &["id", "name", "devices"]);
    fields(
        "status.device",
        &status["device"],
        &["id", "fingerprint", "person", "role", "admitted"],
    );
    fields("status.serve", &status["serve"], &["running", "addrs"]);
    fields(
        "status.counts",
        &status["counts"],
        &[
            "people",
            "companies",
            "calls",
            "meetings",
            "notes",
            "tasks",
            "deals",
            "records",
            "pending",
            "quarantined",
            "conflicts",
        ],
    );
    fields(
        "a version vector entry",
        &status["version_vector"][0],
        &["device", "fingerprint", "person", "seq"],
    );

    // A sync session, from the joiner, and a peer in its status.
    b.add_person(&["--given", "Petr"]);
    let synced = b.json(&["sync"]);
    fields("sync", &synced, &["sessions", "state_digest"]);
    fields(
        "a sync session",
        &synced["sessions"][0],
        &with(
            STATS,
            &["device", "fingerprint", "addr", "ok", "via", "relay"],
        ),
    );
    assert_eq!(synced["sessions"][0]["via"], "direct");
    fields(
        "a peer in status",
        &b.status()["peers"][0],
        &["device", "fingerprint", "person", "addr", "seen"],
    );
    drop(server);
}
