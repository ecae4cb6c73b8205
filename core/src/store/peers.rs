//! Known peers: the addresses where team devices were reached, learnt from
//! tickets, sync sessions and LAN discovery. Local to this installation,
//! never synced; a command line's "sync with everyone I know" reads them.

use std::net::SocketAddr;

use rusqlite::params;

use super::Store;
use crate::error::Result;
use crate::identity::DeviceId;

/// How many addresses are kept per device (the most recently seen).
pub const MAX_ADDRS_PER_PEER: usize = 8;

/// One address where a device was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPeer {
    /// The device.
    pub device: DeviceId,
    /// Where it was reached (or announced itself).
    pub addr: SocketAddr,
    /// When it was last learnt or answered there (Unix seconds).
    pub seen: u64,
}

impl Store {
    /// Remembers that `device` was reached at `addr` at `now_s` (Unix
    /// seconds); keeps the newest [`MAX_ADDRS_PER_PEER`] addresses per device.
    /// This device itself is never remembered.
    pub fn remember_peer(&self, device: DeviceId, addr: SocketAddr, now_s: u64) -> Result<()> {
        if device == self.device_id() {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO peers (device, addr, seen) VALUES (?1, ?2, ?3)
             ON CONFLICT (device, addr) DO UPDATE SET seen = max(seen, excluded.seen)",
            )?
            .execute(params![&device.0[..], addr.to_string(), now_s as i64])?;
        self.keep_newest_addrs(&device)
    }

    /// Drops all but the newest [`MAX_ADDRS_PER_PEER`] addresses of `device`.
    fn keep_newest_addrs(&self, device: &DeviceId) -> Result<()> {
        self.conn
            .prepare_cached(
                "DELETE FROM peers WHERE device = ?1 AND addr NOT IN
             (SELECT addr FROM peers WHERE device = ?1 ORDER BY seen DESC, addr LIMIT ?2)",
            )?
            .execute(params![&device.0[..], MAX_ADDRS_PER_PEER as i64])?;
        Ok(())
    }

    /// Remembers that `device` answered at `addr` at `now_s`: that address
    /// ranks first among the device's addresses from now on (any other
    /// seen in the same second or later is moved just behind it), so it is
    /// the first tried next time.
    pub fn peer_answered(&self, device: DeviceId, addr: SocketAddr, now_s: u64) -> Result<()> {
        if device == self.device_id() {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        let newest: Option<i64> = tx
            .prepare_cached("SELECT max(seen) FROM peers WHERE device = ?1")?
            .query_row([&device.0[..]], |r| r.get(0))?;
        let top = newest.unwrap_or(0).max(now_s as i64);
        tx.prepare_cached(
            "INSERT INTO peers (device, addr, seen) VALUES (?1, ?2, ?3)
             ON CONFLICT (device, addr) DO UPDATE SET seen = excluded.seen",
        )?
        .execute(params![&device.0[..], addr.to_string(), top])?;
        tx.prepare_cached(
            "UPDATE peers SET seen = ?3 - 1 WHERE device = ?1 AND addr != ?2 AND seen >= ?3",
        )?
        .execute(params![&device.0[..], addr.to_string(), top])?;
        tx.commit()?;
        self.keep_newest_addrs(&device)
    }

    /// Every remembered address, per device the most recently seen first
    /// (devices in order of their newest address). Unreadable rows are skipped.
    pub fn known_peers(&self) -> Result<Vec<KnownPeer>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.device, p.addr, p.seen FROM peers p
             JOIN (SELECT device, max(seen) AS newest FROM peers GROUP BY device) n
               ON n.device = p.device
             ORDER BY n.newest DESC, p.device, p.seen DESC, p.addr",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (device, addr, seen) = row?;
            let (Ok(device), Ok(addr)) = (DeviceId::from_slice(&device), addr.parse()) else {
                log::warn!("skipping an unreadable known-peer row");
                continue;
            };
            out.push(KnownPeer {
                device,
                addr,
                seen: seen.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// Forgets every address of `device` (e.g. after revoking it).
    pub fn forget_peer(&self, device: &DeviceId) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM peers WHERE device = ?1", [&device.0[..]])?)
    }
}
