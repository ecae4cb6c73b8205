//! Network helpers of the command line: the addresses to put in tickets,
//! HOST:PORT arguments, and printing a ticket as a URI and a QR code.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use deko_core::net::ticket::Ticket;
use qrcode::{EcLevel, QrCode};

use crate::error::{CliError, Result};

/// Most addresses a ticket carries.
const MAX_TICKET_ADDRS: usize = 8;

/// Reads HOST:PORT (a name is resolved; the first few addresses kept).
pub fn host_port(s: &str) -> Result<Vec<SocketAddr>> {
    if let Ok(a) = s.trim().parse::<SocketAddr>() {
        return Ok(vec![a]);
    }
    let addrs: Vec<SocketAddr> = s
        .trim()
        .to_socket_addrs()
        .map_err(|e| CliError::usage(format!("cannot read address {s:?} (HOST:PORT): {e}")))?
        .collect();
    if addrs.is_empty() {
        return Err(CliError::usage(format!("{s:?} resolves to no address")));
    }
    Ok(addrs)
}

/// The addresses where a node listening on `listen` can be reached: the
/// address itself, or for an unspecified one (0.0.0.0) this machine's
/// interface addresses (non-loopback first, then loopback).
pub fn reachable(listen: SocketAddr) -> Vec<SocketAddr> {
    if !listen.ip().is_unspecified() {
        return vec![listen];
    }
    let mut out: Vec<SocketAddr> = Vec::new();
    let mut loopback: Vec<SocketAddr> = Vec::new();
    if let Ok(ifaces) = if_addrs::get_if_addrs() {
        for iface in ifaces {
            let ip = iface.ip();
            let wanted = match (ip, listen.ip()) {
                (IpAddr::V4(_), IpAddr::V4(_)) => true,
                // An IPv6 listener: global IPv6 addresses (link-local ones need a scope).
                (IpAddr::V6(v6), IpAddr::V6(_)) => (v6.segments()[0] & 0xffc0) != 0xfe80,
                _ => false,
            };
            if !wanted {
                continue;
            }
            let a = SocketAddr::new(ip, listen.port());
            if ip.is_loopback() {
                loopback.push(a);
            } else if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    if loopback.is_empty() {
        loopback.push(SocketAddr::new(
            match listen.ip() {
                IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            },
            listen.port(),
        ));
    }
    out.truncate(MAX_TICKET_ADDRS - 1);
    out.push(loopback[0]);
    out
}

/// Addresses given with `--addr`, resolved.
pub fn given_addrs(addrs: &[String]) -> Result<Vec<SocketAddr>> {
    let mut out = Vec::new();
    for a in addrs {
        for x in host_port(a)? {
            if !out.contains(&x) {
                out.push(x);
            }
        }
    }
    out.truncate(MAX_TICKET_ADDRS);
    Ok(out)
}

/// The ticket as a QR code drawn with Unicode half blocks (two rows per line).
pub fn qr(uri: &str) -> Result<String> {
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::L)
        .map_err(|e| CliError::usage(format!("cannot draw the QR code: {e}")))?;
    let width = code.width();
    let dark = |x: isize, y: isize| -> bool {
        if x < 0 || y < 0 || x >= width as isize || y >= width as isize {
            return false;
        }
        code[(x as usize, y as usize)] == qrcode::Color::Dark
    };
    // Light modules are drawn as blocks, so the code reads on dark terminals;
    // a quiet zone of two modules around it.
    let mut s = String::new();
    let q = 2isize;
    let mut y = -q;
    while y < width as isize + q {
        for x in -q..width as isize + q {
            let top = !dark(x, y);
            let bottom = !dark(x, y + 1);
            s.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        s.push('\n');
        y += 2;
    }
    Ok(s)
}

/// Prints a ticket: its URI (stdout), the QR code unless `no_qr`, and
/// what it is for.
pub fn print_ticket(ticket: &Ticket, no_qr: bool, what: &str) -> Result<String> {
    let uri = ticket.to_uri()?;
    if !no_qr {
        print!("{}", qr(&uri)?);
    }
    println!("{uri}");
    eprintln!("{what}");
    Ok(uri)
}
