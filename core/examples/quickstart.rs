//! Opens (or creates) a Deko CRM database, founds a team on first run, adds
//! a customer, logs a call with them by phone number, searches, and shows
//! what the engine holds. Until the `deko` command line exists, this is the
//! quickest way to see the core work on a real SQLite file.
//!
//! `cargo run --release -p deko-core --example quickstart -- [DB_PATH]`

use deko_core::model::{CallInput, Crm, Direction, Page, PersonDraft, PhoneLabel};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> deko_core::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "deko-quickstart.db".into());
    let mut crm = Crm::open(&path)?;
    if crm.store().team_id().is_none() {
        let team = crm.create_team("My Company", "Me")?;
        println!("founded team {team}");
    }
    let n = crm.store().count("person")? + 1;
    let number = format!("603 100 {:03}", n % 1000);
    let id = crm.create_person(PersonDraft {
        given: Some("Jana".into()),
        family: Some(format!("Nováková {n}")),
        phones: Some(vec![(PhoneLabel::Mobile, number.clone())]),
        ..Default::default()
    })?;
    let now = deko_core::record::wall_clock_ms() as i64;
    let logged = crm.log_call(CallInput {
        number: format!("+420 {number}"),
        start: now - 270_000,
        duration_s: 270,
        direction: Direction::Out,
        note: Some("Pošlu cenovou nabídku do pátku.".into()),
        outcome: None,
        give_to: None,
        follow_up: None,
    })?;
    let who = logged
        .person
        .map(|p| p.display_name)
        .unwrap_or_else(|| "nobody".into());
    let hits = crm.search("novakova", 0, 5)?;
    let roster = crm.store_mut().roster()?.expect("the team has its genesis");
    println!("database      {path}");
    println!("team          {} ({})", roster.team_name, roster.team);
    println!("this device   {}", crm.store().device_id().fingerprint());
    println!("added person  {id}");
    println!("logged call   to {number}, matched to {who}");
    println!(
        "timeline      {} entries",
        crm.timeline(&id, &Page::default())?.len()
    );
    println!(
        "search        \"novakova\" finds {} (first: {})",
        hits.len(),
        hits.first().map(|h| h.name.as_str()).unwrap_or("-")
    );
    println!("people        {}", crm.store().count("person")?);
    println!("records       {}", crm.store().record_count()?);
    println!("state digest  {}", crm.store_mut().state_digest()?);
    Ok(())
}
