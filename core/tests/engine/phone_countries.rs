//! Caller lookup in 42 countries: a person saved with the number as
//! written at home is found by every way the number reaches a phone or a
//! person elsewhere. The numbers are libphonenumber's own example mobile
//! numbers (metadata 9.0.42), with its national and international forms.

use deko_core::model::Crm;

use super::crm::{crm, person};

/// Region, E.164, national form (trunk prefix where the country dials one),
/// international form.
const EXAMPLES: &[(&str, &str, &str, &str)] = &[
    ("CZ", "+420601123456", "601 123 456", "+420 601 123 456"),
    ("SK", "+421912123456", "0912 123 456", "+421 912 123 456"),
    ("DE", "+4915123456789", "01512 3456789", "+49 1512 3456789"),
    ("AT", "+43664123456", "0664 123456", "+43 664 123456"),
    ("CH", "+41781234567", "078 123 45 67", "+41 78 123 45 67"),
    ("PL", "+48512345678", "512 345 678", "+48 512 345 678"),
    ("HU", "+36201234567", "06 20 123 4567", "+36 20 123 4567"),
    ("GB", "+447400123456", "07400 123456", "+44 7400 123456"),
    ("IE", "+353850123456", "085 012 3456", "+353 85 012 3456"),
    ("FR", "+33612345678", "06 12 34 56 78", "+33 6 12 34 56 78"),
    ("BE", "+32450001234", "0450 00 12 34", "+32 450 00 12 34"),
    ("NL", "+31612345678", "06 12345678", "+31 6 12345678"),
    ("LU", "+352628123456", "628 123 456", "+352 628 123 456"),
    ("IT", "+393123456789", "312 345 6789", "+39 312 345 6789"),
    ("ES", "+34612345678", "612 34 56 78", "+34 612 34 56 78"),
    ("PT", "+351912345678", "912 345 678", "+351 912 345 678"),
    ("DK", "+4534412345", "34 41 23 45", "+45 34 41 23 45"),
    ("SE", "+46701234567", "070-123 45 67", "+46 70 123 45 67"),
    ("NO", "+4740612345", "40 61 23 45", "+47 40 61 23 45"),
    ("FI", "+358412345678", "041 2345678", "+358 41 2345678"),
    ("US", "+12015550123", "(201) 555-0123", "+1 201-555-0123"),
    ("CA", "+15062345678", "(506) 234-5678", "+1 506-234-5678"),
    ("RO", "+40712034567", "0712 034 567", "+40 712 034 567"),
    ("HR", "+385921234567", "092 123 4567", "+385 92 123 4567"),
    ("SI", "+38631234567", "031 234 567", "+386 31 234 567"),
    ("GR", "+306912345678", "691 234 5678", "+30 691 234 5678"),
    ("BG", "+35943012345", "043 012 345", "+359 43 012 345"),
    ("UA", "+380501234567", "050 123 4567", "+380 50 123 4567"),
    ("RS", "+381601234567", "060 1234567", "+381 60 1234567"),
    ("BA", "+38761123456", "061 123 456", "+387 61 123 456"),
    ("LT", "+37061234567", "(0-612) 34567", "+370 612 34567"),
    ("LV", "+37121234567", "21 234 567", "+371 21 234 567"),
    ("EE", "+37251234567", "5123 4567", "+372 5123 4567"),
    ("TR", "+905012345678", "0501 234 56 78", "+90 501 234 56 78"),
    (
        "BR",
        "+5511961234567",
        "(11) 96123-4567",
        "+55 11 96123-4567",
    ),
    ("IN", "+918123456789", "081234 56789", "+91 81234 56789"),
    ("JP", "+819012345678", "090-1234-5678", "+81 90-1234-5678"),
    ("AU", "+61412345678", "0412 345 678", "+61 412 345 678"),
    ("MX", "+522221234567", "222 123 4567", "+52 222 123 4567"),
    (
        "AR",
        "+5491123456789",
        "011 15-2345-6789",
        "+54 9 11 2345-6789",
    ),
    ("ZA", "+27711234567", "071 123 4567", "+27 71 123 4567"),
    ("CN", "+8613123456789", "131 2345 6789", "+86 131 2345 6789"),
];

/// The ways a number is written at home: as formatted, compact, with
/// dashes, with the first group in brackets, and the international forms
/// (spaced, compact, dashed, bracketed country code, with the trunk prefix
/// kept after the country code as people often write it, with 00).
fn home_forms(e164: &str, national: &str, international: &str) -> Vec<String> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let national_digits = digits(national);
    let (cc, rest) = international
        .trim_start_matches('+')
        .split_once(' ')
        .expect("international form has a space after the calling code");
    let mut forms = vec![
        national.to_string(),
        national_digits.clone(),
        national.replace(' ', "-"),
        international.to_string(),
        e164.to_string(),
        international.replace(' ', "-"),
        format!("(+{cc}) {rest}"),
        format!("00{cc} {rest}"),
        format!("00{}", &e164[1..]),
        format!("tel:{e164}"),
    ];
    if let Some((first, tail)) = national.split_once(' ')
        && !national.contains('(')
    {
        forms.push(format!("({first}) {tail}"));
    }
    let nsn = &e164[1 + cc.len()..];
    if national_digits.starts_with('0') && !nsn.starts_with('0') {
        // "+40 0712 034 567": the trunk prefix written after the country code.
        forms.push(format!("+{cc} {national}"));
        forms.push(format!("+{cc} (0){}", &national_digits[1..]));
    }
    forms
}

fn finds(c: &mut Crm, written: &str, family: &str, at: &str) {
    if let Err(e) = found(c, written, family, at) {
        panic!("{e}");
    }
}

