//! The relay protocol: what devices and the relay say to each other on
//! QUIC streams (ALPN `deko-relay/1`) before the relay starts forwarding.
//!
//! Every request is one frame (4-byte big-endian length + postcard) on a
//! new bidirectional stream opened by the device; the relay answers with
//! one frame. `Register` binds the connection to a team (the relay checks
//! its access list); `Connect` asks for a session with another registered
//! device of the same team: the relay opens a stream to that device, sends
//! it an [`Incoming`] frame, answers `Connected`, and from then on forwards
//! the bytes of both streams unchanged. `Health` may be asked by anyone.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, SyncError};

/// Largest request, reply or header frame of the relay protocol.
pub const MAX_CONTROL_FRAME: usize = 4096;

/// A forwarded stream was reset because it was idle too long.
pub const CODE_IDLE: u32 = 1;
/// A forwarded stream was reset because the relay is shutting down.
pub const CODE_SHUTDOWN: u32 = 2;
/// A forwarded stream was reset because the other device went away.
pub const CODE_PEER_GONE: u32 = 3;

/// What a device asks of the relay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Serve this connection for `team`, proving access with `token`.
    Register {
        /// The device's team id.
        team: [u8; 16],
        /// The team's relay token (from the ticket or the settings), or empty.
        token: Vec<u8>,
    },
    /// Join a new stream with one to `peer` (a device of the same team).
    Connect {
        /// The device to reach.
        peer: [u8; 32],
    },
    /// How the relay is doing.
    Health,
}

/// What the relay answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The connection is registered.
    Registered,
    /// The stream is joined with the peer's; bytes now pass through.
    Connected,
    /// The relay's health and counters.
    Health(RelayStats),
    /// Refused, with a reason a person can act on.
    Refused(String),
}

/// The header of a stream the relay opens to a device for a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incoming {
    /// The device that asked for the session (as the relay authenticated
    /// it; the end-to-end handshake checks it again).
    pub from: [u8; 32],
}

/// Counters of a relay, for operators (health requests, logs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayStats {
    /// Seconds since the relay started.
    pub uptime_s: u64,
    /// Whether it still accepts connections and sessions.
    pub accepting: bool,
    /// QUIC connections open now.
    pub connections: u64,
    /// Devices registered now.
    pub registered: u64,
    /// Sessions being forwarded now.
    pub sessions_active: u64,
    /// Sessions joined since start.
    pub sessions_total: u64,
    /// Bytes forwarded since start (both directions).
    pub bytes_forwarded: u64,
    /// Requests refused since start (access or limits).
    pub refusals: u64,
    /// Sessions ended for being idle since start.
    pub idle_closed: u64,
}

/// One frame: 4-byte big-endian length, then the postcard bytes.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    crate::sync::encode_frame(&postcard::to_stdvec(msg).expect("relay messages encode"))
}

/// Decodes one frame's payload.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T> {
    postcard::from_bytes(bytes)
        .map_err(|e| Error::Sync(SyncError::Protocol(format!("malformed relay frame: {e}"))))
}

/// What a reset code from the relay means, for the device's error.
pub fn reset_reason(code: u64) -> String {
    match code {
        c if c == CODE_IDLE as u64 => "the relay closed the session: it was idle too long".into(),
        c if c == CODE_SHUTDOWN as u64 => {
            "the relay closed the session: it is shutting down".into()
        }
        c if c == CODE_PEER_GONE as u64 => {
            "the relay closed the session: the other device went away".into()
        }
        c => format!("the relayed session was reset (code {c})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_garbage_is_an_error() {
        for r in [
            Request::Register {
                team: [7; 16],
                token: b"t".to_vec(),
            },
            Request::Connect { peer: [9; 32] },
            Request::Health,
        ] {
            let f = encode(&r);
            assert_eq!(
                u32::from_be_bytes(f[..4].try_into().unwrap()) as usize,
                f.len() - 4
            );
            assert_eq!(decode::<Request>(&f[4..]).unwrap(), r);
        }
        assert!(decode::<Request>(&[0xff, 0xff]).is_err());
        assert!(decode::<Reply>(&[]).is_err());
        assert!(reset_reason(1).contains("idle"));
        assert!(reset_reason(99).contains("99"));
    }
}
