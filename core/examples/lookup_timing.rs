//! Caller lookup timing on an existing database (a quick check next to the
//! criterion bench, which builds a million-activity database first):
//! `cargo run --release -p deko-core --example lookup_timing -- DB [N]`
//! looks up N numbers of the database's people (2,000 by default), each
//! written nationally with spaces, and prints p50 and p99.

use std::time::{Duration, Instant};

use deko_core::model::{Crm, Page, SortBy};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: lookup_timing DB [N]");
    let n: usize = args.next().map(|s| s.parse().expect("N")).unwrap_or(2_000);
    let crm = Crm::open(&path).expect("open");
    let people = crm
        .people(
            SortBy::Name,
            &Page {
                offset: 0,
                limit: n,
            },
        )
        .expect("people");
    let numbers: Vec<String> = people
        .iter()
        .filter_map(|p| p.phones.first())
        .map(|ph| ph.number.trim_start_matches("+420").to_string())
        .map(|d| {
            format!(
                "{} {} {}",
                &d[..3.min(d.len())],
                &d[3.min(d.len())..6.min(d.len())],
                &d[6.min(d.len())..]
            )
        })
        .collect();
    let mut times: Vec<Duration> = Vec::new();
    for round in 0..3 {
        for num in &numbers {
            let t = Instant::now();
            let found = crm.lookup_number(num).expect("lookup");
            if round > 0 {
                times.push(t.elapsed());
            }
            assert!(!found.people.is_empty(), "{num}");
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "caller lookup over {} numbers: p50 {:?}, p99 {:?}",
        numbers.len(),
        at(0.5),
        at(0.99)
    );
}
