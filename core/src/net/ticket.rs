//! Pairing tickets: what one device shows (QR code, NFC tag, copy-paste) so
//! that another device can reach it and, with an invite secret, join the team.
//!
//! A [`Ticket`] is encoded as a compact binary blob ([`Ticket::to_bytes`]) and
//! as text ([`Ticket::to_uri`]): `DEKO:` followed by the blob in RFC 4648
//! base32 without padding, upper case. Upper-case text is entirely in the QR
//! code *alphanumeric* mode (`0-9 A-Z space $ % * + - . / :`), which packs
//! 5.5 bits per character instead of 8 in byte mode, so the whole URI,
//! prefix included, is emitted upper case. Parsing accepts any letter case.
//!
//! # Binary layout (format version 1, all integers big-endian)
//!
//! | offset | size            | field                                                       |
//! |--------|-----------------|-------------------------------------------------------------|
//! | 0      | 1               | format version, `1`                                         |
//! | 1      | 1               | flags (see below)                                           |
//! | 2      | 16              | team id                                                     |
//! | 18     | 32              | inviting device's ed25519 public key                        |
//! | 50     | 1               | address count `n`, 0 to 8                                   |
//! | 51     | 1               | IPv6 mask: bit `i` set = address `i` is IPv6 (bits >= `n` are 0) |
//! | 52     | per address     | IPv4: 4 address + 2 port; IPv6: 16 address + 2 port         |
//! | …      | 6, 18 or 3+h    | relay, if flags say so: IPv4 or IPv6 socket address as above, or host: length `h` (1 to 253), `h` ASCII bytes, 2 port |
//! | …      | 1+t             | relay token, if flagged: length `t` (1 to 32), `t` bytes    |
//! | …      | 16              | invite secret, if flagged                                   |
//! | …      | 4 or 8          | `expires_at`, if flagged: `u32` when it fits, else `u64`     |
//! | end-4  | 4               | checksum: first 4 bytes of BLAKE3 `derive_key("deko pairing ticket checksum", everything before)` |
//!
//! Flags: bits 0-1 relay (0 none, 1 IPv4 address, 2 IPv6 address, 3 host
//! name); bit 2 relay token; bit 3 invite; bit 4 invite role is admin (only
//! with bit 3); bits 5-6 expiry (0 none, 1 four bytes, 2 eight bytes, 3
//! reserved); bit 7 reserved. Reserved values, an admin bit without an
//! invite, and non-minimal expiry encodings are refused, so every accepted
//! blob re-encodes to exactly the same bytes.
//!
//! # Measured sizes
//!
//! | ticket                                                          | bytes | URI chars | fits |
//! |-----------------------------------------------------------------|-------|-----------|------|
//! | no address, no relay, no invite, no expiry (smallest)           | 56    | 95        | QR 4-L (114), 5-M (122) |
//! | typical: 1 IPv4 + 1 IPv6, invite, expiry, no relay              | 100   | 165       | QR 6-L (195), 7-M (178) |
//! | typical + relay `relay.example.com:7443` + 32-byte token        | 153   | 250       | QR 8-L (279), 9-M (262) |
//! | largest possible (8 IPv6, 253-byte host, 32-byte token, ...)    | 513   | 826       | about QR 16-L |
//!
//! NFC: an NTAG213 has 144 bytes of user memory; an NDEF URI record costs 8
//! bytes around the URI (TLV, record header, type `U`, identifier code,
//! terminator), leaving 136 characters. The typical URI (165) does **not**
//! fit, and no base32 text can: team, key and secret alone are 64 bytes,
//! the two addresses 24 more, i.e. at least 141 base32 characters. Write
//! [`Ticket::to_bytes`] into a binary NDEF record instead (6 bytes of
//! framing plus the type name: 100 + 6 + 27 = 133 bytes for the typical
//! ticket under a 27-character MIME type), or use an NTAG215/216 (504/888
//! bytes). A ticket with a relay host and token (153 bytes) needs an
//! NTAG215 whatever the form.
//!
//! # Integrity, not authenticity
//!
//! The checksum only turns a mistyped character, a cut-off paste or a bit
//! flip into a "corrupt" or "truncated" error instead of a misread ticket
//! (a random change slips through with probability 2^-32). It is not a
//! signature: anyone can make a valid ticket. The QUIC handshake proves
//! that the peer holds the private key of [`Ticket::device`]; that this key
//! belongs to the team rests on where the ticket came from (a screen or tag
//! the user trusts). The invite secret in turn shows the inviting device
//! that the joiner saw the ticket.
//!
//! The checksum trailer and its context string are the same for every format
//! version, so a ticket from a newer app is reported as "unsupported
//! version" rather than "corrupt".
//!
//! # Secrets
//!
//! A ticket with an invite carries the one-time invite secret in clear: treat
//! the URI, the QR code and the bytes like a password until the invite is
//! used or expires, and do not log them. The derived `Debug` of [`Invite`]
//! and [`Ticket`] prints the secret. Error messages never echo ticket
//! content, except a single offending character.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use data_encoding::{BASE32_NOPAD, DecodeKind, HEXLOWER};

use crate::Error;

/// Scheme prefix of a ticket URI, canonical lower-case form.
///
/// [`Ticket::parse`] requires it, in any letter case; [`Ticket::to_uri`]
/// emits it upper case (`DEKO:`) so that the whole URI stays in the QR
/// alphanumeric mode.
pub const URI_PREFIX: &str = "deko:";

/// The prefix as emitted by [`Ticket::to_uri`].
const URI_PREFIX_UPPER: &str = "DEKO:";

/// The only binary format version this module reads and writes.
const VERSION: u8 = 1;

/// Most socket addresses in a ticket: one bit each in the IPv6 mask byte.
const MAX_ADDRS: usize = 8;
/// Longest relay access token, in bytes.
pub(crate) const MAX_TOKEN_LEN: usize = 32;
/// Longest relay host name, in bytes (the DNS limit).
const MAX_HOST_LEN: usize = 253;
/// Length of the trailing checksum.
const CHECKSUM_LEN: usize = 4;
/// BLAKE3 `derive_key` context of the checksum, shared by all versions.
const CHECKSUM_CONTEXT: &str = "deko pairing ticket checksum";

