//! vCard import (versions 2.1, 3.0 and 4.0) and export (4.0) for contacts.
//!
//! The reader is strict about structure and forgiving about content: a file
//! either yields every card or an [`Error::InvalidVcard`] naming the line, so a
//! caller never stores half a file. Only the fields of [`Card`] are kept; photos,
//! keys and other properties are skipped.

pub(crate) mod charset;
#[cfg(test)]
mod charset_fixtures;

use crate::Error;
use encoding_rs::Encoding as TextEncoding;
use std::collections::{HashMap, HashSet};

/// Longest unfolded content line accepted, in bytes. Binary (base64) values
/// are exempt because they are skipped rather than stored.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most `BEGIN:VCARD` blocks accepted in one file.
pub const MAX_CARDS: usize = 100_000;
/// Longest written line in octets, excluding CRLF (RFC 6350 section 3.2).
const FOLD_OCTETS: usize = 75;
/// Properties a [`Card`] is built from; everything else is dropped after checking.
const KEPT: &str = "FN N ORG TITLE TEL EMAIL ADR NOTE CATEGORIES URL X-ABLABEL";
/// TYPE words (or label fragments) per phone kind; earlier rows win.
const PHONE_WORDS: [(&[&str], PhoneKind); 4] = [
    (&["fax", "pager"], PhoneKind::Other),
    (&["cell", "mobile", "iphone"], PhoneKind::Mobile),
    (&["work"], PhoneKind::Work),
    (&["home"], PhoneKind::Home),
];

/// One contact as read from or written to a vCard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    /// `FN`; derived as "given family" from `N` when the card has no `FN`.
    pub formatted_name: Option<String>,
    /// Second component of `N`.
    pub given: Option<String>,
    /// First component of `N`.
    pub family: Option<String>,
    /// First component of the first `ORG`.
    pub organization: Option<String>,
    /// First `TITLE`.
    pub title: Option<String>,
    /// Every `TEL`, in file order.
    pub phones: Vec<CardPhone>,
    /// Every `EMAIL`, in file order.
    pub emails: Vec<String>,
    /// First `ADR` as one readable line: "pobox, extended, street, city,
    /// region postcode, country" with empty parts skipped.
    pub address: Option<String>,
    /// `NOTE`; several distinct notes are joined by a blank line.
    pub note: Option<String>,
    /// `CATEGORIES`, split on unescaped commas, without duplicates.
    pub categories: Vec<String>,
    /// First `URL`.
    pub url: Option<String>,
}

/// A phone number with the coarse kind a CRM needs.
#[derive(Debug, Clone, PartialEq)]
pub struct CardPhone {
    /// What the number is for.
    pub kind: PhoneKind,
    /// The number as written (a `tel:` URI prefix is removed).
    pub number: String,
}

/// Kind of a phone number, mapped from `TYPE` parameters or an Apple `X-ABLabel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// `cell`, `mobile`, `iphone`.
    Mobile,
    /// `work` (and not fax or pager).
    Work,
    /// `home` (and not fax or pager).
    Home,
    /// Fax, pager, main, voice alone, custom labels, no type.
    Other,
}

/// The cards of a file, and the text encoding that was guessed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// Every card, in file order.
    pub cards: Vec<Card>,
    /// The encoding of 8-bit text that named none, when the file had such
    /// text (e.g. "windows-1250"); `None` when everything was UTF-8 or
    /// labelled by a `CHARSET=` parameter.
    pub guessed: Option<&'static str>,
}

/// How text is being decoded: the region hint for guesses, and the first
/// guess made.
#[derive(Default)]
struct Decoding<'a> {
    region: Option<&'a str>,
    guessed: Option<&'static TextEncoding>,
}

impl Decoding<'_> {
    /// The guessed encoding of unlabelled 8-bit `bytes`, remembered.
    fn guess(&mut self, bytes: &[u8]) -> &'static TextEncoding {
        let encoding = charset::guess(bytes, self.region);
        if encoding != encoding_rs::UTF_8 {
            self.guessed.get_or_insert(encoding);
        }
        encoding
    }
}

/// Parses every vCard in `text`; `source_name` (usually the file name) goes
/// into errors. Cards with no name, organization, phone or email are skipped.
pub fn parse(source_name: &str, text: &str) -> Result<Vec<Card>, Error> {
    let mut cards = Vec::new();
    parse_in(source_name, text, &mut Decoding::default(), &mut |card| {
        cards.push(card);
        true
    })?;
    Ok(cards)
}

