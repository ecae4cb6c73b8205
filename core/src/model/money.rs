//! Amounts of money as people write them ("12 500,50", "12,500.50 EUR",
//! "1.250.000 Kč" aside, "¥1,000" aside): one reading for the command line
//! and both apps, in the currency's own minor units (ISO 4217: cents for
//! most, none for yen, thousandths for dinars).

use super::Money;
use crate::error::{Error, Result};

/// Digits after the decimal mark of a currency's minor unit (ISO 4217):
/// 2 unless listed.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// A currency code as stored: three ASCII letters, upper case.
pub(crate) fn currency_code(c: &str) -> Result<String> {
    let c = c.trim().to_ascii_uppercase();
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        Ok(c)
    } else {
        Err(Error::invalid(
            "currency",
            format!("{c:?} is not a currency code (like CZK, EUR, USD)"),
        ))
    }
}

impl Money {
    /// Reads an amount as people write it: digits with group separators
    /// (spaces, no-break spaces, apostrophes, or '.' and ',' before groups
    /// of three), an optional decimal mark ('.' or ',') with at most the
    /// currency's minor digits after it, an optional minus sign, and an
    /// optional currency code before or after it (else `default_currency`).
    /// "12 500,50", "12,500.50", "1.250.000", "-3.5 eur" and "CZK 900" all
    /// read; "12,5000", "1.5" in yen and "12x" are refused.
    pub fn parse(text: &str, default_currency: &str) -> Result<Money> {
        let bad = || {
            Error::invalid(
                "value",
                format!("cannot read amount {text:?} (write it like 12500 or 12500.50 EUR)"),
            )
        };
        let mut words: Vec<&str> = text.split_whitespace().collect();
        let is_code = |w: &str| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic());
        let mut currency = None;
        if words.len() > 1 && is_code(words[words.len() - 1]) {
            currency = words.pop();
        } else if words.len() > 1 && is_code(words[0]) {
            currency = Some(words.remove(0));
        }
        let currency = currency_code(currency.unwrap_or(default_currency))?;
        let digits = minor_digits(&currency);
        let amount: String = words
            .concat()
            .chars()
            .filter(|c| !matches!(c, '\'' | '\u{2019}' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == '\u{2212}' { '-' } else { c })
            .collect();
        let (negative, amount) = match amount.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, amount.as_str()),
        };
        if amount.is_empty()
            || !amount
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(bad());
        }
        // The last mark is the decimal one when it appears once and at most
        // the minor digits follow it; every other mark separates groups of 3.
        let (whole, fraction) = match amount.rfind(['.', ',']) {
            Some(i) => {
                let mark = amount.as_bytes()[i] as char;
                let after = &amount[i + 1..];
                let once = amount.matches(mark).count() == 1;
                // Three digits after a mark are a group, unless the currency
                // has thousandths ("1.250 KWD").
                let fits = !after.is_empty() && after.len() <= digits as usize;
                if once && fits && (after.len() != 3 || digits == 3) {
                    (&amount[..i], after)
                } else {
                    (amount, "")
                }
            }
            None => (amount, ""),
        };
        let mut groups = whole.split(['.', ',']);
        let first = groups.next().unwrap_or_default();
        if first.is_empty() || groups.clone().any(|g| g.len() != 3) {
            return Err(bad());
        }
        let units: String = whole.chars().filter(char::is_ascii_digit).collect();
        let scale = 10i64.pow(digits);
        let fraction_minor = format!("{fraction:0<width$}", width = digits as usize);
        let minor = units
            .parse::<i64>()
            .ok()
            .and_then(|u| u.checked_mul(scale))
            .and_then(|u| {
                let f = if digits == 0 {
                    0
                } else {
                    fraction_minor.parse::<i64>().ok()?
                };
                u.checked_add(f)
            })
            .ok_or_else(bad)?;
        Ok(Money {
            minor: if negative { -minor } else { minor },
            currency,
        })
    }

    /// The amount in plain digits with its minor part ("12500.50 EUR",
    /// "1000 JPY"): for scripts and the command line.
    pub fn text(&self) -> String {
        let digits = minor_digits(&self.currency);
        let sign = if self.minor < 0 { "-" } else { "" };
        let m = self.minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{m} {}", self.currency);
        }
        let scale = 10u64.pow(digits);
        format!(
            "{sign}{}.{:0width$} {}",
            m / scale,
            m % scale,
            self.currency,
            width = digits as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(minor: i64, currency: &str) -> Money {
        Money {
            minor,
            currency: currency.into(),
        }
    }

    #[test]
    fn reads_amounts_as_people_write_them() {
        let cases = [
            ("12500", m(1_250_000, "EUR")),
            ("12500.5", m(1_250_050, "EUR")),
            ("12500,50", m(1_250_050, "EUR")),
            ("12 500,50", m(1_250_050, "EUR")),
            ("12\u{a0}500,50", m(1_250_050, "EUR")),
            ("12,500.50", m(1_250_050, "EUR")),
            ("12.500,50", m(1_250_050, "EUR")),
            ("1.250.000", m(125_000_000, "EUR")),
            ("1,250", m(125_000, "EUR")),
            ("1'250.50", m(125_050, "EUR")),
            ("-3.5 czk", m(-350, "CZK")),
            ("\u{2212}3", m(-300, "EUR")),
            ("CZK 900", m(90_000, "CZK")),
            ("12.5 usd", m(1250, "USD")),
            ("1,000 JPY", m(1000, "JPY")),
            ("1.250 KWD", m(1250, "KWD")),
            ("0,05", m(5, "EUR")),
        ];
        for (text, want) in cases {
            assert_eq!(Money::parse(text, "EUR").unwrap(), want, "{text}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for text in [
            "",
            "abc",
            "12x",
            "12,5000",
            "1.5.0",
            "12.345.6",
            "--3",
            "3-",
            "1.5 JPY",
            "12 500 EU",
            "1,2,3",
            ".5",
            "12 EURO",
        ] {
            let err = Money::parse(text, "EUR").unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{text}: {err}");
        }
        assert!(Money::parse("12", "EURO").is_err());
    }

    #[test]
    fn text_has_the_currencys_minor_digits() {
        assert_eq!(m(1_250_050, "EUR").text(), "12500.50 EUR");
        assert_eq!(m(-5, "CZK").text(), "-0.05 CZK");
        assert_eq!(m(1000, "JPY").text(), "1000 JPY");
        assert_eq!(m(1250, "KWD").text(), "1.250 KWD");
    }
}
