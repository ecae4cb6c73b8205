//! The charset exports in `fixtures/vcard/charsets/`: the real Outlook 2.1
//! and Android 2.1 exports of `fixtures/vcard/` with Czech, German and
//! Russian people put in, written by encoding_rs's encoder the ways old
//! exporters write them (quoted-printable with `CHARSET=`, 8-bit with
//! `CHARSET=`, 8-bit naming nothing). No public export in these charsets
//! could be found, so these are made; this test checks the committed
//! files are exactly what the encoder writes (`DEKO_WRITE_FIXTURES=1`
//! writes them) and that every name comes out intact.

use super::*;

/// A person put into a real card.
struct Person {
    family: &'static str,
    given: &'static str,
    org: &'static str,
    street: &'static str,
    city: &'static str,
    note: &'static str,
}

const CZECH: Person = Person {
    family: "Dvořák",
    given: "Řehoř",
    org: "Kovárna Nováková s.r.o.",
    street: "Náměstí Míru 12",
    city: "Třebíč",
    note: "Příliš žluťoučký kůň úpěl ďábelské ódy; volat po 14. hodině, ať je čas.",
};

const GERMAN: Person = Person {
    family: "Groß",
    given: "Jürgen",
    org: "Bäckerei Müller GmbH",
    street: "Königstraße 5",
    city: "Düsseldorf",
    note: "Größere Bestellungen für Übersee: bitte vorher anrufen, schöne Grüße.",
};

const RUSSIAN: Person = Person {
    family: "Достоевский",
    given: "Фёдор",
    org: "Книжный дом",
    street: "улица Тверская 7",
    city: "Москва",
    note: "Звонить после обеда, спросить про новые книги и журналы.",
};

/// How values are written.
#[derive(Clone, Copy)]
enum Style {
    /// `;CHARSET=X;ENCODING=QUOTED-PRINTABLE:` (Outlook, Android).
    QuotedPrintable,
    /// `;CHARSET=X;ENCODING=8BIT:` and the bytes (Nokia).
    EightBit,
    /// The bytes alone, no charset named (old Outlook "save as").
    Unlabelled,
}

/// File name, template (a real export), label, style, people.
const EXPORTS: &[(&str, &str, &str, Style, &[Person])] = &[
    (
        "outlook-windows-1250-qp.vcf",
        "John_Doe_MS_OUTLOOK.vcf",
        "WINDOWS-1250",
        Style::QuotedPrintable,
        &[CZECH],
    ),
    (
        "android-iso-8859-2-qp.vcf",
        "John_Doe_ANDROID.vcf",
        "ISO-8859-2",
        Style::QuotedPrintable,
        &[CZECH],
    ),
    (
        "nokia-iso-8859-2-8bit.vcf",
        "John_Doe_ANDROID.vcf",
        "ISO-8859-2",
        Style::EightBit,
        &[CZECH],
    ),
    (
        "outlook-windows-1252-qp.vcf",
        "John_Doe_MS_OUTLOOK.vcf",
        "windows-1252",
        Style::QuotedPrintable,
        &[GERMAN],
    ),
    (
        "android-koi8-r-qp.vcf",
        "John_Doe_ANDROID.vcf",
        "KOI8-R",
        Style::QuotedPrintable,
        &[RUSSIAN],
    ),
    (
        "outlook-windows-1250-unlabelled.vcf",
        "John_Doe_MS_OUTLOOK.vcf",
        "windows-1250",
        Style::Unlabelled,
        &[CZECH],
    ),
    (
        "outlook-windows-1252-unlabelled.vcf",
        "John_Doe_MS_OUTLOOK.vcf",
        "windows-1252",
        Style::Unlabelled,
        &[GERMAN],
    ),
];

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/vcard")
}