/// Parses the vCards in `text`, handing each to `each` as soon as it ends
/// (which returns whether to go on); an error stops the parse where it is.
fn parse_in(
    source_name: &str,
    text: &str,
    decoding: &mut Decoding,
    each: &mut dyn FnMut(Card) -> bool,
) -> Result<(), Error> {
    let fail = |line: usize, reason: String| -> Result<(), Error> {
        let source_name = source_name.to_string();
        Err(Error::InvalidVcard {
            source_name,
            line,
            reason,
        })
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut open: Option<(usize, Vec<Prop>)> = None;
    let mut begun = 0usize;
    for line in LogicalLines::new(text) {
        let (number, line) = match line {
            Ok(line) => line,
            Err((number, reason)) => return fail(number, reason),
        };
        if line.trim().is_empty() {
            continue;
        }
        let split = split_line(&line);
        let Some((start, props)) = open.as_mut() else {
            match split.map(|(h, v)| (Header::parse(h).name, v.trim())) {
                Some((name, value)) if name == "BEGIN" && value.eq_ignore_ascii_case("VCARD") => {
                    begun += 1;
                    if begun > MAX_CARDS {
                        return fail(number, format!("more than {MAX_CARDS} vCards in one file"));
                    }
                    open = Some((number, Vec::new()));
                }
                Some((name, _)) if name == "END" => {
                    return fail(number, "END without a matching BEGIN:VCARD".into());
                }
                _ => {
                    let reason = format!(
                        "text outside BEGIN:VCARD ... END:VCARD: {:?}",
                        preview(&line)
                    );
                    return fail(number, reason);
                }
            }
            continue;
        };
        let Some((raw_header, raw_value)) = split else {
            let reason = format!(
                "content line has no ':' between name and value: {:?}",
                preview(&line)
            );
            return fail(number, reason);
        };
        let header = Header::parse(raw_header);
        let value = raw_value.trim();
        match header.name.as_str() {
            "" => return fail(number, "content line has no property name".into()),
            "BEGIN" => {
                let reason = format!(
                    "BEGIN:{value} inside the vCard that begins on line {start} \
                     (nested cards are not supported; is an END:VCARD missing?)"
                );
                return fail(number, reason);
            }
            "END" if value.eq_ignore_ascii_case("VCARD") => {
                let card = build_card(props);
                if has_identity(&card) && !each(card) {
                    return Ok(());
                }
                open = None;
            }
            "END" => {
                let reason =
                    format!("END:{value} does not close the vCard that begins on line {start}");
                return fail(number, reason);
            }
            _ => match read_property(header, raw_value, decoding) {
                Ok(prop) => props.extend(prop),
                Err(reason) => return fail(number, reason),
            },
        }
    }
    match open {
        Some((start, _)) => fail(start, "BEGIN:VCARD here has no matching END:VCARD".into()),
        None => Ok(()),
    }
}

/// Like [`parse`], for raw file bytes (see [`parse_file`]).
pub fn parse_bytes(source_name: &str, bytes: &[u8]) -> Result<Vec<Card>, Error> {
    parse_file(source_name, bytes, None).map(|p| p.cards)
}

/// Parses raw file bytes: UTF-8 with or without BOM, UTF-16 with BOM;
/// otherwise each line that is not valid UTF-8 is decoded by the `CHARSET=`
/// its property names (8-bit values, as Nokia and old Android phones
/// write), and the rest by one guess for the whole file (see
/// `vcard/charset.rs`; `region`, an ISO code such as "CZ", is its hint).
/// Quoted-printable values are decoded the same way: their `CHARSET=`, else
/// UTF-8 when valid, else a guess. [`Parsed::guessed`] says what was guessed.
pub fn parse_file(source_name: &str, bytes: &[u8], region: Option<&str>) -> Result<Parsed, Error> {
    let mut cards = Vec::new();
    let guessed = parse_file_each(source_name, bytes, region, &mut |_| {}, &mut |card| {
        cards.push(card);
        true
    })?;
    Ok(Parsed { cards, guessed })
}

/// [`parse_file`], handing each card to `each` as soon as it is read
/// (which returns whether to go on), after telling `begun` how many
/// BEGIN:VCARD lines the file holds (at least as many as the cards handed
/// over): an import stores the first cards while the rest are read. An
/// error stops the parse where it is. Returns [`Parsed::guessed`].
pub fn parse_file_each(
    source_name: &str,
    bytes: &[u8],
    region: Option<&str>,
    begun: &mut dyn FnMut(usize),
    each: &mut dyn FnMut(Card) -> bool,
) -> Result<Option<&'static str>, Error> {
    let mut decoding = Decoding {
        region,
        guessed: None,
    };
    let mut parse = |text: &str, decoding: &mut Decoding| {
        begun(count_begins(text));
        parse_in(source_name, text, decoding, each)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        parse(&utf16(rest, u16::from_le_bytes), &mut Decoding::default())?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        parse(&utf16(rest, u16::from_be_bytes), &mut Decoding::default())?
    } else {
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => parse(text, &mut decoding)?,
            Err(_) => {
                let text = decode_lines(bytes, &mut decoding);
                parse(&text, &mut decoding)?
            }
        }
    };
    Ok(decoding.guessed.map(TextEncoding::name))
}

/// How many lines of `text` are BEGIN:VCARD (a card's first line).
fn count_begins(text: &str) -> usize {
    text.split('\n')
        .filter(|l| {
            let l = l.trim();
            l.len() == 11 && l.eq_ignore_ascii_case("BEGIN:VCARD")
        })
        .count()
}

/// A file that is not UTF-8 as text: UTF-8 lines as they are, lines whose
/// property names a `CHARSET=` (and their folded continuations) in it, the
/// others in the encoding guessed from all of them together.
fn decode_lines(bytes: &[u8], decoding: &mut Decoding) -> String {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let mut labels: Vec<Option<&'static TextEncoding>> = Vec::with_capacity(lines.len());
    let mut unlabelled = Vec::new();
    let mut current = None;
    for line in &lines {
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            current = line_charset(line);
        }
        labels.push(current);
        if current.is_none() && std::str::from_utf8(line).is_err() {
            unlabelled.extend_from_slice(line);
            unlabelled.push(b'\n');
        }
    }
    let guessed = (!unlabelled.is_empty()).then(|| decoding.guess(&unlabelled));
    let decoded: Vec<String> = lines
        .iter()
        .zip(labels)
        .map(|(line, label)| match std::str::from_utf8(line) {
            Ok(text) => text.to_string(),
            Err(_) => match label.or(guessed) {
                Some(encoding) => charset::decode(line, encoding),
                None => String::from_utf8_lossy(line).into_owned(),
            },
        })
        .collect();
    decoded.join("\n")
}

