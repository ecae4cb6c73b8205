//! Phone numbers in E.164 form ("+420603123456"), so a contact matches whichever way its
//! number was typed, imported or presented by a caller.
//!
//! This reads the written forms people use and checks digit counts against a small table of
//! dialing rules; it is not a full numbering-plan validator. Decisions a caller must know:
//! - Extensions ("ext. 12", "x12", "#12", "kl. 12", tel: ";ext=12") are dropped: E.164 has no
//!   place for them. Other tel: URI parameters (";phone-context=...") are dropped too.
//! - Letters are refused, vanity numbers such as 1-800-FLOWERS included: guessing keypad digits
//!   could store a wrong number silently.
//! - A trunk prefix written after the country code ("+49 (0)30 ...", "+44 020 ...") is dropped,
//!   except Italy's leading 0, which belongs to the number.
//! - A country calling code outside the region table is accepted when the ITU has assigned it,
//!   checked only against E.164's limit of 15 digits.

use crate::Error;

/// Longest input read, in characters; real numbers with an extension fit easily.
pub const MAX_INPUT_CHARS: usize = 64;

/// E.164 allows at most 15 digits, country calling code included.
const MAX_E164_DIGITS: usize = 15;

/// A country's dialing rules, as far as needed to read numbers written there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// ISO 3166-1 alpha-2 code, upper case ("CZ").
    pub code: &'static str,
    /// Country calling code (420 for CZ, 1 for the US and Canada).
    pub calling_code: u16,
    /// Prefix dialled before national numbers at home and dropped in E.164: "0" in DE, "06" in
    /// HU, "1" in the US; `None` for closed plans such as CZ, PL or IT.
    pub trunk_prefix: Option<&'static str>,
    /// Prefix dialled before a country code to call abroad: "00", or "011" in the US and Canada.
    pub international_prefix: &'static str,
    /// Fewest and most digits of a national number, without trunk prefix or country code.
    pub nsn_len: (usize, usize),
    /// National numbers begin with a 0 that belongs to the number (Italy), so a written "(0)"
    /// after the country code is kept instead of dropped.
    pub leading_zero_kept: bool,
}

const fn region(
    code: &'static str,
    cc: u16,
    trunk: Option<&'static str>,
    min: usize,
    max: usize,
) -> Region {
    Region {
        code,
        calling_code: cc,
        trunk_prefix: trunk,
        international_prefix: "00",
        nsn_len: (min, max),
        leading_zero_kept: false,
    }
}

/// Regions known by name; lengths cover ordinary subscriber numbers, not short service codes.
static REGIONS: &[Region] = &[
    region("CZ", 420, None, 9, 9),
    region("SK", 421, Some("0"), 9, 9),
    region("DE", 49, Some("0"), 5, 13),
    region("AT", 43, Some("0"), 4, 13),
    region("CH", 41, Some("0"), 9, 9),
    region("PL", 48, None, 9, 9),
    region("HU", 36, Some("06"), 8, 9),
    region("GB", 44, Some("0"), 7, 10),
    region("IE", 353, Some("0"), 7, 10),
    region("FR", 33, Some("0"), 9, 9),
    region("BE", 32, Some("0"), 8, 9),
    region("NL", 31, Some("0"), 7, 10),
    region("LU", 352, None, 4, 11),
    Region {
        leading_zero_kept: true,
        ..region("IT", 39, None, 6, 11)
    },
    region("ES", 34, None, 9, 9),
    region("PT", 351, None, 9, 9),
    region("DK", 45, None, 8, 8),
    region("SE", 46, Some("0"), 6, 10),
    region("NO", 47, None, 8, 8),
    region("FI", 358, Some("0"), 5, 12),
    Region {
        international_prefix: "011",
        ..region("US", 1, Some("1"), 10, 10)
    },
    Region {
        international_prefix: "011",
        ..region("CA", 1, Some("1"), 10, 10)
    },
];

/// Country calling codes assigned by the ITU, sorted; no code is the prefix of another.
const CALLING_CODES: &[u16] = &[
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
    55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211,
    212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253,
    254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298,
    299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377,
    378, 379, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675,
    676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850,
    852, 853, 855, 856, 870, 880, 881, 882, 883, 886, 960, 961, 962, 963, 964, 965, 966, 967, 968,
    970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
];