/// One property line: `NAME;params:value` in `label` written in `style`.
fn property(name: &str, value: &str, label: &str, style: Style) -> Vec<u8> {
    let encoding = charset::by_label(label).expect("a known label");
    let (bytes, _, unmappable) = encoding.encode(value);
    assert!(!unmappable, "{value} in {label}");
    let mut line = name.as_bytes().to_vec();
    match style {
        Style::QuotedPrintable => {
            line.extend(format!(";CHARSET={label};ENCODING=QUOTED-PRINTABLE:").bytes());
            for &b in bytes.iter() {
                match b {
                    b'!'..=b'<' | b'>'..=b'~' => line.push(b),
                    _ => line.extend(format!("={b:02X}").bytes()),
                }
            }
        }
        Style::EightBit => {
            line.extend(format!(";CHARSET={label};ENCODING=8BIT:").bytes());
            line.extend_from_slice(&bytes);
        }
        Style::Unlabelled => {
            line.push(b':');
            line.extend_from_slice(&bytes);
        }
    }
    line.extend_from_slice(b"\r\n");
    line
}

/// The template's first card with `p` in place of its names, organisation,
/// address and note; the other properties as exported. The Android
/// template's first card has no names: they are added before its end.
fn export(template: &str, label: &str, style: Style, people: &[Person]) -> Vec<u8> {
    let text = std::fs::read_to_string(dir().join(template)).expect("template");
    let first = &text[..text.find("END:VCARD").expect("a card")];
    let mut out = Vec::new();
    for p in people {
        let put = |out: &mut Vec<u8>, name: &str, value: &str| {
            out.extend(property(name, value, label, style));
        };
        let mut names_done = false;
        for line in first.split("\r\n").filter(|l| !l.is_empty()) {
            let name = line.split([';', ':']).next().unwrap_or("");
            match name {
                "N" => {
                    put(&mut out, "N", &format!("{};{};;;", p.family, p.given));
                    names_done = true;
                }
                "FN" => put(&mut out, "FN", &format!("{} {}", p.given, p.family)),
                "ORG" => put(&mut out, "ORG", p.org),
                "NOTE" => put(&mut out, "NOTE", p.note),
                "ADR" if line.starts_with("ADR;WORK") => {
                    let adr = format!(";;{};{};;;", p.street, p.city);
                    put(&mut out, "ADR;WORK", &adr);
                }
                // Address labels and photos: not what this is about.
                "LABEL" | "PHOTO" | "ADR" => {}
                _ if line.starts_with(' ') || !line.contains(':') => {}
                _ => {
                    out.extend(line.bytes());
                    out.extend(b"\r\n");
                }
            }
        }
        if !names_done {
            put(&mut out, "N", &format!("{};{};;;", p.family, p.given));
            put(&mut out, "FN", &format!("{} {}", p.given, p.family));
            put(&mut out, "ORG", p.org);
        }
        out.extend(b"END:VCARD\r\n");
    }
    out
}

#[test]
fn charset_exports_are_what_the_encoder_writes_and_read_back_intact() {
    let write = std::env::var_os("DEKO_WRITE_FIXTURES").is_some();
    for (file, template, label, style, people) in EXPORTS {
        let bytes = export(template, label, *style, people);
        let path = dir().join("charsets").join(file);
        if write {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert!(
            committed == bytes,
            "{file} differs from what the encoder writes"
        );
        assert!(std::str::from_utf8(&committed).is_err() || committed.is_ascii());

        for region in [Some("CZ"), Some("DE"), None] {
            let parsed = parse_file(file, &committed, region).unwrap_or_else(|e| panic!("{e}"));
            let card = &parsed.cards[0];
            let p = &people[0];
            let at = format!("{file} ({region:?})");
            assert_eq!(card.family.as_deref(), Some(p.family), "{at}");
            assert_eq!(card.given.as_deref(), Some(p.given), "{at}");
            let full = format!("{} {}", p.given, p.family);
            assert_eq!(card.formatted_name.as_deref(), Some(full.as_str()), "{at}");
            assert_eq!(card.organization.as_deref(), Some(p.org), "{at}");
            if template.contains("OUTLOOK") {
                assert_eq!(card.note.as_deref(), Some(p.note), "{at}");
                let address = format!("{}, {}", p.street, p.city);
                assert_eq!(card.address.as_deref(), Some(address.as_str()), "{at}");
                assert!(!card.phones.is_empty(), "{at}");
            }
            match style {
                // Which encoding was guessed is said (the names above are
                // intact whichever: German letters are alike in 1250 and 1252).
                Style::Unlabelled => assert!(parsed.guessed.is_some(), "{at}"),
                _ => assert_eq!(parsed.guessed, None, "{at}"),
            }
        }
    }
}
