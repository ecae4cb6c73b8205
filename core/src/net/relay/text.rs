//! Relay settings as text, for settings screens and the apps: the relay as
//! `host:port` (an IP address or a DNS name) and the team's relay token as
//! lowercase base32 without padding (the form of device ids; read
//! case-insensitively), so any token a ticket carries can be shown and
//! typed back.

use std::net::SocketAddr;

use super::RelaySettings;
use crate::error::{Error, Result};
use crate::net::ticket::{MAX_TOKEN_LEN, Relay, check_host};

impl RelaySettings {
    /// Settings from text: `relay` is `ip:port`, `[v6]:port` or
    /// `host:port`; `token` the token in the form of [`RelaySettings::token_text`].
    /// Malformed input is an [`Error::InvalidInput`] naming what is wrong.
    pub fn parse(relay: &str, token: Option<&str>) -> Result<RelaySettings> {
        Ok(RelaySettings {
            relay: parse_relay(relay)?,
            token: token.map(parse_token).transpose()?,
        })
    }

    /// The relay as `ip:port` or `host:port`.
    pub fn relay_text(&self) -> String {
        match &self.relay {
            Relay::Addr(a) => a.to_string(),
            Relay::Host { host, port } => format!("{host}:{port}"),
        }
    }

    /// The token as lowercase base32 without padding, if there is one.
    pub fn token_text(&self) -> Option<String> {
        self.token
            .as_ref()
            .map(|t| data_encoding::BASE32_NOPAD.encode(t).to_ascii_lowercase())
    }
}

fn parse_relay(text: &str) -> Result<Relay> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(Relay::Addr(addr));
    }
    let bad = || {
        Error::invalid(
            "relay",
            format!("{text:?} is not a relay address (host:port)"),
        )
    };
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if port == 0 {
        return Err(bad());
    }
    check_host(host).map_err(|e| match e {
        Error::Ticket(t) => Error::invalid("relay", t.to_string()),
        e => e,
    })?;
    Ok(Relay::Host {
        host: host.to_string(),
        port,
    })
}

fn parse_token(text: &str) -> Result<Vec<u8>> {
    let upper = text.trim().to_ascii_uppercase();
    let bytes = data_encoding::BASE32_NOPAD
        .decode(upper.as_bytes())
        .map_err(|_| {
            Error::invalid(
                "relay_token",
                format!("{text:?} is not a relay token (base32)"),
            )
        })?;
    if bytes.is_empty() || bytes.len() > MAX_TOKEN_LEN {
        return Err(Error::invalid(
            "relay_token",
            format!(
                "a relay token is 1 to {MAX_TOKEN_LEN} bytes, not {}",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refusals() {
        let s = RelaySettings::parse("127.0.0.1:7443", Some("MFRGG")).unwrap();
        assert_eq!(s.relay, Relay::Addr("127.0.0.1:7443".parse().unwrap()));
        assert_eq!(s.token.as_deref(), Some(&b"abc"[..]));
        assert_eq!(s.relay_text(), "127.0.0.1:7443");
        assert_eq!(s.token_text().as_deref(), Some("mfrgg"));
        let h = RelaySettings::parse(" relay.example.com:7443 ", None).unwrap();
        assert_eq!(h.relay_text(), "relay.example.com:7443");
        assert_eq!(h.token_text(), None);
        let v6 = RelaySettings::parse("[::1]:9", None).unwrap();
        assert_eq!(RelaySettings::parse(&v6.relay_text(), None).unwrap(), v6);
        for bad in ["", "relay", "relay:0", "relay:x", "re lay:1", ":7443"] {
            let e = RelaySettings::parse(bad, None).unwrap_err();
            assert_eq!(e.field(), Some("relay"), "{bad}: {e}");
        }
        for bad in ["", "not base32!", "a"] {
            let e = RelaySettings::parse("127.0.0.1:1", Some(bad)).unwrap_err();
            assert_eq!(e.field(), Some("relay_token"), "{bad}: {e}");
        }
        let long = data_encoding::BASE32_NOPAD.encode(&[7u8; 33]);
        assert!(RelaySettings::parse("127.0.0.1:1", Some(&long)).is_err());
    }
}