/// The encoding a content line's `CHARSET=` parameter names, if any.
fn line_charset(line: &[u8]) -> Option<&'static TextEncoding> {
    let colon = line.iter().position(|&b| b == b':')?;
    let header = String::from_utf8_lossy(&line[..colon]);
    Header::parse(&header)
        .param("CHARSET")
        .and_then(charset::by_label)
}

/// Writes `cards` as vCard 4.0 with CRLF line endings and lines folded at 75
/// octets. Parsing the result gives back the same cards, except cards with no
/// name, organization, phone or email, which [`parse`] skips.
pub fn write(cards: &[Card]) -> String {
    let mut out = String::new();
    for card in cards {
        put(&mut out, "BEGIN:VCARD");
        put(&mut out, "VERSION:4.0");
        let name = card
            .formatted_name
            .clone()
            .or_else(|| derive_name(card.given.as_deref(), card.family.as_deref()))
            .unwrap_or_default();
        put(&mut out, &format!("FN:{}", escape(&name)));
        if card.given.is_some() || card.family.is_some() {
            let family = escape(card.family.as_deref().unwrap_or(""));
            let given = escape(card.given.as_deref().unwrap_or(""));
            put(&mut out, &format!("N:{family};{given};;;"));
        }
        if let Some(org) = &card.organization {
            put(&mut out, &format!("ORG:{}", escape(org)));
        }
        if let Some(title) = &card.title {
            put(&mut out, &format!("TITLE:{}", escape(title)));
        }
        for phone in &card.phones {
            let kind = match phone.kind {
                PhoneKind::Mobile => ";TYPE=cell",
                PhoneKind::Work => ";TYPE=work",
                PhoneKind::Home => ";TYPE=home",
                PhoneKind::Other => "",
            };
            put(&mut out, &format!("TEL{kind}:{}", escape(&phone.number)));
        }
        for email in &card.emails {
            put(&mut out, &format!("EMAIL:{}", escape(email)));
        }
        if let Some(address) = &card.address {
            put(&mut out, &format!("ADR:;;{};;;;", escape(address)));
        }
        if let Some(note) = &card.note {
            put(&mut out, &format!("NOTE:{}", escape(note)));
        }
        if !card.categories.is_empty() {
            let list: Vec<String> = card.categories.iter().map(|c| escape(c)).collect();
            put(&mut out, &format!("CATEGORIES:{}", list.join(",")));
        }
        if let Some(url) = &card.url {
            // A URI value: only what would break the line or the escaping is escaped.
            let url = url.replace('\\', "\\\\").replace('\n', "\\n");
            put(&mut out, &format!("URL:{url}"));
        }
        put(&mut out, "END:VCARD");
    }
    out
}

/// How a property value is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Encoding {
    Plain,
    QuotedPrintable,
    Binary,
}

/// The part of a content line before the colon.
struct Header {
    group: Option<String>,
    name: String,
    /// (upper-case key, value without quotes); 2.1 bare parameters become TYPE or ENCODING.
    params: Vec<(String, String)>,
}

impl Header {
    fn parse(raw: &str) -> Header {
        let mut parts = split_outside_quotes(raw, ';').into_iter();
        let full = parts.next().unwrap_or("").trim();
        let (group, name) = match full.rsplit_once('.') {
            Some((g, n)) => (Some(g.to_ascii_lowercase()), n),
            None => (None, full),
        };
        let params = parts
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().replace('"', "")),
                None => {
                    let bare = p.trim();
                    let encodings = ["BASE64", "B", "QUOTED-PRINTABLE", "8BIT", "7BIT"];
                    let is_encoding = encodings.iter().any(|e| e.eq_ignore_ascii_case(bare));
                    let key = if is_encoding { "ENCODING" } else { "TYPE" };
                    (key.to_string(), bare.to_string())
                }
            })
            .collect();
        Header {
            group,
            name: name.to_ascii_uppercase(),
            params,
        }
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn encoding(&self) -> Encoding {
        match self
            .param("ENCODING")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("quoted-printable") => Encoding::QuotedPrintable,
            Some("b" | "base64") => Encoding::Binary,
            _ => Encoding::Plain,
        }
    }

    /// All TYPE values, lower-case, comma lists split.
    fn types(&self) -> Vec<String> {
        let values = self.params.iter().filter(|(k, _)| k == "TYPE");
        let words = values.flat_map(|(_, v)| v.split(','));
        words
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// A kept property, decoded from its transfer encoding but still text-escaped.
struct Prop {
    group: Option<String>,
    name: String,
    types: Vec<String>,
    value: String,
}

/// Unfolds `text` into logical content lines, each with the 1-based number of
/// its first physical line, one at a time. Handles whitespace folding,
/// quoted-printable soft line breaks and unindented 2.1 base64 runs; binary
/// values are not kept. A line too long is an error (its number, why).
struct LogicalLines<'a> {
    physical: Vec<&'a str>,
    /// The next physical line's index.
    i: usize,
}

impl<'a> LogicalLines<'a> {
    fn new(text: &'a str) -> Self {
        // LF or CRLF (also the CR CR LF some iPhone exports use); bare CR only if there is no LF.
        let separator = if text.contains('\n') { '\n' } else { '\r' };
        let physical = text
            .split(separator)
            .map(|l| l.trim_end_matches('\r'))
            .collect();
        LogicalLines { physical, i: 0 }
    }
}

