//! The relay a device uses, as the command line reads, stores and shows
//! it: `HOST:PORT` (an IP address or a DNS name) and an optional text
//! token. It is kept in the store's local settings (key `relay`, never
//! synced) so that `serve`, `sync`, `invite` and `join` all use it.

use deko_core::model::Crm;
use deko_core::net::relay::RelaySettings;
use deko_core::net::ticket::Relay;
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};

/// The store setting that holds the relay.
const SETTING: &str = "relay";
/// Where `deko relay` listens unless told otherwise (UDP, QUIC).
pub const DEFAULT_RELAY_PORT: u16 = 7412;
/// Longest relay token, in bytes (what tickets carry).
const MAX_TOKEN: usize = 32;

/// The stored form: the address as text, the token as lowercase hex (so a
/// token from another app's ticket that is not text survives).
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    relay: String,
    #[serde(default)]
    token_hex: Option<String>,
}

/// Reads `HOST:PORT` (port 7412 when left out) as a relay; the core
/// checks the host name as tickets need it.
pub fn parse_relay(s: &str) -> Result<Relay> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<std::net::IpAddr>() {
        return Ok(Relay::Addr((ip, DEFAULT_RELAY_PORT).into()));
    }
    let text = if s.contains(':') {
        s.to_string()
    } else {
        format!("{s}:{DEFAULT_RELAY_PORT}")
    };
    RelaySettings::parse(&text, None)
        .map(|r| r.relay)
        .map_err(|e| CliError::usage(format!("cannot read relay address {s:?}: {e}")))
}

/// Reads a relay token given as text (1 to 32 bytes of UTF-8).
pub fn parse_token(s: &str) -> Result<Vec<u8>> {
    let t = s.as_bytes().to_vec();
    if t.is_empty() || t.len() > MAX_TOKEN {
        return Err(CliError::usage(format!(
            "a relay token is 1 to {MAX_TOKEN} bytes of text (this one is {})",
            t.len()
        )));
    }
    Ok(t)
}

/// Reads a relay and its optional text token from the command line.
pub fn settings(addr: &str, token: Option<&str>) -> Result<RelaySettings> {
    Ok(RelaySettings {
        relay: parse_relay(addr)?,
        token: token.map(parse_token).transpose()?,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes lowercase or uppercase hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The relay stored in this device's settings, if any.
pub fn load(crm: &Crm) -> Result<Option<RelaySettings>> {
    let Some(bytes) = crm.store().setting(SETTING)? else {
        return Ok(None);
    };
    let stored: Option<Stored> = serde_json::from_slice(&bytes).map_err(|e| {
        CliError::usage(format!(
            "the stored relay setting cannot be read ({e}); set it again with `deko set-relay`"
        ))
    })?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let token = match stored.token_hex {
        Some(h) => Some(unhex(&h).ok_or_else(|| {
            CliError::usage("the stored relay token cannot be read; set it again")
        })?),
        None => None,
    };
    Ok(Some(RelaySettings {
        relay: parse_relay(&stored.relay)?,
        token,
    }))
}

/// The relay this device uses: its own setting, unless the team's admins
/// set the same relay with a newer token, or it has none and the team has
/// one (`deko_core::node::effective_relay`).
pub fn effective(crm: &Crm) -> Result<Option<RelaySettings>> {
    Ok(deko_core::node::effective_relay(
        load(crm)?,
        deko_core::node::team_relay(crm)?,
    ))
}

/// Stores `settings` (or clears the setting with `None`).
pub fn save(crm: &Crm, settings: Option<&RelaySettings>) -> Result<()> {
    let value = settings.map(|s| Stored {
        relay: s.relay_text(),
        token_hex: s.token.as_deref().map(hex),
    });
    let bytes = serde_json::to_vec(&value)
        .map_err(|e| CliError::usage(format!("cannot store the relay setting: {e}")))?;
    crm.store().set_setting(SETTING, &bytes)?;
    Ok(())
}

/// The setting as JSON for `status` and `set-relay` (the token itself is
/// a secret of the team and is not printed).
pub fn json(settings: Option<&RelaySettings>) -> serde_json::Value {
    match settings {
        Some(s) => serde_json::json!({"addr": s.relay_text(), "token": s.token.is_some()}),
        None => serde_json::Value::Null,
    }
}

/// The setting as one line for people.
pub fn text(settings: Option<&RelaySettings>) -> String {
    match settings {
        Some(s) => format!(
            "{}{}",
            s.relay_text(),
            if s.token.is_some() {
                " (with token)"
            } else {
                ""
            }
        ),
        None => "none".into(),
    }
}

/// A relay token given as text (flag or `DEKO_RELAY_TOKEN`) or in a file
/// (its first line; the way that keeps it out of `ps`).
pub fn token_from(text: Option<String>, file: Option<&std::path::Path>) -> Result<Option<String>> {
    match file {
        Some(path) => Ok(Some(first_line(path)?)),
        None => Ok(text),
    }
}

/// The lines of a secrets file that carry something (no blank lines, no
/// `#` comments), trimmed.
pub fn secret_lines(path: &std::path::Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::File {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

fn first_line(path: &std::path::Path) -> Result<String> {
    secret_lines(path)?
        .into_iter()
        .next()
        .ok_or_else(|| CliError::usage(format!("{} holds no token", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_addresses_and_tokens_are_read_or_refused() {
        assert_eq!(
            parse_relay("127.0.0.1:9").unwrap(),
            Relay::Addr("127.0.0.1:9".parse().unwrap())
        );
        assert_eq!(
            parse_relay("10.0.0.1").unwrap(),
            Relay::Addr("10.0.0.1:7412".parse().unwrap())
        );
        assert_eq!(
            parse_relay("Relay.example.com:7443").unwrap(),
            Relay::Host {
                host: "Relay.example.com".into(),
                port: 7443
            }
        );
        assert!(parse_relay("relay example:1").is_err());
        assert!(parse_relay("host:0").is_err());
        assert!(parse_relay("").is_err());
        assert_eq!(
            parse_relay("relay.example.com").unwrap(),
            Relay::Host {
                host: "relay.example.com".into(),
                port: 7412
            }
        );
        assert!(parse_token("").is_err());
        assert!(parse_token(&"x".repeat(33)).is_err());
        assert_eq!(parse_token("acme").unwrap(), b"acme");
        assert_eq!(unhex(&hex(&[0, 255, 16])).unwrap(), vec![0, 255, 16]);
        assert!(unhex("abc").is_none());
    }
}
