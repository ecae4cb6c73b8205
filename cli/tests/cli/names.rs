//! People, companies, deals and tasks named on the command line as a
//! salesperson types them (a name, an email, a number) instead of by id,
//! and the positional name, title and number of `add` and `call log`.

use super::common::*;

/// A small team: two Janas at Stavby Brno, and Jan Novák.
fn team() -> (Dev, String, String, String) {
    let dev = Dev::new();
    dev.init("Eva");
    dev.json(&["company", "add", "Stavby Brno"]);
    let nova = dev.json(&[
        "person",
        "add",
        "Jana Nováková",
        "--company",
        "stavby brno",
        "--email",
        "jana@stavby.cz",
        "--phone",
        "603 123 456",
    ]);
    assert_eq!(nova["given"], "Jana");
    assert_eq!(nova["family"], "Nováková");
    assert_eq!(nova["company_name"], "Stavby Brno");
    let dvor = dev.add_person(&["Jana Dvořáková", "--company", "Stavby Brno"]);
    let jan = dev.add_person(&["Jan Novák"]);
    (dev, nova["id"].as_str().unwrap().to_string(), dvor, jan)
}

#[test]
fn a_name_an_email_or_a_number_names_the_one_it_finds() {
    let (dev, nova, dvor, jan) = team();
    let logged = dev.json(&["call", "log", "603 123 456", "--duration", "5m"]);
    assert_eq!(logged["person"]["id"], nova.as_str());

    // The whole name, an email, a number, a single word only one has.
    for who in [
        "Jana Nováková",
        "jana nováková",
        "jana@stavby.cz",
        "Dvořáková",
    ] {
        let timeline = dev.json(&["timeline", who]);
        let calls = timeline
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "call")
            .count();
        assert_eq!(calls, usize::from(who != "Dvořáková"), "{who}");
    }
    assert_eq!(
        dev.json(&["person", "show", "Dvořáková"])["id"],
        dvor.as_str()
    );
    // "Jan Novák" also finds Jana Nováková (prefixes); the whole name is his.
    assert_eq!(
        dev.json(&["person", "show", "Jan Novák"])["id"],
        jan.as_str()
    );
    assert_eq!(
        dev.json(&["company", "show", "stavby"])["name"],
        "Stavby Brno"
    );
}

#[test]
fn several_matches_are_named_with_their_ids_and_none_is_chosen() {
    let (dev, nova, dvor, _) = team();
    let said = dev.fails(&["timeline", "Jana"]);
    assert!(
        said.starts_with("deko: \"Jana\" matches 2 people or companies: "),
        "{said}"
    );
    assert!(
        said.contains(&format!("Jana Nováková (Stavby Brno) {nova}")),
        "{said}"
    );
    assert!(
        said.contains(&format!("Jana Dvořáková (Stavby Brno) {dvor}")),
        "{said}"
    );
    assert!(said.ends_with("name one by its id"), "{said}");
    assert_eq!(dev.run(&["timeline", "Jana"]).status.code(), Some(2));

    // Nothing matches: not found (exit 1), and where to look instead.
    let said = dev.fails(&["person", "show", "Svoboda"]);
    assert_eq!(
        said,
        "deko: no person matches \"Svoboda\" (`deko search \"Svoboda\"` looks everywhere)"
    );
    let out = dev.run(&["--json", "person", "show", "Svoboda"]);
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "NotFound");
    // A person's name does not name a company.
    let said = dev.fails(&["person", "add", "Petr Malý", "--company", "Jana Nováková"]);
    assert!(
        said.contains("no company matches \"Jana Nováková\" (add it with `deko company add"),
        "{said}"
    );
    // Deleting by an ambiguous name deletes nothing.
    dev.fails(&["person", "delete", "Jana"]);
    assert_eq!(dev.count("people"), 3);
    // A number two people share names neither.
    let petr = dev.add_person(&["Petr Malý", "--phone", "+420603123456"]);
    let said = dev.fails(&["timeline", "603 123 456"]);
    assert!(said.contains(&format!("person Petr Malý {petr}")), "{said}");
    assert!(
        said.contains(&format!("person Jana Nováková (Stavby Brno) {nova}")),
        "{said}"
    );
}

#[test]
fn links_take_names_too() {
    let (dev, nova, dvor, jan) = team();
    let company = dev.json(&["company", "show", "Stavby Brno"])["id"].clone();
    let task = dev.json(&[
        "task",
        "add",
        "Send the quote",
        "--person",
        "Jana Nováková",
        "--due",
        "+2d",
    ]);
    assert_eq!(task["title"], "Send the quote");
    assert_eq!(task["person"], nova.as_str());
    let done = dev.json(&["task", "done", "send the quote"]);
    assert_eq!(done["done"], true);

    let deal = dev.json(&[
        "deal",
        "add",
        "Roof repair",
        "--company",
        "Stavby",
        "--contact",
        "jana@stavby.cz",
    ]);
    assert_eq!(deal["title"], "Roof repair");
    assert_eq!(deal["company"], company);
    assert_eq!(deal["contact"], nova.as_str());
    let task = dev.json(&[
        "task",
        "add",
        "--title",
        "Site visit",
        "--deal",
        "Roof repair",
    ]);
    assert_eq!(task["deal"], deal["id"]);

    let note = dev.json(&[
        "note",
        "add",
        "Met at the fair",
        "--person",
        "Jan Novák",
        "--person",
        "Dvořáková",
    ]);
    assert_eq!(note["people"], serde_json::json!([jan, dvor]));
    let meeting = dev.json(&[
        "meeting",
        "log",
        "--person",
        "jana@stavby.cz",
        "--company",
        "Stavby Brno",
    ]);
    assert_eq!(meeting["people"], serde_json::json!([nova]));
    assert_eq!(meeting["company"], company);
}

#[test]
fn a_positional_name_is_the_whole_name() {
    let (dev, _, dvor, _) = team();
    let renamed = dev.json(&["person", "edit", "Dvořáková", "Jana Svobodová"]);
    assert_eq!(renamed["id"], dvor.as_str());
    assert_eq!(
        (renamed["given"].clone(), renamed["family"].clone()),
        ("Jana".into(), "Svobodová".into())
    );
    // One word is a family name alone: the given name is cleared.
    let renamed = dev.json(&["person", "edit", "Jana Svobodová", "Svobodová"]);
    assert_eq!(renamed["given"], serde_json::Value::Null);
    assert_eq!(renamed["family"], "Svobodová");

    let said = dev.fails(&["person", "add", "Petr Malý", "--given", "Petr"]);
    assert!(said.contains("cannot be used with"), "{said}");
    assert!(said.ends_with("(see `deko person add --help`)"), "{said}");
    let said = dev.fails(&["company", "add"]);
    assert!(said.contains("a company needs a name"), "{said}");
    let said = dev.fails(&["call", "log"]);
    assert_eq!(
        said,
        "deko: the following required arguments were not provided: <NUMBER> (see `deko call log --help`)"
    );
    // The flags of scripts written before stay.
    let id = dev.json(&["company", "add", "--name", "Pekárna Kolín"])["id"].clone();
    assert_eq!(dev.json(&["company", "show", "Pekárna"])["id"], id);
    let logged = dev.json(&["call", "log", "--number", "+420 603 123 456"]);
    assert_eq!(logged["person"]["family"], "Nováková");
}
