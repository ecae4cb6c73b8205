//! Pairing tickets from text (`Ticket::parse`) and bytes
//! (`Ticket::from_bytes`).
//!
//! The input is tried as a URI (lossy UTF-8), as a binary ticket, and as the
//! body of a binary ticket with the checksum recomputed here (a fuzzer cannot
//! guess a BLAKE3 checksum, so without this nothing behind it is reached).
//! Checks, besides never panicking: every accepted ticket re-encodes to the
//! very bytes / text it came from, reads back equal from `to_bytes` and from
//! `to_uri` (with `now` 0 and the `now` used when not yet expired), and is
//! refused as expired otherwise; a blob with a matching checksum is never
//! called corrupt.

#![no_main]

use deko_core::net::ticket::Ticket;
use libfuzzer_sys::fuzz_target;

/// The clock given to `Ticket::parse`: 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;

/// Must match `CHECKSUM_CONTEXT` in core/src/net/ticket.rs.
const CHECKSUM_CONTEXT: &str = "deko pairing ticket checksum";

fn with_checksum(body: &[u8]) -> Vec<u8> {
    let hash = blake3::derive_key(CHECKSUM_CONTEXT, body);
    let mut out = body.to_vec();
    out.extend_from_slice(&hash[..4]);
    out
}

fn live(ticket: &Ticket, now: u64) -> bool {
    ticket.expires_at == 0 || now < ticket.expires_at
}

/// Round trips of a ticket that was accepted from `source` bytes.
fn check_ok(ticket: &Ticket, source: &[u8]) {
    let bytes = ticket.to_bytes().expect("an accepted ticket must encode");
    assert_eq!(bytes, source, "accepted blob does not re-encode to itself");
    assert_eq!(
        &Ticket::from_bytes(&bytes).expect("to_bytes output refused"),
        ticket
    );

    let uri = ticket.to_uri().expect("an accepted ticket must render");
    assert!(uri.starts_with("DEKO:"), "{uri}");
    assert!(
        uri[5..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
        "{uri}"
    );
    // expires_at is 0 or later than 0: always live at time 0.
    assert_eq!(
        &Ticket::parse(&uri, 0).expect("to_uri output refused at time 0"),
        ticket
    );
    assert_eq!(
        &Ticket::parse(&uri.to_ascii_lowercase(), 0).expect("lower-case URI refused"),
        ticket
    );
    match Ticket::parse(&uri, NOW) {
        Ok(t) => {
            assert!(live(ticket, NOW), "expired ticket accepted");
            assert_eq!(&t, ticket);
        }
        Err(e) => {
            assert!(!live(ticket, NOW), "live ticket refused: {e}");
            assert!(e.to_string().contains("expired"), "{e}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // As text.
    let text = String::from_utf8_lossy(data);
    if let Ok(ticket) = Ticket::parse(&text, NOW) {
        assert!(live(&ticket, NOW), "expired ticket accepted");
        assert_eq!(
            ticket.to_uri().expect("a parsed ticket must render"),
            text.trim().to_ascii_uppercase(),
            "accepted URI does not re-render to itself"
        );
        let again = Ticket::parse(&text, 0).expect("accepted now, refused at time 0");
        assert_eq!(again, ticket);
        assert_eq!(
            Ticket::parse(&text, u64::MAX).is_ok(),
            ticket.expires_at == 0,
            "expiry at the end of time"
        );
        let bytes = ticket.to_bytes().expect("a parsed ticket must encode");
        check_ok(&ticket, &bytes);
    }

    // As bytes, checksum as given.
    if let Ok(ticket) = Ticket::from_bytes(data) {
        check_ok(&ticket, data);
    }

    // As bytes, checksum made to match.
    let fixed = with_checksum(data);
    match Ticket::from_bytes(&fixed) {
        Ok(ticket) => check_ok(&ticket, &fixed),
        Err(e) => {
            let m = e.to_string();
            assert!(
                !m.contains("corrupt") && !m.contains("truncated"),
                "checksum matches, yet: {m}"
            );
        }
    }
});
