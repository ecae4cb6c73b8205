use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha512};

use super::verify_batch;
use crate::error::Error;
use crate::identity::DeviceKey;
use crate::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Header, Hlc, Put, RecordError, RecordId,
    SIGNATURE_LEN, SignedRecord, TeamId, Value,
};

/// A signer that can do what an ed25519 library never does: add a point
/// of small order to R or to its public key. Only a key's owner can.
struct Signer {
    secret: Scalar,
    /// The public key as published: secret·B, plus `key_torsion`.
    public: [u8; 32],
}

impl Signer {
    fn new(seed: u8, key_torsion: EdwardsPoint) -> Signer {
        let secret = SigningKey::from_bytes(&[seed; 32]).to_scalar();
        let public = (EdwardsPoint::mul_base(&secret) + key_torsion)
            .compress()
            .to_bytes();
        Signer { secret, public }
    }

    /// An ordinary signer: its records are what DeviceKey makes.
    fn honest(seed: u8) -> Signer {
        let s = Signer::new(seed, EdwardsPoint::identity());
        assert_eq!(
            &s.public,
            DeviceKey::from_secret([seed; 32]).device_id().as_bytes()
        );
        s
    }

    /// Record `seq` (its body naming `seq`), signed with `r_torsion` added
    /// to R.
    fn record(&self, seq: u64, r_torsion: EdwardsPoint) -> SignedRecord {
        let mut bytes = unsigned(&self.public, seq);
        let nonce = Scalar::from_bytes_mod_order_wide(&Sha512::digest(&bytes).into());
        let r = (EdwardsPoint::mul_base(&nonce) + r_torsion)
            .compress()
            .to_bytes();
        let h = hram(&r, &self.public, &bytes);
        bytes.extend_from_slice(&r);
        bytes.extend_from_slice((nonce + h * self.secret).as_bytes());
        SignedRecord::parse(bytes).unwrap()
    }
}

fn hram(r: &[u8; 32], key: &[u8; 32], msg: &[u8]) -> Scalar {
    let digest = Sha512::new()
        .chain_update(r)
        .chain_update(key)
        .chain_update(msg)
        .finalize();
    Scalar::from_bytes_mod_order_wide(&digest.into())
}

/// The signed part of record `seq` by `author` (any 32 bytes).
fn unsigned(author: &[u8; 32], seq: u64) -> Vec<u8> {
    let key = DeviceKey::from_secret([200; 32]);
    let header = Header {
        team: TeamId([1; 16]),
        author: key.device_id(),
        seq,
        prev: if seq == 1 {
            RecordId::ZERO
        } else {
            RecordId([7; 32])
        },
        hlc: Hlc::from_millis(1_700_000_000_000),
        body_version: BODY_VERSION,
    };
    let body = Body::Put(Put {
        kind: "person".into(),
        entity: EntityId([9; 16]),
        writes: vec![FieldWrite {
            field: "name".into(),
            value: Value::Text(format!("Person {seq}")),
            replaces: vec![],
        }],
    })
    .encode();
    let signed = SignedRecord::sign(&key, header, &body).unwrap();
    let mut bytes = signed.bytes()[..signed.bytes().len() - SIGNATURE_LEN].to_vec();
    bytes[17..49].copy_from_slice(author);
    bytes
}

/// `n` honest records by `signer`, from seq `from`.
fn honest(signer: &Signer, from: u64, n: u64) -> Vec<SignedRecord> {
    (from..from + n)
        .map(|seq| signer.record(seq, EdwardsPoint::identity()))
        .collect()
}

fn is_bad_signature(r: &crate::error::Result<()>) -> bool {
    matches!(r, Err(Error::Record(RecordError::BadSignature { .. })))
}

/// Batches of honest records of many sizes (below and above the sizes at
/// which a batch is tried first and split over two threads), by one author
/// or three; made once (signing is slow in a debug build).
fn others() -> &'static [Vec<SignedRecord>] {
    static OTHERS: std::sync::OnceLock<Vec<Vec<SignedRecord>>> = std::sync::OnceLock::new();
    OTHERS.get_or_init(|| {
        let (a, b, c) = (Signer::honest(1), Signer::honest(2), Signer::honest(3));
        let many = honest(&a, 10, 260);
        [1usize, 2, 3, 4, 7, 16, 260]
            .into_iter()
            .map(|n| {
                let mut batch = many[..n].to_vec();
                if n >= 7 {
                    batch.extend(honest(&b, 10, 3));
                    batch.extend(honest(&c, 10, 3));
                }
                batch
            })
            .collect()
    })
}

/// Every way `odd` can be checked: alone, and first, in the middle and
/// last in each of [`others`]. Returns the verdicts on `odd`; the other
/// records must all pass.
fn verdicts_everywhere(odd: &SignedRecord) -> Vec<bool> {
    let mut verdicts = vec![odd.verify().is_ok()];
    for others in others() {
        for at in [0, others.len() / 2, others.len()] {
            let mut batch = others.clone();
            batch.insert(at, odd.clone());
            let results = verify_batch(&batch);
            for (i, r) in results.iter().enumerate() {
                if i != at {
                    assert!(r.is_ok(), "an honest record refused beside the odd one");
                }
            }
            verdicts.push(results[at].is_ok());
        }
    }
    verdicts
}

/// Asserts that `rec` gets `verdict` alone and in every batch of
/// [`verdicts_everywhere`].
fn assert_everywhere(rec: &SignedRecord, verdict: bool) {
    let verdicts = verdicts_everywhere(rec);
    assert!(
        verdicts.iter().all(|&ok| ok == verdict),
        "not {verdict} everywhere (alone, then each placement): {verdicts:?}"
    );
}

