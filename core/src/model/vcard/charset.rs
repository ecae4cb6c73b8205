//! Text encodings of vCard files: what a `CHARSET=` parameter names, and a
//! guess for 8-bit text that names none.
//!
//! Decoding is encoding_rs (the WHATWG Encoding Standard: windows-1250,
//! ISO-8859-2, KOI8-R, windows-1252 and the rest, by any of their labels;
//! "ISO-8859-1" and "US-ASCII" read as windows-1252, their superset).
//! The guess: UTF-8 when the bytes are valid UTF-8; otherwise chardetng
//! (Firefox's detector for unlabelled legacy text, by encoding_rs's author),
//! which scores every legacy encoding by how plausible the letter pairs it
//! yields are for the languages written in it, with the database's region
//! as a hint (a Czech database leans to windows-1250 when the letters
//! allow both). Whichever was guessed is said in the import report.

use encoding_rs::Encoding;

/// The encoding a `CHARSET=` label names, if encoding_rs knows the label.
pub(super) fn by_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    // Labels old exporters write that the Encoding Standard spells otherwise.
    let label = match label.to_ascii_lowercase().as_str() {
        "cp1250" | "win1250" => "windows-1250",
        "cp1251" | "win1251" => "windows-1251",
        "cp1252" | "win1252" => "windows-1252",
        "latin-1" => "latin1",
        "latin-2" => "latin2",
        _ => label,
    };
    Encoding::for_label(label.as_bytes())
}

/// `bytes` as text in `encoding`; malformed sequences become U+FFFD.
pub(crate) fn decode(bytes: &[u8], encoding: &'static Encoding) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding 8-bit text that names none is most plausibly in: UTF-8 if
/// it is valid UTF-8, else chardetng's guess with `region` (an ISO 3166
/// code such as "CZ") as the top-level-domain hint.
pub(crate) fn guess(bytes: &[u8], region: Option<&str>) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // chardetng wants a lower-case ASCII label without periods.
    let tld = region
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase()));
    detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Deny,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, label: &str) -> Vec<u8> {
        let encoding = by_label(label).unwrap();
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{text} in {label}");
        bytes.into_owned()
    }

    #[test]
    fn labels_old_exporters_write() {
        for (label, name) in [
            ("WINDOWS-1250", "windows-1250"),
            ("cp1250", "windows-1250"),
            ("ISO-8859-2", "ISO-8859-2"),
            ("latin2", "ISO-8859-2"),
            ("KOI8-R", "KOI8-R"),
            ("ISO-8859-1", "windows-1252"),
            ("US-ASCII", "windows-1252"),
            ("utf8", "UTF-8"),
            (" UTF-8 ", "UTF-8"),
            ("Shift_JIS", "Shift_JIS"),
        ] {
            assert_eq!(by_label(label).map(|e| e.name()), Some(name), "{label}");
        }
        assert!(by_label("x-no-such-charset").is_none());
    }

    #[test]
    fn guesses_central_european_western_and_cyrillic_text() {
        let czech = "Řehoř Dvořák, Žluťoučký kůň úpěl ďábelské ódy, Příliš žluťoučký kůň";
        let german = "Jürgen Groß, Müllerstraße 5, Größere Übungen für Bäckereien";
        let russian = "Фёдор Достоевский, Москва, улица Тверская";
        for region in [Some("CZ"), Some("DE"), None] {
            for (text, label) in [
                (czech, "windows-1250"),
                (czech, "iso-8859-2"),
                (german, "windows-1252"),
                (russian, "koi8-r"),
            ] {
                if label == "iso-8859-2" && region == Some("DE") {
                    // chardetng weighs the hint over ISO-8859-2's rarer letters:
                    // a German database reads such a file as windows-1252.
                    continue;
                }
                let bytes = encoded(text, label);
                let guessed = guess(&bytes, region);
                // German letters have the same bytes in windows-1250 and -1252:
                // a Czech database may guess either, and reads the same text.
                assert_eq!(
                    decode(&bytes, guessed),
                    text,
                    "{label} {region:?}: {guessed:?}"
                );
            }
        }
        let cz = encoded(czech, "windows-1250");
        assert_eq!(guess(&cz, Some("CZ")).name(), "windows-1250");
        let de = encoded(german, "windows-1252");
        assert_eq!(guess(&de, Some("DE")).name(), "windows-1252");
        assert_eq!(guess("Zoë".as_bytes(), Some("CZ")), encoding_rs::UTF_8);
        // Bad hints are ignored, never a panic.
        let _ = guess(&encoded(czech, "windows-1250"), Some("c.z"));
        let _ = guess(&[0xff, 0xfe, 0x80], Some(""));
    }
}
