//! No query walks a big table per row: every statement the store and the
//! model run during a day's work (lists, search, caller lookup, timelines,
//! logging calls, importing a vCard with duplicates, tasks, deals, sync
//! between two devices, status) is collected through SQLite's trace hook on
//! a database of realistic shape, without and with `ANALYZE` statistics; no
//! plan may scan a big table whole and no run may take more steps than its
//! rows explain. The statements whose job is to read everything (status
//! counts, search's bounded ranking) are named below with the reason.

use std::collections::BTreeSet;
use std::sync::Mutex;

use deko_core::model::{
    CallInput, Crm, Direction, NoteInput, Page, PersonDraft, SortBy, TaskFilter,
};
use deko_core::store::testing::{self, TracedRun};
use deko_testdata::{Generator, Sizes};

use super::common::exchange;

/// Every statement run traced, with the store it ran on (0 = a, 1 = b).
static TRACED: Mutex<Vec<(u8, TracedRun)>> = Mutex::new(Vec::new());

fn trace_a(run: TracedRun) {
    TRACED.lock().unwrap().push((0, run));
}

fn trace_b(run: TracedRun) {
    TRACED.lock().unwrap().push((1, run));
}

/// Tables whose full scan per call would grow with the CRM.
const BIG: &[&str] = &[
    "people",
    "companies",
    "entities",
    "records",
    "phones",
    "emails",
    "activities",
    "links",
    "tasks",
    "deals",
    "search_docs",
];

/// Statements that read a whole table on purpose, each with why.
const WHOLE_TABLE_ON_PURPOSE: &[(&str, &str)] = &[
    (
        "bm25(search",
        "search ranks at most search::MAX_RANKED matches of a query, by design",
    ),
    (
        "SELECT count(*)",
        "status counts (kept small by covering indexes)",
    ),
];

fn is_full_scan(detail: &str) -> Option<&'static str> {
    // "SCAN people" (no index at all); "SCAN people USING INDEX x" walks an
    // index in order and stops at the LIMIT, which is what lists do.
    let rest = detail.strip_prefix("SCAN ")?;
    let table = rest.split_whitespace().next()?;
    let whole = !rest.contains("USING");
    BIG.iter().find(|t| **t == table && whole).copied()
}

fn workload(a: &mut Crm, b: &mut Crm) {
    let page = Page {
        offset: 0,
        limit: 50,
    };
    let deep = Page {
        offset: 100,
        limit: 50,
    };
    let people = a.people(SortBy::Name, &page).unwrap();
    a.people(SortBy::Name, &deep).unwrap();
    a.people(SortBy::Updated, &page).unwrap();
    let companies = a.companies(SortBy::Name, &page).unwrap();
    for q in ["nov", "jan nov", "n", "praha"] {
        a.search(q, 0, 50).unwrap();
    }
    let p = &people[0];
    a.person(&p.id).unwrap();
    a.timeline(&p.id, &page).unwrap();
    a.company_people(&companies[0].id).unwrap();
    a.company(&companies[0].id).unwrap();
    if let Some(phone) = p.phones.first() {
        a.lookup_number(&phone.number).unwrap();
    }
    a.lookup_number("+420 777 000 111").unwrap();
    a.log_call(CallInput {
        number: "+420 777 000 111".into(),
        direction: Direction::In,
        start: 1_700_000_000_000,
        duration_s: 240,
        outcome: None,
        note: Some("asked for a quote".into()),
        give_to: None,
        follow_up: None,
    })
    .unwrap();
    a.add_note(NoteInput {
        at: 1_700_000_000_000,
        people: vec![p.id],
        company: None,
        text: "met at the fair".into(),
    })
    .unwrap();
    a.update_person(
        p.id,
        PersonDraft {
            title: Some("Buyer".into()),
            ..Default::default()
        },
    )
    .unwrap();
    a.recent_calls(&page).unwrap();
    a.unknown_numbers(&page).unwrap();
    a.not_contacted_since(30, 1_700_000_000_000, &page).unwrap();
    for f in [TaskFilter::Overdue, TaskFilter::DueToday, TaskFilter::Open] {
        a.tasks(f, 1_700_000_000_000, 60).unwrap();
    }
    a.pipeline().unwrap();
    a.stats().unwrap();
    a.store().conflicts().unwrap();
    // An import whose cards are duplicates (by phone, by email) and new.
    let email = p.emails.first().cloned().unwrap_or_default();
    let number = p
        .phones
        .first()
        .map(|x| x.number.clone())
        .unwrap_or_default();
    let vcf = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dup;Phone;;;\r\nTEL:{number}\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dup;Mail;;;\r\nEMAIL:{email}\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nová;Osoba;;;\r\nTEL:+420 601 999 888\r\nEND:VCARD\r\n"
    );
    a.import_vcard("dups.vcf", vcf.as_bytes()).unwrap();
    // Sync both ways with a second device, then once more with nothing new.
    exchange(a.store_mut(), b.store_mut());
    exchange(a.store_mut(), b.store_mut());
    a.store_mut().state_digest().unwrap();
    a.store().version_vector().unwrap();
}

