//! `deko import FILE.csv` and `deko import --dry-run`.

use super::common::*;

fn fixture(name: &str) -> String {
    format!("{}/../core/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn csv_import_dry_run_shows_the_mapping_then_import_writes() {
    let a = Dev::new();
    a.init("Eva");
    let records = a.count("records");
    let file = fixture("hubspot-contacts.csv");
    let text = a.ok(&["import", "--dry-run", &file]);
    assert!(text.contains("dry run: nothing was written"), "{text}");
    assert!(text.contains("Mobile Phone Number"), "{text}");
    assert!(text.contains("-> phone (mobile)"), "{text}");
    assert!(
        text.contains("Lifecycle Stage") && text.contains("(ignored)"),
        "{text}"
    );
    assert!(
        text.contains("would import 2 of 2 rows as people"),
        "{text}"
    );
    let dry = a.json(&["import", "--dry-run", &file]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["records"], "people");
    assert_eq!(dry["created"], 2);
    assert_eq!(dry["unknown_columns"][0], "Lifecycle Stage");
    assert_eq!(a.count("records"), records, "a dry run writes nothing");

    let done = a.json(&["import", &file]);
    assert_eq!(
        (done["dry_run"].clone(), done["created"].clone()),
        (false.into(), 2.into())
    );
    let again = a.ok(&["import", &file]);
    assert!(again.contains("imported 0 of 2 rows"), "{again}");
    assert!(again.contains("duplicate: Jürgen Groß"), "{again}");

    // Known by content without the extension; a CSV with no known column is refused.
    let tmp = tempfile::tempdir().unwrap();
    let orgs = tmp.path().join("organizations.txt");
    std::fs::copy(fixture("pipedrive-organizations.csv"), &orgs).unwrap();
    let o = a.json(&["import", orgs.to_str().unwrap()]);
    // Bäckerei Groß GmbH came with Jürgen: a duplicate by name.
    assert_eq!(o["records"], "companies");
    assert_eq!(o["created"], 1);
    assert_eq!(o["report"]["duplicates"][0]["name"], "Bäckerei Groß GmbH");
    let junk = tmp.path().join("junk.csv");
    std::fs::write(&junk, "Foo,Bar\n1,2\n").unwrap();
    let before = a.count("records");
    let e = a.fails(&["import", junk.to_str().unwrap()]);
    assert!(
        e.contains("junk.csv") && e.contains("no column gives a name"),
        "{e}"
    );
    assert_eq!(a.count("records"), before);
}
