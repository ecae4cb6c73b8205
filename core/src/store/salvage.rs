//! A damaged database still gives its data back. [`check`] looks a database
//! file over without opening it for use (SQLite's integrity check, then the
//! store's own: every record parses, verifies and chains, the version vector
//! matches the log, every entity state decodes); [`salvage`] reads every
//! record and entity state it still can, skipping what it cannot, for an
//! export. Both open the file read-only and change nothing.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::schema::SCHEMA_VERSION;
use crate::error::Result;
use crate::identity::DeviceId;
use crate::merge::EntityState;
use crate::record::{EntityId, RecordId, SignedRecord, verify_batch};

/// The most problems listed by name (all are counted).
const LISTED: usize = 200;

/// What [`check`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checkup {
    /// The schema version the file says it has.
    pub schema_version: i64,
    /// What SQLite's `integrity_check` reported (empty: "ok").
    pub integrity: Vec<String>,
    /// What the store's own checks found (the first 200).
    pub problems: Vec<String>,
    /// Problems in all.
    pub problem_count: usize,
    /// Records in the log that could be read.
    pub records: u64,
    /// Entities whose state could be read.
    pub entities: u64,
}

impl Checkup {
    /// Whether nothing is wrong.
    pub fn is_healthy(&self) -> bool {
        self.integrity.is_empty() && self.problem_count == 0
    }

    fn problem(&mut self, what: String) {
        self.problem_count += 1;
        if self.problems.len() < LISTED {
            self.problems.push(what);
        }
    }
}

/// One record read back from a damaged database (verified).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalvagedRecord {
    /// Its author.
    pub author: DeviceId,
    /// Its seq.
    pub seq: u64,
    /// Its bytes, verbatim.
    pub bytes: Vec<u8>,
}

/// What [`salvage`] could read.
#[derive(Clone, Debug, Default)]
pub struct Salvage {
    /// Every record that parsed and verified.
    pub records: Vec<SalvagedRecord>,
    /// Every entity whose state decoded.
    pub entities: Vec<(EntityId, EntityState)>,
    /// What could not be read (the first 200, then a count).
    pub problems: Vec<String>,
}

fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// Looks the database at `path` over; changes nothing.
pub fn check(path: &Path) -> Result<Checkup> {
    let conn = open_read_only(path)?;
    let mut c = Checkup {
        schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        ..Default::default()
    };
    if c.schema_version > SCHEMA_VERSION {
        c.problem(format!(
            "schema version {} is newer than this build ({SCHEMA_VERSION})",
            c.schema_version
        ));
    }
    match conn.prepare("PRAGMA integrity_check(100)") {
        Ok(mut stmt) => {
            let lines = stmt.query_map([], |r| r.get::<_, String>(0));
            match lines {
                Ok(lines) => {
                    for line in lines {
                        match line {
                            Ok(l) if l == "ok" => {}
                            Ok(l) => c.integrity.push(l),
                            Err(e) => c.integrity.push(e.to_string()),
                        }
                    }
                }
                Err(e) => c.integrity.push(e.to_string()),
            }
        }
        Err(e) => c.integrity.push(e.to_string()),
    }
    let records = read_records(&conn, &mut |p| c.problem(p));
    c.records = records.len() as u64;
    check_chains(&conn, &records, &mut c);
    let entities = read_entities(&conn, &mut |p| c.problem(p));
    c.entities = entities.len() as u64;
    for (table, what) in [("pending", "waiting"), ("quarantine", "kept apart")] {
        let sql = format!("SELECT id, bytes FROM {table}");
        scan(&conn, &sql, &mut |p| c.problem(p), |row| {
            let bytes: Vec<u8> = row.get(1)?;
            Ok(SignedRecord::parse(bytes)
                .err()
                .map(|e| format!("a {what} record does not parse: {e}")))
        });
    }
    Ok(c)
}

/// Reads every record and entity state the database at `path` still
/// gives; changes nothing.
pub fn salvage(path: &Path) -> Result<Salvage> {
    let conn = open_read_only(path)?;
    let mut problems = Vec::new();
    let mut count = 0usize;
    let mut note = |p: String| {
        count += 1;
        if problems.len() < LISTED {
            problems.push(p);
        }
    };
    let records = read_records(&conn, &mut note);
    let entities = read_entities(&conn, &mut note);
    if count > problems.len() {
        problems.push(format!("… {} problems in all", count));
    }
    Ok(Salvage {
        records,
        entities,
        problems,
    })
}

/// Runs `sql`, handing each row to `f`; rows that cannot be read, and what
/// `f` reports, go to `problem`. A damaged page ends a scan early: what was
/// read before it is kept.
fn scan(
    conn: &Connection,
    sql: &str,
    problem: &mut dyn FnMut(String),
    mut f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<Option<String>>,
) {
    let mut stmt = match conn.prepare(sql) {
        Ok(s) => s,
        Err(e) => return problem(format!("cannot read ({sql}): {e}")),
    };
    let mut rows = match stmt.query([]) {
        Ok(r) => r,
        Err(e) => return problem(format!("cannot read ({sql}): {e}")),
    };
    loop {
        match rows.next() {
            Ok(Some(row)) => match f(row) {
                Ok(Some(p)) => problem(p),
                Ok(None) => {}
                Err(e) => problem(format!("a row cannot be read: {e}")),
            },
            Ok(None) => return,
            Err(e) => return problem(format!("reading stopped early: {e}")),
        }
    }
}

