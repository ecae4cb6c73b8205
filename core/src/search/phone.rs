//! Phone numbers in E.164 form ("+420603123456"), so a contact matches whichever way its
//! number was typed, imported or presented by a caller.
//!
//! Numbering plans, trunk prefixes, international prefixes and the grouping for display come
//! from libphonenumber's metadata through the `rlibphonenumber` crate. It was chosen over the
//! `phonenumber` crate (both Apache-2.0 ports of libphonenumber) because on libphonenumber's own
//! example numbers of every region it read back every national and international form (489 of
//! 489 fixed-line and mobile examples), where `phonenumber` 0.3.10 misread 9 whose national
//! number begins with the digits of the calling code (Guadeloupe, Réunion, Rwanda, Kazakhstan,
//! ...; its open issue #68), and it fails on "+1 650-253-0000" (issue #83); it reads a number
//! about six times faster (0.3 µs against 1.7 µs), adds less to a binary (2.3 MB against
//! 3.3 MB stripped), and follows libphonenumber's releases closely (metadata 9.0.42). Its price
//! is Rust 1.88.
//!
//! What Deko decides on top of the library:
//! - A number is accepted when its length is possible for its region (libphonenumber's
//!   "possible", not "valid"): a range opened after the metadata was made, or a fictional
//!   555 number, is still stored; a wrong length is refused with the reason.
//! - Extensions ("ext. 12", "x12", "#12", "kl. 12", tel: ";ext=12") are dropped: E.164 has no
//!   place for them. Other tel: URI parameters (";phone-context=...") are dropped too.
//! - Letters are refused, vanity numbers such as 1-800-FLOWERS included: guessing keypad digits
//!   could store a wrong number silently.
//! - "00" works like "+" in every region (besides the region's own prefix, e.g. 011 in the
//!   US), and a caller id without its "+" is tried as international ([`lookup_keys`]); where
//!   both readings are possible, the one libphonenumber knows as valid wins.

mod region;

pub use region::Region;

use rlibphonenumber::{
    PHONE_NUMBER_UTIL as UTIL, ParseError, PhoneNumber, PhoneNumberFormat, ValidationError,
};

use crate::Error;

/// Longest input read, in characters; real numbers with an extension fit easily.
pub const MAX_INPUT_CHARS: usize = 64;

/// Characters people put between digits: spaces of any kind, dashes, dots, slashes,
/// parentheses, and the invisible marks that copying from web pages and phones leaves behind.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '/' | '(' | ')' | '[' | ']' | '\u{2010}'..='\u{2015}' | '\u{2212}'
                | '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// Cuts tel: URI parameters (";ext=12") and a trailing extension ("ext. 12", "x12", "#12",
/// "kl. 12"); a marker counts only when digits stand before it and only digits after it.
fn strip_extension(s: &str) -> &str {
    let s = match s.find(';') {
        Some(i) if s[i..].contains('=') => &s[..i],
        _ => s,
    };
    let lower = s.to_ascii_lowercase(); // same byte offsets as `s`
    for (at, _) in lower.char_indices() {
        let tail = &lower[at..];
        let Some(marker) = ["extension", "ext", "kl", "x", "#"]
            .into_iter()
            .find(|m| tail.starts_with(m))
        else {
            continue;
        };
        let ext = tail[marker.len()..]
            .trim_start_matches(|c: char| matches!(c, '.' | ':' | '=') || c.is_whitespace());
        let ext = ext.trim_end();
        if (1..=8).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_digit())
            && s[..at].bytes().any(|b| b.is_ascii_digit())
        {
            return &s[..at];
        }
    }
    s
}

/// The input as quoted in an error: cut short when it is over the length limit.
fn shown(input: &str) -> String {
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        input.chars().take(MAX_INPUT_CHARS).chain(['…']).collect()
    } else {
        input.to_string()
    }
}

/// Reads a phone number in any common written form and returns it in E.164 ("+420603123456").
///
/// Numbers without a country code are read by `default_region`'s rules: its trunk prefix is
/// dropped ("030 1234567" in DE, "0721 123 456" in RO), and so is one written after a country
/// code ("+49 (0)30 1234567", "+40 0721 123 456"), except where the 0 belongs to the number
/// (Italy). "00", and the region's own international prefix ("011" in the US), work like "+".
/// Extensions are dropped; letters are refused (see the module doc). Errors name the input and
/// say why it cannot be read.
pub fn normalize(input: &str, default_region: &Region) -> Result<String, Error> {
    reading(input, default_region).map(|r| r.e164)
}

