//! How the network fails, told apart: a peer or relay that cannot be
//! reached, one that stopped answering, a connection that broke, a refusal
//! by the peer or by the relay, another device at the address, discovery,
//! and this device's own setup (listening, TLS).

use std::io;

use crate::identity::DeviceId;

/// A failure of the network layer.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// This device cannot listen where it was asked to.
    #[error("network: cannot listen on {addr}: {reason}")]
    Listen {
        /// The address.
        addr: String,
        /// Why.
        reason: String,
    },

    /// No connection could be made to the peer or the relay (connecting
    /// failed, no answer to the handshake, no address for a host).
    #[error("network: {0}")]
    Unreachable(String),

    /// A peer did not answer (no session started) within the time it was
    /// given, at an address or through the relay.
    #[error("{0}")]
    NoAnswer(Box<NoAnswer>),

    /// A connected peer or relay stopped answering: a step of the session
    /// ran out of time (an end-to-end handshake, a relay's reply, a
    /// connection idle for too long).
    #[error("network: {0}")]
    TimedOut(String),

    /// The connection broke while talking to the peer.
    #[error("network: {0}")]
    Lost(String),

    /// The peer will not sync with this device (not a member of its team,
    /// an invite it does not take); its reason.
    #[error("refused: {0}")]
    Refused(String),

    /// The relay will not serve this device (another team, a missing or
    /// wrong token, full, a limit reached); its reason.
    #[error("refused: relay: {0}")]
    RelayRefused(String),

    /// Another device answered at the address than the one expected.
    #[error("another device ({}) answered there, not {}", found.fingerprint(), expected.fingerprint())]
    UnexpectedPeer {
        /// The device that was to be reached.
        expected: DeviceId,
        /// The device that answered.
        found: DeviceId,
    },

    /// Local network discovery failed.
    #[error("discovery: {0}")]
    Discovery(String),

    /// This device's side of a connection could not be set up (its TLS
    /// configuration, a socket).
    #[error("network: {0}")]
    Setup(String),
}

impl NetError {
    /// A stream or connection that failed while `what` ("reading from the
    /// peer"): timed out if the connection was idle for too long, else lost.
    pub fn broken(what: &str, e: &io::Error) -> NetError {
        let idle = e.kind() == io::ErrorKind::TimedOut
            || e.get_ref().is_some_and(|inner| {
                let lost =
                    |c: &quinn::ConnectionError| matches!(c, quinn::ConnectionError::TimedOut);
                match (
                    inner.downcast_ref::<quinn::ReadError>(),
                    inner.downcast_ref::<quinn::WriteError>(),
                ) {
                    (Some(quinn::ReadError::ConnectionLost(c)), _) => lost(c),
                    (_, Some(quinn::WriteError::ConnectionLost(c))) => lost(c),
                    _ => false,
                }
            });
        if idle {
            NetError::TimedOut(format!("{what}: {e}"))
        } else {
            NetError::Lost(format!("{what}: {e}"))
        }
    }

    /// A QUIC connection that could not be made or broke while `what`:
    /// unreachable before a session started.
    pub fn connecting(what: &str, e: &quinn::ConnectionError) -> NetError {
        NetError::Unreachable(format!("{what}: {e}"))
    }
}

/// Who did not answer, where, and within what time ([`NetError::NoAnswer`]).
#[derive(Debug)]
pub struct NoAnswer {
    /// The peer.
    pub peer: DeviceId,
    /// The address tried; `None` through the relay.
    pub addr: Option<std::net::SocketAddr>,
    /// The time it was given.
    pub after: std::time::Duration,
}

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.peer.fingerprint())?;
        match self.addr {
            Some(a) => write!(f, "at {a}")?,
            None => f.write_str("through the relay")?,
        }
        write!(f, " did not answer within {:?}", self.after)
    }
}
