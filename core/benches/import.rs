//! Import timing (design.md section 9: "import a 100k-person vCard with
//! duplicate detection", floor 10k people/s, aim 20k people/s).
//!
//! 100,000 generated people (seed 1, every country of the generator, their
//! numbers written in E.164) as one vCard 4.0 file, imported twice into a
//! fresh database file, then once more into the second (every card a
//! duplicate); then the same people as a HubSpot-shaped CSV export, once.
//! Prints people per second for each. `DEKO_BENCH_PEOPLE` sets
//! another number of people.
//! Run: `cargo bench -p deko-core --bench import`.

use std::path::Path;
use std::time::{Duration, Instant};

use deko_core::model::Crm;
use deko_core::model::vcard::{self, Card, CardPhone, PhoneKind};
use deko_core::search::phone::{self, Region};
use deko_testdata::Generator;
use deko_testdata::generate::{GenPerson, PhoneLabel};

/// People by default; companies are a fifth of them.
const PEOPLE: usize = 100_000;

fn card(p: &GenPerson, companies: &[String]) -> Card {
    let region = Region::by_code(p.country).expect("a generated country");
    Card {
        formatted_name: Some(format!("{} {}", p.given, p.family)),
        given: Some(p.given.clone()),
        family: Some(p.family.clone()),
        organization: p.company.map(|i| companies[i].clone()),
        title: p.title.clone(),
        phones: p
            .phones
            .iter()
            .map(|(label, n)| CardPhone {
                kind: match label {
                    PhoneLabel::Mobile => PhoneKind::Mobile,
                    PhoneLabel::Work => PhoneKind::Work,
                    PhoneLabel::Home => PhoneKind::Home,
                    PhoneLabel::Other => PhoneKind::Other,
                },
                number: phone::normalize(n, region).unwrap_or_else(|_| n.clone()),
            })
            .collect(),
        emails: p.emails.clone(),
        address: p.address.clone(),
        note: p.note.clone(),
        categories: p.tags.clone(),
        url: None,
    }
}

/// The cards as a HubSpot contacts export.
fn hubspot_csv(cards: &[Card]) -> String {
    let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,Job Title\r\n",
    );
    for c in cards {
        let number = |k: PhoneKind| {
            c.phones
                .iter()
                .find(|p| p.kind == k)
                .map_or("", |p| p.number.as_str())
        };
        let row = [
            c.given.as_deref().unwrap_or(""),
            c.family.as_deref().unwrap_or(""),
            &c.emails.join(", "),
            number(PhoneKind::Work),
            number(PhoneKind::Mobile),
            c.organization.as_deref().unwrap_or(""),
            c.title.as_deref().unwrap_or(""),
        ];
        let row: Vec<String> = row.iter().map(|s| cell(s)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn timed(label: &str, n: usize, f: impl FnOnce() -> usize) -> Duration {
    let t = Instant::now();
    let done = f();
    let took = t.elapsed();
    eprintln!(
        "{label}: {done} of {n} in {took:.2?} = {:.0} people/s",
        n as f64 / took.as_secs_f64()
    );
    took
}

fn fresh(dir: &Path, name: &str) -> Crm {
    let path = dir.join(name);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    let mut crm = Crm::open(&path).unwrap();
    crm.create_team("Import s.r.o.", "Bench").unwrap();
    crm
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test --benches` passes
    // nothing and only checks that this builds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data/import");
    std::fs::create_dir_all(&dir).unwrap();
    let people: usize = std::env::var("DEKO_BENCH_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PEOPLE);
    let companies_n = (people / 5).max(1);
    let mut g = Generator::new(1);
    let companies: Vec<String> = g
        .companies(companies_n)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let generated = g.people(people, companies_n);
    let cards: Vec<Card> = generated.iter().map(|p| card(p, &companies)).collect();
    let text = vcard::write(&cards);
    eprintln!(
        "vCard of {} people: {:.1} MiB",
        cards.len(),
        text.len() as f64 / (1024.0 * 1024.0)
    );

    let mut runs = Vec::new();
    for round in 0..2 {
        let mut crm = fresh(&dir, "import.db");
        let took = timed(&format!("vCard import {round}"), people, || {
            crm.import_vcard("people.vcf", text.as_bytes())
                .unwrap()
                .created
                .len()
        });
        runs.push(took);
        if round == 1 {
            timed("vCard import again (all duplicates)", people, || {
                crm.import_vcard("people.vcf", text.as_bytes())
                    .unwrap()
                    .duplicates
                    .len()
            });
        }
    }
    let best = runs.iter().min().unwrap();
    eprintln!(
        "vCard import, best of {}: {:.0} people/s",
        runs.len(),
        people as f64 / best.as_secs_f64()
    );
    let csv = hubspot_csv(&cards);
    let mut crm = fresh(&dir, "import-csv.db");
    timed("CSV import (HubSpot shape)", people, || {
        crm.import_csv("people.csv", csv.as_bytes(), false)
            .unwrap()
            .created as usize
    });
}