impl Region {
    /// The region with this ISO code, any letter case ("cz" finds CZ).
    pub fn by_code(iso: &str) -> Option<&'static Region> {
        REGIONS
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(iso.trim()))
    }

    /// The region whose numbers carry this country calling code; 1 gives the US (NANP rules).
    pub fn by_calling_code(cc: u16) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.calling_code == cc)
    }
}

/// Length of the assigned country calling code that starts `digits` (ASCII digits), if any.
/// The national significant number of an E.164 number: the digits after
/// the country calling code ("+420603123456" -> "603123456").
pub fn national_number(e164: &str) -> Option<&str> {
    let digits = e164.strip_prefix('+')?;
    let n = calling_code_len(digits)?;
    digits.get(n..).filter(|rest| !rest.is_empty())
}

fn calling_code_len(digits: &str) -> Option<usize> {
    (1..=3).find(|&n| {
        digits
            .get(..n)
            .and_then(|p| p.parse::<u16>().ok())
            .is_some_and(|cc| CALLING_CODES.binary_search(&cc).is_ok())
    })
}

/// Characters people put between digits: spaces of any kind, dashes, dots, slashes,
/// parentheses, and the invisible marks that copying from web pages and phones leaves behind.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '/' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{AD}'
                | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{FEFF}'
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
/// dropped ("030 1234567" in DE), and so is a "(0)" after a country code ("+49 (0)30 1234567"),
/// except for Italy, where the 0 belongs to the number. "00", and "011" in the US and Canada,
/// work like "+". Extensions are dropped; letters are refused (see the module doc).
/// Errors name the input and say why it cannot be read.
pub fn normalize(input: &str, default_region: &Region) -> Result<String, Error> {
    parse(input, default_region).map_err(|reason| Error::InvalidPhoneNumber {
        input: shown(input),
        reason,
    })
}

/// Collects the digits of a number written with separators: whether it began with "+", and
/// where a "(0)" stood. The reason for a refusal comes back as `Err`.
fn scan(text: &str) -> Result<(String, bool, Option<usize>), String> {
    let chars: Vec<char> = text.chars().collect();
    let (mut digits, mut plus, mut paren_zero, mut i) = (String::new(), false, None, 0);
    while i < chars.len() {
        match chars[i] {
            c @ '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            '+' => Err("a '+' may only stand at the start of the number")?,
            '(' if chars.get(i + 1..i + 3) == Some(&['0', ')']) => {
                paren_zero = Some(digits.len());
                digits.push('0');
                i += 2;
            }
            c if is_separator(c) => {}
            c if c.is_alphabetic() => Err("it contains letters; only an extension such as \
                \"ext. 12\" may follow the number, and vanity numbers such as 1-800-FLOWERS \
                are not converted")?,
            c => Err(format!(
                "it contains {c:?}, which does not belong in a phone number"
            ))?,
        }
        i += 1;
    }
    if digits.is_empty() {
        Err("it contains no digits")?;
    }
    Ok((digits, plus, paren_zero))
}

/// `normalize` with the reason for a refusal as a plain string.
fn parse(input: &str, default_region: &Region) -> Result<String, String> {
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
    let (digits, plus, paren_zero) = scan(strip_extension(text))?;

    let prefix = if plus {
        Some(0)
    } else {
        let prefixes = [default_region.international_prefix, "00"];
        prefixes
            .into_iter()
            .find(|p| digits.starts_with(p))
            .map(str::len)
    };
    let (cc, start, region) = match prefix {
        None => (default_region.calling_code, 0, Some(default_region)),
        Some(p) => {
            let rest = &digits[p..];
            if rest.is_empty() {
                Err("no country calling code follows the international prefix")?;
            }
            let Some(n) = calling_code_len(rest) else {
                let head = &rest[..rest.len().min(3)];
                return Err(format!(
                    "+{head} does not start with a known country calling code"
                ));
            };
            let cc: u16 = rest[..n].parse().unwrap_or_default();
            (cc, p + n, Region::by_calling_code(cc))
        }
    };

    let mut national = &digits[start..];
    if paren_zero == Some(start) && !region.is_some_and(|r| r.leading_zero_kept) {
        national = &national[1..];
    }
    if let Some(r) = region
        && let Some(trunk) = r.trunk_prefix
    {
        national = national.strip_prefix(trunk).unwrap_or(national);
        if national.starts_with('0') || national.starts_with(trunk) {
            let first = &national[..1];
            Err(format!(
                "numbers in {} cannot begin with {first} after the country code or trunk prefix",
                r.code
            ))?;
        }
    }

    let cc_len = cc.to_string().len();
    let (min, max) = region.map_or((4, MAX_E164_DIGITS), |r| r.nsn_len);
    let max = max.min(MAX_E164_DIGITS - cc_len);
    let found = national.len();
    if found < min || found > max {
        let place = region.map_or(format!("+{cc}"), |r| format!("{} (+{cc})", r.code));
        let expected = if min == max {
            min.to_string()
        } else {
            format!("{min} to {max}")
        };
        let few_or_many = if found < min { "few" } else { "many" };
        let note = if cc_len + found > MAX_E164_DIGITS {
            format!("; E.164 allows {MAX_E164_DIGITS} with the country code")
        } else {
            String::new()
        };
        Err(format!(
            "too {few_or_many} digits for {place}: a national number has {expected}, \
             this one has {found}{note}"
        ))?;
    }
    Ok(format!("+{cc}{national}"))
}

