//! `deko doctor`: looks the database over without opening it for use.

use deko_core::store::salvage;
use serde_json::json;

use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{Out, count};

/// Runs SQLite's integrity check and the store's own checks; exits 1 when
/// something is wrong (then `deko export --salvage` still gets the data out).
pub fn doctor(data: &DataDir, out: Out) -> Result<()> {
    if !data.has_db() {
        return Err(CliError::NoDatabase(data.path().to_path_buf()));
    }
    let c = salvage::check(&data.db_path())?;
    out.print(
        &json!({"healthy": c.is_healthy(), "schema_version": c.schema_version,
               "integrity": c.integrity, "problems": c.problems,
               "problem_count": c.problem_count, "records": c.records, "entities": c.entities}),
        || {
            println!(
                "schema version {}, {}, {}",
                c.schema_version,
                count(c.records as u64, "record", "records"),
                count(c.entities as u64, "entity", "entities")
            );
            if c.integrity.is_empty() {
                println!("SQLite integrity check: ok");
            } else {
                println!("SQLite integrity check:");
                for l in &c.integrity {
                    println!("  {l}");
                }
            }
            if c.problem_count == 0 {
                println!("records, version vector, entity states: ok");
            } else {
                println!("{}:", count(c.problem_count as u64, "problem", "problems"));
                for p in &c.problems {
                    println!("  {p}");
                }
            }
        },
    );
    if c.is_healthy() {
        Ok(())
    } else {
        Err(CliError::Unhealthy(
            "the database is damaged: `deko export --salvage --out FILE` gets out what it still holds"
                .into(),
        ))
    }
}
