//! Ids and addresses as strings at the boundary, parsed with the core's
//! parsers (so malformed input gets the core's error).

use std::net::SocketAddr;

use deko_core::Error;
use deko_core::identity::DeviceId;
use deko_core::record::EntityId;

use crate::error::Result;

/// An entity id from its UUID string.
pub fn id(s: &str) -> Result<EntityId> {
    Ok(EntityId::parse(s)?)
}

/// Entity ids from strings.
pub fn ids(v: &[String]) -> Result<Vec<EntityId>> {
    v.iter().map(|s| id(s)).collect()
}

/// An optional entity id.
pub fn opt_id(s: Option<&str>) -> Result<Option<EntityId>> {
    s.map(id).transpose()
}

/// A link change of a draft: `None` keeps it, `""` removes it, an id sets it.
pub fn link(s: Option<&str>) -> Result<Option<Option<EntityId>>> {
    match s {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(Some(None)),
        Some(s) => Ok(Some(Some(id(s)?))),
    }
}

/// A device from its full base32 key.
pub fn device(s: &str) -> Result<DeviceId> {
    Ok(DeviceId::parse(s)?)
}

/// A socket address (`ip:port`, `[v6]:port`) given as `field`.
pub fn addr(field: &'static str, s: &str) -> Result<SocketAddr> {
    s.trim()
        .parse()
        .map_err(|_| Error::invalid(field, format!("{s:?} is not an address (ip:port)")).into())
}

/// Socket addresses as strings.
pub fn addr_strings(v: &[SocketAddr]) -> Vec<String> {
    v.iter().map(|a| a.to_string()).collect()
}
