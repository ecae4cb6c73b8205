//! List order: names sorted as people of the database's locale expect, by
//! the Unicode Collation Algorithm with CLDR's tailoring for the locale
//! (ICU4X `icu_collator`, compiled data). Czech puts Č after C and CH
//! after H; German sorts ä with a. The one sort key used everywhere a list
//! of people or companies is ordered (the views' `sort_name`, and so every
//! list, page and export read from them).
//!
//! Keys compare case-insensitively (secondary strength: letters and their
//! accents decide, case does not), so "acme" and "ACME" are one name.
//! Search stays FTS5's own folding (`remove_diacritics`), which finds
//! "Novák" for "novak" in every locale.

use std::cmp::Ordering;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;

use crate::error::{Error, Result};

/// A collator for one locale.
pub struct Collation {
    locale: String,
    collator: CollatorBorrowed<'static>,
}

impl Collation {
    /// The collation of a BCP 47 locale ("cs", "de-AT", "en"); a malformed
    /// tag is an input error. A language CLDR has no tailoring for sorts by
    /// the root order (as English does).
    pub fn new(tag: &str) -> Result<Collation> {
        let locale: Locale = tag
            .trim()
            .parse()
            .map_err(|e| Error::invalid("locale", format!("{tag:?} is not a locale tag: {e}")))?;
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Secondary);
        let collator = CollatorBorrowed::try_new(CollatorPreferences::from(&locale), options)
            .map_err(|e| Error::invalid("locale", format!("no collation for {tag:?}: {e}")))?;
        Ok(Collation {
            locale: locale.to_string(),
            collator,
        })
    }

    /// The collation of the language most spoken in a region (ISO code):
    /// the default when the database names no locale.
    pub fn for_region(region: &str) -> Collation {
        Collation::new(default_locale(region)).unwrap_or_else(|_| Collation::root())
    }

    /// The root collation (CLDR's order without tailoring; English).
    fn root() -> Collation {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Secondary);
        let collator = CollatorBorrowed::try_new(CollatorPreferences::default(), options)
            .expect("compiled data has the root collation");
        Collation {
            locale: "und".into(),
            collator,
        }
    }

    /// The locale, in canonical form ("cs", "de-AT").
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Bytes that compare (bytewise) as `text` does in this collation:
    /// what the views store and `ORDER BY`.
    pub fn sort_key(&self, text: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(text.len() * 2);
        let Ok(()) = self.collator.write_sort_key_to(text.trim(), &mut key);
        key
    }

    /// Compares two texts as their sort keys would.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a.trim(), b.trim())
    }
}

/// The locale a database of `region` sorts by unless told otherwise: the
/// region's main language where CLDR tailors its order, else English.
pub fn default_locale(region: &str) -> &'static str {
    match region.trim().to_ascii_uppercase().as_str() {
        "CZ" => "cs",
        "SK" => "sk",
        "DE" | "AT" | "CH" | "LI" | "LU" => "de",
        "PL" => "pl",
        "HU" => "hu",
        "SI" => "sl",
        "HR" => "hr",
        "BA" => "bs",
        "RS" | "ME" => "sr-Latn",
        "RO" | "MD" => "ro",
        "BG" => "bg",
        "GR" | "CY" => "el",
        "UA" => "uk",
        "RU" | "BY" | "KZ" => "ru",
        "LT" => "lt",
        "LV" => "lv",
        "EE" => "et",
        "FI" => "fi",
        "SE" => "sv",
        "NO" => "nb",
        "DK" => "da",
        "IS" => "is",
        "TR" => "tr",
        "ES" | "MX" | "AR" | "CO" | "CL" | "PE" | "VE" => "es",
        "FR" | "BE" => "fr",
        "IT" => "it",
        "PT" | "BR" => "pt",
        "NL" => "nl",
        _ => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(locale: &str, names: &str) -> Vec<String> {
        let c = Collation::new(locale).unwrap();
        let mut v: Vec<&str> = names.split(' ').collect();
        v.sort_by_key(|n| c.sort_key(n));
        let by_compare = {
            let mut w = v.clone();
            w.sort_by(|a, b| c.compare(a, b));
            w
        };
        assert_eq!(v, by_compare, "keys and comparison agree");
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn czech_c_caron_after_c_and_ch_after_h() {
        assert_eq!(
            sorted(
                "cs",
                "Čermák Chalupa Cibulka Hruška Dvořák Ryba Řezáč Šťastný Sýkora Zeman Žák Iva"
            ),
            "Cibulka Čermák Dvořák Hruška Chalupa Iva Ryba Řezáč Sýkora Šťastný Zeman Žák"
                .split(' ')
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn german_umlauts_with_their_letters() {
        assert_eq!(
            sorted(
                "de",
                "Zimmer Müller Mueller Muller Ärger Apfel Bauer Öl Ofen"
            ),
            "Apfel Ärger Bauer Mueller Muller Müller Ofen Öl Zimmer"
                .split(' ')
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn english_and_case() {
        let en = Collation::new("en").unwrap();
        assert_eq!(en.sort_key("ACME"), en.sort_key("acme"));
        assert_eq!(en.sort_key("  acme "), en.sort_key("acme"));
        assert_ne!(en.sort_key("Novák"), en.sort_key("Novak"));
        assert_eq!(
            sorted("en", "charlie Čapek Bravo alpha Ch"),
            ["alpha", "Bravo", "Čapek", "Ch", "charlie"]
        );
    }

    #[test]
    fn locales_and_defaults() {
        assert_eq!(Collation::for_region("CZ").locale(), "cs");
        assert_eq!(Collation::for_region("at").locale(), "de");
        assert_eq!(Collation::for_region("US").locale(), "en");
        assert_eq!(Collation::for_region("XX").locale(), "en");
        assert_eq!(Collation::new("de-AT").unwrap().locale(), "de-AT");
        assert!(Collation::new("not a locale!").is_err());
        assert!(Collation::new("").is_err());
        // A language without tailoring sorts by the root order.
        let zu = Collation::new("zu").unwrap();
        assert_eq!(zu.compare("a", "b"), Ordering::Less);
        let en = Collation::new("en").unwrap();
        assert!(en.sort_key("") < en.sort_key("a"), "no name sorts first");
    }
}