/// Reads a number that a phone or a person presented: the normalized form,
/// or else the first of [`lookup_keys`] (caller ids that drop the "+"),
/// or the normalizing error.
pub fn read(input: &str, default_region: &Region) -> Result<String, Error> {
    match normalize(input, default_region) {
        Ok(n) => Ok(n),
        Err(e) => lookup_keys(input, default_region)
            .into_iter()
            .next()
            .ok_or(e),
    }
}

/// The E.164 numbers to look up for a number a caller presented, perhaps written loosely.
///
/// Normally one: the normalized number. When that fails and the input has at least 11 digits
/// with no "+" or "00", it is tried as international once more, because caller ID often drops
/// the "+" ("420603123456"). Empty when neither reads; the reason is of no use to a lookup.
pub fn lookup_keys(input: &str, default_region: &Region) -> Vec<String> {
    if let Ok(e164) = normalize(input, default_region) {
        return vec![e164];
    }
    let trimmed = input.trim();
    let digit_count = trimmed.chars().filter(char::is_ascii_digit).count();
    if trimmed.starts_with(|c: char| matches!(c, '1'..='9'))
        && digit_count >= 11
        && let Ok(e164) = normalize(&format!("+{trimmed}"), default_region)
    {
        return vec![e164];
    }
    Vec::new()
}

/// Splits a national number of `n` digits into groups: 3-3-3, 3-3-4, 2-3-3 and the like.
fn groups(n: usize) -> Vec<usize> {
    match (n, n % 3) {
        (0..=4, _) => vec![n].into_iter().filter(|&g| g > 0).collect(),
        (_, 0) => vec![3; n / 3],
        (_, 1) => [vec![3; (n - 4) / 3], vec![4]].concat(),
        _ => [vec![2], vec![3; (n - 2) / 3]].concat(),
    }
}

