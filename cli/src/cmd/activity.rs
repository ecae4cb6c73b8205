//! Activities: `deko call log`, `deko meeting log`, `deko note add`, and
//! caller lookup `deko who`.

use deko_core::model::{CallInput, Direction, FollowUp, MeetingInput, NoteInput};

use crate::args::{CallCmd, CallLog, MeetingCmd, NoteCmd};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{self, Out};
use crate::parse;
use crate::reference;

/// `deko call log|unknown|attach`.
pub fn call(data: &DataDir, out: Out, cmd: CallCmd) -> Result<()> {
    match cmd {
        CallCmd::Log(log) => log_call(data, out, log),
        CallCmd::Unknown { limit } => unknown(data, out, limit),
        CallCmd::Attach {
            number,
            person,
            label,
        } => attach(data, out, &number, &person, &label),
    }
}

/// `deko call log`.
fn log_call(data: &DataDir, out: Out, cmd: CallLog) -> Result<()> {
    let CallLog {
        number,
        number_flag,
        direction,
        at,
        duration,
        note,
        outcome,
        to,
        follow_up,
        follow_up_title,
    } = cmd;
    let direction = Direction::parse(&direction).ok_or_else(|| {
        CliError::usage(format!(
            "--direction is in, out or missed, not {direction:?}"
        ))
    })?;
    let duration_s = parse::duration(&duration)?.as_secs().min(i64::MAX as u64) as i64;
    let start = match at {
        Some(t) => parse::time_from(&t, parse::Bare::Ago)?,
        None => parse::now_ms().saturating_sub(duration_s.saturating_mul(1000)),
    };
    // clap makes sure one of the two is given.
    let number = number.or(number_flag).unwrap_or_default();
    let mut crm = data.open()?;
    let give_to = match &to {
        Some(who) => Some(reference::entity(&crm, who, &["person"])?),
        None => None,
    };
    let follow_up = match follow_up {
        Some(when) => {
            let due = parse::time_from(&when, parse::Bare::Ahead)?;
            let title = match follow_up_title {
                Some(t) => t,
                None => {
                    let who = crm.call_counterpart(&number, give_to)?;
                    format!("Follow up with {}", who.as_deref().unwrap_or(number.trim()))
                }
            };
            Some(FollowUp { title, due })
        }
        None => None,
    };
    let logged = crm.log_call(CallInput {
        number,
        start,
        duration_s,
        direction,
        note,
        outcome,
        give_to,
        follow_up,
    })?;
    let who = logged.person.as_ref().map(|p| p.display_name.clone());
    let company = logged.company.as_ref().and_then(|c| c.name.clone());
    out.print(&logged, || {
        let e164 = match &logged.call.kind {
            deko_core::model::ActivityKind::Call { number, .. } => number.as_deref(),
            _ => None,
        }
        .unwrap_or_default();
        let number = deko_core::search::phone::format_international(e164);
        match (&who, &company) {
            (Some(p), Some(c)) => println!("logged call with {p} ({c}), {number}"),
            (Some(p), None) => println!("logged call with {p}, {number}"),
            (None, Some(c)) => println!("logged call with {c}, {number}"),
            // The hint's number is E.164: no spaces for the shell to split.
            (None, None) => println!(
                "logged call with unknown number {number} (a new person with it: `deko person add \"NAME\" --phone {e164}`)"
            ),
        }
        println!("id {}", logged.call.id);
        if let Some(task) = &logged.follow_up {
            println!("follow-up task {task}");
        }
        if logged.person.is_some() && logged.recent.len() > 1 {
            println!();
            output::timeline_table(&logged.recent);
        }
    });
    Ok(())
}

/// `deko call unknown`: numbers nobody has, with how often and when last.
fn unknown(data: &DataDir, out: Out, limit: usize) -> Result<()> {
    let crm = data.open()?;
    let numbers = crm.unknown_numbers(&deko_core::model::Page { offset: 0, limit })?;
    out.print(&numbers, || {
        if numbers.is_empty() {
            println!("every call is linked to someone");
            return;
        }
        let rows: Vec<Vec<String>> = numbers
            .iter()
            .map(|n| {
                vec![
                    deko_core::search::phone::format_international(&n.number),
                    n.calls.to_string(),
                    output::time(n.last),
                ]
            })
            .collect();
        output::table(&["number", "calls", "last"], &rows);
        println!("give one to a person: `deko call attach NUMBER WHO`");
    });
    Ok(())
}