/// A number read once (`reading`): its E.164 form, and libphonenumber's
/// reading of it, from which the national forms come without reading the
/// number again (an import's projection needs both).
#[derive(Clone, Debug)]
pub struct Reading {
    /// The number in E.164 ("+420603123456").
    pub e164: String,
    number: PhoneNumber,
}

impl Reading {
    /// `national_forms` of this number.
    pub fn national_forms(&self) -> Option<(String, String)> {
        forms_of(&self.number)
    }
}

/// `normalize`, keeping the reading for `Reading::national_forms`.
pub fn reading(input: &str, default_region: &Region) -> Result<Reading, Error> {
    if let Some(hit) = recent::get(input, default_region) {
        return Ok(hit);
    }
    let (e164, number) = read_number(input, default_region)?;
    let reading = Reading { e164, number };
    recent::put(input, default_region, &reading);
    Ok(reading)
}

/// The last few numbers read, per thread: a number is read when it is
/// checked, when it is stored and when its entity is projected, and
/// libphonenumber's reading is the dearest part of an import's person.
mod recent {
    use std::cell::RefCell;

    use super::{Reading, Region};

    /// Numbers kept; a person's numbers are read again within a few calls.
    const KEPT: usize = 16;

    type Entry = ([u8; 2], String, Reading);

    thread_local! {
        static RECENT: RefCell<(usize, Vec<Entry>)> = const { RefCell::new((0, Vec::new())) };
    }

    fn region_key(r: &Region) -> [u8; 2] {
        let c = r.code().as_bytes();
        [c[0], c.get(1).copied().unwrap_or(0)]
    }

    pub(super) fn get(input: &str, region: &Region) -> Option<Reading> {
        let key = region_key(region);
        RECENT.with(|r| {
            r.borrow()
                .1
                .iter()
                .find(|(k, i, _)| *k == key && i == input)
                .map(|(_, _, e)| e.clone())
        })
    }

    pub(super) fn put(input: &str, region: &Region, reading: &Reading) {
        let entry = (region_key(region), input.to_string(), reading.clone());
        RECENT.with(|r| {
            let (next, kept) = &mut *r.borrow_mut();
            if kept.len() < KEPT {
                kept.push(entry);
            } else {
                kept[*next] = entry;
                *next = (*next + 1) % KEPT;
            }
        });
    }
}

/// `normalize`, with libphonenumber's reading of the number.
fn read_number(input: &str, region: &Region) -> Result<(String, PhoneNumber), Error> {
    parse(input, region).map_err(|reason| Error::InvalidPhoneNumber {
        input: shown(input),
        reason,
    })
}

/// Collects the digits of a number written with separators, "+" first if it began with one.
/// The reason for a refusal comes back as `Err`.
fn scan(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut digits = 0;
    for c in text.chars() {
        match c {
            '0'..='9' => {
                out.push(c);
                digits += 1;
            }
            '+' if out.is_empty() => out.push('+'),
            '+' => Err("a '+' may only stand at the start of the number")?,
            c if is_separator(c) => {}
            c if c.is_alphabetic() => Err("it contains letters; only an extension such as \
                \"ext. 12\" may follow the number, and vanity numbers such as 1-800-FLOWERS \
                are not converted")?,
            c => Err(format!(
                "it contains {c:?}, which does not belong in a phone number"
            ))?,
        }
    }
    if digits == 0 {
        Err("it contains no digits")?;
    }
    Ok(out)
}

