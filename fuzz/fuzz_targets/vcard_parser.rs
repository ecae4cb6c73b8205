//! vCard files from outside (an address book's export, in any of the
//! encodings old phones wrote) through `model::vcard`.
//!
//! Input: byte 0 picks the region hint for guessing an unnamed charset,
//! the rest is the file. Checks, besides never panicking: a file that
//! parses is written back (`vcard::write`, the export) to a file that
//! parses to as many cards, with the same names, numbers and emails: what
//! Deko exports it reads again.

#![no_main]

use deko_core::model::vcard;
use libfuzzer_sys::fuzz_target;

const REGIONS: [Option<&str>; 6] = [
    None,
    Some("CZ"),
    Some("DE"),
    Some("RU"),
    Some("JP"),
    Some("US"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let region = REGIONS[usize::from(pick) % REGIONS.len()];
    let Ok(parsed) = vcard::parse_file("fuzz.vcf", file, region) else {
        return;
    };
    let written = vcard::write(&parsed.cards);
    let again = match vcard::parse("export.vcf", &written) {
        Ok(cards) => cards,
        Err(e) => panic!(
            "the export of {} cards does not parse: {e}\n{written}",
            parsed.cards.len()
        ),
    };
    assert_eq!(again.len(), parsed.cards.len(), "{written}");
    for (a, b) in parsed.cards.iter().zip(&again) {
        assert_eq!(a.given, b.given, "{written}");
        assert_eq!(a.family, b.family, "{written}");
        assert_eq!(a.phones, b.phones, "{written}");
        assert_eq!(a.emails, b.emails, "{written}");
    }
});
