//! Connections that have not registered yet. Anyone with a key pair can
//! complete the relay's handshake, so these are bounded apart from the
//! registered devices: a small number in all, a few per address (one host
//! cannot take them all), and each must register within a deadline. When
//! all places are taken, a newcomer takes the place of the connection that
//! finished its handshake longest ago without registering (a device
//! registers one round trip after its handshake; a stranger idles), or,
//! if none has, of the oldest one: a flood cannot keep out a device that
//! registers promptly, even while the relay is slow to finish handshakes.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// Where a connection comes from, for the per-address bound: the IPv4
/// address, or the /64 of an IPv6 address (what one host is usually given).
fn origin(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[derive(Default)]
struct Pool {
    next: u64,
    /// By arrival, oldest first: where from, and how to let it go.
    waiting: BTreeMap<u64, (IpAddr, Arc<Notify>)>,
    /// Those whose handshake finished, by when it did (oldest first).
    idle: BTreeMap<u64, u64>,
    idle_of: HashMap<u64, u64>,
    per_origin: HashMap<IpAddr, usize>,
}

impl Pool {
    fn remove(&mut self, id: u64) -> Option<Arc<Notify>> {
        let (from, evict) = self.waiting.remove(&id)?;
        if let Some(at) = self.idle_of.remove(&id) {
            self.idle.remove(&at);
        }
        if let Some(n) = self.per_origin.get_mut(&from) {
            *n -= 1;
            if *n == 0 {
                self.per_origin.remove(&from);
            }
        }
        Some(evict)
    }
}

/// The relay's connections that have not registered yet.
pub(super) struct Arrivals {
    pool: Mutex<Pool>,
    max: usize,
    max_per_origin: usize,
}

/// One waiting connection's place; gives it back when dropped (registered,
/// closed, or let go).
pub(super) struct Place {
    arrivals: Arc<Arrivals>,
    id: u64,
    /// Notified when a newer arrival takes this place.
    pub(super) evicted: Arc<Notify>,
}

impl Place {
    /// The connection finished its handshake: from now on it only waits
    /// for its registration.
    pub(super) fn handshake_done(&self) {
        let mut pool = self.arrivals.pool();
        if pool.waiting.contains_key(&self.id) && !pool.idle_of.contains_key(&self.id) {
            let at = pool.next;
            pool.next += 1;
            pool.idle.insert(at, self.id);
            pool.idle_of.insert(self.id, at);
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.arrivals.pool().remove(self.id);
    }
}

impl Arrivals {
    /// At most `max` waiting in all and `max_per_origin` from one address.
    pub(super) fn new(max: usize, max_per_origin: usize) -> Arc<Arrivals> {
        Arc::new(Arrivals {
            pool: Mutex::new(Pool::default()),
            max: max.max(1),
            max_per_origin: max_per_origin.max(1),
        })
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a connection from `ip`, or why not. When all places are
    /// taken, the oldest waiting connection is told to go.
    pub(super) fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Place, String> {
        let from = origin(ip);
        let mut pool = self.pool();
        if pool.per_origin.get(&from).copied().unwrap_or(0) >= self.max_per_origin {
            return Err(format!(
                "{} connections from {from} are already waiting to register",
                self.max_per_origin
            ));
        }
        if pool.waiting.len() >= self.max {
            let longest_idle = pool.idle.values().next().copied();
            let oldest = *pool.waiting.keys().next().expect("the pool is full");
            if let Some(evict) = pool.remove(longest_idle.unwrap_or(oldest)) {
                evict.notify_one();
            }
        }
        let id = pool.next;
        pool.next += 1;
        let evicted = Arc::new(Notify::new());
        pool.waiting.insert(id, (from, evicted.clone()));
        *pool.per_origin.entry(from).or_default() += 1;
        Ok(Place {
            arrivals: self.clone(),
            id,
            evicted,
        })
    }

    /// How many connections wait to register now.
    pub(super) fn waiting(&self) -> usize {
        self.pool().waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[tokio::test]
    async fn the_oldest_waiting_connection_makes_room_for_a_newer_one() {
        let a = Arrivals::new(3, 10);
        let first = a.admit(ip("10.0.0.1")).unwrap();
        let _second = a.admit(ip("10.0.0.2")).unwrap();
        let _third = a.admit(ip("10.0.0.3")).unwrap();
        assert_eq!(a.waiting(), 3);
        let _fourth = a.admit(ip("10.0.0.4")).unwrap();
        assert_eq!(a.waiting(), 3);
        // The first was told to go (the permit is stored for it).
        tokio::time::timeout(std::time::Duration::from_secs(1), first.evicted.notified())
            .await
            .expect("evicted");
        drop(first);
        assert_eq!(
            a.waiting(),
            3,
            "dropping an evicted place frees nothing twice"
        );
    }

    #[tokio::test]
    async fn a_connection_still_in_its_handshake_outlasts_idle_ones() {
        let a = Arrivals::new(3, 10);
        let shaking = a.admit(ip("10.0.0.1")).unwrap();
        let idle_old = a.admit(ip("10.0.0.2")).unwrap();
        let idle_new = a.admit(ip("10.0.0.3")).unwrap();
        idle_new.handshake_done();
        idle_old.handshake_done();
        // idle_new finished first: it has idled longest.
        let _fourth = a.admit(ip("10.0.0.4")).unwrap();
        let wait = std::time::Duration::from_millis(100);
        tokio::time::timeout(wait, idle_new.evicted.notified())
            .await
            .expect("the longest idle goes first");
        let _fifth = a.admit(ip("10.0.0.5")).unwrap();
        tokio::time::timeout(wait, idle_old.evicted.notified())
            .await
            .expect("then the next idle one");
        // Only connections in their handshake are left: the oldest goes.
        let _sixth = a.admit(ip("10.0.0.6")).unwrap();
        tokio::time::timeout(wait, shaking.evicted.notified())
            .await
            .expect("then the oldest");
    }

    #[test]
    fn one_address_cannot_take_every_place() {
        let a = Arrivals::new(100, 2);
        let _p1 = a.admit(ip("10.0.0.1")).unwrap();
        let p2 = a.admit(ip("10.0.0.1")).unwrap();
        let err = a.admit(ip("10.0.0.1")).err().unwrap();
        assert!(err.contains("already waiting"), "{err}");
        // Another host is unaffected; the /64 of IPv6 counts as one.
        assert!(a.admit(ip("10.0.0.2")).is_ok());
        let _v6 = a.admit(ip("2001:db8::1")).unwrap();
        let _v6b = a.admit(ip("2001:db8::2")).unwrap();
        assert!(a.admit(ip("2001:db8::3")).is_err());
        drop(p2);
        assert!(
            a.admit(ip("10.0.0.1")).is_ok(),
            "a place given back is free again"
        );
    }
}