/// Version, flags, team id, device key.
const HEADER_LEN: usize = 1 + 1 + 16 + 32;
/// Size of an IPv6 socket address on the wire.
const V6_LEN: usize = 16 + 2;
/// Largest possible encoded ticket.
const MAX_TICKET_BYTES: usize = HEADER_LEN
    + 2
    + MAX_ADDRS * V6_LEN
    + (1 + MAX_HOST_LEN + 2)
    + (1 + MAX_TOKEN_LEN)
    + 16
    + 8
    + CHECKSUM_LEN;
/// Largest possible base32 payload of a ticket URI.
const MAX_URI_PAYLOAD: usize = (MAX_TICKET_BYTES * 8).div_ceil(5);

const RELAY_MASK: u8 = 0b0000_0011;
const RELAY_V4: u8 = 1;
const RELAY_V6: u8 = 2;
const RELAY_HOST: u8 = 3;
const FLAG_TOKEN: u8 = 1 << 2;
const FLAG_INVITE: u8 = 1 << 3;
const FLAG_ADMIN: u8 = 1 << 4;
const EXPIRY_SHIFT: u8 = 5;
const EXPIRY_MASK: u8 = 0b0110_0000;
const EXPIRY_U32: u8 = 1;
const EXPIRY_U64: u8 = 2;
const FLAG_RESERVED: u8 = 1 << 7;

/// Where a device without a direct path can reach the inviting device.
///
/// Either a literal socket address or a host name resolved by the joining
/// device, so that a relay can move without reissuing tickets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relay {
    /// A relay at a fixed socket address.
    Addr(SocketAddr),
    /// A relay found by DNS: `host` is 1 to 253 ASCII letters, digits,
    /// `-`, `.` or `_` (internationalised names in punycode), `port` its port.
    Host {
        /// The relay's host name, e.g. `relay.example.com`.
        host: String,
        /// The relay's port, e.g. `7443`.
        port: u16,
    },
}

/// The role a new device gets when it joins with an invite.
///
/// Carried in the ticket so that the joining device can show what it is
/// about to become; the inviting device enforces the role it recorded for
/// the secret, not the one in the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteRole {
    /// An ordinary team member.
    Member,
    /// A member who can also manage the team.
    Admin,
}

/// A one-time invitation to join the team.
///
/// The joining device presents `secret` to the inviting device, which admits
/// it once with `role`. `Debug` prints the secret: do not log it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The one-time invite secret.
    pub secret: [u8; 16],
    /// The role the invite grants.
    pub role: InviteRole,
}

/// A pairing ticket: how to reach a device of a team, and optionally an
/// invite to join that team.
///
/// Build one and call [`Ticket::to_uri`] (text, QR code) or
/// [`Ticket::to_bytes`] (binary NFC record); read one with [`Ticket::parse`]
/// or [`Ticket::from_bytes`], then [`Ticket::check_team`] when the reading
/// device already belongs to a team. See the module docs for the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    /// Id of the team the inviting device belongs to.
    pub team: [u8; 16],
    /// The inviting device's ed25519 public key, checked by the QUIC handshake.
    pub device: [u8; 32],
    /// Direct socket addresses of the inviting device, at most 8, in order
    /// of preference. An IPv6 address's flow info and scope id are not
    /// carried (they mean nothing on another host) and read back as 0.
    pub addrs: Vec<SocketAddr>,
    /// Relay to use when no direct address works.
    pub relay: Option<Relay>,
    /// Access token for the relay, 1 to 32 bytes (allowed without `relay`,
    /// for the app's default relay).
    pub relay_token: Option<Vec<u8>>,
    /// Invitation to join the team; requires a non-zero `expires_at`.
    pub invite: Option<Invite>,
    /// Seconds since the Unix epoch after which the ticket is refused; 0
    /// means never, which is only allowed without an invite.
    pub expires_at: u64,
}

/// Why a pairing ticket cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    /// Not a ticket of this format (a typo, truncated, a bad checksum, a
    /// field no encoder makes).
    #[error("invalid ticket: {0}")]
    Malformed(String),

    /// The ticket's time is up.
    #[error("invalid ticket: expired on {at} (unix time {unix})")]
    Expired {
        /// When, in UTC (ISO 8601).
        at: String,
        /// When, in Unix seconds.
        unix: u64,
    },

    /// A ticket of another team, for a device that belongs to one.
    #[error(
        "invalid ticket: foreign ticket: it belongs to team {found}, this device is in team {ours}"
    )]
    Foreign {
        /// The ticket's team (its first bytes in hex).
        found: String,
        /// This device's team.
        ours: String,
    },

    /// Joining needs a ticket with an invite.
    #[error("invalid ticket: this ticket carries no invite")]
    NoInvite,

    /// The ticket names neither an address nor a relay to reach its device.
    #[error("invalid ticket: the ticket lists no address to reach the device")]
    NoAddress,
}

/// A ticket that is not one ([`TicketError::Malformed`]).
fn invalid(message: impl Into<String>) -> Error {
    TicketError::Malformed(message.into()).into()
}

/// First 4 bytes of the domain-separated BLAKE3 hash of `body`.
fn checksum(body: &[u8]) -> [u8; CHECKSUM_LEN] {
    let hash = blake3::derive_key(CHECKSUM_CONTEXT, body);
    let mut sum = [0; CHECKSUM_LEN];
    sum.copy_from_slice(&hash[..CHECKSUM_LEN]);
    sum
}

/// Whether `bytes` ends with the checksum of what precedes it.
fn checksum_matches(bytes: &[u8]) -> bool {
    bytes
        .len()
        .checked_sub(CHECKSUM_LEN)
        .is_some_and(|body| checksum(&bytes[..body]) == bytes[body..])
}

