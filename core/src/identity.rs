//! Device identity: the ed25519 key pair each installation makes on first
//! open, the device id (its public key) and a short fingerprint people can
//! compare by eye.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A device's public key; the device's identity everywhere in Deko. In
/// human-readable formats (JSON) it is its base32 form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 32]);

impl Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_newtype_struct("DeviceId", &self.0)
        }
    }
}

impl<'de> Deserialize<'de> for DeviceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            DeviceId::parse(&s).map_err(serde::de::Error::custom)
        } else {
            #[derive(Deserialize)]
            #[serde(rename = "DeviceId")]
            struct Raw([u8; 32]);
            Raw::deserialize(d).map(|r| DeviceId(r.0))
        }
    }
}

impl DeviceId {
    /// The raw 32 key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Builds a device id from a byte slice of exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::invalid(
                "device",
                format!("a device id has 32 bytes, not {}", bytes.len()),
            )
        })?;
        Ok(DeviceId(arr))
    }

    /// A short human fingerprint such as `K3F9-2XQ7`: 40 bits of the key's
    /// hash in Crockford base32, for comparing devices by eye.
    pub fn fingerprint(&self) -> String {
        let hash = blake3::hash(&self.0);
        let s = crockford(&hash.as_bytes()[..5]);
        format!("{}-{}", &s[..4], &s[4..8])
    }

    /// The full id as lowercase base32 without padding (52 characters).
    pub fn to_base32(&self) -> String {
        data_encoding::BASE32_NOPAD
            .encode(&self.0)
            .to_ascii_lowercase()
    }

    /// Parses the form printed by [`DeviceId::to_base32`] (case-insensitive).
    pub fn parse(s: &str) -> Result<Self> {
        let upper = s.trim().to_ascii_uppercase();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(upper.as_bytes())
            .map_err(|_| Error::invalid("device", format!("{s:?} is not a device id")))?;
        DeviceId::from_slice(&bytes)
    }

    pub(crate) fn verifying_key(&self) -> Option<VerifyingKey> {
        VerifyingKey::from_bytes(&self.0).ok()
    }
}

// The apps see a device id as its full base32 form (52 characters).
#[cfg(feature = "uniffi")]
uniffi::custom_type!(DeviceId, String, {
    lower: |id| id.to_base32(),
    try_lift: |s| Ok(DeviceId::parse(&s)?),
});

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base32())
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({})", self.fingerprint())
    }
}

fn crockford(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The device's secret signing key. Never leaves the device.
pub struct DeviceKey {
    key: SigningKey,
}

impl DeviceKey {
    /// Makes a fresh key from the operating system's random source.
    pub fn generate() -> Result<Self> {
        Ok(Self::from_secret(random_bytes()?))
    }

    /// Rebuilds the key from its 32 secret bytes.
    pub fn from_secret(secret: [u8; 32]) -> Self {
        DeviceKey {
            key: SigningKey::from_bytes(&secret),
        }
    }

    /// The 32 secret bytes, for keeping the key with the database.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// This device's public id.
    pub fn device_id(&self) -> DeviceId {
        DeviceId(self.key.verifying_key().to_bytes())
    }

    /// A second handle on the same key, for a thread that signs while
    /// this one writes (see `Store::create_many`). Never leaves the crate.
    pub(crate) fn duplicate(&self) -> DeviceKey {
        DeviceKey {
            key: self.key.clone(),
        }
    }

    /// Signs `msg` with the device key.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        let sig: Signature = self.key.sign(msg);
        sig.to_bytes()
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKey({})", self.device_id().fingerprint())
    }
}

/// Fills a fresh array with random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_short_and_stable() {
        let key = DeviceKey::from_secret([7; 32]);
        let id = key.device_id();
        let fp = id.fingerprint();
        assert_eq!(fp.len(), 9);
        assert_eq!(fp, id.fingerprint());
        assert_eq!(&fp[4..5], "-");
    }

    #[test]
    fn base32_round_trip_and_bad_input() {
        let id = DeviceKey::generate().unwrap().device_id();
        assert_eq!(DeviceId::parse(&id.to_base32()).unwrap(), id);
        assert_eq!(DeviceId::parse(&id.to_base32().to_uppercase()).unwrap(), id);
        assert!(DeviceId::parse("not-a-key").is_err());
        assert!(DeviceId::parse("aaaa").is_err());
    }

    #[test]
    fn secret_round_trip() {
        let key = DeviceKey::generate().unwrap();
        let again = DeviceKey::from_secret(key.secret_bytes());
        assert_eq!(key.device_id(), again.device_id());
        assert_eq!(key.sign(b"x"), again.sign(b"x"));
    }
}
