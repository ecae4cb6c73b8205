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

/// The ticket as a QR code drawn with Unicode half blocks (two module rows
/// per line) by the `qrcode` crate's renderer, with the quiet zone of 4
/// modules the standard asks (phone scanners refuse codes without it).
/// Light modules are drawn as blocks, so the code reads on the dark
/// background most terminals have.
pub fn qr(uri: &str) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::L)
        .map_err(|e| CliError::usage(format!("cannot draw the QR code: {e}")))?;
    let mut drawn = code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .build();
    drawn.push('\n');
    Ok(drawn)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules a drawing shows, light = true, two rows per line.
    fn modules(drawn: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in drawn.lines() {
            let (top, bottom): (Vec<bool>, Vec<bool>) = line
                .chars()
                .map(|c| match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected {other:?} in the drawing"),
                })
                .unzip();
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn the_printed_code_has_a_four_module_quiet_zone_and_reads_back() {
        let uri = "DEKO:AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQ\
                   CAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQ";
        let drawn = qr(uri).unwrap();
        assert!(drawn.ends_with('\n'));
        let rows = modules(&drawn);
        let width = rows[0].len();
        let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::L).unwrap();
        assert_eq!(width, code.width() + 8, "4 modules of quiet zone each side");
        // The quiet zone: 4 light rows on top, 4 light columns each side, 4
        // light rows below the code (an odd last text line pads with one more).
        let height = code.width() + 8;
        for (y, row) in rows.iter().take(height).enumerate() {
            assert_eq!(row.len(), width);
            let edge = y < 4 || y >= height - 4;
            for (x, &light) in row.iter().enumerate() {
                if edge || x < 4 || x >= width - 4 {
                    assert!(light, "quiet zone module ({x}, {y}) is dark");
                }
            }
        }
        // A scanner's view: 4 px per module, light 255, dark 0.
        const PX: usize = 4;
        let image = image_of(&rows[..height], PX);
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(width * PX, height * PX, |x, y| {
                image[y * width * PX + x]
            });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        let (_, content) = grids[0].decode().expect("decodes");
        assert_eq!(content, uri);
    }

    fn image_of(rows: &[Vec<bool>], px: usize) -> Vec<u8> {
        let width = rows[0].len() * px;
        let mut image = vec![0u8; width * rows.len() * px];
        for (y, row) in rows.iter().enumerate() {
            for (x, &light) in row.iter().enumerate() {
                for dy in 0..px {
                    for dx in 0..px {
                        image[(y * px + dy) * width + x * px + dx] = if light { 255 } else { 0 };
                    }
                }
            }
        }
        image
    }
}
