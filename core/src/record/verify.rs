//! Record signatures checked in batches: ed25519 with the cofactored
//! equation, so that a record's verdict never depends on the records it
//! was checked with.
//!
//! A batch of n signatures (R_i, s_i) by keys A_i over messages M_i holds
//! when
//!
//! ```text
//! 8 · ( Σ z_i·R_i + Σ_k (Σ_{i by key k} z_i·h_i)·A_k − (Σ z_i·s_i)·B ) = 0
//! ```
//!
//! with h_i = SHA-512(R_i ‖ A_i ‖ M_i) and z_i 128-bit weights derived from
//! every signature of the batch (an author cannot pick them). Two choices
//! differ from ed25519-dalek's `verify_batch`, which the store used before:
//!
//! - **The cofactor** (8·, as ZIP-215 has it). Without it, a signature
//!   made by its key's owner with a small-order point added to R (or a key
//!   with one) passes or fails with the weights: in one batch and not in
//!   another, on one device and not on the next. A team member could then
//!   make devices disagree on which records exist. With it, a record is
//!   valid exactly when it is valid alone, wherever it is checked.
//!   Signatures made by ed25519 signers have no such component: nothing
//!   that was valid before is refused.
//! - **One point per author**, not per signature: a sync's batches come
//!   from a few devices, so the multiscalar multiplication (most of the
//!   cost) has about n + a few points instead of 2n + 1.
//!
//! s must be canonical (below the group order) and R a point on the curve,
//! as before.

use std::collections::HashMap;

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha512};

use super::{RecordError, SIGNATURE_LEN, SignedRecord};
use crate::error::{Error, Result};
use crate::identity::DeviceId;

/// Smallest batch for which one batch check is tried first.
const BATCH_MIN: usize = 4;
/// Batches at least this large are split across two threads.
const PARALLEL_MIN: usize = 256;

/// Domain of the batch weights' derivation (BLAKE3 key derivation).
const WEIGHTS_CONTEXT: &str = "deko 2026-12 record signature batch weights";

/// Verifies the signatures of many records, one result per record in order.
///
/// All records are first checked in one batch (several times as fast as
/// one by one: the engine bench's 100k signatures of one author take about
/// 0.3 s on two cores; large batches are split over two threads); only if
/// a batch fails is each of its records checked alone to find the culprits.
/// Each author's key is decompressed once per call.
pub fn verify_batch(records: &[SignedRecord]) -> Vec<Result<()>> {
    let mut cache: Vec<(DeviceId, Option<VerifyingKey>)> = Vec::new();
    let keys: Vec<Option<VerifyingKey>> = records
        .iter()
        .map(|r| {
            let author = r.header.author;
            if let Some((_, k)) = cache.iter().find(|(a, _)| *a == author) {
                return *k;
            }
            let k = author.verifying_key().filter(|k| !k.is_weak());
            cache.push((author, k));
            k
        })
        .collect();
    if records.len() >= PARALLEL_MIN {
        let mid = records.len() / 2;
        let (left, right) = std::thread::scope(|s| {
            let left = s.spawn(|| verify_part(&records[..mid], &keys[..mid]));
            let right = verify_part(&records[mid..], &keys[mid..]);
            (left.join(), right)
        });
        match left {
            Ok(mut out) => {
                out.extend(right);
                out
            }
            // A verification thread cannot panic on any input; if it ever
            // did, fall back to one thread rather than lose the batch.
            Err(_) => verify_part(records, &keys),
        }
    } else {
        verify_part(records, &keys)
    }
}

fn verify_part(records: &[SignedRecord], keys: &[Option<VerifyingKey>]) -> Vec<Result<()>> {
    let all: Option<Vec<VerifyingKey>> = keys.iter().copied().collect();
    if let Some(all) = &all
        && records.len() >= BATCH_MIN
        && check(records, all)
    {
        return records.iter().map(|_| Ok(())).collect();
    }
    records
        .iter()
        .zip(keys)
        .map(|(r, k)| match k {
            Some(k) if check(std::slice::from_ref(r), std::slice::from_ref(k)) => Ok(()),
            _ => Err(Error::Record(RecordError::BadSignature {
                author: r.header.author,
                seq: r.header.seq,
            })),
        })
        .collect()
}

/// One signature, parsed for the batch equation.
struct Term {
    r: EdwardsPoint,
    s: Scalar,
    /// h = SHA-512(R ‖ A ‖ M), reduced.
    h: Scalar,
}

/// Whether every signature of `records` (by `keys`, in order) holds: the
/// batch equation of the module's doc. A single record is checked with a
/// weight of 1: 8·(R + h·A − s·B) = 0.
fn check(records: &[SignedRecord], keys: &[VerifyingKey]) -> bool {
    let mut terms = Vec::with_capacity(records.len());
    // What the weights are derived from: every h and s, in order.
    let mut transcript = blake3::Hasher::new_derive_key(WEIGHTS_CONTEXT);
    for (rec, key) in records.iter().zip(keys) {
        let Some(term) = parse(rec, key) else {
            return false;
        };
        transcript.update(term.h.as_bytes());
        transcript.update(term.s.as_bytes());
        terms.push(term);
    }
    let weights: Vec<Scalar> = match terms.len() {
        1 => vec![Scalar::ONE],
        n => {
            let mut xof = transcript.finalize_xof();
            (0..n)
                .map(|_| {
                    let mut z = [0u8; 16];
                    xof.fill(&mut z);
                    // A zero weight would drop its signature from the sum.
                    Scalar::from(u128::from_le_bytes(z).max(1))
                })
                .collect()
        }
    };
    // One coefficient per distinct key, in order of first appearance.
    let mut by_key: HashMap<[u8; 32], usize> = HashMap::new();
    let mut key_points: Vec<EdwardsPoint> = Vec::new();
    let mut key_coefficients: Vec<Scalar> = Vec::new();
    let mut b_coefficient = Scalar::ZERO;
    for ((term, z), key) in terms.iter().zip(&weights).zip(keys) {
        let k = *by_key.entry(*key.as_bytes()).or_insert_with(|| {
            key_points.push(key.to_edwards());
            key_coefficients.push(Scalar::ZERO);
            key_points.len() - 1
        });
        key_coefficients[k] += z * term.h;
        b_coefficient -= z * term.s;
    }
    let scalars = std::iter::once(b_coefficient)
        .chain(weights.iter().copied())
        .chain(key_coefficients);
    let points = std::iter::once(ED25519_BASEPOINT_POINT)
        .chain(terms.iter().map(|t| t.r))
        .chain(key_points);
    EdwardsPoint::vartime_multiscalar_mul(scalars, points)
        .mul_by_cofactor()
        .is_identity()
}

/// A record's signature as a term of the equation: `None` if s is not
/// canonical or R is not a point.
fn parse(rec: &SignedRecord, key: &VerifyingKey) -> Option<Term> {
    let bytes = rec.bytes();
    let sig = &bytes[bytes.len() - SIGNATURE_LEN..];
    let r_bytes: [u8; 32] = sig[..32].try_into().ok()?;
    let s_bytes: [u8; 32] = sig[32..].try_into().ok()?;
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
    let r = CompressedEdwardsY(r_bytes).decompress()?;
    let mut hash = Sha512::new();
    hash.update(r_bytes);
    hash.update(key.as_bytes());
    hash.update(rec.signed_part());
    let h = Scalar::from_bytes_mod_order_wide(&hash.finalize().into());
    Some(Term { r, s, h })
}

#[cfg(test)]
mod tests;
