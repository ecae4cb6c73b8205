//! Import and export: vCard (real exports from ten address books), CSV,
//! JSON, with round trips and bad input.

use deko_core::Error;
use deko_core::model::{CompanyDraft, Crm, CsvRecords, Page, PersonDraft, PhoneLabel, SortBy};

use super::crm::{crm, person};

const FIXTURES: &[&str] = &[
    "John_Doe_ANDROID.vcf",
    "John_Doe_BLACK_BERRY.vcf",
    "John_Doe_EVOLUTION.vcf",
    "John_Doe_GMAIL.vcf",
    "John_Doe_IPHONE.vcf",
    "John_Doe_LOTUS_NOTES.vcf",
    "John_Doe_MAC_ADDRESS_BOOK.vcf",
    "John_Doe_MS_OUTLOOK.vcf",
    "gmail-list.vcf",
    "gmail-single.vcf",
    "outlook-2003.vcf",
    "outlook-2007.vcf",
    "rfc6350-example.vcf",
    "thunderbird-MoreFunctionsForAddressBook-extension.vcf",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/vcard/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_real_address_book_export_imports() {
    let mut c = crm();
    c.set_region("US").unwrap(); // the fixtures' numbers are North American
    let mut total = 0;
    for name in FIXTURES {
        let report = c
            .import_vcard(name, &fixture(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        total += report.created.len() + report.duplicates.len();
    }
    assert!(total >= 14, "{total}");
    let people = c
        .people(
            SortBy::Name,
            &Page {
                offset: 0,
                limit: 1000,
            },
        )
        .unwrap();
    assert!(
        people
            .iter()
            .any(|p| p.given.as_deref() == Some("John") && p.family.as_deref() == Some("Doe"))
    );
    // The first import of John Doe made him; the later exports of the same
    // man are duplicates by phone or email where they share one.
    let again = c
        .import_vcard("gmail-list.vcf", &fixture("gmail-list.vcf"))
        .unwrap();
    assert!(again.created.is_empty(), "{again:?}");
    assert!(!again.duplicates.is_empty());
}

#[test]
fn vcard_details_arrive_intact() {
    let mut c = crm();
    c.set_region("US").unwrap();
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nováková;Jana;;;\r\nFN:Jana Nováková\r\nORG:Žlutý kůň a.s.\r\nTITLE:Nákupčí\r\nTEL;TYPE=CELL:+420 603 123 456\r\nTEL;TYPE=WORK:(212) 555-0134\r\nEMAIL;TYPE=INTERNET:jana@zlutykun.cz\r\nNOTE:Line one\\nLine two\r\nCATEGORIES:vip,praha\r\nEND:VCARD\r\n";
    let r = c.import_vcard("jana.vcf", card.as_bytes()).unwrap();
    assert_eq!((r.created.len(), r.companies_created), (1, 1));
    let p = c.person(&r.created[0]).unwrap().unwrap();
    assert_eq!(p.display_name, "Jana Nováková");
    assert_eq!(p.company_name.as_deref(), Some("Žlutý kůň a.s."));
    assert_eq!(
        p.phones
            .iter()
            .map(|x| x.number.as_str())
            .collect::<Vec<_>>(),
        ["+420603123456", "+12125550134"]
    );
    assert_eq!(p.phones[0].label, PhoneLabel::Mobile);
    assert_eq!(p.note.as_deref(), Some("Line one\nLine two"));
    assert_eq!(p.tags, vec!["vip", "praha"]);
    // Duplicate by email, even with another phone.
    let dup = card
        .replace("+420 603 123 456", "+420 777 000 111")
        .replace("(212) 555-0134", "");
    let r2 = c.import_vcard("again.vcf", dup.as_bytes()).unwrap();
    assert_eq!(r2.created.len(), 0);
    assert!(
        r2.duplicates[0].matched.contains("email"),
        "{:?}",
        r2.duplicates
    );
}

#[test]
fn broken_vcard_is_refused_whole_with_the_line() {
    let mut c = crm();
    let before = c.store().record_count().unwrap();
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Person\r\nTEL:603123456\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis line has no colon\r\nEND:VCARD\r\n";
    let err = c.import_vcard("contacts.vcf", text.as_bytes()).unwrap_err();
    assert!(matches!(err, Error::InvalidVcard { line: 9, .. }), "{err}");
    assert!(err.to_string().starts_with("contacts.vcf, line 9"), "{err}");
    assert_eq!(
        c.store().record_count().unwrap(),
        before,
        "not even the good card is stored"
    );
    let err = c
        .import_vcard("x.vcf", b"BEGIN:VCARD\r\nFN:x\r\n")
        .unwrap_err();
    assert!(err.to_string().contains("x.vcf"), "{err}");
    assert_eq!(c.store().record_count().unwrap(), before);
}

#[test]
fn unreadable_phone_in_a_card_is_kept_as_written_with_a_warning() {
    let mut c = crm();
    let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Odd Number\r\nTEL:12\r\nEND:VCARD\r\n";
    let r = c.import_vcard("odd.vcf", text.as_bytes()).unwrap();
    assert_eq!(r.created.len(), 1);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(
        c.person(&r.created[0]).unwrap().unwrap().phones[0].number,
        "12"
    );
}

fn sample() -> Crm {
    let mut c = crm();
    let co = c
        .create_company(CompanyDraft {
            name: Some("Müller, Söhne & Co. \"GmbH\"".into()),
            phones: Some(vec![(PhoneLabel::Work, "+49 30 1234567".into())]),
            website: Some("mueller.de".into()),
            ..Default::default()
        })
        .unwrap();
    for (g, f, n) in [
        ("Jana", "Nováková", "603 123 456"),
        ("Jiří", "Dvořák", "604 222 333"),
        ("Ann", "O'Brien", "+44 20 7946 0958"),
    ] {
        let p = person(&mut c, g, f, n);
        c.update_person(
            p,
            PersonDraft {
                company: Some(Some(co)),
                emails: Some(vec![format!("{}@example.com", g.to_lowercase())]),
                note: Some("Multi-line\nnote, with \"quotes\"".into()),
                tags: Some(vec!["vip".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    }
    c
}

#[test]
fn vcard_export_imports_back_the_same_people() {
    let a = sample();
    let text = a.export_vcard().unwrap();
    let mut b = crm();
    let r = b.import_vcard("export.vcf", text.as_bytes()).unwrap();
    assert_eq!(r.created.len(), 3);
    let strip = |c: &Crm| {
        c.people(SortBy::Name, &Page::default())
            .unwrap()
            .into_iter()
            .map(|p| {
                (
                    p.given,
                    p.family,
                    p.phones,
                    p.emails,
                    p.note,
                    p.tags,
                    p.company_name,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn csv_export_quotes_what_needs_quoting() {
    let c = sample();
    let people = c.export_people_csv().unwrap();
    let mut lines = people.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,given,family,title,company,phones,emails,address,tags,note"
    );
    assert!(
        people.contains("\"Müller, Söhne & Co. \"\"GmbH\"\"\""),
        "{people}"
    );
    assert!(people.contains("\"Multi-line\nnote, with \"\"quotes\"\"\""));
    assert!(people.contains("mobile:+420603123456"));
    assert_eq!(people.matches("\r\n").count(), 4, "header and three people");
    let companies = c.export_companies_csv().unwrap();
    assert!(companies.starts_with("id,name,industry,website,phones,emails,address,note\r\n"));
    assert!(companies.contains("work:+49301234567"));
}

#[test]
fn json_export_round_trips_everything() {
    let mut a = sample();
    let extra = person(&mut a, "Trashed", "Person", "605 000 000");
    a.delete(extra).unwrap();
    let json = a.export_json().unwrap();
    let mut b = Crm::open_in_memory().unwrap();
    b.create_team("Restore", "Admin").unwrap();
    let r = b.import_json(&json).unwrap();
    assert!(r.created.len() >= 5);
    let again = b.export_json().unwrap();
    let norm = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        let list = v["entities"].as_array_mut().unwrap();
        // The restoring team made its own default stages; compare the rest.
        list.retain(|e| e["kind"] != "stage");
        list.sort_by_key(|e| e["id"].as_str().unwrap().to_string());
        v
    };
    assert_eq!(norm(&json), norm(&again));
    assert!(
        b.person(&extra).unwrap().unwrap().deleted,
        "trash travels too"
    );
    assert!(b.import_json("{\"not\": \"deko\"}").is_err());
    assert!(b.import_json("nonsense").is_err());
}

#[test]
fn old_charset_exports_import_with_names_intact_and_the_guess_said() {
    let mut c = crm();
    for (file, given, family) in [
        ("charsets/outlook-windows-1250-qp.vcf", "Řehoř", "Dvořák"),
        ("charsets/nokia-iso-8859-2-8bit.vcf", "Řehoř", "Dvořák"),
        ("charsets/outlook-windows-1252-qp.vcf", "Jürgen", "Groß"),
        ("charsets/android-koi8-r-qp.vcf", "Фёдор", "Достоевский"),
    ] {
        let mut c = crm();
        let report = c.import_vcard(file, &fixture(file)).unwrap();
        assert_eq!(report.created.len(), 1, "{file}: {report:?}");
        assert!(
            report.warnings.iter().all(|w| !w.contains("guess")),
            "{file}: labelled, nothing guessed: {report:?}"
        );
        let p = c.person(&report.created[0]).unwrap().unwrap();
        assert_eq!(
            (p.given.as_deref(), p.family.as_deref()),
            (Some(given), Some(family)),
            "{file}"
        );
        assert!(
            c.search(family, 0, 5).unwrap().iter().any(|h| h.id == p.id),
            "{file}: searchable"
        );
    }
    // No charset named: guessed, and the report says which.
    let file = "charsets/outlook-windows-1250-unlabelled.vcf";
    let report = c.import_vcard(file, &fixture(file)).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains(file) && w.contains("windows-1250") && w.contains("guess")),
        "{report:?}"
    );
    let p = c.person(&report.created[0]).unwrap().unwrap();
    assert_eq!(p.display_name, "Řehoř Dvořák");
    assert_eq!(
        p.company_name.as_deref(),
        Some("Kovárna Nováková s.r.o."),
        "{p:?}"
    );
    // A fresh database: the same Outlook card's numbers would make a duplicate.
    let mut c = crm();
    let file = "charsets/outlook-windows-1252-unlabelled.vcf";
    let report = c.import_vcard(file, &fixture(file)).unwrap();
    assert!(
        report.warnings.iter().any(|w| w.contains("guess")),
        "{report:?}"
    );
    let p = c.person(&report.created[0]).unwrap().unwrap();
    assert_eq!(p.display_name, "Jürgen Groß");
}

fn csv_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/csv/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn cz_crm() -> Crm {
    let mut c = crm();
    c.set_region("CZ").unwrap();
    c
}

fn all_people(c: &Crm) -> Vec<deko_core::model::Person> {
    c.people(
        SortBy::Name,
        &Page {
            offset: 0,
            limit: 1000,
        },
    )
    .unwrap()
}

#[test]
fn pipedrive_people_csv_imports_with_companies_phones_and_emails() {
    let mut c = cz_crm();
    let r = c
        .import_csv(
            "pipedrive-people.csv",
            &csv_fixture("pipedrive-people.csv"),
            false,
        )
        .unwrap();
    assert_eq!(r.records, CsvRecords::People);
    assert_eq!((r.rows, r.created), (3, 3));
    assert_eq!(r.report.companies_created, 2, "Žlutý kůň once");
    assert_eq!(r.unknown_columns, ["Owner"]);
    let col = |h: &str| {
        r.columns
            .iter()
            .find(|c| c.header == h)
            .unwrap()
            .field
            .clone()
    };
    assert_eq!(col("First name").as_deref(), Some("given"));
    assert_eq!(col("Organization").as_deref(), Some("company"));
    assert_eq!(col("Owner"), None);
    // The bad phone ("12") is kept as written, with a warning naming the line.
    assert!(
        r.report
            .warnings
            .iter()
            .any(|w| w.contains("line 4") && w.contains("\"12\"")),
        "{:?}",
        r.report.warnings
    );
    let jana = c.person(&r.report.created[0]).unwrap().unwrap();
    assert_eq!(jana.display_name, "Jana Nováková");
    assert_eq!(jana.company_name.as_deref(), Some("Žlutý kůň a.s."));
    assert_eq!(jana.phones[0].number, "+420603123456");
    assert_eq!(
        jana.emails,
        ["jana.novakova@zlutykun.cz", "jana@example.cz"]
    );
    assert_eq!(jana.tags, ["Hot lead"]);
    let rehor = c.person(&r.report.created[1]).unwrap().unwrap();
    assert_eq!(
        (rehor.given.as_deref(), rehor.family.as_deref()),
        (Some("Řehoř"), Some("Dvořák"))
    );
    assert_eq!(rehor.phones[0].number, "+420602987654");
}

#[test]
fn hubspot_and_salesforce_contacts_import() {
    let mut c = cz_crm();
    let h = c
        .import_csv(
            "hubspot-contacts.csv",
            &csv_fixture("hubspot-contacts.csv"),
            false,
        )
        .unwrap();
    assert_eq!((h.rows, h.created), (2, 2), "{:?}", h.report);
    assert_eq!(h.unknown_columns, ["Lifecycle Stage", "Contact owner"]);
    let j = c.person(&h.report.created[0]).unwrap().unwrap();
    assert_eq!(j.display_name, "Jürgen Groß");
    assert_eq!(j.title.as_deref(), Some("Geschäftsführer"));
    assert_eq!(j.company_name.as_deref(), Some("Bäckerei Groß GmbH"));
    let numbers: Vec<_> = j
        .phones
        .iter()
        .map(|p| (p.label, p.number.as_str()))
        .collect();
    assert_eq!(
        numbers,
        [
            (PhoneLabel::Work, "+497111234567"),
            (PhoneLabel::Mobile, "+4915123456789")
        ]
    );
    let s = c
        .import_csv(
            "salesforce-contacts.csv",
            &csv_fixture("salesforce-contacts.csv"),
            false,
        )
        .unwrap();
    assert_eq!((s.rows, s.created), (2, 2), "{:?}", s.report);
    assert_eq!(s.unknown_columns, ["Lead Source"]);
    let z = c.person(&s.report.created[0]).unwrap().unwrap();
    assert_eq!(z.display_name, "Zdeněk Černý");
    assert_eq!(z.company_name.as_deref(), Some("Strojírny Černý a.s."));
    assert_eq!(
        z.address.as_deref(),
        Some("Křenová 15, Brno, 602 00, Czech Republic")
    );
    assert_eq!(z.emails, ["zdenek.cerny@strojirny-cerny.cz"]);
    assert_eq!(z.phones.len(), 2);
    // An empty cell adds no phone.
    let m = c.person(&s.report.created[1]).unwrap().unwrap();
    assert_eq!(m.phones.len(), 1);
}

#[test]
fn pipedrive_organizations_become_companies_and_repeat_as_duplicates() {
    let mut c = cz_crm();
    let bytes = csv_fixture("pipedrive-organizations.csv");
    let r = c.import_csv("orgs.csv", &bytes, false).unwrap();
    assert_eq!(r.records, CsvRecords::Companies);
    assert_eq!(r.created, 2);
    let co = c.company(&r.report.created[1]).unwrap().unwrap();
    assert_eq!(co.name.as_deref(), Some("Bäckerei Groß GmbH"));
    assert_eq!(
        co.address.as_deref(),
        Some("Königstraße 5, 70173 Stuttgart, Deutschland")
    );
    let again = c.import_csv("orgs.csv", &bytes, false).unwrap();
    assert_eq!(again.created, 0);
    assert_eq!(again.report.duplicates.len(), 2);
    assert_eq!(again.report.duplicates[0].matched, "name");
}

#[test]
fn csv_duplicates_are_found_as_for_vcard() {
    let mut c = cz_crm();
    // Jana is here from a vCard with the same mobile number.
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana Nováková\r\nTEL;TYPE=CELL:603 123 456\r\nEND:VCARD\r\n";
    let v = c.import_vcard("jana.vcf", card.as_bytes()).unwrap();
    let r = c
        .import_csv(
            "pipedrive-people.csv",
            &csv_fixture("pipedrive-people.csv"),
            false,
        )
        .unwrap();
    assert_eq!(r.created, 2);
    assert_eq!(r.report.duplicates.len(), 1);
    assert_eq!(r.report.duplicates[0].existing, v.created[0]);
    assert!(r.report.duplicates[0].matched.starts_with("phone"));
    // The whole file again: everyone is a duplicate (by phone or email).
    let again = c
        .import_csv(
            "pipedrive-people.csv",
            &csv_fixture("pipedrive-people.csv"),
            false,
        )
        .unwrap();
    assert_eq!((again.created, again.report.duplicates.len()), (0, 3));
    // Twice in one file: the second row is a duplicate of the first, and a
    // dry run says so too.
    let twice =
        "First Name,Last Name,Email\nAnna,Köhler,anna@example.de\nAnna,Köhlerová,ANNA@example.de\n";
    for dry in [true, false] {
        let r = c.import_csv("twice.csv", twice.as_bytes(), dry).unwrap();
        assert_eq!((r.created, r.report.duplicates.len()), (1, 1), "{r:?}");
    }
}

#[test]
fn csv_dry_run_writes_nothing_and_says_what_would_happen() {
    let mut c = cz_crm();
    let before = c.store().record_count().unwrap();
    let bytes = csv_fixture("pipedrive-people.csv");
    let dry = c.import_csv("p.csv", &bytes, true).unwrap();
    assert!(dry.dry_run);
    assert_eq!((dry.created, dry.report.companies_created), (3, 2));
    assert!(dry.report.created.is_empty());
    assert_eq!(c.store().record_count().unwrap(), before);
    assert!(
        all_people(&c)
            .iter()
            .all(|p| p.display_name != "Jana Nováková")
    );
    // The real import does what the dry run said, and writing still works.
    let real = c.import_csv("p.csv", &bytes, false).unwrap();
    assert_eq!((real.created, real.report.companies_created), (3, 2));
    assert_eq!(real.columns, dry.columns);
}

#[test]
fn bad_csv_is_refused_and_nothing_is_stored() {
    let mut c = cz_crm();
    let before = c.store().record_count().unwrap();
    let no_known = c.import_csv("x.csv", b"Foo,Bar\n1,2\n", false).unwrap_err();
    assert!(
        no_known.to_string().contains("no column gives a name"),
        "{no_known}"
    );
    assert!(no_known.to_string().contains("Foo, Bar"), "{no_known}");
    // A good first row and a broken second one: nothing is stored.
    let ragged = c
        .import_csv(
            "r.csv",
            "Name,Phone\nJana Nováková,603123456\nPetr,1,2,3\n".as_bytes(),
            false,
        )
        .unwrap_err();
    assert!(ragged.to_string().contains("r.csv"), "{ragged}");
    let binary = c
        .import_csv("b.csv", b"\x89PNG\r\n\x1a\n\0\0\0", false)
        .unwrap_err();
    assert!(binary.to_string().contains("not a CSV"), "{binary}");
    let empty = c.import_csv("e.csv", b"", false).unwrap_err();
    assert!(empty.to_string().contains("e.csv"), "{empty}");
    assert_eq!(c.store().record_count().unwrap(), before);
}

#[test]
fn semicolon_csv_in_windows_1250_imports() {
    // What Excel writes in a Czech locale: `;` and windows-1250.
    let text = "Jméno;Příjmení;First name;Last name;E-mail\n;;Řehoř;Dvořák;rehor@example.cz\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(text);
    let mut c = cz_crm();
    let r = c.import_csv("excel.csv", &bytes, false).unwrap();
    assert_eq!(r.created, 1, "{:?}", r.report);
    assert!(r.report.warnings.iter().any(|w| w.contains("windows-1250")));
    let p = c.person(&r.report.created[0]).unwrap().unwrap();
    assert_eq!(p.display_name, "Řehoř Dvořák");
    // With Excel's "sep=" line (and commas in the cells).
    let text = "sep=;\r\nName;Organization;Phone\r\n\"Groß, Jürgen\";Bäckerei Groß GmbH;+49 711 1234567\r\n";
    let r = c.import_csv("sep.csv", text.as_bytes(), false).unwrap();
    assert_eq!((r.rows, r.created), (1, 1), "{:?}", r.report);
    assert_eq!(r.columns[1].field.as_deref(), Some("company"));
    let j = c.person(&r.report.created[0]).unwrap().unwrap();
    assert_eq!(
        (j.given.as_deref(), j.family.as_deref()),
        (Some("Jürgen"), Some("Groß"))
    );
}

#[test]
fn csv_export_cells_cannot_run_as_formulas() {
    let mut c = crm();
    c.create_company(CompanyDraft {
        name: Some("=HYPERLINK(\"http://evil\",\"x\")".into()),
        note: Some("@SUM(A1)".into()),
        ..Default::default()
    })
    .unwrap();
    c.create_person(PersonDraft {
        given: Some("+Jana".into()),
        family: Some("-Nováková".into()),
        note: Some("=1+1".into()),
        ..Default::default()
    })
    .unwrap();
    let companies = c.export_companies_csv().unwrap();
    assert!(
        companies.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""),
        "{companies}"
    );
    assert!(companies.contains(",'@SUM(A1)"), "{companies}");
    let people = c.export_people_csv().unwrap();
    assert!(people.contains(",'+Jana,'-Nováková,"), "{people}");
    assert!(people.contains(",'=1+1\r\n"), "{people}");
    // Ordinary cells are as they were.
    assert!(!people.contains("'id"), "{people}");
}
