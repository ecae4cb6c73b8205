//! Local-network discovery of a team's devices, without revealing the team.
//!
//! Every device announces itself under an opaque, hourly rotating *tag*:
//! 20 lowercase base32 characters (RFC 4648 alphabet, `a-z2-7`) of
//! `blake3::keyed_hash(derive_key("deko discovery v1", team), device || epoch_be)`,
//! where `epoch = unix_seconds / 3600`. Someone without the team id can neither
//! tell which team a tag belongs to nor link a device's tags across hours; a
//! member recognises a peer by recomputing the tags of its roster for the
//! current and the previous epoch.
//!
//! The network side is behind [`DiscoveryBackend`], which only ever sees opaque
//! instance names and socket addresses, never keys or team ids, so the apps can
//! plug in the platform's own service discovery (Android `NsdManager`, iOS
//! `NWBrowser`). `MdnsBackend` (module `mdns`, only with the `mdns` feature)
//! implements it with mDNS/DNS-SD (`mdns-sd`) for Linux and desktops.
//!
//! On the wire (service type [`SERVICE_TYPE`]) a device publishes:
//! instance name = tag, host name = `<tag>.local.`, SRV port = its QUIC port,
//! TXT = `v=1` and nothing else; addresses come from the A/AAAA records.

#[cfg(feature = "mdns")]
mod mdns;

#[cfg(feature = "mdns")]
pub use mdns::{Interface, MdnsBackend};

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::Error;

/// DNS-SD service type under which Deko devices announce themselves.
pub const SERVICE_TYPE: &str = "_deko._udp.local.";
/// Length of a tag, in characters.
pub const TAG_LEN: usize = 20;
/// How long one epoch (one tag) lasts, in seconds.
pub const EPOCH_SECS: u64 = 3600;
/// blake3 `derive_key` context for the per-team discovery key.
const KEY_CONTEXT: &str = "deko discovery v1";

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

/// The epoch (tag rotation period) that `now_unix_s` falls in.
pub fn epoch(now_unix_s: u64) -> u64 {
    now_unix_s / EPOCH_SECS
}

/// The tag under which `device` of `team` announces itself during `epoch`.
pub fn tag(team: &[u8; 16], device: &[u8; 32], epoch: u64) -> String {
    tag_with_key(&team_key(team), device, epoch)
}

/// Which device of `roster` announced `tag`, if any, accepting the tags of
/// the current and the previous epoch (so a peer that has not rotated yet, or
/// whose clock is a little behind, is still found).
pub fn recognise(
    team: &[u8; 16],
    roster: &[[u8; 32]],
    tag: &str,
    now_unix_s: u64,
) -> Option<[u8; 32]> {
    if !is_tag(tag) {
        return None;
    }
    let tag = tag.to_ascii_lowercase();
    let key = team_key(team);
    epochs(now_unix_s).find_map(|e| {
        roster
            .iter()
            .find(|device| tag_with_key(&key, device, e) == tag)
            .copied()
    })
}

fn team_key(team: &[u8; 16]) -> [u8; 32] {
    blake3::derive_key(KEY_CONTEXT, team)
}

fn tag_with_key(key: &[u8; 32], device: &[u8; 32], epoch: u64) -> String {
    let mut msg = [0u8; 40];
    msg[..32].copy_from_slice(device);
    msg[32..].copy_from_slice(&epoch.to_be_bytes());
    let hash = blake3::keyed_hash(key, &msg);
    // 13 bytes = 104 bits -> 21 base32 chars; keep the first 20 (100 bits).
    let mut s = data_encoding::BASE32_NOPAD.encode(&hash.as_bytes()[..13]);
    s.truncate(TAG_LEN);
    s.make_ascii_lowercase();
    s
}

/// The current and the previous epoch (just the current one at epoch 0).
fn epochs(now_unix_s: u64) -> impl Iterator<Item = u64> {
    let e = epoch(now_unix_s);
    std::iter::once(e).chain(e.checked_sub(1))
}

/// Whether `s` could be a tag (cheap check before any hashing).
fn is_tag(s: &str) -> bool {
    s.len() == TAG_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b))
}

// ---------------------------------------------------------------------------
// Backend interface
// ---------------------------------------------------------------------------

/// A service seen on the network: its opaque instance name and where it listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub instance: String,
    pub addrs: Vec<SocketAddr>,
}

