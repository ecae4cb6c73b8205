//! Record bytes from outside through `SignedRecord::parse`, `verify` and
//! `body`.
//!
//! Checks, besides never panicking: a parsed record keeps the bytes verbatim
//! and its id is their hash; a record that verifies (only a seed with a real
//! signature can) stops verifying when a bit of its signed part or of its
//! signature flips; a body that decodes re-encodes stably.

#![no_main]

use deko_core::record::{Body, HEADER_LEN, RecordId, SIGNATURE_LEN, SignedRecord};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(record) = SignedRecord::parse(data.to_vec()) else {
        return;
    };
    assert_eq!(record.bytes(), data);
    assert_eq!(record.id(), RecordId::of(data));
    assert_eq!(
        record.body_bytes().len(),
        data.len() - HEADER_LEN - SIGNATURE_LEN
    );

    if record.verify().is_ok() {
        // A real signature: any change must be caught. Byte 1 (team) is
        // signed; the last byte is in the signature's S half.
        for pos in [
            1,
            HEADER_LEN - 1,
            data.len() - SIGNATURE_LEN - 1,
            data.len() - 1,
        ] {
            let mut tampered = data.to_vec();
            tampered[pos] ^= 0x01;
            if let Ok(r) = SignedRecord::parse(tampered) {
                assert!(r.verify().is_err(), "flipped byte {pos} still verifies");
            }
        }
    }

    if let Ok(Some(body)) = record.body() {
        // Compared as bytes: a Float may be NaN, which is not equal to itself.
        let encoded = body.encode();
        let again = Body::decode(&encoded).expect("an encoded body must decode");
        assert_eq!(again.encode(), encoded, "body encoding is not stable");
    }
});
