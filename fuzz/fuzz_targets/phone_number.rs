//! Phone numbers from outside (a call log's caller id, an address book's
//! field, a CSV cell, a search box) through `search::phone`.
//!
//! Input: byte 0 picks the default region (of every region libphonenumber
//! knows), the rest is the number as text (lossy UTF-8). Checks, besides
//! never panicking:
//! - a number that reads gives E.164 ("+" and digits) that reads again,
//!   under any region, to itself: a stored number is found again;
//! - what a call log stores for a caller id (`read`), written as the apps
//!   show it, is found again by a caller lookup;
//! - its national forms, its formats and its display are made without
//!   failing;
//! - what fails to read fails with an error, never a panic.

#![no_main]

use deko_core::search::phone::{self, Region};
use libfuzzer_sys::fuzz_target;

/// `e164`, read from `input`, is "+" and digits and reads again to itself
/// under any region: a stored number is found again.
fn rereads(input: &str, e164: &str, region: &Region) {
    assert!(
        e164.starts_with('+') && e164.len() > 1 && e164[1..].bytes().all(|b| b.is_ascii_digit()),
        "{input:?} read as {e164:?}"
    );
    let all = Region::all();
    for other in [region, &all[0], &all[all.len() / 2]] {
        let again = phone::normalize(e164, other);
        assert_eq!(
            again.as_deref().ok(),
            Some(e164),
            "{input:?} read as {e164}, which reads as {again:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let all = Region::all();
    let region = &all[usize::from(pick) % all.len()];
    let input = String::from_utf8_lossy(rest);

    let _ = phone::lookup_keys(&input, region);
    // What a call log stores (`read`), written as the apps show it, is
    // found again by a caller lookup.
    if let Ok(read) = phone::read(&input, region) {
        rereads(&input, &read, region);
        let shown = phone::format_international(&read);
        assert_eq!(
            phone::lookup_keys(&shown, region).first(),
            Some(&read),
            "{input:?} stored as {read}, shown as {shown:?}"
        );
    }
    let Ok(reading) = phone::reading(&input, region) else {
        return;
    };
    let e164 = reading.e164.clone();
    rereads(&input, &e164, region);
    let _ = reading.national_forms();
    let _ = phone::national_forms(&e164);
    let _ = phone::national_number(&e164);
    let _ = phone::is_valid(&e164);
    let _ = phone::format_international(&e164);
    let _ = phone::format_national(&e164);
    let _ = phone::display(&e164, region);
});