/// `normalize` with the reason for a refusal as a plain string.
fn parse(input: &str, region: &Region) -> Result<(String, PhoneNumber), String> {
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        Err(format!("it is longer than {MAX_INPUT_CHARS} characters"))?;
    }
    let mut text = input.trim();
    if text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("tel:"))
    {
        text = &text[4..];
    }
    if text.trim().is_empty() {
        Err("it is empty")?;
    }
    let cleaned = scan(strip_extension(text))?;
    let first = possible(&cleaned, region);
    if let Some(rest) = cleaned.strip_prefix("00")
        && !first.as_ref().is_ok_and(|(_, n)| n.is_valid())
    {
        // "00" dialled where another international prefix is the rule (011 in the US,
        // 0011 in Australia, a carrier's 0015 in Brazil): taken when it reads better.
        if let Ok(other) = possible(&format!("+{rest}"), region)
            && (first.is_err() || other.1.is_valid())
        {
            return Ok(other);
        }
    }
    first
}

/// The E.164 form of `cleaned` ("+" and digits, or digits) read in `region`, if its length is
/// possible there, with libphonenumber's reading; else the reason.
fn possible(cleaned: &str, region: &Region) -> Result<(String, PhoneNumber), String> {
    let number = UTIL
        .parse(cleaned, Some(region.lib()))
        .map_err(|e| parse_reason(&e, cleaned, region))?;
    match number.is_possible_with_reason() {
        Ok(rlibphonenumber::NumberLengthType::IsPossible) => {
            let e164 = number.format_as(PhoneNumberFormat::E164).into_owned();
            if e164.len() > 16 {
                return Err(format!(
                    "too many digits for {}: E.164 allows 15 with the country code",
                    place(&number)
                ));
            }
            // What is stored must read back as itself: "+49 0 030..." would lose a
            // second trunk prefix on the next reading, and in China a carrier code
            // (11xx, 179xx) dialled after the trunk 0 would go then.
            let back = from_e164(&e164).map(|n| n.format_as(PhoneNumberFormat::E164).into_owned());
            if back.as_deref() == Some(e164.as_str()) {
                return Ok((e164, number));
            }
            let nsn = &e164[1 + number.country_code.to_string().len()..];
            if nsn.starts_with('0') {
                return Err(format!(
                    "numbers in {} cannot begin with 0 after the country code or trunk prefix",
                    place(&number),
                ));
            }
            Err(match back {
                Some(other) => format!(
                    "with its country code it is {e164}, which reads as another number, \
                     {other} (is a carrier or dialling code written before it?)"
                ),
                None => format!("{e164} does not read back as a number"),
            })
        }
        Ok(rlibphonenumber::NumberLengthType::IsPossibleLocalOnly) => Err(format!(
            "it is a local number without its area code; {} needs the area code",
            place(&number)
        )),
        Err(e) => Err(length_reason(&e, &number)),
    }
}

/// "CZ (+420)", or "+882" for a calling code of no one region.
fn place(number: &PhoneNumber) -> String {
    let cc = number.country_code;
    let main = u16::try_from(cc).ok().and_then(Region::by_calling_code);
    match main {
        Some(r) if cc != 1 => format!("{} (+{cc})", r.code()),
        _ => format!("+{cc}"),
    }
}

fn parse_reason(e: &ParseError, cleaned: &str, region: &Region) -> String {
    match e {
        ParseError::InvalidCountryCode => {
            let rest = cleaned.trim_start_matches('+');
            let rest = rest.strip_prefix("00").unwrap_or(rest);
            if rest.is_empty() {
                return "no country calling code follows the international prefix".into();
            }
            let head = &rest[..rest.len().min(3)];
            format!("+{head} does not start with a known country calling code")
        }
        ParseError::TooShortAfterIdd => "too few digits follow the international prefix".into(),
        ParseError::TooShortNsn => format!(
            "too few digits for a phone number in {} (+{})",
            region.code(),
            region.calling_code
        ),
        ParseError::TooLongNsn => "too many digits for a phone number".into(),
        ParseError::NotANumber(_) => "it is not a phone number".into(),
    }
}

fn length_reason(e: &ValidationError, number: &PhoneNumber) -> String {
    let found = number.get_national_significant_number().len();
    let at = place(number);
    match e {
        ValidationError::InvalidCountryCode => {
            format!(
                "+{} is not a known country calling code",
                number.country_code
            )
        }
        ValidationError::TooShort => {
            format!("too few digits for {at}: this national number has {found}")
        }
        ValidationError::TooLong => {
            format!("too many digits for {at}: this national number has {found}")
        }
        _ => format!("no number in {at} has {found} digits after the country code"),
    }
}

