//! Opens (or creates) a Deko database, founds a team on first run, writes a
//! contact and shows what the engine holds: the device, the team, the log
//! and the state digest. Until the `deko` command line exists, this is the
//! quickest way to see the engine work on a real SQLite file.
//!
//! `cargo run --release -p deko-core --example quickstart -- [DB_PATH]`

use deko_core::record::Value;
use deko_core::store::Store;

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
    let mut store = Store::open(&path)?;
    if store.team_id().is_none() {
        let team = store.create_team("My Company", "Me")?;
        println!("founded team {team}");
    }
    let n = store.count("person")? + 1;
    let id = store.put(
        "person",
        None,
        vec![
            ("given".into(), Value::Text(format!("Jana {n}"))),
            ("family".into(), Value::Text("Nováková".into())),
            ("phone".into(), Value::Text("+420 603 123 456".into())),
        ],
    )?;
    let roster = store.roster()?.expect("the team has its genesis");
    println!("database      {path}");
    println!("team          {} ({})", roster.team_name, roster.team);
    println!(
        "this device   {} ({})",
        store.device_id().fingerprint(),
        store.device_id()
    );
    println!("wrote person  {id}");
    println!("people        {}", store.count("person")?);
    println!("records       {}", store.record_count()?);
    println!("state digest  {}", store.state_digest()?);
    Ok(())
}
