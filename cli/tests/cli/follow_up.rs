//! What a salesperson follows up on and an admin tidies, from the command
//! line: numbers nobody has (and giving one to a person), who has not been
//! contacted for a while, the pipeline's stages and custom-field names.

use super::common::*;

#[test]
fn an_unknown_number_waits_until_it_is_given_to_a_person() {
    let dev = Dev::new();
    dev.init("Eva");
    let jana = dev.add_person(&["Jana Nováková", "--phone", "603 123 456"]);
    dev.json(&["call", "log", "+44 20 7946 0958", "--direction", "in"]);
    dev.json(&["call", "log", "0044 20 7946 0958", "--direction", "missed"]);
    dev.json(&["call", "log", "731 000 111"]);
    dev.json(&["call", "log", "603 123 456"]);

    let unknown = dev.json(&["call", "unknown"]);
    let numbers: Vec<(&str, u64)> = unknown
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["number"].as_str().unwrap(), n["calls"].as_u64().unwrap()))
        .collect();
    assert_eq!(numbers, [("+420731000111", 1), ("+442079460958", 2)]);
    let text = dev.ok(&["call", "unknown"]);
    assert!(text.contains("+44 20 7946 0958  2"), "{text}");

    let attached = dev.json(&[
        "call",
        "attach",
        "+44 20 7946 0958",
        "Nováková",
        "--label",
        "work",
    ]);
    assert_eq!(attached["person"], jana.as_str());
    assert_eq!(attached["number"], "+442079460958");
    assert_eq!(attached["linked"], 2);
    let person = dev.json(&["person", "show", &jana]);
    let phones: Vec<(&str, &str)> = person["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["label"].as_str().unwrap(), p["number"].as_str().unwrap()))
        .collect();
    assert!(phones.contains(&("work", "+442079460958")), "{phones:?}");
    let calls = person["recent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] != "note");
    assert_eq!(calls.count(), 3);
    assert_eq!(dev.json(&["call", "unknown"]).as_array().unwrap().len(), 1);
    assert_eq!(
        dev.json(&["who", "+44 20 7946 0958"])["people"][0]["id"],
        jana.as_str()
    );

    let said = dev.fails(&[
        "call",
        "attach",
        "731 000 111",
        "Nováková",
        "--label",
        "fax",
    ]);
    assert!(
        said.contains("--label is mobile, work, home or other"),
        "{said}"
    );
    assert_eq!(dev.json(&["call", "unknown"]).as_array().unwrap().len(), 1);
}

/// The call sheet's one step from the command line: the number given to the
/// person named (with its waiting calls), and a follow-up task about them.
#[test]
fn a_call_gives_its_number_to_someone_and_adds_a_follow_up() {
    let dev = Dev::new();
    dev.init("Eva");
    let jana = dev.add_person(&["Jana Nováková"]);
    dev.add_person(&["Petr Starý"]);
    dev.json(&["call", "log", "777 888 999", "--direction", "missed"]);
    let logged = dev.json(&[
        "call",
        "log",
        "777 888 999",
        "--to",
        "Nováková",
        "--follow-up",
        "3d",
    ]);
    assert_eq!(logged["person"]["id"], jana.as_str());
    let task = dev.json(&["task", "show", logged["follow_up"].as_str().unwrap()]);
    assert_eq!(task["title"], "Follow up with Jana Nováková");
    assert_eq!(task["person"], jana.as_str());
    assert!(
        dev.json(&["call", "unknown"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let person = dev.json(&["person", "show", &jana]);
    let calls = person["recent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "call" || t["kind"] == "missed");
    assert_eq!(calls.count(), 2, "the waiting call is hers too");
    // Someone who has the number keeps it; the title can be given.
    let text = dev.ok(&[
        "call",
        "log",
        "777 888 999",
        "--to",
        "Starý",
        "--follow-up",
        "1d",
        "--follow-up-title",
        "Send the quote",
    ]);
    assert!(text.contains("logged call with Jana Nováková"), "{text}");
    assert!(text.contains("follow-up task"), "{text}");
    // A name that finds nobody stores nothing.
    let said = dev.fails(&["call", "log", "731 000 111", "--to", "Nobody Here"]);
    assert!(said.contains("Nobody Here"), "{said}");
    assert!(
        dev.json(&["call", "unknown"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn people_not_contacted_for_a_while_come_never_first_then_longest_ago() {
    let dev = Dev::new();
    dev.init("Eva");
    let old = dev.add_person(&["Petr Starý", "--phone", "731 222 333"]);
    let recent = dev.add_person(&["Jana Nováková", "--phone", "603 123 456"]);
    let never = dev.add_person(&["Iva Nová"]);
    dev.json(&["call", "log", "731 222 333", "--at", "-40d"]);
    dev.json(&["call", "log", "603 123 456", "--at", "-2d"]);

    let due = dev.json(&["person", "list", "--not-contacted", "30d"]);
    let ids: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [never.as_str(), old.as_str()]);
    let text = dev.ok(&["person", "list", "--not-contacted", "4w"]);
    assert!(
        text.lines().next().unwrap().contains("last contact"),
        "{text}"
    );
    assert!(text.contains("never"), "{text}");
    assert!(!text.contains(&recent), "{text}");

    let said = dev.fails(&["person", "list", "--not-contacted", "3h"]);
    assert!(said.contains("takes a day or more"), "{said}");
}

#[test]
fn an_admin_shapes_the_pipeline_and_renames_a_field() {
    let dev = Dev::new();
    dev.init("Eva");
    let stages = dev.json(&["stage", "add", "Contract sent"]);
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&stages).last().unwrap(), "Contract sent");
    let moved = dev.json(&["stage", "move", "contract sent", "4"]);
    assert_eq!(
        names(&moved),
        [
            "Lead",
            "Qualified",
            "Proposal",
            "Contract sent",
            "Negotiation",
            "Won",
            "Lost"
        ]
    );
    let renamed = dev.json(&["stage", "rename", "Lead", "New lead"]);
    assert_eq!(names(&renamed)[0], "New lead");
    let won = dev.json(&["stage", "add", "Won (renewal)", "--outcome", "won"]);
    assert_eq!(won.as_array().unwrap().last().unwrap()["outcome"], "won");
    assert!(
        dev.fails(&["stage", "move", "Lost", "0"])
            .contains("a stage's place is 1 to 8")
    );
    assert!(
        dev.fails(&["stage", "rename", "Nope", "X"])
            .contains("no stage \"Nope\"")
    );
    // A deal in a renamed stage stays in it.
    let deal = dev.json(&["deal", "add", "Roof repair", "--stage", "New lead"]);
    assert_eq!(deal["stage_name"], "New lead");

    dev.json(&["field", "add", "Budget", "--on", "deal", "--type", "number"]);
    dev.json(&["deal", "edit", "Roof repair", "--set", "Budget=12000"]);
    let field = dev.json(&["field", "rename", "budget", "Budget (EUR)", "--on", "deal"]);
    assert_eq!(field["name"], "Budget (EUR)");
    let deal = dev.json(&["deal", "show", "Roof repair"]);
    assert_eq!(deal["custom"]["Budget (EUR)"], 12000.0);
    let said = dev.fails(&["field", "rename", "Budget", "X", "--on", "deal"]);
    assert!(
        said.contains("deal has no custom field \"Budget\""),
        "{said}"
    );
}

#[test]
fn a_bare_duration_points_the_way_its_field_does() {
    let dev = Dev::new();
    dev.init("Eva");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let near = |got: &serde_json::Value, want: i64| {
        let got = got.as_i64().unwrap();
        assert!((got - want).abs() < 120_000, "{got} is not about {want}");
    };
    // when a call happened: back from now
    let call = dev.json(&["call", "log", "603 123 456", "--at", "2h"]);
    near(&call["call"]["at"], now - 2 * 3_600_000);
    // when a task is due and a deal should close: on from now
    let task = dev.json(&["task", "add", "Send the quote", "--due", "2d"]);
    near(&task["due"], now + 2 * 86_400_000);
    let deal = dev.json(&[
        "deal",
        "add",
        "Roof",
        "--close",
        "3w",
        "--value",
        "12 500,50",
    ]);
    near(&deal["expected_close"], now + 21 * 86_400_000);
    assert_eq!(deal["value"]["minor"], 1_250_050);
    // an unreadable one says how to write it
    let said = dev.fails(&["task", "add", "Later", "--due", "2x"]);
    assert!(said.contains("2d (from now)"), "{said}");
}