/// Refuses relay host names that are empty, too long or not plain ASCII
/// host-name characters, so that they are safe to show and to resolve.
pub(crate) fn check_host(host: &str) -> Result<(), Error> {
    if host.is_empty() {
        return Err(invalid("relay host is empty"));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(invalid(format!(
            "relay host too long: {} bytes (at most {MAX_HOST_LEN})",
            host.len()
        )));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(invalid(format!(
            "relay host contains {c:?}; only letters, digits, '-', '.' and '_' are allowed"
        )));
    }
    Ok(())
}

/// Length of a validated field as its count byte (saturating, never panics).
fn count_byte(len: usize) -> u8 {
    u8::try_from(len).unwrap_or(u8::MAX)
}

/// Appends a socket address: IP octets, then the port.
fn put_addr(out: &mut Vec<u8>, addr: &SocketAddr) {
    match addr {
        SocketAddr::V4(a) => out.extend_from_slice(&a.ip().octets()),
        SocketAddr::V6(a) => out.extend_from_slice(&a.ip().octets()),
    }
    out.extend_from_slice(&addr.port().to_be_bytes());
}

/// Formats Unix seconds as an ISO 8601 UTC date-time, without a date crate.
fn format_utc(unix_s: u64) -> String {
    let (days, rem) = (unix_s / 86_400, unix_s % 86_400);
    // Howard Hinnant's civil_from_days, for days >= 0 (all unsigned).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

/// Why reading fields stopped.
enum ReadError {
    /// The input ended; at least `needed` bytes were required.
    Short { needed: usize },
    /// A field holds a value no encoder produces.
    Invalid(String),
}

/// Bounds-checked cursor over the encoded fields.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.saturating_add(n);
        let slice = self
            .buf
            .get(self.pos..end)
            .ok_or(ReadError::Short { needed: end })?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, ReadError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn addr(&mut self, ipv6: bool) -> Result<SocketAddr, ReadError> {
        Ok(if ipv6 {
            let ip = Ipv6Addr::from(self.array::<16>()?);
            SocketAddr::V6(SocketAddrV6::new(ip, self.u16()?, 0, 0))
        } else {
            let ip = Ipv4Addr::from(self.array::<4>()?);
            SocketAddr::V4(SocketAddrV4::new(ip, self.u16()?))
        })
    }
}

/// Reads the fields (everything but the checksum) from the start of `buf`;
/// returns the ticket and how many bytes the fields took. Checks structure
/// only; [`Ticket::validate`] checks the rules shared with encoding.
fn read_fields(buf: &[u8]) -> Result<(Ticket, usize), ReadError> {
    let bad = |message: String| ReadError::Invalid(message);
    let mut r = Reader { buf, pos: 0 };
    let version = r.u8()?;
    if version != VERSION {
        return Err(bad(format!(
            "unsupported ticket version {version} (this app reads version {VERSION}; \
             a newer app may read it)"
        )));
    }
    let flags = r.u8()?;
    let expiry = (flags & EXPIRY_MASK) >> EXPIRY_SHIFT;
    if flags & FLAG_RESERVED != 0
        || expiry > EXPIRY_U64
        || (flags & FLAG_ADMIN != 0 && flags & FLAG_INVITE == 0)
    {
        return Err(bad(format!("unknown flags {flags:#04x}")));
    }
    let team = r.array()?;
    let device = r.array()?;
    let count = usize::from(r.u8()?);
    if count > MAX_ADDRS {
        return Err(bad(format!(
            "bad address count {count} (at most {MAX_ADDRS})"
        )));
    }
    let mask = r.u8()?;
    if count < MAX_ADDRS && mask >> count != 0 {
        return Err(bad(format!(
            "bad IPv6 mask {mask:#04x} for {count} addresses"
        )));
    }
    let addrs = (0..count)
        .map(|i| r.addr(mask >> i & 1 == 1))
        .collect::<Result<Vec<_>, _>>()?;
    let relay = match flags & RELAY_MASK {
        RELAY_V4 => Some(Relay::Addr(r.addr(false)?)),
        RELAY_V6 => Some(Relay::Addr(r.addr(true)?)),
        RELAY_HOST => {
            let len = usize::from(r.u8()?);
            if len == 0 || len > MAX_HOST_LEN {
                return Err(bad(format!(
                    "bad relay host length {len} (1 to {MAX_HOST_LEN})"
                )));
            }
            let host = String::from_utf8(r.take(len)?.to_vec())
                .map_err(|_| bad("relay host is not text".into()))?;
            let port = r.u16()?;
            Some(Relay::Host { host, port })
        }
        _ => None,
    };
    let relay_token = if flags & FLAG_TOKEN != 0 {
        let len = usize::from(r.u8()?);
        if len == 0 || len > MAX_TOKEN_LEN {
            return Err(bad(format!(
                "bad relay token length {len} (1 to {MAX_TOKEN_LEN})"
            )));
        }
        Some(r.take(len)?.to_vec())
    } else {
        None
    };
    let invite = if flags & FLAG_INVITE != 0 {
        let secret = r.array()?;
        let role = if flags & FLAG_ADMIN != 0 {
            InviteRole::Admin
        } else {
            InviteRole::Member
        };
        Some(Invite { secret, role })
    } else {
        None
    };
    let expires_at = match expiry {
        EXPIRY_U32 => match u32::from_be_bytes(r.array()?) {
            0 => return Err(bad("non-canonical expiry: 0 in a 4-byte field".into())),
            t => u64::from(t),
        },
        EXPIRY_U64 => match u64::from_be_bytes(r.array()?) {
            t if u32::try_from(t).is_ok() => {
                return Err(bad(format!("non-canonical expiry: {t} in an 8-byte field")));
            }
            t => t,
        },
        _ => 0,
    };
    let ticket = Ticket {
        team,
        device,
        addrs,
        relay,
        relay_token,
        invite,
        expires_at,
    };
    Ok((ticket, r.pos))
}