/// Two devices of one team on files: `a` with the generated data, `b`
/// with a part of it and a record of its own.
fn devices(dir: &std::path::Path) -> (Crm, Crm) {
    let mut a = Crm::open(dir.join("a.db")).unwrap();
    a.create_team("Acme s.r.o.", "Eva").unwrap();
    let sizes = Sizes {
        people: PEOPLE,
        companies: 400,
        activities: 15_000,
        tasks: 600,
        deals: 200,
    };
    let data = Generator::new(7).generate(&sizes, 1_700_000_000_000);
    deko_testdata::load(&mut a, &data).unwrap();
    let mut b = Crm::open(dir.join("b.db")).unwrap();
    b.store_mut()
        .join_team(a.store().team_id().unwrap())
        .unwrap();
    let dev = b.store().device_id();
    a.store_mut()
        .admit(
            dev,
            deko_core::record::EntityId::new(),
            "Petr",
            deko_core::record::Role::Member,
        )
        .unwrap();
    exchange(a.store_mut(), b.store_mut());
    b.create_person(PersonDraft {
        given: Some("Only".into()),
        family: Some("OnB".into()),
        ..Default::default()
    })
    .unwrap();
    (a, b)
}

/// People in the generated data: a statement that steps through a number
/// of rows of this order for one call walks a table.
const PEOPLE: usize = 3_000;

/// The most virtual-machine steps one run of a statement may take: a page
/// of 50 rows with their joins stays in the low thousands; walking every
/// person costs several steps per person.
const MAX_STEPS: i64 = (PEOPLE as i64) * 2;

/// Steps a returned row may take (its columns, a join or two).
const STEPS_PER_ROW: i64 = 60;

/// Runs the workload traced; returns each statement's worst run (steps)
/// and every statement text run (values expanded).
fn traced_workload(a: &mut Crm, b: &mut Crm) -> (Vec<(i64, String)>, BTreeSet<String>) {
    TRACED.lock().unwrap().clear();
    testing::trace(a.store_mut(), Some(trace_a)).unwrap();
    testing::trace(b.store_mut(), Some(trace_b)).unwrap();
    workload(a, b);
    testing::trace(a.store_mut(), None).unwrap();
    testing::trace(b.store_mut(), None).unwrap();
    let runs = std::mem::take(&mut *TRACED.lock().unwrap());
    let mut before: std::collections::HashMap<(u8, String), i64> = Default::default();
    let mut worst: std::collections::BTreeMap<String, i64> = Default::default();
    let mut texts = BTreeSet::new();
    for (who, run) in runs {
        // A statement object's counters add up over its runs: its first run
        // counts from zero, a later one from the run before.
        let prev = before.insert((who, run.sql.clone()), run.vm_steps);
        let steps = match prev {
            Some(p) if run.runs > 1 && run.vm_steps >= p => run.vm_steps - p,
            _ => run.vm_steps,
        };
        // Steps beyond what the rows it returned explain.
        let excess = steps - STEPS_PER_ROW * run.rows;
        if !run.sql.contains("'main'.") {
            // (FTS5's own statements on its shadow tables are not ours.)
            let w = worst.entry(run.sql.clone()).or_default();
            *w = (*w).max(excess);
        }
        texts.insert(run.expanded.trim().to_string());
    }
    let mut worst: Vec<(i64, String)> = worst.into_iter().map(|(s, n)| (n, s)).collect();
    worst.sort_by(|x, y| y.cmp(x));
    (worst, texts)
}

fn on_purpose(sql: &str) -> bool {
    WHOLE_TABLE_ON_PURPOSE.iter().any(|(s, _)| sql.contains(s))
}

/// The plans of `statements` on `conn` that scan a big table whole.
fn full_scans(conn: &rusqlite::Connection, statements: &BTreeSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    for sql in statements {
        let head = sql
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if !matches!(
            head.as_str(),
            "SELECT" | "UPDATE" | "DELETE" | "INSERT" | "WITH"
        ) || on_purpose(sql)
        {
            continue;
        }
        let Ok(mut stmt) = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else {
            continue;
        };
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if plan.iter().any(|l| is_full_scan(l).is_some()) {
            bad.push(format!("{sql}\n    {}", plan.join("\n    ")));
        }
    }
    bad
}

fn check(analyzed: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = devices(dir.path());
    if analyzed {
        for c in [&a, &b] {
            c.store().conn().execute_batch("ANALYZE").unwrap();
        }
    }
    let (worst, statements) = traced_workload(&mut a, &mut b);
    assert!(
        statements.len() > 40,
        "the workload ran {} statements",
        statements.len()
    );
    eprintln!(
        "heaviest statements ({}):",
        if analyzed {
            "with ANALYZE statistics"
        } else {
            "no statistics"
        }
    );
    for (steps, sql) in worst.iter().take(12) {
        eprintln!(
            "{steps:>9}  {}",
            sql.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    let walks: Vec<String> = worst
        .iter()
        .filter(|(steps, sql)| *steps > MAX_STEPS && !on_purpose(sql))
        .map(|(steps, sql)| format!("{steps} steps: {sql}"))
        .collect();
    let conn = rusqlite::Connection::open(dir.path().join("a.db")).unwrap();
    let scans = full_scans(&conn, &statements);
    assert!(
        walks.is_empty() && scans.is_empty(),
        "statements that walk a big table:\n{}\n\nplans with full scans:\n{}",
        walks.join("\n"),
        scans.join("\n\n")
    );
}

/// Without statistics first (a database carries none until `PRAGMA
/// optimize` has run: the queries must be right without them), then with
/// `ANALYZE` statistics. (One test: the trace hook's log is global.)
#[test]
fn no_statement_walks_a_big_table_with_or_without_statistics() {
    check(false);
    check(true);
}