/// What `deko call attach` prints in JSON.
#[derive(serde::Serialize)]
struct Attached {
    number: String,
    person: deko_core::record::EntityId,
    linked: usize,
}

/// `deko call attach NUMBER WHO`.
fn attach(data: &DataDir, out: Out, number: &str, who: &str, label: &str) -> Result<()> {
    let mut crm = data.open()?;
    let person = reference::entity(&crm, who, &["person"])?;
    let label = label.trim().to_ascii_lowercase();
    if !["mobile", "work", "home", "other"].contains(&label.as_str()) {
        return Err(CliError::usage(format!(
            "--label is mobile, work, home or other, not {label:?}"
        )));
    }
    let e164 = deko_core::search::phone::read(number, crm.region())?;
    let linked = crm.attach_number(&e164, person, &label)?;
    let p = super::entity::found(crm.person(&person)?, "person", &person)?;
    out.print(
        &Attached {
            number: e164.clone(),
            person,
            linked,
        },
        || {
            println!(
                "{} is {}'s now; {}",
                deko_core::search::phone::format_international(&e164),
                p.display_name,
                output::count(linked as u64, "call linked", "calls linked")
            )
        },
    );
    Ok(())
}

/// `deko meeting log`.
pub fn meeting(data: &DataDir, out: Out, cmd: MeetingCmd) -> Result<()> {
    let MeetingCmd::Log {
        at,
        duration,
        place,
        people: who,
        company,
        note,
    } = cmd;
    let start = match at {
        Some(t) => parse::time_from(&t, parse::Bare::Ago)?,
        None => parse::now_ms(),
    };
    let end = match duration {
        Some(d) => Some(
            start.saturating_add(parse::duration(&d)?.as_millis().min(i64::MAX as u128) as i64),
        ),
        None => None,
    };
    let mut crm = data.open()?;
    let attendees = reference::entities(&crm, &who, &["person"])?;
    let company = company
        .as_deref()
        .map(|c| reference::opt_entity(&crm, c, &["company"]))
        .transpose()?
        .flatten();
    let id = crm.log_meeting(MeetingInput {
        start,
        end,
        place,
        attendees,
        company,
        note,
    })?;
    let a = super::entity::found(crm.activity(&id)?, "meeting", &id)?;
    out.print(&a, || println!("recorded meeting {id}"));
    Ok(())
}

/// `deko note add`.
pub fn note(data: &DataDir, out: Out, cmd: NoteCmd) -> Result<()> {
    let NoteCmd::Add {
        text,
        people: who,
        company,
        at,
    } = cmd;
    if text.trim().is_empty() {
        return Err(CliError::usage("a note needs text"));
    }
    let at = match at {
        Some(t) => parse::time_from(&t, parse::Bare::Ago)?,
        None => parse::now_ms(),
    };
    let mut crm = data.open()?;
    let ids = reference::entities(&crm, &who, &["person"])?;
    let company = company
        .as_deref()
        .map(|c| reference::opt_entity(&crm, c, &["company"]))
        .transpose()?
        .flatten();
    let id = crm.add_note(NoteInput {
        at,
        people: ids,
        company,
        text,
    })?;
    let a = super::entity::found(crm.activity(&id)?, "note", &id)?;
    out.print(&a, || println!("added note {id}"));
    Ok(())
}

/// `deko who NUMBER`.
pub fn who(data: &DataDir, out: Out, number: &str) -> Result<()> {
    let crm = data.open()?;
    let found = crm.lookup_number(number)?;
    let (people, companies) = (&found.people, &found.companies);
    out.print(&found, || {
        if people.is_empty() && companies.is_empty() {
            println!("nobody has {number}");
            return;
        }
        let mut rows: Vec<Vec<String>> = people
            .iter()
            .map(|p| {
                vec![
                    "person".into(),
                    p.display_name.clone(),
                    p.company_name.clone().unwrap_or_default(),
                    p.id.to_string(),
                ]
            })
            .collect();
        rows.extend(companies.iter().map(|c| {
            vec![
                "company".into(),
                c.name.clone().unwrap_or_default(),
                String::new(),
                c.id.to_string(),
            ]
        }));
        output::table(&["kind", "name", "company", "id"], &rows);
    });
    Ok(())
}