impl Ticket {
    /// Encodes the ticket as compact binary (layout in the module docs),
    /// checksum included: for binary carriers such as an NFC record.
    ///
    /// # Errors
    ///
    /// Refuses what the reader would refuse: more than 8 addresses, an empty
    /// or longer than 32 bytes relay token, an empty, longer than 253 bytes
    /// or non-host-name relay host, and an invite with `expires_at == 0`.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        self.validate()?;
        Ok(self.encode_unchecked())
    }

    /// Decodes and checks a ticket made by [`Ticket::to_bytes`].
    ///
    /// Does not look at the clock: [`Ticket::parse`] does.
    ///
    /// # Errors
    ///
    /// Refuses, with a message saying which, a truncated ticket, trailing
    /// bytes, a checksum mismatch ("corrupt"), an unsupported version,
    /// unknown flags, bad lengths and the rules of [`Ticket::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Ticket, Error> {
        if checksum_matches(bytes) {
            // Intact as sent: any remaining problem is in what was sent.
            let body = &bytes[..bytes.len() - CHECKSUM_LEN];
            let (ticket, used) = read_fields(body).map_err(|e| match e {
                ReadError::Short { .. } => invalid("bad lengths: fields run into the checksum"),
                ReadError::Invalid(message) => invalid(message),
            })?;
            if used != body.len() {
                return Err(invalid(format!(
                    "trailing data: {} unexpected bytes before the checksum",
                    body.len() - used
                )));
            }
            ticket.validate()?;
            return Ok(ticket);
        }
        // Damaged in transit: tell a cut-off or padded ticket from a mangled one.
        match read_fields(bytes) {
            Err(ReadError::Short { needed }) => Err(invalid(format!(
                "truncated: {} bytes, a ticket needs at least {}",
                bytes.len(),
                needed + CHECKSUM_LEN
            ))),
            Ok((_, used)) if bytes.len() < used + CHECKSUM_LEN => Err(invalid(format!(
                "truncated: {} bytes, this ticket needs {}",
                bytes.len(),
                used + CHECKSUM_LEN
            ))),
            Ok((_, used)) if checksum_matches(&bytes[..used + CHECKSUM_LEN]) => {
                Err(invalid(format!(
                    "trailing data: {} extra bytes after the ticket",
                    bytes.len() - used - CHECKSUM_LEN
                )))
            }
            _ => Err(invalid(
                "corrupt: checksum mismatch (mistyped, damaged or not a ticket)",
            )),
        }
    }

    /// Renders the ticket as text for QR codes, links and copy-paste:
    /// `DEKO:` + upper-case RFC 4648 base32 of [`Ticket::to_bytes`], no
    /// padding.
    ///
    /// The prefix is upper case on purpose: the whole string is then in the
    /// QR alphanumeric mode, about 30% denser than byte mode. Where a
    /// case-sensitive scheme match matters (Android intent filters match
    /// schemes case-sensitively), replace the first 5 characters with
    /// [`URI_PREFIX`]; [`Ticket::parse`] takes both.
    ///
    /// # Errors
    ///
    /// Fails like [`Ticket::to_bytes`].
    pub fn to_uri(&self) -> Result<String, Error> {
        Ok(format!(
            "{URI_PREFIX_UPPER}{}",
            BASE32_NOPAD.encode(&self.to_bytes()?)
        ))
    }

    /// Reads a ticket URI as typed, pasted or scanned, checking it against
    /// the clock `now_unix_s` (seconds since the Unix epoch).
    ///
    /// Trims surrounding whitespace, requires the `deko:` prefix in any
    /// letter case, accepts base32 in any letter case.
    ///
    /// # Errors
    ///
    /// Refuses a wrong prefix, a non-base32 character (named with its
    /// 1-based position), a corrupt or truncated ticket, a text longer than
    /// any ticket, everything [`Ticket::from_bytes`] refuses (including an
    /// invite without expiry), and an expired ticket (`expires_at != 0 &&
    /// now_unix_s >= expires_at`; the message gives the expiry in UTC).
    pub fn parse(uri: &str, now_unix_s: u64) -> Result<Ticket, Error> {
        let text = uri.trim();
        let payload = match text.as_bytes().get(..URI_PREFIX.len()) {
            // The prefix is ASCII, so byte 5 is a character boundary.
            Some(p) if p.eq_ignore_ascii_case(URI_PREFIX.as_bytes()) => &text[URI_PREFIX.len()..],
            _ => {
                return Err(invalid(format!(
                    "not a Deko ticket: it must start with \"{URI_PREFIX}\""
                )));
            }
        };
        if payload.len() > MAX_URI_PAYLOAD {
            return Err(invalid(format!(
                "too long: {} characters after the prefix, a ticket has at most {MAX_URI_PAYLOAD}",
                payload.len()
            )));
        }
        // Checked before decoding so that a stray character is named as such
        // rather than reported as a length error.
        if let Some((i, c)) = payload
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphabetic() || ('2'..='7').contains(c)))
        {
            return Err(invalid(format!(
                "bad base32 character {c:?} at position {} (only A-Z and 2-7)",
                URI_PREFIX.len() + i + 1
            )));
        }
        let bytes = BASE32_NOPAD
            .decode(payload.to_ascii_uppercase().as_bytes())
            .map_err(|e| match e.kind {
                DecodeKind::Length => invalid(format!(
                    "truncated or mangled: {} base32 characters cannot hold a whole ticket",
                    payload.len()
                )),
                DecodeKind::Trailing => {
                    invalid("truncated or mistyped: the last character has stray bits")
                }
                _ => invalid(format!("bad base32: {e}")),
            })?;
        let ticket = Ticket::from_bytes(&bytes)?;
        if ticket.expires_at != 0 && now_unix_s >= ticket.expires_at {
            return Err(TicketError::Expired {
                at: format_utc(ticket.expires_at),
                unix: ticket.expires_at,
            }
            .into());
        }
        Ok(ticket)
    }

    /// Refuses a ticket of another team ("foreign ticket"), for a device
    /// that already belongs to `team` and must not connect elsewhere.
    ///
    /// # Errors
    ///
    /// "foreign ticket" when the teams differ. The message names both teams
    /// by their first 4 bytes in hex (all 16 if those happen to be equal),
    /// enough to tell them apart in support.
    pub fn check_team(&self, team: &[u8; 16]) -> Result<(), Error> {
        if self.team == *team {
            return Ok(());
        }
        let short = if self.team[..4] == team[..4] { 16 } else { 4 };
        Err(TicketError::Foreign {
            found: HEXLOWER.encode(&self.team[..short]),
            ours: HEXLOWER.encode(&team[..short]),
        }
        .into())
    }

    /// The rules shared by encoding and decoding, so that every decoded
    /// ticket encodes again.
    fn validate(&self) -> Result<(), Error> {
        if self.addrs.len() > MAX_ADDRS {
            return Err(invalid(format!(
                "too many addresses: {} (at most {MAX_ADDRS})",
                self.addrs.len()
            )));
        }
        if let Some(Relay::Host { host, .. }) = &self.relay {
            check_host(host)?;
        }
        if let Some(token) = &self.relay_token {
            if token.is_empty() {
                return Err(invalid("relay token is empty (use None for no token)"));
            }
            if token.len() > MAX_TOKEN_LEN {
                return Err(invalid(format!(
                    "relay token too long: {} bytes (at most {MAX_TOKEN_LEN})",
                    token.len()
                )));
            }
        }
        if self.invite.is_some() && self.expires_at == 0 {
            return Err(invalid(
                "invite without expiry: a ticket with an invite must expire (expires_at is 0)",
            ));
        }
        Ok(())
    }

    /// Encodes without [`Ticket::validate`]; never panics, but only a
    /// validated ticket gives bytes that decode.
    fn encode_unchecked(&self) -> Vec<u8> {
        let mut flags = 0;
        flags |= match &self.relay {
            None => 0,
            Some(Relay::Addr(SocketAddr::V4(_))) => RELAY_V4,
            Some(Relay::Addr(SocketAddr::V6(_))) => RELAY_V6,
            Some(Relay::Host { .. }) => RELAY_HOST,
        };
        if self.relay_token.is_some() {
            flags |= FLAG_TOKEN;
        }
        if let Some(invite) = &self.invite {
            flags |= FLAG_INVITE;
            if invite.role == InviteRole::Admin {
                flags |= FLAG_ADMIN;
            }
        }
        let short_expiry = u32::try_from(self.expires_at).ok();
        flags |= match (self.expires_at, short_expiry) {
            (0, _) => 0,
            (_, Some(_)) => EXPIRY_U32 << EXPIRY_SHIFT,
            (_, None) => EXPIRY_U64 << EXPIRY_SHIFT,
        };

        let mut out = Vec::with_capacity(128);
        out.push(VERSION);
        out.push(flags);
        out.extend_from_slice(&self.team);
        out.extend_from_slice(&self.device);
        out.push(count_byte(self.addrs.len()));
        let mask = self
            .addrs
            .iter()
            .take(MAX_ADDRS)
            .enumerate()
            .filter(|(_, a)| a.is_ipv6())
            .fold(0u8, |mask, (i, _)| mask | 1 << i);
        out.push(mask);
        for addr in &self.addrs {
            put_addr(&mut out, addr);
        }
        match &self.relay {
            None => {}
            Some(Relay::Addr(addr)) => put_addr(&mut out, addr),
            Some(Relay::Host { host, port }) => {
                out.push(count_byte(host.len()));
                out.extend_from_slice(host.as_bytes());
                out.extend_from_slice(&port.to_be_bytes());
            }
        }
        if let Some(token) = &self.relay_token {
            out.push(count_byte(token.len()));
            out.extend_from_slice(token);
        }
        if let Some(invite) = &self.invite {
            out.extend_from_slice(&invite.secret);
        }
        match (self.expires_at, short_expiry) {
            (0, _) => {}
            (_, Some(short)) => out.extend_from_slice(&short.to_be_bytes()),
            (long, None) => out.extend_from_slice(&long.to_be_bytes()),
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T00:00:00Z.
    const EXPIRY: u64 = 1_767_225_600;
    /// A clock before `EXPIRY`.
    const NOW: u64 = 1_750_000_000;
    /// Size of an IPv4 socket address on the wire.
    const V4_LEN: usize = 4 + 2;
    const BASE32_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    fn pattern<const N: usize>(seed: u8) -> [u8; N] {
        std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(seed))
    }

    fn v4() -> SocketAddr {
        "192.0.2.10:7440".parse().unwrap()
    }

    fn v6() -> SocketAddr {
        "[2001:db8::1:2]:7440".parse().unwrap()
    }

    fn bare() -> Ticket {
        Ticket {
            team: pattern(1),
            device: pattern(2),
            addrs: vec![],
            relay: None,
            relay_token: None,
            invite: None,
            expires_at: 0,
        }
    }

    /// One IPv4 + one IPv6 address, a member invite, an expiry, no relay.
    fn typical() -> Ticket {
        Ticket {
            addrs: vec![v4(), v6()],
            invite: Some(Invite {
                secret: pattern(3),
                role: InviteRole::Member,
            }),
            expires_at: EXPIRY,
            ..bare()
        }
    }

    fn with_relay_host() -> Ticket {
        Ticket {
            relay: Some(Relay::Host {
                host: "relay.example.com".into(),
                port: 7443,
            }),
            relay_token: Some(pattern::<32>(4).to_vec()),
            ..typical()
        }
    }

    fn largest() -> Ticket {
        Ticket {
            addrs: (0..8u16)
                .map(|i| SocketAddr::new(v6().ip(), 7000 + i))
                .collect(),
            relay: Some(Relay::Host {
                host: "a".repeat(MAX_HOST_LEN),
                port: u16::MAX,
            }),
            relay_token: Some(vec![0xff; MAX_TOKEN_LEN]),
            invite: Some(Invite {
                secret: [0xff; 16],
                role: InviteRole::Admin,
            }),
            expires_at: u64::MAX,
            ..bare()
        }
    }

    fn samples() -> Vec<Ticket> {
        vec![
            bare(),
            typical(),
            with_relay_host(),
            largest(),
            Ticket {
                invite: Some(Invite {
                    secret: pattern(9),
                    role: InviteRole::Admin,
                }),
                ..typical()
            },
            Ticket {
                addrs: vec![v6(), v4(), v4(), v6(), v6()],
                relay: Some(Relay::Addr(v4())),
                ..bare()
            },
            Ticket {
                addrs: vec![v4()],
                relay: Some(Relay::Addr(v6())),
                expires_at: EXPIRY,
                ..bare()
            },
            Ticket {
                relay_token: Some(vec![7]),
                ..bare()
            },
            Ticket {
                // Needs the 8-byte expiry field.
                expires_at: u64::from(u32::MAX) + 1,
                ..typical()
            },
            Ticket {
                expires_at: 1,
                relay: Some(Relay::Host {
                    host: "Relay-1.example_net".into(),
                    port: 0,
                }),
                ..bare()
            },
        ]
    }

    fn message(result: Result<Ticket, Error>) -> String {
        match result {
            Ok(t) => panic!("expected an error, got {t:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn assert_refused(result: Result<Ticket, Error>, needle: &str) {
        let m = message(result);
        assert!(m.contains(needle), "{m:?} does not contain {needle:?}");
    }

    /// Re-checksums hand-edited bytes so that only the edit is judged.
    fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
        bytes.truncate(bytes.len() - CHECKSUM_LEN);
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum);
        bytes
    }

    fn uri_of(bytes: &[u8]) -> String {
        format!("DEKO:{}", BASE32_NOPAD.encode(bytes))
    }

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn below(state: &mut u64, n: usize) -> usize {
        (xorshift(state) % n as u64) as usize
    }

    #[test]
    fn round_trips_bytes_and_uri() {
        for ticket in samples() {
            let bytes = ticket.to_bytes().unwrap();
            assert_eq!(Ticket::from_bytes(&bytes).unwrap(), ticket);
            let uri = ticket.to_uri().unwrap();
            assert_eq!(
                Ticket::parse(&uri, NOW.min(ticket.expires_at.wrapping_sub(1))).unwrap(),
                ticket
            );
            assert_eq!(Ticket::parse(&uri, 0).unwrap(), ticket);
        }
    }

    #[test]
    fn uri_is_upper_case_qr_alphanumeric() {
        for ticket in samples() {
            let uri = ticket.to_uri().unwrap();
            assert!(uri.starts_with("DEKO:"));
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':'),
                "{uri}"
            );
        }
    }

    #[test]
    fn lowercase_mixed_case_and_whitespace_accepted() {
        let ticket = typical();
        let uri = ticket.to_uri().unwrap();
        let lower = uri.to_ascii_lowercase();
        assert!(lower.starts_with(URI_PREFIX));
        assert_eq!(Ticket::parse(&lower, NOW).unwrap(), ticket);
        let mixed: String = uri
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(Ticket::parse(&mixed, NOW).unwrap(), ticket);
        assert_eq!(
            Ticket::parse(&format!(" \t{uri}\r\n"), NOW).unwrap(),
            ticket
        );
    }

    #[test]
    fn measured_sizes_match_module_docs() {
        let sizes = |t: Ticket| (t.to_bytes().unwrap().len(), t.to_uri().unwrap().len());
        assert_eq!(sizes(bare()), (56, 95));
        assert_eq!(sizes(typical()), (100, 165));
        assert_eq!(sizes(with_relay_host()), (153, 250));
        assert_eq!(sizes(largest()), (MAX_TICKET_BYTES, 826));
        assert_eq!(MAX_TICKET_BYTES, 513);
        assert_eq!(MAX_URI_PAYLOAD + URI_PREFIX.len(), 826);
    }

    #[test]
    fn wrong_prefix_refused() {
        let payload = &typical().to_uri().unwrap()[5..];
        for uri in [
            String::new(),
            "deko".into(),
            payload.to_owned(),
            format!("deco:{payload}"),
            format!("deko/{payload}"),
            format!("https://deko.example/{payload}"),
            format!("é{payload}"),
        ] {
            assert_refused(Ticket::parse(&uri, NOW), "must start with \"deko:\"");
        }
    }

    #[test]
    fn bad_base32_character_refused_with_position() {
        let uri = typical().to_uri().unwrap();
        for (bad, shown) in [
            ('!', "'!'"),
            ('0', "'0'"),
            ('1', "'1'"),
            ('é', "'é'"),
            (' ', "' '"),
        ] {
            let mut chars: Vec<char> = uri.chars().collect();
            chars[20] = bad;
            let text: String = chars.into_iter().collect();
            let m = message(Ticket::parse(&text, NOW));
            assert!(m.contains("bad base32 character"), "{m}");
            assert!(m.contains(shown), "{m}");
            assert!(m.contains("position 21"), "{m}");
        }
    }

    #[test]
    fn flipped_bit_is_corrupt() {
        let mut bytes = typical().to_bytes().unwrap();
        bytes[30] ^= 0x04; // inside the device key
        assert_refused(Ticket::from_bytes(&bytes), "corrupt");
        assert_refused(Ticket::parse(&uri_of(&bytes), NOW), "corrupt");
        // One mistyped character inside the device key.
        let mut uri = typical().to_uri().unwrap().into_bytes();
        uri[5 + 40] = if uri[5 + 40] == b'Q' { b'R' } else { b'Q' };
        assert_refused(
            Ticket::parse(std::str::from_utf8(&uri).unwrap(), NOW),
            "corrupt",
        );
    }

    #[test]
    fn every_bit_flip_and_every_mistyped_character_refused() {
        for ticket in [typical(), with_relay_host()] {
            let bytes = ticket.to_bytes().unwrap();
            for bit in 0..bytes.len() * 8 {
                let mut damaged = bytes.clone();
                damaged[bit / 8] ^= 1 << (bit % 8);
                let m = message(Ticket::from_bytes(&damaged));
                assert!(
                    m.contains("corrupt") || m.contains("truncated"),
                    "bit {bit}: {m}"
                );
            }
            let uri = ticket.to_uri().unwrap();
            for pos in 5..uri.len() {
                for &c in BASE32_ALPHABET {
                    if c == uri.as_bytes()[pos] {
                        continue;
                    }
                    let mut typo = uri.clone().into_bytes();
                    typo[pos] = c;
                    let typo = String::from_utf8(typo).unwrap();
                    assert!(Ticket::parse(&typo, NOW).is_err(), "{typo}");
                }
            }
        }
    }

    #[test]
    fn truncated_at_every_length_refused() {
        for ticket in samples() {
            let bytes = ticket.to_bytes().unwrap();
            for len in 0..bytes.len() {
                assert_refused(Ticket::from_bytes(&bytes[..len]), "truncated");
            }
            let uri = ticket.to_uri().unwrap();
            for len in 5..uri.len() {
                assert_refused(Ticket::parse(&uri[..len], 0), "truncated");
            }
            for len in 0..5 {
                assert_refused(Ticket::parse(&uri[..len], 0), "must start with");
            }
        }
    }

    #[test]
    fn trailing_data_refused() {
        let bytes = typical().to_bytes().unwrap();
        for extra in [&[0u8][..], &[1, 2, 3], &bytes] {
            let mut long = bytes.clone();
            long.extend_from_slice(extra);
            assert_refused(Ticket::from_bytes(&long), "trailing data");
            assert_refused(Ticket::parse(&uri_of(&long), NOW), "trailing data");
        }
        // Extra bytes inside a correctly checksummed blob.
        let mut inner = bytes[..bytes.len() - CHECKSUM_LEN].to_vec();
        inner.push(0);
        inner.extend_from_slice(&[0; CHECKSUM_LEN]);
        assert_refused(Ticket::from_bytes(&reseal(inner)), "trailing data");
    }

    #[test]
    fn unknown_version_refused() {
        for version in [0, 2, 0xff] {
            let mut bytes = typical().to_bytes().unwrap();
            bytes[0] = version;
            let bytes = reseal(bytes);
            assert_refused(
                Ticket::from_bytes(&bytes),
                &format!("unsupported ticket version {version}"),
            );
            assert_refused(Ticket::parse(&uri_of(&bytes), NOW), "unsupported");
        }
        // Without a matching checksum a changed version byte is just damage.
        let mut bytes = typical().to_bytes().unwrap();
        bytes[0] = 2;
        assert_refused(Ticket::from_bytes(&bytes), "corrupt");
    }

    #[test]
    fn unknown_flags_and_bad_lengths_refused() {
        let edit = |t: Ticket, at: usize, value: u8| {
            let mut bytes = t.to_bytes().unwrap();
            bytes[at] = value;
            Ticket::from_bytes(&reseal(bytes))
        };
        let flags = typical().to_bytes().unwrap()[1];
        assert_refused(
            edit(typical(), 1, flags | FLAG_RESERVED),
            "unknown flags 0x",
        );
        assert_refused(edit(typical(), 1, flags | EXPIRY_MASK), "unknown flags");
        assert_refused(edit(bare(), 1, FLAG_ADMIN), "unknown flags 0x10");
        assert_refused(edit(bare(), HEADER_LEN, 9), "bad address count 9");
        assert_refused(edit(bare(), HEADER_LEN + 1, 1), "bad IPv6 mask");
        // Relay host length byte sits right after the two addresses.
        let host_len_at = HEADER_LEN + 2 + V4_LEN + V6_LEN;
        assert_refused(
            edit(with_relay_host(), host_len_at, 0),
            "bad relay host length 0",
        );
        let token_len_at = host_len_at + 1 + "relay.example.com".len() + 2;
        assert_refused(
            edit(with_relay_host(), token_len_at, 0),
            "bad relay token length 0",
        );
        assert_refused(
            edit(with_relay_host(), token_len_at, 33),
            "bad relay token length 33",
        );
        // A bad host character inside an intact blob.
        assert_refused(
            edit(with_relay_host(), host_len_at + 3, b' '),
            "relay host contains ' '",
        );
        assert_refused(
            edit(with_relay_host(), host_len_at + 3, 0xff),
            "relay host is not text",
        );
        // Non-minimal expiry encodings.
        let mut bytes = typical().to_bytes().unwrap();
        let at = bytes.len() - CHECKSUM_LEN - 4;
        bytes[at..at + 4].copy_from_slice(&[0; 4]);
        assert_refused(Ticket::from_bytes(&reseal(bytes)), "non-canonical expiry");
        let mut long = Ticket {
            expires_at: 1 << 40,
            ..typical()
        }
        .to_bytes()
        .unwrap();
        let at = long.len() - CHECKSUM_LEN - 8;
        long[at..at + 8].copy_from_slice(&EXPIRY.to_be_bytes());
        assert_refused(Ticket::from_bytes(&reseal(long)), "non-canonical expiry");
    }

    #[test]
    fn expired_refused_with_time() {
        let uri = typical().to_uri().unwrap();
        assert!(Ticket::parse(&uri, EXPIRY - 1).is_ok());
        for now in [EXPIRY, EXPIRY + 1, u64::MAX] {
            assert_refused(
                Ticket::parse(&uri, now),
                "expired on 2026-01-01T00:00:00Z (unix time 1767225600)",
            );
        }
        // No expiry never expires.
        assert!(Ticket::parse(&bare().to_uri().unwrap(), u64::MAX).is_ok());
    }

    #[test]
    fn invite_without_expiry_refused() {
        let ticket = Ticket {
            expires_at: 0,
            ..typical()
        };
        let needle = "invite without expiry";
        assert!(ticket.to_bytes().unwrap_err().to_string().contains(needle));
        assert!(ticket.to_uri().unwrap_err().to_string().contains(needle));
        let bytes = ticket.encode_unchecked();
        assert_refused(Ticket::from_bytes(&bytes), needle);
        assert_refused(Ticket::parse(&uri_of(&bytes), NOW), needle);
    }

    #[test]
    fn encoder_refusals() {
        let refused = |t: Ticket, needle: &str| {
            let m = t.to_bytes().unwrap_err().to_string();
            assert!(m.starts_with("invalid ticket: "), "{m}");
            assert!(m.contains(needle), "{m:?} does not contain {needle:?}");
            assert!(t.to_uri().is_err());
        };
        refused(
            Ticket {
                addrs: vec![v4(); 9],
                ..bare()
            },
            "too many addresses: 9 (at most 8)",
        );
        refused(
            Ticket {
                relay_token: Some(vec![1; 33]),
                ..bare()
            },
            "relay token too long: 33 bytes (at most 32)",
        );
        refused(
            Ticket {
                relay_token: Some(vec![]),
                ..bare()
            },
            "relay token is empty",
        );
        let host = |host: &str| Ticket {
            relay: Some(Relay::Host {
                host: host.into(),
                port: 1,
            }),
            ..bare()
        };
        refused(host(""), "relay host is empty");
        refused(
            host(&"a".repeat(254)),
            "relay host too long: 254 bytes (at most 253)",
        );
        refused(host("relay example.com"), "relay host contains ' '");
        refused(host("relay.example.com:7443"), "relay host contains ':'");
        refused(host("rélay.example.com"), "relay host contains 'é'");
        // Edge values are fine.
        assert!(
            Ticket {
                addrs: vec![v6(); 8],
                ..bare()
            }
            .to_bytes()
            .is_ok()
        );
        assert!(host(&"a".repeat(253)).to_bytes().is_ok());
    }

    #[test]
    fn ipv6_flow_info_and_scope_are_dropped() {
        let scoped = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 9, 7, 3));
        let ticket = Ticket {
            addrs: vec![scoped],
            ..bare()
        };
        let back = Ticket::from_bytes(&ticket.to_bytes().unwrap()).unwrap();
        assert_eq!(
            back.addrs,
            vec![SocketAddr::V6(SocketAddrV6::new(
                "fe80::1".parse().unwrap(),
                9,
                0,
                0
            ))]
        );
    }

    #[test]
    fn foreign_team_refused() {
        let ticket = typical();
        assert!(ticket.check_team(&pattern(1)).is_ok());
        let other = [0xab; 16];
        let m = ticket.check_team(&other).unwrap_err().to_string();
        assert_eq!(
            m,
            "invalid ticket: foreign ticket: it belongs to team 01264b70, \
             this device is in team abababab"
        );
        // Same first 4 bytes: the full ids are shown.
        let mut close = pattern::<16>(1);
        close[15] ^= 1;
        let m = ticket.check_team(&close).unwrap_err().to_string();
        assert!(m.contains(&HEXLOWER.encode(&close)), "{m}");
        assert!(m.contains(&HEXLOWER.encode(&ticket.team)), "{m}");
    }

    #[test]
    fn utc_formatting() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(EXPIRY - 1), "2025-12-31T23:59:59Z");
        assert_eq!(format_utc(4_107_542_400), "2100-03-01T00:00:00Z");
        assert!(format_utc(u64::MAX).ends_with('Z'));
    }

    #[test]
    fn mutated_uris_never_panic() {
        let uris: Vec<String> = samples().iter().map(|t| t.to_uri().unwrap()).collect();
        let pool: Vec<char> = "AZ27az0189=:- \t\n!é€\0".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3_000 {
            let mut chars: Vec<char> = uris[below(&mut state, uris.len())].chars().collect();
            for _ in 0..1 + below(&mut state, 3) {
                let at = below(&mut state, chars.len() + 1);
                let c = pool[below(&mut state, pool.len())];
                match below(&mut state, 5) {
                    0 if at < chars.len() => chars[at] = c,
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    2 => chars.insert(at, c),
                    3 => chars.truncate(at),
                    _ if at < chars.len() => {
                        let c = BASE32_ALPHABET[below(&mut state, 32)] as char;
                        chars[at] = c;
                    }
                    _ => {}
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(t) = Ticket::parse(&text, xorshift(&mut state)) {
                // Only an unchanged ticket may come through.
                assert!(samples().contains(&t), "{text}");
            }
        }
    }

    #[test]
    fn random_bytes_never_panic_and_accepted_bytes_are_canonical() {
        let mut state = 0x2545_f491_4f6c_dd1d;
        let valid: Vec<Vec<u8>> = samples().iter().map(|t| t.to_bytes().unwrap()).collect();
        let check = |bytes: &[u8]| {
            if let Ok(t) = Ticket::from_bytes(bytes) {
                assert_eq!(t.to_bytes().unwrap(), bytes);
            }
        };
        let mut accepted = 0;
        for round in 0..6_000 {
            let mut bytes: Vec<u8> = match round % 3 {
                // Pure noise.
                0 => (0..below(&mut state, 600))
                    .map(|_| xorshift(&mut state) as u8)
                    .collect(),
                // Version 1, random flags and fields, valid checksum: reaches the field reader.
                1 => {
                    let len = HEADER_LEN + 2 + below(&mut state, 200);
                    let mut b: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
                    b[0] = VERSION;
                    b[1] &= !FLAG_RESERVED;
                    b[HEADER_LEN] %= 4;
                    b[HEADER_LEN + 1] &= (1 << b[HEADER_LEN]) - 1;
                    reseal(b)
                }
                // A valid ticket with a few bytes changed, resealed.
                _ => {
                    let mut b = valid[below(&mut state, valid.len())].clone();
                    for _ in 0..1 + below(&mut state, 3) {
                        let at = below(&mut state, b.len());
                        b[at] = xorshift(&mut state) as u8;
                    }
                    reseal(b)
                }
            };
            check(&bytes);
            if Ticket::from_bytes(&bytes).is_ok() {
                accepted += 1;
            }
            bytes.truncate(below(&mut state, bytes.len() + 1));
            check(&bytes);
            let _ = Ticket::parse(&uri_of(&bytes), xorshift(&mut state));
        }
        // The generators do reach successful decodes, not only early errors.
        assert!(accepted > 100, "{accepted}");
    }
}