/// A readable form of an E.164 number for display: "+420 603 123 456", "+1 555 123 4567".
///
/// The country code stands alone, then the national number in groups of three with a final
/// four where needed (NANP's 3-3-4 falls out of this). A string that is not E.164 comes back
/// unchanged, so this is safe on stored data of any quality.
pub fn format_international(e164: &str) -> String {
    let Some(digits) = e164.strip_prefix('+') else {
        return e164.to_string();
    };
    if digits.len() > MAX_E164_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return e164.to_string();
    }
    let Some(cc_len) = calling_code_len(digits) else {
        return e164.to_string();
    };
    let (cc, mut rest) = digits.split_at(cc_len);
    let mut out = format!("+{cc}");
    for size in groups(rest.len()) {
        let (group, tail) = rest.split_at(size);
        out.push(' ');
        out.push_str(group);
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> &'static Region {
        Region::by_code(code).expect("region in table")
    }

    /// Each `|`-separated form must read as `expected` in region `code`, also as a lookup key.
    fn reads(code: &str, expected: &str, forms: &str) {
        for input in forms.split('|') {
            let got = normalize(input, region(code));
            let got = got.unwrap_or_else(|e| panic!("{input:?} in {code}: {e}"));
            assert_eq!(got, expected, "{input:?} in {code}");
            assert_eq!(lookup_keys(input, region(code)), [expected]);
        }
    }

    fn refused(code: &str, input: &str, reason: &str) {
        let message = normalize(input, region(code)).expect_err(input).to_string();
        assert!(message.starts_with("cannot read phone number"), "{message}");
        assert!(message.contains(&format!("{input:?}")), "{message}");
        assert!(message.contains(reason), "{message}");
    }

    #[test]
    fn czech_forms() {
        let cz = |forms| reads("CZ", "+420603123456", forms);
        cz("+420 603 123 456|603123456|00420603123456|603-123-456|(603) 123 456|603.123.456");
        cz("603/123 456|603\u{a0}123\u{a0}456|\u{202a}+420 603 123 456\u{202c}|(+420) 603123456");
        cz("tel:+420603123456|TEL:603123456|tel:+420603123456;ext=12|+420 603 123 456 ext. 12");
        cz("603123456 x12|603 123 456 #12|603 123 456 kl. 12|\u{2060}603\u{2011}123\u{2011}456 ");
    }

    #[test]
    fn german_forms() {
        let de = |forms| reads("DE", "+49301234567", forms);
        de("+49 (0)30 1234567|030 1234567|030/1234567|0049 30 1234567|+49 30 1234567");
        de("+49 030 1234567|(0)30 1234567|+49-30-1234567 Ext: 5");
    }

    #[test]
    fn nanp_forms() {
        let us = |forms| reads("US", "+15551234567", forms);
        us("(555) 123-4567|555.123.4567|1-555-123-4567|+1 555 123 4567|555-123-4567 ext 89");
        us("tel:+1-555-123-4567;ext=89|5551234567 extension 9|1 (555) 123\u{2013}4567");
        reads("US", "+420603123456", "011 420 603 123 456|00420603123456");
        reads("CA", "+14165551234", "(416) 555-1234|1 416 555 1234");
    }

    #[test]
    fn other_regions() {
        let it = |forms| reads("IT", "+390612345678", forms);
        it("06 1234 5678|+39 06 1234 5678|+39 (0)6 1234 5678|0039 (0)6 1234 5678");
        reads("CZ", "+390612345678", "+39 06 1234 5678|0039 06 12345678");
        reads("IT", "+393331234567", "333 123 4567");
        reads("HU", "+3612345678", "06 1 234 5678|+36 1 234 5678");
        reads("HU", "+36301234567", "06 30 123 4567");
        let gb = |forms| reads("GB", "+442079460958", forms);
        gb("+44 (0)20 7946 0958|020 7946 0958|+44 020 7946 0958");
        reads("FR", "+33612345678", "06 12 34 56 78|+33 6 12 34 56 78");
        reads("SK", "+421903123456", "0903 123 456|+421 903 123 456");
        reads("PL", "+48601234567", "601 234 567");
        reads("CZ", "+8613800138000", "+86 138 0013 8000");
        reads("CZ", "+61212345678", "+61 (0)2 1234 5678");
    }

    #[test]
    fn refusals_name_the_input_and_the_reason() {
        refused("CZ", "", "empty");
        refused("CZ", "  \u{a0} ", "empty");
        refused("CZ", "tel:", "empty");
        refused("CZ", "---", "no digits");
        refused("CZ", "+", "no digits");
        refused("CZ", "abc", "letters");
        refused("US", "1-800-FLOWERS", "vanity");
        refused("CZ", "12@34", "'@'");
        refused("CZ", "603;123", "';'");
        refused("CZ", "603 123 456, 604", "','");
        refused("CZ", "603+123456", "'+'");
        refused("CZ", "123", "too few digits for CZ (+420): a national");
        refused("CZ", "6031234567", "too many digits for CZ (+420)");
        refused("CZ", "+420", "too few digits");
        refused("DE", "+49 1234 5678 9012 345", "E.164 allows 15");
        refused("US", "+1 555 123 45678", "too many digits for US (+1)");
        refused("CZ", "+999 123 456", "+999 does not start with a known");
        refused("CZ", "00999123456", "known country calling code");
        refused("CZ", "00", "no country calling code");
        refused("DE", "+49 0 030 1234567", "cannot begin with 0");
        refused("US", "+1 055 123 4567", "cannot begin with 0");
    }

    #[test]
    fn overlong_input_is_refused_quickly_with_a_short_message() {
        let huge = "9".repeat(1_000_000);
        let message = normalize(&huge, region("CZ"))
            .expect_err("long")
            .to_string();
        assert!(message.contains("longer than 64 characters"), "{message}");
        assert!(message.contains(&huge[..64]), "{message}");
        assert!(message.len() < 200, "{message}");
        assert!(lookup_keys(&huge, region("CZ")).is_empty());
    }

    #[test]
    fn lookup_keys_cover_caller_id_without_plus() {
        assert_eq!(lookup_keys("420603123456", region("CZ")), ["+420603123456"]);
        assert_eq!(lookup_keys("15551234567", region("CZ")), ["+15551234567"]);
        assert!(lookup_keys("6031234567", region("CZ")).is_empty());
        assert!(lookup_keys("not a number", region("CZ")).is_empty());
    }

    #[test]
    fn formatting() {
        assert_eq!(format_international("+420603123456"), "+420 603 123 456");
        assert_eq!(format_international("+15551234567"), "+1 555 123 4567");
        assert_eq!(format_international("+49301234567"), "+49 301 234 567");
        assert_eq!(format_international("+4512345678"), "+45 12 345 678");
        assert_eq!(format_international("+420"), "+420");
        for odd in "|+|abc|+999123|+4206031234567890|+42O|+420 603|+é|+\u{0}".split('|') {
            assert_eq!(format_international(odd), odd);
        }
    }

    #[test]
    fn round_trip_through_format() {
        let numbers = "+420603123456 +15551234567 +49301234567 +390612345678 +3612345678 \
                       +442079460958 +8613800138000 +35312345678 +4512345678 +421903123456";
        for e164 in numbers.split(' ') {
            assert_eq!(normalize(e164, region("CZ")).unwrap(), e164);
            let formatted = format_international(e164);
            assert_eq!(normalize(&formatted, region("US")).unwrap(), e164);
        }
    }

    #[test]
    fn tables_are_consistent() {
        assert!(CALLING_CODES.windows(2).all(|w| w[0] < w[1]));
        for (i, a) in CALLING_CODES.iter().enumerate() {
            for b in &CALLING_CODES[i + 1..] {
                let (a, b) = (a.to_string(), b.to_string());
                assert!(!b.starts_with(&a), "{a} is a prefix of {b}");
            }
        }
        for r in REGIONS {
            let found = Region::by_code(&r.code.to_lowercase());
            assert_eq!(found.map(|f| f.code), Some(r.code));
            assert!(CALLING_CODES.contains(&r.calling_code) && r.nsn_len.0 <= r.nsn_len.1);
            assert!(r.calling_code.to_string().len() + r.nsn_len.1 <= MAX_E164_DIGITS);
        }
        assert_eq!(Region::by_calling_code(1).map(|r| r.code), Some("US"));
        assert_eq!(Region::by_calling_code(39).map(|r| r.code), Some("IT"));
        assert!(Region::by_code("XX").is_none() && Region::by_calling_code(999).is_none());
    }

    /// Deterministic pseudo-random numbers (xorshift64), so the garbage test is repeatable.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }
    }

    /// Whatever the input: no panic, and any number read is E.164, stable and round-trips.
    fn check_invariants(input: &str, region: &Region) {
        let keys = lookup_keys(input, region);
        let _ = format_international(input);
        match normalize(input, region) {
            Ok(e164) => {
                let digits = e164.strip_prefix('+').expect("starts with +");
                assert!(digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()));
                assert_eq!(keys, [e164.as_str()]);
                let again = normalize(&e164, region).ok();
                assert_eq!(again.as_ref(), Some(&e164), "{input:?}");
                let formatted = format_international(&e164);
                assert_eq!(normalize(&formatted, region).ok(), Some(e164), "{input:?}");
            }
            Err(e) => assert!(e.to_string().len() < 400 && keys.len() <= 1),
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let any: Vec<char> = "0123456789+()-./ \u{a0}xetkl:;=#@Zé€😀\u{200b}\0\n٣６"
            .chars()
            .collect();
        let numberish: Vec<char> = "01234567890420 -".chars().collect();
        let prefixes = ["", "", "+", "00", "011", "tel:", "+49 (0)", "(0)", "0", "1"];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for round in 0..30_000 {
            let region = &REGIONS[round % REGIONS.len()];
            let garbage: String = (0..rng.below(90)).map(|_| rng.pick(&any)).collect();
            check_invariants(&garbage, region);
            let mut number = rng.pick(&prefixes).to_string();
            number.extend((0..rng.below(20)).map(|_| rng.pick(&numberish)));
            check_invariants(&number, region);
        }
    }
}