/// What discovery needs from the platform (mDNS here; NsdManager / NWBrowser in the apps).
pub trait DiscoveryBackend: Send + Sync {
    /// Starts announcing `instance` on `port` (replacing any earlier announcement).
    fn announce(&self, instance: &str, port: u16) -> Result<(), crate::Error>;
    /// Services seen so far (and still present).
    fn seen(&self) -> Vec<Seen>;
    /// Stops announcing and browsing.
    fn shutdown(&self);
}

// ---------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------

/// Announces this device under its current tag and maps what the backend sees
/// to devices of the team's roster.
pub struct Discovery {
    backend: Box<dyn DiscoveryBackend>,
    team: [u8; 16],
    device: [u8; 32],
    port: u16,
    /// The tag last announced successfully.
    announced: Mutex<Option<String>>,
}

impl fmt::Debug for Discovery {
    // Never print the team id or the device key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Discovery")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Discovery {
    /// `port` is the UDP port of this device's QUIC endpoint.
    pub fn new(
        backend: Box<dyn DiscoveryBackend>,
        team: [u8; 16],
        device: [u8; 32],
        port: u16,
    ) -> Self {
        Self {
            backend,
            team,
            device,
            port,
            announced: Mutex::new(None),
        }
    }

    /// Announces the tag of the current epoch. Call it at start and then
    /// periodically (e.g. every minute); it only talks to the backend when the
    /// tag changed (or the last announcement failed).
    pub fn refresh(&self, now_unix_s: u64) -> Result<(), Error> {
        let tag = tag(&self.team, &self.device, epoch(now_unix_s));
        let mut announced = lock(&self.announced);
        if announced.as_deref() == Some(tag.as_str()) {
            return Ok(());
        }
        self.backend.announce(&tag, self.port)?;
        *announced = Some(tag);
        Ok(())
    }

    /// The roster devices currently seen on the network, with their addresses,
    /// sorted by device. Our own device and unrecognised services are ignored.
    pub fn peers(&self, roster: &[[u8; 32]], now_unix_s: u64) -> Vec<([u8; 32], Vec<SocketAddr>)> {
        let key = team_key(&self.team);
        let mut by_tag: HashMap<String, [u8; 32]> = HashMap::new();
        for device in roster.iter().filter(|d| **d != self.device) {
            for e in epochs(now_unix_s) {
                by_tag.insert(tag_with_key(&key, device, e), *device);
            }
        }
        let mut found: HashMap<[u8; 32], Vec<SocketAddr>> = HashMap::new();
        for seen in self.backend.seen() {
            if !is_tag(&seen.instance) {
                continue;
            }
            let Some(device) = by_tag.get(&seen.instance.to_ascii_lowercase()) else {
                continue;
            };
            // A peer may briefly be seen under two tags around a rotation.
            let addrs = found.entry(*device).or_default();
            for addr in seen.addrs {
                if !addrs.contains(&addr) {
                    addrs.push(addr);
                }
            }
        }
        let mut peers: Vec<_> = found.into_iter().collect();
        peers.sort_unstable_by_key(|p| p.0);
        peers
    }