/// The log's records that parse and verify, in log order. Where a damaged
/// page stops the scan, the rest is probed row by row.
fn read_records(conn: &Connection, problem: &mut dyn FnMut(String)) -> Vec<SalvagedRecord> {
    let mut parsed: Vec<(i64, SignedRecord)> = Vec::new();
    let bad = |rowid: i64, why: String| format!("record at row {rowid}: {why}");
    let mut last = 0i64;
    let mut stopped = false;
    scan(
        conn,
        "SELECT rowid, bytes FROM records ORDER BY rowid",
        &mut |p| {
            stopped |= p.starts_with("reading stopped early");
            problem(p)
        },
        |row| {
            let rowid: i64 = row.get(0)?;
            last = rowid;
            Ok(match SignedRecord::parse(row.get(1)?) {
                Ok(rec) => {
                    parsed.push((rowid, rec));
                    None
                }
                Err(e) => Some(bad(rowid, e.to_string())),
            })
        },
    );
    if stopped {
        let max: i64 = conn
            .query_row("SELECT max(rowid) FROM records", [], |r| r.get(0))
            .unwrap_or(last + 100_000);
        for rowid in last + 1..=max {
            let got = conn.query_row("SELECT bytes FROM records WHERE rowid = ?1", [rowid], |r| {
                r.get::<_, Vec<u8>>(0)
            });
            match got.map(SignedRecord::parse) {
                Ok(Ok(rec)) => parsed.push((rowid, rec)),
                Ok(Err(e)) => problem(bad(rowid, e.to_string())),
                Err(rusqlite::Error::QueryReturnedNoRows) => {}
                Err(e) => problem(bad(rowid, e.to_string())),
            }
        }
    }
    let recs: Vec<SignedRecord> = parsed.iter().map(|(_, r)| r.clone()).collect();
    let verdicts = verify_batch(&recs);
    parsed
        .into_iter()
        .zip(verdicts)
        .filter_map(|((rowid, rec), verdict)| match verdict {
            Ok(()) => Some(SalvagedRecord {
                author: rec.header().author,
                seq: rec.header().seq,
                bytes: rec.into_bytes(),
            }),
            Err(e) => {
                problem(bad(rowid, e.to_string()));
                None
            }
        })
        .collect()
}

/// Each author's records follow one another from 1, and the version vector
/// says where each author stands.
fn check_chains(conn: &Connection, records: &[SalvagedRecord], c: &mut Checkup) {
    let mut by_author: BTreeMap<DeviceId, Vec<(u64, RecordId, RecordId)>> = BTreeMap::new();
    for r in records {
        if let Ok(rec) = SignedRecord::parse(r.bytes.clone()) {
            by_author
                .entry(r.author)
                .or_default()
                .push((r.seq, rec.header().prev, rec.id()));
        }
    }
    let mut heads: BTreeMap<DeviceId, u64> = BTreeMap::new();
    for (author, mut chain) in by_author {
        chain.sort_by_key(|(seq, _, _)| *seq);
        let mut expect = (1, RecordId::ZERO);
        for (seq, prev, id) in chain {
            if seq != expect.0 || prev != expect.1 {
                c.problem(format!(
                    "device {}: record {seq} does not follow record {}",
                    author.fingerprint(),
                    expect.0 - 1
                ));
                break;
            }
            expect = (seq + 1, id);
        }
        heads.insert(author, expect.0 - 1);
    }
    let mut vector = Vec::new();
    scan(
        conn,
        "SELECT author, seq FROM authors WHERE seq > 0",
        &mut |p| c.problem(p),
        |row| {
            vector.push((row.get::<_, Vec<u8>>(0)?, row.get::<_, u64>(1)?));
            Ok(None)
        },
    );
    for (a, seq) in vector {
        let Ok(author) = DeviceId::from_slice(&a) else {
            c.problem("the version vector names a device id that is not 32 bytes".into());
            continue;
        };
        let held = heads.get(&author).copied().unwrap_or(0);
        if held != seq {
            c.problem(format!(
                "device {}: the version vector says {seq} records, the log holds {held} in a row",
                author.fingerprint()
            ));
        }
    }
}

/// Every entity whose state decodes.
fn read_entities(
    conn: &Connection,
    problem: &mut dyn FnMut(String),
) -> Vec<(EntityId, EntityState)> {
    let mut out = Vec::new();
    scan(
        conn,
        "SELECT id, state FROM entities ORDER BY id",
        problem,
        |row| {
            let raw: Vec<u8> = row.get(0)?;
            let Ok(id) = EntityId::from_slice(&raw) else {
                return Ok(Some("an entity id is not 16 bytes".into()));
            };
            let state: Vec<u8> = row.get(1)?;
            Ok(match EntityState::decode(&state) {
                Ok(s) => {
                    out.push((id, s));
                    None
                }
                Err(e) => Some(format!("entity {id}: its state does not decode: {e}")),
            })
        },
    );
    out
}
