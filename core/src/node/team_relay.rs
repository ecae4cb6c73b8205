//! The team's relay: the relay and token an admin set for the whole team,
//! kept as an admin-only entity (kind [`kind::TEAM_RELAY`], one well-known
//! id) so that it reaches every member with the next sync, signed and
//! merged like any record. An admin rotates the token when a device is
//! lost: members pick the new token up from any peer (or from the relay,
//! which accepts the old token for a grace period); a revoked device is
//! sent nothing new, so it keeps only the old token, which the relay stops
//! accepting once the operator takes it off the allow list and the grace
//! ends.

use super::Node;
use crate::error::{Error, Result};
use crate::identity::random_bytes;
use crate::model::{Crm, kind};
use crate::net::relay::RelaySettings;
use crate::record::{EntityId, Value};

/// The one entity of kind [`kind::TEAM_RELAY`] (every admin writes this
/// id, so concurrent settings merge field by field, the latest winning).
pub const TEAM_RELAY_ID: EntityId = EntityId([
    0xde, 0x6b, 0x0e, 0x1a, 0x7e, 0x1a, 0x70, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
]);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The relay the team's admins set, if any (`None` also when an admin
/// cleared it). A stored value this build cannot read counts as none, with
/// a warning: the device keeps its own relay.
pub fn team_relay(crm: &Crm) -> Result<Option<RelaySettings>> {
    let Some(e) = crm.store().get(&TEAM_RELAY_ID)? else {
        return Ok(None);
    };
    if e.kind != kind::TEAM_RELAY || e.deleted {
        return Ok(None);
    }
    let Some(Value::Text(relay)) = e.state.value("relay") else {
        return Ok(None);
    };
    let token = match e.state.value("token") {
        Some(Value::Text(t)) => match unhex(t) {
            Some(t) => Some(t),
            None => {
                log::warn!("the team's relay token cannot be read; it is left out");
                return Ok(None);
            }
        },
        _ => None,
    };
    match RelaySettings::parse(relay, None) {
        Ok(mut s) => {
            s.token = token;
            Ok(Some(s))
        }
        Err(e) => {
            log::warn!("the team's relay {relay:?} cannot be read ({e}); it is left out");
            Ok(None)
        }
    }
}

/// Sets the team's relay (admins only; `None` clears it): every member
/// uses it from its next sync on, unless it chose another relay itself.
pub fn set_team_relay(crm: &mut Crm, settings: Option<&RelaySettings>) -> Result<()> {
    if let Some(t) = settings.and_then(|s| s.token.as_ref())
        && (t.is_empty() || t.len() > crate::net::ticket::MAX_TOKEN_LEN)
    {
        return Err(Error::invalid(
            "relay_token",
            "a relay token is 1 to 32 bytes",
        ));
    }
    let fields = match settings {
        Some(s) => vec![
            ("relay".into(), Value::Text(s.relay_text())),
            (
                "token".into(),
                s.token
                    .as_deref()
                    .map(|t| Value::Text(hex(t)))
                    .unwrap_or(Value::Null),
            ),
        ],
        None => vec![("relay".into(), Value::Null), ("token".into(), Value::Null)],
    };
    crm.store_mut()
        .put(kind::TEAM_RELAY, Some(TEAM_RELAY_ID), fields)?;
    Ok(())
}

/// A fresh token: 26 characters of lowercase base32 from 16 random bytes
/// (128 bits), as text, so it can go on a relay's allow list as it is.
pub fn new_relay_token() -> Result<Vec<u8>> {
    let bytes: [u8; 16] = random_bytes()?;
    Ok(data_encoding::BASE32_NOPAD
        .encode(&bytes)
        .to_ascii_lowercase()
        .into_bytes())
}

/// Gives the team's relay (`relay`, or the one set before) a new token
/// (admins only) and returns the new settings. The relay's operator puts
/// the new token on its allow list and takes the old one off; the relay
/// accepts the old one for its grace period.
pub fn rotate_relay_token(crm: &mut Crm, relay: Option<RelaySettings>) -> Result<RelaySettings> {
    let mut settings = match relay.or(team_relay(crm)?) {
        Some(s) => s,
        None => {
            return Err(Error::invalid(
                "relay",
                "the team has no relay yet: name one to rotate its token",
            ));
        }
    };
    settings.token = Some(new_relay_token()?);
    set_team_relay(crm, Some(&settings))?;
    Ok(settings)
}

/// The relay a device uses, given its own choice (`local`: set on the
/// device, or adopted from a ticket) and the team's: the team's when the
/// device chose none or chose the same relay (its token is the team's
/// newest), else the device's own.
pub fn effective_relay(
    local: Option<RelaySettings>,
    team: Option<RelaySettings>,
) -> Option<RelaySettings> {
    match (local, team) {
        (Some(l), Some(t)) if l.relay == t.relay => Some(t),
        (Some(l), _) => Some(l),
        (None, t) => t,
    }
}

impl Node {
    /// Makes the relay this node uses follow the team's (see
    /// [`effective_relay`]): after a sync brought a new token for it, the
    /// node registers with that token at once. A node without a relay is
    /// left without (its owner chose, e.g. `deko sync` beside a `deko serve`
    /// that holds the registration; faces start with [`effective_relay`]).
    /// Called by [`Node::sync`] and auto-sync; a node that only answers
    /// calls it after its sessions (as `deko serve` does).
    pub fn follow_team_relay(&self) {
        let current = self.relay_settings();
        if current.is_none() {
            return;
        }
        let team = match team_relay(&self.inner.crm()) {
            Ok(t) => t,
            Err(e) => {
                log::warn!("cannot read the team's relay: {e}");
                return;
            }
        };
        if team.is_none() {
            return;
        }
        let next = effective_relay(current.clone(), team);
        if next != current {
            log::info!(
                "using the team's relay {} with its new token",
                next.as_ref().map(|s| s.relay_text()).unwrap_or_default()
            );
            if let Err(e) = self.set_relay(next) {
                log::warn!("cannot use the team's relay: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(addr: &str, token: &str) -> RelaySettings {
        RelaySettings {
            relay: RelaySettings::parse(addr, None).unwrap().relay,
            token: Some(token.as_bytes().to_vec()),
        }
    }

    #[test]
    fn the_team_token_wins_for_the_same_relay_only() {
        let team = at("relay.example.com:7412", "new");
        assert_eq!(
            effective_relay(
                Some(at("relay.example.com:7412", "old")),
                Some(team.clone())
            ),
            Some(team.clone())
        );
        let own = at("10.0.0.1:7412", "mine");
        assert_eq!(
            effective_relay(Some(own.clone()), Some(team.clone())),
            Some(own.clone())
        );
        assert_eq!(effective_relay(None, Some(team.clone())), Some(team));
        assert_eq!(effective_relay(Some(own.clone()), None), Some(own));
        assert_eq!(effective_relay(None, None), None);
    }

    #[test]
    fn new_tokens_are_text_of_full_length_and_differ() {
        let a = new_relay_token().unwrap();
        let b = new_relay_token().unwrap();
        assert_eq!(a.len(), 26);
        assert!(
            a.iter()
                .all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(c))
        );
        assert_ne!(a, b);
        assert_eq!(unhex(&hex(&a)), Some(a));
    }
}