/// Reads a number that a phone or a person presented: the first of
/// [`lookup_keys`] (the normalized form, or a caller id that dropped its "+"),
/// or the normalizing error.
pub fn read(input: &str, default_region: &Region) -> Result<String, Error> {
    match lookup_keys(input, default_region).into_iter().next() {
        Some(n) => Ok(n),
        None => normalize(input, default_region),
    }
}

/// The E.164 numbers to look up for a number a caller presented, perhaps written loosely.
///
/// Normally one: the normalized number. When that fails, or reads as a number no one has
/// (possible but not valid), and the input has at least 11 digits with no "+" or "00", it is
/// tried as international once more, because caller ID often drops the "+" ("420603123456").
/// Empty when neither reads; the reason is of no use to a lookup.
pub fn lookup_keys(input: &str, default_region: &Region) -> Vec<String> {
    let national = read_number(input, default_region).ok();
    if let Some((e164, number)) = &national
        && number.is_valid()
    {
        return vec![e164.clone()];
    }
    let trimmed = input.trim();
    let digit_count = trimmed.chars().filter(char::is_ascii_digit).count();
    if trimmed.starts_with(|c: char| matches!(c, '1'..='9'))
        && digit_count >= 11
        && let Ok((e164, number)) = read_number(&format!("+{trimmed}"), default_region)
        && (national.is_none() || number.is_valid())
    {
        // "15551234567" has a possible length in CZ too, but no Czech number is like it.
        return vec![e164];
    }
    national.into_iter().map(|(e164, _)| e164).collect()
}

/// Whether an E.164 number is one libphonenumber's metadata knows as assigned (a number
/// may be possible, with the right length, without being valid).
pub fn is_valid(e164: &str) -> bool {
    from_e164(e164).is_some_and(|n| n.is_valid())
}

/// An E.164 string as libphonenumber's number, if it is one.
fn from_e164(e164: &str) -> Option<PhoneNumber> {
    if !e164.starts_with('+') || e164.len() > 16 || !e164[1..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    UTIL.parse(e164, None).ok()
}

/// The national significant number of an E.164 number: the digits after
/// the country calling code ("+420603123456" -> "603123456").
pub fn national_number(e164: &str) -> Option<String> {
    let n = from_e164(e164)?.get_national_significant_number();
    (!n.is_empty()).then_some(n)
}

/// The national significant number and the digits as dialled at home, from one reading:
/// "+40721123456" gives ("721123456", "0721123456").
pub fn national_forms(e164: &str) -> Option<(String, String)> {
    forms_of(&from_e164(e164)?)
}

/// `national_forms` of a number read.
fn forms_of(n: &PhoneNumber) -> Option<(String, String)> {
    let nsn = n.get_national_significant_number();
    let dialled = n
        .format_as(PhoneNumberFormat::National)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    (!nsn.is_empty()).then_some((nsn, dialled))
}

/// An E.164 number grouped for display the international way, as its country writes it:
/// "+420 603 123 456", "+44 20 7946 0958", "+1 555-123-4567". A string that is not E.164
/// comes back unchanged, so this is safe on stored data of any quality.
pub fn format_international(e164: &str) -> String {
    match from_e164(e164) {
        Some(n) => n.format_as(PhoneNumberFormat::International).into_owned(),
        None => e164.to_string(),
    }
}

/// An E.164 number as dialled inside its own country: "603 123 456", "020 7946 0958",
/// "(555) 123-4567". Unchanged when it is not E.164.
pub fn format_national(e164: &str) -> String {
    match from_e164(e164) {
        Some(n) => n.format_as(PhoneNumberFormat::National).into_owned(),
        None => e164.to_string(),
    }
}

/// How a database whose region is `home` shows a stored number: national form for numbers of
/// its own calling code (NANP numbers among themselves too), international for the rest.
/// Unchanged when it is not E.164.
pub fn display(e164: &str, home: &Region) -> String {
    match from_e164(e164) {
        Some(n) if n.country_code == i32::from(home.calling_code) => {
            n.format_as(PhoneNumberFormat::National).into_owned()
        }
        Some(n) => n.format_as(PhoneNumberFormat::International).into_owned(),
        None => e164.to_string(),
    }
}

#[cfg(test)]
mod tests;