/// Whether looking `written` up finds the person of family name `family`;
/// the failure in words.
fn found(c: &mut Crm, written: &str, family: &str, at: &str) -> Result<(), String> {
    let found = c
        .lookup_number(written)
        .map_err(|e| format!("{at}: {written:?} unreadable: {e}"))?;
    match found
        .people
        .iter()
        .any(|p| p.family.as_deref() == Some(family))
    {
        true => Ok(()),
        false => Err(format!("{at}: {written:?} does not find {family}")),
    }
}

#[test]
fn caller_lookup_finds_home_numbers_written_every_way_in_42_countries() {
    assert!(EXAMPLES.len() >= 30);
    let mut failures = Vec::new();
    for &(region, e164, national, international) in EXAMPLES {
        let mut c = crm();
        c.set_region(region).unwrap();
        let id = person(&mut c, "Example", region, national);
        let stored = c.person(&id).unwrap().unwrap();
        assert_eq!(stored.phones[0].number, e164, "{region}: {national:?}");
        for written in home_forms(e164, national, international) {
            failures.extend(found(&mut c, &written, region, region).err());
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn caller_lookup_finds_foreign_numbers_dialled_from_abroad() {
    // A Czech database (00 abroad) and an American one (011 abroad), each
    // holding every country's number as it was written at home.
    let mut failures = Vec::new();
    for (home, idd) in [("CZ", "00"), ("US", "011")] {
        let mut c = crm();
        c.set_region(home).unwrap();
        for &(region, e164, _, international) in EXAMPLES {
            person(&mut c, "Example", region, international);
            let (cc, rest) = international[1..].split_once(' ').unwrap();
            let at = format!("{region} from {home}");
            for written in [
                format!("{idd} {cc} {rest}"),
                format!("{idd}{}", &e164[1..]),
                format!("{idd}-{cc}-{}", rest.replace(' ', "-")),
                international.to_string(),
                e164.to_string(),
            ] {
                if region == home || (home == "US" && cc == "1") {
                    continue; // dialled at home, covered above
                }
                failures.extend(found(&mut c, &written, region, &at).err());
            }
            // Caller id that dropped the "+".
            if e164.len() >= 12 && region != home {
                failures.extend(found(&mut c, &e164[1..], region, &at).err());
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_issues_examples() {
    let mut c = crm();
    let id = person(&mut c, "Ion", "Popescu", "+40 0721 123 456");
    let p = c.person(&id).unwrap().unwrap();
    assert_eq!(p.phones[0].number, "+40721123456");
    finds(&mut c, "+40721123456", "Popescu", "CZ");
    finds(&mut c, "0040 721 123 456", "Popescu", "CZ");
    assert_eq!(
        deko_core::search::phone::format_international("+442079460958"),
        "+44 20 7946 0958"
    );
    // A Romanian database reads its own national form.
    c.set_region("RO").unwrap();
    finds(&mut c, "0721 123 456", "Popescu", "RO");
    assert_eq!(c.format_phone("+40721123456"), "0721 123 456");
    assert_eq!(c.format_phone("+442079460958"), "+44 20 7946 0958");
}

#[test]
fn a_read_person_shows_each_number_as_the_region_writes_it() {
    let mut c = crm();
    c.set_region("CZ").unwrap();
    let id = person(&mut c, "Ion", "Popescu", "+40 0721 123 456");
    let p = c.person(&id).unwrap().unwrap();
    // Abroad: the international way; what to dial stays E.164.
    assert_eq!(p.phones[0].number, "+40721123456");
    assert_eq!(p.phones[0].display, "+40 721 123 456");
    // The same number in a Romanian database: the national way, at once
    // (what was shown under the old region is not kept).
    c.set_region("RO").unwrap();
    let p = c.person(&id).unwrap().unwrap();
    assert_eq!(p.phones[0].display, "0721 123 456");
    // Caller lookup carries it too.
    let found = c.lookup_number("0721 123 456").unwrap();
    assert_eq!(found.people[0].phones[0].display, "0721 123 456");
}

#[test]
fn the_v7_migration_re_reads_numbers_an_older_build_stored_without_rewriting_records() {
    use deko_core::record::{Labeled, Value};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let mut c = Crm::open(&path).unwrap();
    c.create_team("Acme", "Eva").unwrap();
    // What a version-5 build stored for "+40 0721 123 456": Romania was not
    // in its table, so the trunk prefix stayed in the number.
    let old = "+400721123456";
    let id = c
        .store_mut()
        .put(
            "person",
            None,
            vec![
                ("family".into(), Value::Text("Popescu".into())),
                (
                    "phones".into(),
                    Value::Labeled(vec![Labeled {
                        label: "mobile".into(),
                        value: old.into(),
                    }]),
                ),
            ],
        )
        .unwrap();
    // ... and its phone index, at schema version 5.
    let conn = c.store().conn();
    conn.execute("UPDATE phones SET number = ?1", [old])
        .unwrap();
    conn.pragma_update(None, "user_version", 5).unwrap();
    drop(c);

    let mut c = Crm::open(&path).unwrap();
    let version: i64 = c
        .store()
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, deko_core::store::SCHEMA_VERSION);
    finds(&mut c, "+40 721 123 456", "Popescu", "after the upgrade");
    finds(&mut c, "0040721123456", "Popescu", "after the upgrade");
    // The record is as it was written; only the derived index changed.
    let e = c.store().get(&id).unwrap().unwrap();
    match e.value("phones") {
        Some(Value::Labeled(l)) => assert_eq!(l[0].value, old),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.format_phone(old), "+40 721 123 456");
}
