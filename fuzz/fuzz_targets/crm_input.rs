//! What a user or a file hands the CRM: a search box's text, a caller's
//! number, a vCard, CSV or JSON file to import, through `model::Crm` over
//! an in-memory database holding a few people, companies and notes.
//!
//! Input: byte 0 picks the door (search, caller lookup, vCard import, CSV
//! import as a dry run, JSON import), the rest is what comes through it.
//! Checks, besides never panicking: a search never fails, whatever the
//! text (a query is words, not syntax) but for its length, nor does a
//! caller lookup but for a number it cannot read; an import
//! either stores what its report says or fails and stores nothing.

#![no_main]

use std::cell::RefCell;

use deko_core::ErrorKind;
use deko_core::model::Crm;
use deko_core::search::MAX_QUERY_CHARS;
use libfuzzer_sys::fuzz_target;

const PEOPLE: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nováková;Jana;;;\r\nORG:Acme s.r.o.\r\n\
TEL;TYPE=CELL:+420 603 123 456\r\nEMAIL:jana@acme.cz\r\nNOTE:met at the \"fair\" (Brno) - AND/OR*\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Jürgen;;;\r\nTEL:030 1234567\r\nEND:VCARD\r\n";

/// Runs on one database this many inputs, then starts a fresh one (imports
/// make it grow).
const RUNS_PER_DATABASE: u32 = 500;

thread_local! {
    static CRM: RefCell<Option<(Crm, u32)>> = const { RefCell::new(None) };
}

fn fresh() -> Crm {
    let mut crm = Crm::open_in_memory().expect("in-memory database");
    crm.create_team("Fuzz", "F").expect("team");
    crm.import_vcard("people.vcf", PEOPLE.as_bytes())
        .expect("people");
    crm
}

fn people(crm: &Crm) -> u64 {
    crm.stats().expect("stats").people
}

fuzz_target!(|data: &[u8]| {
    let Some((&door, input)) = data.split_first() else {
        return;
    };
    CRM.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell
            .as_ref()
            .is_none_or(|(_, runs)| *runs >= RUNS_PER_DATABASE)
        {
            *cell = Some((fresh(), 0));
        }
        let (crm, runs) = cell.as_mut().expect("set above");
        *runs += 1;
        let text = String::from_utf8_lossy(input);
        match door % 5 {
            0 => match crm.search(&text, 0, 50) {
                Ok(_) => {}
                Err(_) if text.chars().count() > MAX_QUERY_CHARS => {}
                Err(e) => panic!("search {text:?} failed: {e}"),
            },
            1 => match crm.lookup_number(&text) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::InvalidPhoneNumber => {}
                Err(e) => panic!("caller lookup {text:?} failed: {e}"),
            },
            2 => {
                let before = people(crm);
                match crm.import_vcard("fuzz.vcf", input) {
                    Ok(report) => assert_eq!(
                        people(crm),
                        before + report.created.len() as u64,
                        "{report:?}"
                    ),
                    Err(_) => assert_eq!(people(crm), before, "a failed import stored people"),
                }
            }
            3 => {
                let before = crm.stats().expect("stats");
                let _ = crm.import_csv("fuzz.csv", input, true);
                let after = crm.stats().expect("stats");
                assert_eq!(
                    (before.people, before.companies),
                    (after.people, after.companies),
                    "a dry run stored something"
                );
            }
            _ => {
                let before = people(crm);
                if crm.import_json(&text).is_err() {
                    assert_eq!(people(crm), before, "a failed import stored people");
                }
            }
        }
    });
});