#[test]
fn ordinary_signatures_get_the_verdicts_ed25519_dalek_gives() {
    // Cross-checked with ed25519-dalek's strict single check: records of
    // DeviceKey and of the test signer, intact and with a bit flipped.
    let key = DeviceKey::from_secret([1; 32]);
    let dalek = ed25519_dalek::VerifyingKey::from_bytes(key.device_id().as_bytes()).unwrap();
    let signer = Signer::honest(1);
    let mut records = honest(&signer, 1, 20);
    for seq in 21..=40 {
        let mut bytes = unsigned(key.device_id().as_bytes(), seq);
        let sig = key.sign(&bytes);
        bytes.extend_from_slice(&sig);
        records.push(SignedRecord::parse(bytes).unwrap());
    }
    for (i, pos) in [5usize, 40, 99, 150].iter().enumerate() {
        let mut bytes = records[i * 9].bytes().to_vec();
        bytes[*pos] ^= 0x10;
        records[i * 9] = SignedRecord::parse(bytes).unwrap();
    }
    let batch = verify_batch(&records);
    for (rec, verdict) in records.iter().zip(&batch) {
        let (msg, sig) = rec.bytes().split_at(rec.bytes().len() - SIGNATURE_LEN);
        let sig = ed25519_dalek::Signature::from_bytes(sig.try_into().unwrap());
        let expected = dalek.verify_strict(msg, &sig).is_ok();
        assert_eq!(verdict.is_ok(), expected, "record {}", rec.header().seq);
        assert_eq!(
            rec.verify().is_ok(),
            expected,
            "record {}",
            rec.header().seq
        );
    }
    assert_eq!(batch.iter().filter(|r| is_bad_signature(r)).count(), 4);
}

#[test]
fn a_signature_with_a_small_order_r_has_one_verdict_wherever_it_is_checked() {
    // A team member adds a point of order 8 to R. Without the cofactor
    // the check passes or fails with the batch's weights: one device keeps
    // the record, another refuses it, and their logs never agree.
    let signer = Signer::honest(5);
    for torsion in &EIGHT_TORSION[1..] {
        assert_everywhere(&signer.record(1, *torsion), true);
    }
}

#[test]
fn a_key_with_a_small_order_part_has_one_verdict_wherever_it_is_checked() {
    let signer = Signer::new(6, EIGHT_TORSION[3]);
    assert_everywhere(&signer.record(1, EdwardsPoint::identity()), true);
}

#[test]
fn a_small_order_key_is_refused_everywhere() {
    // With the identity as its key, R = identity and s = 0 would satisfy
    // the cofactored equation for any message: such keys are refused.
    for torsion in &EIGHT_TORSION {
        let key = torsion.compress().to_bytes();
        let mut bytes = unsigned(&key, 1);
        bytes.extend_from_slice(EdwardsPoint::identity().compress().as_bytes());
        bytes.extend_from_slice(&[0; 32]);
        assert_everywhere(&SignedRecord::parse(bytes).unwrap(), false);
    }
}

#[test]
fn a_non_canonical_s_is_refused_everywhere() {
    // s + l is the same scalar, written as a second signature.
    let signer = Signer::honest(7);
    let rec = signer.record(1, EdwardsPoint::identity());
    let mut bytes = rec.bytes().to_vec();
    let at = bytes.len() - 32;
    // The group order l = 2^252 + 27742317777372353535851937790883648493.
    let l: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = bytes[at + i] as u16 + l[i] as u16 + carry;
        bytes[at + i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    assert_everywhere(&SignedRecord::parse(bytes).unwrap(), false);
    assert_everywhere(&rec, true);
}

#[test]
fn an_r_off_the_curve_is_refused_everywhere() {
    let signer = Signer::honest(8);
    let rec = signer.record(1, EdwardsPoint::identity());
    let mut bytes = rec.bytes().to_vec();
    let at = bytes.len() - SIGNATURE_LEN;
    // y = 2 is not the y of any point of the curve.
    let mut y = [0u8; 32];
    y[0] = 2;
    assert!(
        curve25519_dalek::edwards::CompressedEdwardsY(y)
            .decompress()
            .is_none()
    );
    bytes[at..at + 32].copy_from_slice(&y);
    assert_everywhere(&SignedRecord::parse(bytes).unwrap(), false);
}

#[test]
fn a_batch_of_many_authors_finds_exactly_the_forgeries() {
    let signers: Vec<Signer> = (20..25).map(Signer::honest).collect();
    let mut batch: Vec<SignedRecord> = Vec::new();
    for seq in 1..=60 {
        batch.push(signers[seq as usize % signers.len()].record(seq, EdwardsPoint::identity()));
    }
    assert!(verify_batch(&batch).iter().all(Result::is_ok));
    // A record signed by another member's key than its author's, and one
    // whose body changed after signing.
    let wrong_key = {
        let rec = &batch[10];
        let mut bytes = rec.bytes()[..rec.bytes().len() - SIGNATURE_LEN].to_vec();
        let other = DeviceKey::from_secret([99; 32]);
        assert_ne!(other.device_id(), rec.header().author);
        let sig = other.sign(&bytes);
        bytes.extend_from_slice(&sig);
        SignedRecord::parse(bytes).unwrap()
    };
    batch[10] = wrong_key;
    let mut bytes = batch[33].bytes().to_vec();
    bytes[120] ^= 4;
    batch[33] = SignedRecord::parse(bytes).unwrap();
    let results = verify_batch(&batch);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(is_bad_signature(r), i == 10 || i == 33, "record {i}: {r:?}");
    }
}