    /// Stops announcing and browsing.
    pub fn shutdown(&self) {
        self.backend.shutdown();
        *lock(&self.announced) = None;
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NetError;
    use std::net::IpAddr;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const TEAM: [u8; 16] = [7; 16];
    const OTHER_TEAM: [u8; 16] = [8; 16];
    const A: [u8; 32] = [1; 32];
    const B: [u8; 32] = [2; 32];
    const C: [u8; 32] = [3; 32];
    const NOW: u64 = 1_750_000_000;

    // --- tags -------------------------------------------------------------

    #[test]
    fn tag_shape() {
        for e in [0, 1, epoch(NOW), u64::MAX] {
            let t = tag(&TEAM, &A, e);
            assert_eq!(t.len(), TAG_LEN);
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)),
                "{t}"
            );
            assert!(is_tag(&t));
        }
    }

    #[test]
    fn tag_is_deterministic_and_keyed_by_everything() {
        let e = epoch(NOW);
        let t = tag(&TEAM, &A, e);
        assert_eq!(t, tag(&TEAM, &A, e));
        assert_ne!(t, tag(&OTHER_TEAM, &A, e), "per team");
        assert_ne!(t, tag(&TEAM, &B, e), "per device");
        assert_ne!(t, tag(&TEAM, &A, e + 1), "per epoch");
        assert_ne!(t, tag(&TEAM, &A, e - 1), "per epoch");
    }

    #[test]
    fn tag_matches_the_specified_construction() {
        let key = blake3::derive_key("deko discovery v1", &TEAM);
        let mut msg = A.to_vec();
        msg.extend_from_slice(&42u64.to_be_bytes());
        let hash = blake3::keyed_hash(&key, &msg);
        let expected = data_encoding::BASE32_NOPAD.encode(hash.as_bytes())[..20].to_lowercase();
        assert_eq!(tag(&TEAM, &A, 42), expected);
    }

    #[test]
    fn epochs_are_hours() {
        assert_eq!(epoch(0), 0);
        assert_eq!(epoch(3599), 0);
        assert_eq!(epoch(3600), 1);
        assert_eq!(epoch(NOW), NOW / 3600);
    }

    #[test]
    fn recognise_current_and_previous_epoch_only() {
        let roster = [A, B, C];
        let e = epoch(NOW);
        assert_eq!(recognise(&TEAM, &roster, &tag(&TEAM, &B, e), NOW), Some(B));
        assert_eq!(
            recognise(&TEAM, &roster, &tag(&TEAM, &C, e - 1), NOW),
            Some(C)
        );
        assert_eq!(recognise(&TEAM, &roster, &tag(&TEAM, &B, e - 2), NOW), None);
        // Upper case (DNS is case-insensitive) is still recognised.
        let upper = tag(&TEAM, &A, e).to_ascii_uppercase();
        assert_eq!(recognise(&TEAM, &roster, &upper, NOW), Some(A));
        // Not in the roster.
        assert_eq!(recognise(&TEAM, &[A, C], &tag(&TEAM, &B, e), NOW), None);
        // Epoch 0 has no previous epoch (no underflow).
        assert_eq!(recognise(&TEAM, &roster, &tag(&TEAM, &A, 0), 10), Some(A));
    }

    #[test]
    fn unknown_team_recognises_nothing() {
        let roster = [A, B, C];
        let e = epoch(NOW);
        for d in &roster {
            for ep in [e, e - 1] {
                assert_eq!(
                    recognise(&OTHER_TEAM, &roster, &tag(&TEAM, d, ep), NOW),
                    None
                );
            }
        }
    }

    #[test]
    fn odd_tags_are_rejected_without_panic() {
        let roster = [A];
        let long = "a".repeat(10_000);
        for t in [
            "",
            "a",
            "abcdefghijklmnopqrs1",
            "abcdefghijklmnopqrst!",
            "éééééééééé",
            &long,
        ] {
            assert_eq!(recognise(&TEAM, &roster, t, NOW), None, "{t:?}");
        }
        assert_eq!(
            recognise(&TEAM, &[], &tag(&TEAM, &A, epoch(NOW)), NOW),
            None
        );
        assert_eq!(
            recognise(&TEAM, &roster, &tag(&TEAM, &A, 0), u64::MAX),
            None
        );
    }

    // --- Discovery over an in-memory network ----------------------------------

    /// A shared, in-memory "network" of announcements.
    type FakeNet = Arc<Mutex<HashMap<String, Seen>>>;

    struct FakeBackend {
        net: FakeNet,
        ip: IpAddr,
        mine: Mutex<Option<String>>,
        announces: Arc<AtomicUsize>,
        fail_next: AtomicBool,
    }

    impl FakeBackend {
        fn new(net: &FakeNet, ip: [u8; 4]) -> Self {
            Self {
                net: net.clone(),
                ip: IpAddr::from(ip),
                mine: Mutex::new(None),
                announces: Arc::default(),
                fail_next: AtomicBool::new(false),
            }
        }
    }

    impl DiscoveryBackend for FakeBackend {
        fn announce(&self, instance: &str, port: u16) -> Result<(), Error> {
            if self.fail_next.swap(false, Ordering::Relaxed) {
                return Err(Error::Net(NetError::Discovery("fake failure".into())));
            }
            self.announces.fetch_add(1, Ordering::Relaxed);
            let mut net = lock(&self.net);
            if let Some(old) = lock(&self.mine).replace(instance.to_owned()) {
                net.remove(&old);
            }
            let addrs = vec![SocketAddr::new(self.ip, port)];
            net.insert(
                instance.to_owned(),
                Seen {
                    instance: instance.to_owned(),
                    addrs,
                },
            );
            Ok(())
        }

        fn seen(&self) -> Vec<Seen> {
            lock(&self.net).values().cloned().collect()
        }

        fn shutdown(&self) {
            if let Some(old) = lock(&self.mine).take() {
                lock(&self.net).remove(&old);
            }
        }
    }

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn two_devices_find_each_other_and_ignore_self_and_strangers() {
        let net = FakeNet::default();
        let roster = [A, B, C];
        let a = Discovery::new(
            Box::new(FakeBackend::new(&net, [10, 0, 0, 1])),
            TEAM,
            A,
            4001,
        );
        let b = Discovery::new(
            Box::new(FakeBackend::new(&net, [10, 0, 0, 2])),
            TEAM,
            B,
            4002,
        );
        // A device of another team (with a device key also on our roster!)
        // and a random service on the same network.
        let stranger = Discovery::new(
            Box::new(FakeBackend::new(&net, [10, 0, 0, 3])),
            OTHER_TEAM,
            C,
            4003,
        );
        let junk = FakeBackend::new(&net, [10, 0, 0, 4]);
        junk.announce("printer", 631).unwrap();
        junk.announce("aaaaaaaaaaaaaaaaaaaa", 1).unwrap();

        assert!(a.peers(&roster, NOW).is_empty());
        a.refresh(NOW).unwrap();
        b.refresh(NOW).unwrap();
        stranger.refresh(NOW).unwrap();

        assert_eq!(
            a.peers(&roster, NOW),
            vec![(B, vec![addr("10.0.0.2:4002")])]
        );
        assert_eq!(
            b.peers(&roster, NOW),
            vec![(A, vec![addr("10.0.0.1:4001")])]
        );
        // Only roster devices count.
        assert!(a.peers(&[A, C], NOW).is_empty());
        assert!(a.peers(&[], NOW).is_empty());

        // B leaves.
        b.shutdown();
        assert!(a.peers(&roster, NOW).is_empty());
    }

    #[test]
    fn refresh_is_cheap_and_rotates_hourly() {
        let net = FakeNet::default();
        let backend = FakeBackend::new(&net, [10, 0, 0, 1]);
        let announces = backend.announces.clone();
        let a = Discovery::new(Box::new(backend), TEAM, A, 4001);
        let b = Discovery::new(
            Box::new(FakeBackend::new(&net, [10, 0, 0, 2])),
            TEAM,
            B,
            4002,
        );
        b.refresh(NOW).unwrap();

        a.refresh(NOW).unwrap();
        a.refresh(NOW + 1).unwrap();
        assert_eq!(announces.load(Ordering::Relaxed), 1);
        let next_hour = (epoch(NOW) + 1) * EPOCH_SECS;
        a.refresh(next_hour).unwrap();
        assert_eq!(announces.load(Ordering::Relaxed), 2);
        // The old tag was replaced, not added.
        assert_eq!(lock(&net).len(), 2);
        assert!(lock(&net).contains_key(&tag(&TEAM, &A, epoch(next_hour))));

        // B has not rotated yet: still recognised through the previous epoch.
        assert_eq!(
            a.peers(&[A, B], next_hour),
            vec![(B, vec![addr("10.0.0.2:4002")])]
        );
        // ... but not two hours on.
        assert!(a.peers(&[A, B], next_hour + EPOCH_SECS).is_empty());
        // And B finds A, which is an epoch ahead of B's clock, once B's clock
        // reaches that epoch.
        assert!(b.peers(&[A, B], NOW).is_empty());
        assert_eq!(b.peers(&[A, B], next_hour).len(), 1);
    }

    #[test]
    fn failed_announce_is_retried() {
        let net = FakeNet::default();
        let backend = FakeBackend::new(&net, [10, 0, 0, 1]);
        backend.fail_next.store(true, Ordering::Relaxed);
        let announces = backend.announces.clone();
        let a = Discovery::new(Box::new(backend), TEAM, A, 4001);
        assert!(matches!(
            a.refresh(NOW),
            Err(Error::Net(NetError::Discovery(_)))
        ));
        a.refresh(NOW).unwrap();
        assert_eq!(announces.load(Ordering::Relaxed), 1);
        assert!(lock(&net).contains_key(&tag(&TEAM, &A, epoch(NOW))));
    }

    #[test]
    fn a_peer_seen_under_two_tags_is_merged() {
        let net = FakeNet::default();
        let old = FakeBackend::new(&net, [10, 0, 0, 2]);
        old.announce(&tag(&TEAM, &B, epoch(NOW) - 1), 4002).unwrap();
        let new = FakeBackend::new(&net, [10, 0, 0, 9]);
        new.announce(&tag(&TEAM, &B, epoch(NOW)), 4002).unwrap();
        let a = Discovery::new(Box::new(FakeBackend::new(&net, [10, 0, 0, 1])), TEAM, A, 1);
        let peers = a.peers(&[A, B], NOW);
        assert_eq!(peers.len(), 1);
        assert_eq!(peers[0].0, B);
        let mut addrs = peers[0].1.clone();
        addrs.sort();
        assert_eq!(addrs, vec![addr("10.0.0.2:4002"), addr("10.0.0.9:4002")]);
    }
}
