//! Import and export: vCard (real exports from ten address books), CSV,
//! JSON, with round trips and bad input.

use deko_core::Error;
use deko_core::model::{CompanyDraft, Crm, Page, PersonDraft, PhoneLabel, SortBy};

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