impl Iterator for LogicalLines<'_> {
    type Item = Result<(usize, String), (usize, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        let physical = &self.physical;
        let mut i = self.i;
        let number = i + 1;
        let mut line = physical.get(i)?.to_string();
        i += 1;
        let mut encoding = line_encoding(&line);
        let mut tail = 0; // where the last physical line starts in `line`
        while let Some(&next) = physical.get(i) {
            // A soft break is '=' ending a physical line, before any trailing blanks.
            let soft_break = (encoding == Some(Encoding::QuotedPrintable))
                .then(|| tail + line[tail..].trim_end_matches([' ', '\t']).len())
                .filter(|&kept| line[..kept].ends_with('='));
            if let Some(kept) = soft_break {
                line.truncate(kept - 1);
                tail = line.len();
                line.push_str(next);
            } else if let Some(rest) = next.strip_prefix([' ', '\t']) {
                if encoding != Some(Encoding::Binary) {
                    tail = line.len();
                    line.push_str(rest);
                    if encoding.is_none() && rest.contains(':') {
                        encoding = line_encoding(&line);
                    }
                }
            } else if encoding == Some(Encoding::Binary) && is_base64_run(next) {
                // vCard 2.1 base64 data may continue without indentation.
            } else {
                break;
            }
            i += 1;
            if line.len() > MAX_LINE_BYTES && encoding != Some(Encoding::Binary) {
                break;
            }
        }
        self.i = i;
        if line.len() > MAX_LINE_BYTES && encoding != Some(Encoding::Binary) {
            // Nothing after it is read: the parse stops at the error.
            self.i = physical.len();
            return Some(Err((
                number,
                format!("content line is longer than {MAX_LINE_BYTES} bytes"),
            )));
        }
        Some(Ok((number, line)))
    }
}

/// The encoding declared by a line's header, or `None` while no colon has been seen.
fn line_encoding(line: &str) -> Option<Encoding> {
    split_line(line).map(|(header, _)| Header::parse(header).encoding())
}

fn is_base64_run(line: &str) -> bool {
    !line.is_empty()
        && line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/= \t".contains(&b))
}

/// Splits a content line at the first colon outside double quotes.
fn split_line(line: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some((&line[..i], &line[i + 1..])),
            _ => {}
        }
    }
    line.split_once(':')
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in s.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Checks and decodes one property inside a card; `Ok(None)` for properties not kept.
fn read_property(
    header: Header,
    raw_value: &str,
    decoding: &mut Decoding,
) -> Result<Option<Prop>, String> {
    if header.name == "VERSION" && !matches!(raw_value.trim(), "2.1" | "3.0" | "4.0") {
        let version = preview(raw_value.trim());
        return Err(format!(
            "unsupported vCard VERSION {version:?} (2.1, 3.0 and 4.0 are supported)"
        ));
    }
    let value = match header.encoding() {
        Encoding::Binary => return Ok(None),
        Encoding::Plain => raw_value.to_string(),
        Encoding::QuotedPrintable => {
            let bytes = decode_quoted_printable(raw_value)?;
            decode_charset(bytes, header.param("CHARSET"), decoding)?
        }
    };
    if !KEPT.split(' ').any(|k| k == header.name) {
        return Ok(None);
    }
    let types = header.types();
    Ok(Some(Prop {
        group: header.group,
        name: header.name,
        types,
        value,
    }))
}

fn decode_quoted_printable(value: &str) -> Result<Vec<u8>, String> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match (
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (Some(high), Some(low)) => out.push((high * 16 + low) as u8),
            _ => {
                let found =
                    String::from_utf8_lossy(&bytes[i..(i + 3).min(bytes.len())]).into_owned();
                return Err(format!(
                    "malformed quoted-printable: {found:?} is not '=' and two hex digits"
                ));
            }
        }
        i += 3;
    }
    Ok(out)
}

/// Turns decoded quoted-printable bytes into text per the CHARSET parameter:
/// the named encoding, else UTF-8 when valid, else the guess.
fn decode_charset(
    bytes: Vec<u8>,
    label: Option<&str>,
    decoding: &mut Decoding,
) -> Result<String, String> {
    match label.map(|l| (l, charset::by_label(l))) {
        Some((_, Some(encoding))) => Ok(charset::decode(&bytes, encoding)),
        Some(_) if bytes.is_ascii() => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Some((other, None)) => Err(format!(
            "unsupported CHARSET={:?} for non-ASCII text",
            preview(other)
        )),
        None => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) => {
                let bytes = e.into_bytes();
                let encoding = decoding.guess(&bytes);
                Ok(charset::decode(&bytes, encoding))
            }
        },
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn build_card(props: &[Prop]) -> Card {
    let labels: HashMap<&str, &str> = props
        .iter()
        .filter(|p| p.name == "X-ABLABEL")
        .filter_map(|p| Some((p.group.as_deref()?, p.value.as_str())))
        .collect();
    let mut card = Card::default();
    let mut notes: Vec<String> = Vec::new();
    let (mut seen_notes, mut seen_categories) = (HashSet::new(), HashSet::new());
    for p in props {
        let value = p.value.as_str();
        match p.name.as_str() {
            "FN" => set_first(&mut card.formatted_name, text(value)),
            "N" if card.family.is_none() && card.given.is_none() => {
                let parts = split_unescaped(value, ';');
                card.family = parts.first().and_then(|s| text(s));
                card.given = parts.get(1).and_then(|s| text(s));
            }
            "ORG" => set_first(&mut card.organization, text(split_unescaped(value, ';')[0])),
            "TITLE" => set_first(&mut card.title, text(value)),
            "URL" => set_first(&mut card.url, text(value)),
            "ADR" => set_first(&mut card.address, address(value)),
            "EMAIL" => card.emails.extend(text(value)),
            "NOTE" => {
                if let Some(note) = text(value).filter(|n| seen_notes.insert(n.clone())) {
                    notes.push(note);
                }
            }
            "CATEGORIES" => {
                for category in split_unescaped(value, ',').into_iter().filter_map(text) {
                    if seen_categories.insert(category.clone()) {
                        card.categories.push(category);
                    }
                }
            }
            "TEL" => {
                let label = p.group.as_deref().and_then(|g| labels.get(g).copied());
                if let Some(number) = phone_number(value) {
                    card.phones.push(CardPhone {
                        kind: phone_kind(&p.types, label),
                        number,
                    });
                }
            }
            _ => {}
        }
    }
    if !notes.is_empty() {
        card.note = Some(notes.join("\n\n"));
    }
    if card.formatted_name.is_none() {
        card.formatted_name = derive_name(card.given.as_deref(), card.family.as_deref());
    }
    card
}

