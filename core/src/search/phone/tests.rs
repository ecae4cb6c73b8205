use super::*;

fn region(code: &str) -> &'static Region {
    Region::by_code(code).expect("region libphonenumber knows")
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
    let message = match normalize(input, region(code)) {
        Ok(n) => panic!("{input:?} in {code} read as {n}"),
        Err(e) => e.to_string(),
    };
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
    us("+1 555-123-4567");
    reads("US", "+420603123456", "011 420 603 123 456|00420603123456");
    reads("CA", "+14165551234", "(416) 555-1234|1 416 555 1234");
}

#[test]
fn trunk_prefix_after_the_country_code_is_dropped_everywhere() {
    // Outside the old hand-written table: the Romanian example.
    reads(
        "CZ",
        "+40721123456",
        "+40 0721 123 456|0040 721 123 456|+40 (0)721 123 456",
    );
    reads(
        "RO",
        "+40721123456",
        "0721 123 456|0721-123-456|+40 721 123 456",
    );
    reads("HR", "+385912345678", "091 234 5678|+385 (0)91 234 5678");
    reads("SI", "+38631234567", "031 234 567|+386 31 234 567");
    reads("GR", "+302101234567", "210 123 4567|+30 210 123 4567");
    reads("BG", "+35929123456", "02 912 3456|+359 2 912 3456");
    reads("UA", "+380501234567", "050 123 4567|+380 50 123 4567");
}

#[test]
fn other_regions() {
    let it = |forms| reads("IT", "+390612345678", forms);
    it("06 1234 5678|+39 06 1234 5678|0039 06 1234 5678");
    reads("CZ", "+390612345678", "+39 06 1234 5678|0039 06 12345678");
    reads("IT", "+393331234567", "333 123 4567");
    reads("HU", "+3612345678", "06 1 234 5678|+36 1 234 5678");
    reads("HU", "+36301234567", "06 30 123 4567");
    let gb = |forms| reads("GB", "+442079460958", forms);
    gb("+44 (0)20 7946 0958|020 7946 0958|+44 020 7946 0958|+44 20 7946 0958");
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
    refused("CZ", "123", "too few digits");
    refused("CZ", "60312345678901", "too many digits for CZ (+420)");
    refused("CZ", "+420", "too few digits");
    refused("DE", "+49 1234 5678 9012 3456", "too many digits");
    refused("US", "+1 555 123 45678", "too many digits for +1");
    refused("US", "555 1234", "local number without its area code");
    refused("CZ", "+999 123 456", "+999 does not start with a known");
    refused("CZ", "00999123456", "known country calling code");
    refused("CZ", "00", "too few digits follow the international prefix");
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
    assert_eq!(lookup_keys("12015550123", region("CZ")), ["+12015550123"]);
    // A possible Czech length, but no Czech number: the caller id without "+" wins.
    assert!(normalize("12015550123", region("CZ")).is_ok());
    assert_eq!(lookup_keys("40721123456", region("CZ")), ["+40721123456"]);
    assert!(lookup_keys("60312345678901", region("CZ")).is_empty());
    assert!(lookup_keys("not a number", region("CZ")).is_empty());
}

#[test]
fn formatting_groups_as_each_country_writes() {
    assert_eq!(format_international("+420603123456"), "+420 603 123 456");
    assert_eq!(format_international("+442079460958"), "+44 20 7946 0958");
    assert_eq!(format_international("+40721123456"), "+40 721 123 456");
    assert_eq!(format_international("+15551234567"), "+1 555-123-4567");
    assert_eq!(format_international("+49301234567"), "+49 30 1234567");
    assert_eq!(format_national("+442079460958"), "020 7946 0958");
    assert_eq!(format_national("+40721123456"), "0721 123 456");
    assert_eq!(format_national("+420603123456"), "603 123 456");
    assert_eq!(display("+442079460958", region("GB")), "020 7946 0958");
    assert_eq!(display("+442079460958", region("CZ")), "+44 20 7946 0958");
    assert_eq!(display("+14165551234", region("US")), "(416) 555-1234");
    assert_eq!(
        national_number("+420603123456").as_deref(),
        Some("603123456")
    );
    assert_eq!(
        national_number("+390612345678").as_deref(),
        Some("0612345678")
    );
    for odd in "|+|abc|+999123|+4206031234567890123|+42O|+420 603|+é|+\u{0}".split('|') {
        assert_eq!(format_international(odd), odd);
        assert_eq!(display(odd, region("CZ")), odd);
    }
}

#[test]
fn round_trip_through_format() {
    let numbers = "+420603123456 +15551234567 +49301234567 +390612345678 +3612345678 \
                   +442079460958 +8613800138000 +35312345678 +4532123456 +421903123456 \
                   +40721123456";
    for e164 in numbers.split(' ') {
        assert_eq!(normalize(e164, region("CZ")).unwrap(), e164);
        let formatted = format_international(e164);
        assert_eq!(
            normalize(&formatted, region("US")).unwrap(),
            e164,
            "{formatted}"
        );
    }
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
    let _ = display(input, region);
    match normalize(input, region) {
        Ok(e164) => {
            let digits = e164.strip_prefix('+').expect("starts with +");
            assert!(digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(keys.len(), 1, "{input:?}");
            assert!(keys[0] == e164 || is_valid(&keys[0]), "{input:?}: {keys:?}");
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
    let regions = Region::all();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for round in 0..10_000 {
        let region = &regions[(round * 7) % regions.len()];
        let garbage: String = (0..rng.below(90)).map(|_| rng.pick(&any)).collect();
        check_invariants(&garbage, region);
        let mut number = rng.pick(&prefixes).to_string();
        number.extend((0..rng.below(20)).map(|_| rng.pick(&numberish)));
        check_invariants(&number, region);
    }
}

#[test]
fn a_number_reads_back_as_itself_or_is_refused() {
    // China dials a carrier code (1[12]xx, 179xx) before a number as well
    // as the trunk 0: "0118883111111" lost only its 0 on the first reading,
    // and its E.164 form, read again, lost "1188" too. What is stored must
    // read back as itself (found by fuzz/phone_number).
    for (code, input) in [("CN", "0118883111111"), ("CN", "011 8883 111111")] {
        match normalize(input, region(code)) {
            Ok(e164) => {
                for other in [code, "US", "CZ"] {
                    assert_eq!(
                        normalize(&e164, region(other)).ok().as_ref(),
                        Some(&e164),
                        "{input:?} in {code} read as {e164}, read again in {other}"
                    );
                }
            }
            Err(e) => assert!(e.to_string().contains("reads as another number"), "{e}"),
        }
    }
}