fn has_identity(card: &Card) -> bool {
    card.formatted_name.is_some()
        || card.given.is_some()
        || card.family.is_some()
        || card.organization.is_some()
        || !card.phones.is_empty()
        || !card.emails.is_empty()
}

fn set_first(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn derive_name(given: Option<&str>, family: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [given, family].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Unescapes, normalizes line breaks to `\n` and trims; `None` when nothing is left.
fn text(raw: &str) -> Option<String> {
    let unescaped = unescape(raw).replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = unescaped.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Phone number text without any `tel:` URI prefix.
fn phone_number(raw: &str) -> Option<String> {
    let full = text(raw)?;
    let mut number = full.as_str();
    while number
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("tel:"))
    {
        number = number[4..].trim();
    }
    (!number.is_empty()).then(|| number.to_string())
}

/// Kind from the TYPE words first, then from an Apple `X-ABLabel` such as `_$!<Mobile>!$_`.
fn phone_kind(types: &[String], label: Option<&str>) -> PhoneKind {
    let label = label.unwrap_or("").to_ascii_lowercase();
    let kind_from = |has: &dyn Fn(&str) -> bool| {
        let row = PHONE_WORDS
            .iter()
            .find(|(words, _)| words.iter().any(|w| has(w)));
        row.map(|&(_, kind)| kind)
    };
    kind_from(&|w| types.iter().any(|t| t == w))
        .or_else(|| kind_from(&|w| label.contains(w)))
        .unwrap_or(PhoneKind::Other)
}

/// ADR components (pobox; extended; street; city; region; postcode; country) as one line.
fn address(raw: &str) -> Option<String> {
    let parts: Vec<String> = split_unescaped(raw, ';')
        .into_iter()
        .map(address_part)
        .collect();
    let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
    let region = join_non_empty(&[part(4), part(5)], " ");
    let line = join_non_empty(&[part(0), part(1), part(2), part(3), region, part(6)], ", ");
    (!line.is_empty()).then_some(line)
}

/// One ADR component with inner line breaks turned into ", " and stray trailing commas dropped.
fn address_part(raw: &str) -> String {
    let lines: Vec<String> = text(raw)
        .unwrap_or_default()
        .split('\n')
        .map(|l| {
            l.trim()
                .trim_end_matches(|c: char| c == ',' || c.is_whitespace())
                .to_string()
        })
        .collect();
    join_non_empty(&lines, ", ")
}

fn join_non_empty(parts: &[String], sep: &str) -> String {
    let kept = parts.iter().filter(|p| !p.is_empty());
    kept.cloned().collect::<Vec<_>>().join(sep)
}

/// Resolves `\n`, `\N`, `\\`, `\,`, `\;` and other punctuation escapes; a
/// backslash before a letter or digit (e.g. a Windows path) is kept.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(next) if next.is_alphanumeric() => {
                out.push('\\');
                out.push(next);
            }
            Some(next) => out.push(next),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits on `sep` where it is not preceded by a backslash escape.
fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut start, mut escaped) = (Vec::new(), 0, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Escapes a text value for writing.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").replace('\r', "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            _ => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at [`FOLD_OCTETS`] without splitting a character, then CRLF.
fn put(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > FOLD_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The start of an offending line, short enough for an error message.
fn preview(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        format!("{short}...")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::PhoneKind::{Home, Mobile, Other, Work};
    use super::*;

    macro_rules! fixture {
        ($name:literal, $cards:literal) => {
            (
                $name,
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fixtures/vcard/",
                    $name
                )) as &[u8],
                $cards,
            )
        };
    }

    /// Every fixture file with the number of cards it yields.
    const FIXTURES: [(&str, &[u8], usize); 14] = [
        fixture!("John_Doe_ANDROID.vcf", 6),
        fixture!("John_Doe_BLACK_BERRY.vcf", 1),
        fixture!("John_Doe_EVOLUTION.vcf", 1),
        fixture!("John_Doe_GMAIL.vcf", 1),
        fixture!("John_Doe_IPHONE.vcf", 1),
        fixture!("John_Doe_LOTUS_NOTES.vcf", 1),
        fixture!("John_Doe_MAC_ADDRESS_BOOK.vcf", 1),
        fixture!("John_Doe_MS_OUTLOOK.vcf", 1),
        fixture!("gmail-list.vcf", 3),
        fixture!("gmail-single.vcf", 1),
        fixture!("outlook-2003.vcf", 1),
        fixture!("outlook-2007.vcf", 1),
        fixture!("rfc6350-example.vcf", 1),
        fixture!("thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1),
    ];

    fn load(name: &str) -> Vec<Card> {
        let (_, bytes, _) = FIXTURES.iter().find(|f| f.0 == name).unwrap();
        parse_bytes(name, bytes).unwrap()
    }

    fn phones(card: &Card) -> Vec<(PhoneKind, &str)> {
        card.phones
            .iter()
            .map(|p| (p.kind, p.number.as_str()))
            .collect()
    }

    fn s(value: &str) -> Option<String> {
        Some(value.to_string())
    }

    /// Parses `text` expecting a refusal; returns its line and reason.
    fn refusal(text: &str) -> (usize, String) {
        let result = parse("bad.vcf", text);
        let Err(Error::InvalidVcard {
            source_name,
            line,
            reason,
        }) = result
        else {
            panic!("expected a refusal, got {result:?}");
        };
        assert_eq!(source_name, "bad.vcf");
        (line, reason)
    }

    #[test]
    fn every_fixture_parses_and_round_trips_through_write() {
        for (name, bytes, count) in FIXTURES {
            let cards = parse_bytes(name, bytes).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(cards.len(), count, "{name}");
            assert_eq!(parse("written", &write(&cards)).unwrap(), cards, "{name}");
        }
    }

    #[test]
    fn evolution_folding_and_escapes() {
        let c = &load("John_Doe_EVOLUTION.vcf")[0];
        assert_eq!(c.formatted_name, s("Mr. John Richter, James Doe Sr."));
        assert_eq!(
            (c.given.as_deref(), c.family.as_deref()),
            (Some("John"), Some("Doe"))
        );
        assert_eq!(
            (c.organization.as_deref(), c.title.as_deref()),
            (Some("IBM"), Some("Money Counter"))
        );
        assert_eq!(
            phones(c),
            [(Mobile, "905-666-1234"), (Work, "905-555-1234")]
        );
        assert_eq!(
            (c.emails.as_slice(), c.categories.as_slice()),
            (
                &[s("john.doe@ibm.com").unwrap()][..],
                &[s("VIP").unwrap()][..]
            )
        );
        let address =
            "ASB-123, 15 Crescent moon drive, Albaney, New York 12345, United States of America";
        assert_eq!(
            (c.address.as_deref(), c.url.as_deref()),
            (Some(address), Some("http://www.ibm.com"))
        );
        let note = c.note.as_deref().unwrap();
        assert!(note.starts_with(
            "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\""
        ));
        assert!(
            note.contains("SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)")
        );
    }

    #[test]
    fn apple_and_gmail_groups_labels_and_cr_cr_lf() {
        let c = &load("John_Doe_IPHONE.vcf")[0];
        let numbers =
            ["555", "666", "777", "888", "999", "111", "222"].map(|n| format!("905-{n}-1234"));
        let kinds = [Mobile, Home, Work, Other, Other, Other, Other];
        let expected: Vec<_> = kinds
            .into_iter()
            .zip(numbers.iter().map(String::as_str))
            .collect();
        assert_eq!(phones(c), expected);
        assert_eq!(
            (c.emails.len(), c.url.as_deref()),
            (1, Some("http://www.ibm.com"))
        );
        assert_eq!(
            c.address,
            s("Silicon Alley 5, New York, New York 12345, United States of America")
        );
        let c = &load("John_Doe_MAC_ADDRESS_BOOK.vcf")[0];
        assert_eq!(c.formatted_name, s("Mr. John Richter,James Doe Sr."));
        assert_eq!(phones(c)[6], (Other, "905-222-1234")); // item1.X-ABLabel:AssistantPhone
        let c = &load("gmail-single.vcf")[0];
        assert_eq!(
            phones(c),
            [(Mobile, "555 555 1111"), (Other, "555 555 2222")]
        );
        assert_eq!(c.address, s("123 Home St, Home City, HM 12345"));
        assert_eq!(c.url, s("http://TheProfile.com"));
        let c = &load("John_Doe_LOTUS_NOTES.vcf")[0];
        let address =
            "25334, South cresent drive, Building 5, 3rd floo r, New York, New York NYC887, U.S.A.";
        assert_eq!(c.address, s(address));
        assert_eq!(
            phones(c),
            [(Mobile, "+1 (212) 204-34456"), (Other, "00-1-212-555-7777")]
        );
    }

    #[test]
    fn x_ablabel_sets_kind_only_within_its_group() {
        let text = "BEGIN:VCARD\nFN:A\nitem1.TEL:1\nitem1.X-ABLabel:_$!<Mobile>!$_\nITEM2.tel:2\n\
                    item2.X-ABLabel:iPhone\nitem3.TEL:3\nitem3.X-ABLabel:_$!<WorkFAX>!$_\nitem4.TEL:4\n\
                    item5.X-ABLabel:_$!<Home>!$_\nitem6.TEL;type=HOME:6\nitem6.X-ABLabel:Mobile\nEND:VCARD";
        let expected = [
            (Mobile, "1"),
            (Mobile, "2"),
            (Other, "3"),
            (Other, "4"),
            (Home, "6"),
        ];
        assert_eq!(phones(&parse("t", text).unwrap()[0]), expected);
    }

    #[test]
    fn outlook_quoted_printable_and_bare_parameters() {
        let c = &load("outlook-2003.vcf")[0];
        assert_eq!(
            c.note,
            s("This is the note field!!\nSecond line\n\nThird line is empty")
        );
        assert_eq!(c.organization, s("Company, The"));
        let expected = [
            (Work, "BusinessPhone"),
            (Home, "HomePhone"),
            (Mobile, "MobilePhone"),
            (Other, "BusinessFaxPhone"),
        ];
        assert_eq!(phones(c), expected);
        let c = &load("outlook-2007.vcf")[0];
        let note = "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n\
                    But I'm not sure because there's text formatting going on here.\n\
                    It does not preserve the formatting";
        assert_eq!(c.note, s(note));
        assert_eq!(
            c.address,
            s("TheOffice, 222 Broadway, New York, NY 99999, USA")
        );
    }

    #[test]
    fn android_quoted_printable_utf8_with_soft_breaks() {
        let cards = load("John_Doe_ANDROID.vcf");
        assert_eq!(
            (
                cards[0].formatted_name.as_deref(),
                cards[0].emails[0].as_str()
            ),
            (None, "john.doe@company.com")
        );
        assert_eq!(cards[0].categories, ["My Contacts"]);
        assert_eq!(cards[2].formatted_name, s("Ñ Ñ Ñ Ñ Ñ"));
        assert_eq!(cards[3].formatted_name, s(&["Ñ"; 11].join(" ")));
        assert_eq!(
            (cards[4].family.as_deref(), cards[4].given.as_deref()),
            (Some("Ñ Ñ"), Some("Ñ Ñ Ñ"))
        );
        assert_eq!(
            cards[4].emails,
            ["bob@company.com".to_string(), "Ñ".repeat(14)]
        );
        assert_eq!(cards[4].organization, s(&"Ñ".repeat(12)));
        assert_eq!(cards[5].organization, s(&"Ñ".repeat(44)));
    }

    #[test]
    fn rfc6350_thunderbird_and_blackberry() {
        let c = &load("rfc6350-example.vcf")[0];
        assert_eq!(
            phones(c),
            [
                (Work, "+1-418-656-9254;ext=102"),
                (Mobile, "+1-418-262-6501")
            ]
        );
        assert_eq!(
            c.address,
            s("Suite D2-630, 2875 Laurier, Quebec, QC G1V 2M2, Canada")
        );
        assert_eq!(
            (c.organization.as_deref(), c.url.as_deref()),
            (Some("Viagenie"), Some("http://nomis80.org"))
        );
        let c = &load("thunderbird-MoreFunctionsForAddressBook-extension.vcf")[0];
        assert_eq!(c.categories, ["category1, category2, category3"]); // commas escaped in the file
        let note = "This is the notes field.\nSecond Line\n\nFourth Line\n\
                    You can put anything in the \"note\" field; even curse words.";
        assert_eq!((c.note.as_deref(), c.emails.len()), (Some(note), 5));
        let c = &load("John_Doe_BLACK_BERRY.vcf")[0];
        assert_eq!(
            (c.formatted_name.as_deref(), c.given.as_deref()),
            (Some("John Doe"), Some("john"))
        );
        assert_eq!(
            (phones(c), c.note.as_deref()),
            (vec![(Mobile, "+96123456789")], None)
        );
    }

    #[test]
    fn fn_from_n_empty_cards_skipped_and_unindented_base64() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jürgen\r\nPHOTO;BASE64:QUJD\r\nREVG\r\nR0hJ\r\n\r\n\
                    END:VCARD\r\n\r\nBEGIN:VCARD\r\nNOTE:only a note\r\nEND:VCARD\r\n";
        let cards = parse("t", text).unwrap();
        assert_eq!(
            (cards.len(), cards[0].formatted_name.as_deref()),
            (1, Some("Jürgen Müller"))
        );
        let old_mac = parse("t", "BEGIN:VCARD\rFN:Classic\r Mac\rEND:VCARD\r").unwrap();
        assert_eq!(old_mac[0].formatted_name, s("ClassicMac"));
    }

    #[test]
    fn charsets_and_byte_decoding() {
        let qp = |charset: &str, value: &str| {
            let text = format!(
                "BEGIN:VCARD\nFN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{value}\nEND:VCARD"
            );
            parse("t", &text).map(|c| c[0].formatted_name.clone().unwrap())
        };
        assert_eq!(qp("ISO-8859-1", "Jos=E9").unwrap(), "José");
        assert_eq!(qp("windows-1252", "=80 =93x=94").unwrap(), "€ “x”");
        assert_eq!(qp("UTF-8", "Jos=c3=a9").unwrap(), "José");
        assert_eq!(qp("UTF-8", "Jo= \ns=C3=A9 ").unwrap(), "José"); // soft break, trailing blank
        assert_eq!(qp("Shift_JIS", "=82=A0").unwrap(), "あ");
        assert_eq!(qp("WINDOWS-1250", "=D8eho=F8").unwrap(), "Řehoř");
        assert_eq!(qp("ISO-8859-2", "Dvo=F8=E1k").unwrap(), "Dvořák");
        assert_eq!(qp("KOI8-R", "=E6=A3=C4=CF=D2").unwrap(), "Фёдор");
        assert!(
            qp("x-no-such-charset", "=82=A0")
                .unwrap_err()
                .to_string()
                .contains("unsupported CHARSET")
        );
        assert_eq!(qp("x-no-such-charset", "plain").unwrap(), "plain");
        let mixed =
            b"BEGIN:VCARD\r\nFN:Jos\xe9 M\x80ller\r\nNOTE:\xc3\xa9t\xc3\xa9\r\nEND:VCARD\r\n";
        let c = &parse_bytes("t", mixed).unwrap()[0];
        assert_eq!(
            (c.formatted_name.as_deref(), c.note.as_deref()),
            (Some("José M€ller"), Some("été"))
        );
        let bom = b"\xef\xbb\xbfBEGIN:VCARD\nFN:Zo\xc3\xab\nEND:VCARD\n";
        assert_eq!(parse_bytes("t", bom).unwrap()[0].formatted_name, s("Zoë"));
        let utf16 = "\u{feff}BEGIN:VCARD\nFN:Zoë\nEND:VCARD\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes);
        assert_eq!(
            parse_bytes("t", &utf16.collect::<Vec<_>>()).unwrap()[0].formatted_name,
            s("Zoë")
        );
    }

    #[test]
    fn write_escapes_and_folds_without_splitting_characters() {
        let card = Card {
            formatted_name: s("Doe, Jane; \\ \"Ñ\""),
            family: s("Doe;Smith"),
            note: s(&format!("line one\nline two {}", "Ñ€😀ab".repeat(40))),
            categories: vec!["a,b".into(), "c".into()],
            phones: vec![CardPhone {
                kind: Home,
                number: "+1 555".into(),
            }],
            ..Card::default()
        };
        let out = write(std::slice::from_ref(&card));
        for expected in [
            "FN:Doe\\, Jane\\; \\\\ \"Ñ\"\r\n",
            "N:Doe\\;Smith;;;;\r\n",
            "CATEGORIES:a\\,b,c\r\n",
        ] {
            assert!(out.contains(expected), "{expected:?} in {out}");
        }
        assert!(
            out.contains("TEL;TYPE=home:+1 555\r\n") && out.contains("NOTE:line one\\nline two Ñ€")
        );
        assert!(out.ends_with("END:VCARD\r\n") && !out.replace("\r\n", "").contains(['\r', '\n']));
        assert!(out.split("\r\n").all(|line| line.len() <= 75));
        assert!(out.split("\r\n").filter(|l| l.starts_with(' ')).count() > 5);
        assert_eq!(parse("t", &out).unwrap(), [card]);
    }

    #[test]
    fn refusals_name_the_offending_line() {
        let cases = [
            (
                4,
                "outside BEGIN:VCARD",
                "BEGIN:VCARD\nFN:A\nEND:VCARD\nstray text\n",
            ),
            (3, "no matching END:VCARD", "\n\nBEGIN:VCARD\nFN:A\n"),
            (
                3,
                "inside the vCard that begins on line 1",
                "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nEND:VCARD",
            ),
            (3, "no ':'", "BEGIN:VCARD\nFN:A\nno colon here\nEND:VCARD\n"),
            (
                2,
                "malformed quoted-printable",
                "BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:a=ZZb\nEND:VCARD",
            ),
            (
                2,
                "malformed quoted-printable",
                "BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:ab=",
            ),
            (
                2,
                "unsupported vCard VERSION \"5.0\"",
                "BEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n",
            ),
            (1, "without a matching BEGIN", "END:VCARD\n"),
            (3, "does not close", "BEGIN:VCARD\nFN:A\nEND:VCALENDAR\n"),
            (2, "no property name", "BEGIN:VCARD\n;TYPE=x:1\nEND:VCARD\n"),
            (
                8,
                "outside",
                "BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nTEL:1\n folded\nEND:VCARD\nfoo",
            ),
        ];
        for (line, reason, text) in cases {
            let (got_line, got_reason) = refusal(text);
            assert_eq!(got_line, line, "{text:?}: {got_reason}");
            assert!(got_reason.contains(reason), "{text:?}: {got_reason}");
        }
        let message = parse("contacts.vcf", "garbage\n").unwrap_err().to_string();
        assert_eq!(
            message,
            "contacts.vcf, line 1: text outside BEGIN:VCARD ... END:VCARD: \"garbage\""
        );
    }

    #[test]
    fn limits_are_errors_but_big_photos_are_fine() {
        let long = format!(
            "BEGIN:VCARD\nNOTE:{}\nEND:VCARD\n",
            "x".repeat(MAX_LINE_BYTES)
        );
        assert_eq!(refusal(&long).0, 2);
        let folded = format!(
            "BEGIN:VCARD\nNOTE:\n{}END:VCARD\n",
            " xxxxxxxxxx\n".repeat(MAX_LINE_BYTES / 10 + 1)
        );
        assert!(refusal(&folded).1.contains("longer than"));
        let photo = format!(
            "BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=b:{}\nEND:VCARD\n",
            "QUJD".repeat(MAX_LINE_BYTES)
        );
        assert_eq!(parse("t", &photo).unwrap().len(), 1);
        let many = "BEGIN:VCARD\nEND:VCARD\n".repeat(MAX_CARDS + 1);
        assert_eq!(refusal(&many).0, 2 * MAX_CARDS + 1);
    }

    #[test]
    fn mutated_fixtures_never_panic_and_accepted_output_round_trips() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as usize
        };
        let check = |bytes: &[u8]| {
            if let Ok(cards) = parse_bytes("fuzz", bytes) {
                assert_eq!(parse("rewritten", &write(&cards)).unwrap(), cards);
            }
        };
        let special = b"\n\r :;=\\\",.\xc3\xff";
        for (_, bytes, _) in FIXTURES {
            (0..bytes.len())
                .step_by(37)
                .for_each(|cut| check(&bytes[..cut]));
            for _ in 0..300 {
                let mut mutated = bytes.to_vec();
                for _ in 0..1 + next() % 6 {
                    let at = next() % mutated.len();
                    mutated[at] = match next() % 3 {
                        0 => special[next() % special.len()],
                        1 => mutated[at] ^ (1 << (next() % 8)),
                        _ => next() as u8,
                    };
                }
                check(&mutated);
            }
        }
    }
}
