//! The CRM model: people, companies, activities, tasks, deals, custom
//! fields, timelines and queries.

use deko_core::Error;
use deko_core::error::StoreError;
use deko_core::model::{
    CallInput, CompanyDraft, Crm, CurrencyTotal, DealDraft, Direction, FieldType, FollowUp,
    MeetingInput, Money, NoteInput, Page, PersonDraft, PhoneLabel, SortBy, StageOutcome, TaskDraft,
    TaskFilter, TimelineKind,
};
use deko_core::record::{EntityId, Role, Value};
use deko_core::store::Store;

use super::common::exchange;

pub fn crm() -> Crm {
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme s.r.o.", "Eva Founder").unwrap();
    c
}

/// Two CRM devices of one team, synced.
pub fn crm_pair() -> (Crm, Crm) {
    let mut a = crm();
    let mut b = Crm::open_in_memory().unwrap();
    b.store_mut()
        .join_team(a.store().team_id().unwrap())
        .unwrap();
    let dev = b.store().device_id();
    a.store_mut()
        .admit(dev, EntityId::new(), "Petr Member", Role::Member)
        .unwrap();
    sync(&mut a, &mut b);
    (a, b)
}

pub fn sync(a: &mut Crm, b: &mut Crm) {
    exchange(a.store_mut(), b.store_mut());
}

pub fn person(c: &mut Crm, given: &str, family: &str, phone: &str) -> EntityId {
    c.create_person(PersonDraft {
        given: Some(given.into()),
        family: Some(family.into()),
        phones: Some(vec![(PhoneLabel::Mobile, phone.into())]),
        ..Default::default()
    })
    .unwrap()
}

const H: i64 = 3_600_000;
const D: i64 = 24 * H;
const NOW: i64 = 1_763_900_000_000; // 2025-11-23

#[test]
fn people_and_companies() {
    let mut c = crm();
    let acme = c
        .create_company(CompanyDraft {
            name: Some("Žlutý kůň a.s.".into()),
            phones: Some(vec![(PhoneLabel::Work, "+420 222 333 444".into())]),
            website: Some("zlutykun.cz".into()),
            industry: Some("Doprava".into()),
            ..Default::default()
        })
        .unwrap();
    let jana = c
        .create_person(PersonDraft {
            given: Some("Jana".into()),
            family: Some("Nováková".into()),
            title: Some("Nákupčí".into()),
            company: Some(Some(acme)),
            phones: Some(vec![
                (PhoneLabel::Mobile, "603 123 456".into()),
                (PhoneLabel::Work, "+420 222 333 445".into()),
            ]),
            emails: Some(vec!["jana@zlutykun.cz".into()]),
            tags: Some(vec!["vip".into(), "praha".into()]),
            ..Default::default()
        })
        .unwrap();
    person(&mut c, "Adam", "Čermák", "604 000 001");
    person(&mut c, "Zdeněk", "Dvořák", "604 000 002");
    let p = c.person(&jana).unwrap().unwrap();
    assert_eq!(p.display_name, "Jana Nováková");
    assert_eq!(p.company_name.as_deref(), Some("Žlutý kůň a.s."));
    assert_eq!(p.phones[0].number, "+420603123456", "stored as E.164");
    assert_eq!(p.phones[0].label, PhoneLabel::Mobile);
    assert_eq!(p.tags, vec!["vip", "praha"]);
    let names: Vec<String> = c
        .people(SortBy::Name, &Page::default())
        .unwrap()
        .iter()
        .map(|p| p.display_name.clone())
        .collect();
    assert_eq!(
        names,
        vec!["Adam Čermák", "Zdeněk Dvořák", "Jana Nováková"],
        "sorted by family name, diacritics folded"
    );
    let page2 = c
        .people(
            SortBy::Name,
            &Page {
                offset: 1,
                limit: 1,
            },
        )
        .unwrap();
    assert_eq!(page2[0].display_name, "Zdeněk Dvořák");
    assert_eq!(c.company_people(&acme).unwrap()[0].id, jana);
    // Edit: only what is given changes.
    c.update_person(
        jana,
        PersonDraft {
            title: Some("Vedoucí nákupu".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let p = c.person(&jana).unwrap().unwrap();
    assert_eq!(p.title.as_deref(), Some("Vedoucí nákupu"));
    assert_eq!(p.emails, vec!["jana@zlutykun.cz"]);
    // Renaming the company shows in the person.
    c.update_company(
        acme,
        CompanyDraft {
            name: Some("Žlutý kůň s.r.o.".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        c.person(&jana).unwrap().unwrap().company_name.as_deref(),
        Some("Žlutý kůň s.r.o.")
    );
    // Trash and restore.
    c.delete(jana).unwrap();
    assert!(c.person(&jana).unwrap().unwrap().deleted);
    assert_eq!(c.people(SortBy::Name, &Page::default()).unwrap().len(), 2);
    c.restore(jana).unwrap();
    assert_eq!(
        c.people(SortBy::Updated, &Page::default()).unwrap()[0].id,
        jana
    );
}

#[test]
fn bad_input_is_refused_and_nothing_is_stored() {
    let mut c = crm();
    let before = c.store().record_count().unwrap();
    let err = c.create_person(PersonDraft::default()).unwrap_err();
    assert!(
        err.to_string().contains("needs a given or a family name"),
        "{err}"
    );
    let err = c
        .create_person(PersonDraft {
            given: Some("X".into()),
            phones: Some(vec![(PhoneLabel::Mobile, "call me maybe".into())]),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPhoneNumber { .. }), "{err}");
    let err = c
        .create_person(PersonDraft {
            given: Some("X".into()),
            emails: Some(vec!["not an email".into()]),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("not an email"), "{err}");
    let err = c
        .create_person(PersonDraft {
            given: Some("X".into()),
            company: Some(Some(EntityId::new())),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(c.create_company(CompanyDraft::default()).is_err());
    assert!(c.create_task(TaskDraft::default()).is_err());
    assert!(
        c.create_deal(DealDraft {
            title: Some("x".into()),
            value: Some(Some(Money {
                minor: 1,
                currency: "euro".into(),
            })),
            ..Default::default()
        })
        .is_err()
    );
    assert_eq!(c.store().record_count().unwrap(), before);
}

#[test]
fn activities_are_linked_and_attributed() {
    let mut c = crm();
    let p = person(&mut c, "Jan", "Novák", "603 111 222");
    let m = c
        .log_meeting(MeetingInput {
            start: NOW - 2 * D,
            end: Some(NOW - 2 * D + H),
            place: Some("Brno, veletrh".into()),
            attendees: vec![p],
            company: None,
            note: Some("Demo stroje".into()),
        })
        .unwrap();
    let n = c
        .add_note(NoteInput {
            at: NOW - D,
            people: vec![p],
            company: None,
            text: "Chce slevu".into(),
        })
        .unwrap();
    let a = c.activity(&m).unwrap().unwrap();
    assert_eq!(a.people, vec![p]);
    assert_eq!(
        a.by.as_deref(),
        Some("Eva Founder"),
        "attributed to the person owning the device"
    );
    assert_eq!(a.device, Some(c.store().device_id()));
    let t = c.timeline(&p, &Page::default()).unwrap();
    assert_eq!(
        t.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![n, m],
        "newest first"
    );
    assert_eq!(t[1].kind, TimelineKind::Meeting);
    assert!(
        c.log_meeting(MeetingInput {
            start: NOW,
            end: Some(NOW - 1),
            ..Default::default()
        })
        .is_err()
    );
    assert!(
        c.add_note(NoteInput {
            at: NOW,
            text: "  ".into(),
            ..Default::default()
        })
        .is_err()
    );
}

#[test]
fn tasks_overdue_and_due_today() {
    let mut c = crm();
    let p = person(&mut c, "Jan", "Novák", "603 111 222");
    let overdue = c
        .create_task(TaskDraft {
            title: Some("Poslat nabídku".into()),
            due: Some(Some(NOW - 2 * D)),
            person: Some(Some(p)),
            ..Default::default()
        })
        .unwrap();
    let today = c
        .create_task(TaskDraft {
            title: Some("Zavolat".into()),
            due: Some(Some(NOW + H)),
            ..Default::default()
        })
        .unwrap();
    let later = c
        .create_task(TaskDraft {
            title: Some("Later".into()),
            due: Some(Some(NOW + 3 * D)),
            ..Default::default()
        })
        .unwrap();
    let done = c
        .create_task(TaskDraft {
            title: Some("Done".into()),
            due: Some(Some(NOW - D)),
            ..Default::default()
        })
        .unwrap();
    c.set_task_done(done, true).unwrap();
    let ids = |f| {
        c.tasks(f, NOW, 60)
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(TaskFilter::Overdue), vec![overdue]);
    assert_eq!(ids(TaskFilter::DueToday), vec![today]);
    assert_eq!(ids(TaskFilter::Open), vec![overdue, today, later]);
    assert_eq!(
        c.timeline(&p, &Page::default()).unwrap()[0].kind,
        TimelineKind::Task
    );
    assert!(c.task(&done).unwrap().unwrap().done);
    // Times from outside at the extremes give empty lists, not a panic.
    for t in [i64::MIN, i64::MAX] {
        for f in [TaskFilter::Overdue, TaskFilter::DueToday, TaskFilter::Open] {
            c.tasks(f, t, 840).unwrap();
            c.tasks(f, t, -720).unwrap();
        }
        c.not_contacted_since(u32::MAX, t, &Page::default())
            .unwrap();
    }
}

#[test]
fn pipeline_stages_deals_and_totals() {
    let (mut a, mut b) = crm_pair();
    let stages = a.stages().unwrap();
    assert_eq!(
        stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        [
            "Lead",
            "Qualified",
            "Proposal",
            "Negotiation",
            "Won",
            "Lost"
        ]
    );
    let co = a
        .create_company(CompanyDraft {
            name: Some("Müller GmbH".into()),
            ..Default::default()
        })
        .unwrap();
    let d1 = a
        .create_deal(DealDraft {
            title: Some("40x CNC".into()),
            company: Some(Some(co)),
            value: Some(Some(Money {
                minor: 5_000_000,
                currency: "eur".into(),
            })),
            ..Default::default()
        })
        .unwrap();
    let d2 = a
        .create_deal(DealDraft {
            title: Some("Service".into()),
            value: Some(Some(Money {
                minor: 100_000,
                currency: "CZK".into(),
            })),
            ..Default::default()
        })
        .unwrap();
    a.create_deal(DealDraft {
        title: Some("More".into()),
        value: Some(Some(Money {
            minor: 250_000,
            currency: "EUR".into(),
        })),
        ..Default::default()
    })
    .unwrap();
    let lead = &a.pipeline().unwrap()[0];
    assert_eq!(
        lead.stage.name, "Lead",
        "new deals start in the first stage"
    );
    assert_eq!(lead.count, 3);
    assert_eq!(
        lead.totals,
        vec![
            CurrencyTotal {
                currency: "CZK".into(),
                minor: 100_000
            },
            CurrencyTotal {
                currency: "EUR".into(),
                minor: 5_250_000
            }
        ]
    );
    assert_eq!(lead.deals[0].id, d1, "most valuable first");
    a.update_deal(
        d2,
        DealDraft {
            stage: Some(stages[4].id),
            ..Default::default()
        },
    )
    .unwrap();
    // Admin changes the pipeline; it syncs.
    let demo = a.add_stage("Demo", StageOutcome::Open).unwrap();
    a.move_stage(demo, 2).unwrap();
    a.rename_stage(stages[0].id, "Nový lead").unwrap();
    sync(&mut a, &mut b);
    let names: Vec<String> = b.stages().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "Nový lead",
            "Qualified",
            "Demo",
            "Proposal",
            "Negotiation",
            "Won",
            "Lost"
        ]
    );
    let won = b
        .pipeline()
        .unwrap()
        .into_iter()
        .find(|c| c.stage.name == "Won")
        .unwrap();
    assert_eq!(won.deals[0].id, d2);
    // A member cannot change the pipeline.
    let err = b.add_stage("Mine", StageOutcome::Open).unwrap_err();
    assert!(
        matches!(err, Error::Store(StoreError::NotAdmin(_))),
        "{err}"
    );
}

#[test]
fn custom_fields_typed_synced_and_renamed() {
    let (mut a, mut b) = crm_pair();
    let size = a
        .define_field(
            "Velikost firmy",
            "company",
            FieldType::Choice,
            vec!["malá".into(), "velká".into()],
        )
        .unwrap();
    let vip = a
        .define_field("VIP", "person", FieldType::YesNo, vec![])
        .unwrap();
    let code = a
        .define_field("Zákaznické číslo", "person", FieldType::Text, vec![])
        .unwrap();
    let err = b
        .define_field("X", "person", FieldType::Text, vec![])
        .unwrap_err();
    assert!(
        matches!(err, Error::Store(StoreError::NotAdmin(_))),
        "{err}"
    );
    assert!(
        a.define_field("Bad", "call", FieldType::Text, vec![])
            .is_err()
    );
    sync(&mut a, &mut b);
    assert_eq!(b.field_defs(Some("person")).unwrap().len(), 2);
    let co = b
        .create_company(CompanyDraft {
            name: Some("Acme".into()),
            custom: vec![(size, Value::Text("velká".into()))],
            ..Default::default()
        })
        .unwrap();
    let p = b
        .create_person(PersonDraft {
            given: Some("Jan".into()),
            custom: vec![
                (vip, Value::Bool(true)),
                (code, Value::Text("ZK-4711".into())),
            ],
            ..Default::default()
        })
        .unwrap();
    let err = b
        .update_company(
            co,
            CompanyDraft {
                custom: vec![(size, Value::Text("obří".into()))],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not a valid choice"), "{err}");
    let err = b
        .update_person(
            p,
            PersonDraft {
                custom: vec![(vip, Value::Int(1))],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not a valid yesno"), "{err}");
    sync(&mut a, &mut b);
    a.rename_field(vip, "Klíčový zákazník").unwrap();
    sync(&mut a, &mut b);
    for c in [&mut a, &mut b] {
        let person = c.person(&p).unwrap().unwrap();
        let v = person.custom.iter().find(|cv| cv.field.id == vip).unwrap();
        assert_eq!(v.field.name, "Klíčový zákazník", "renamed");
        assert_eq!(v.value, Value::Bool(true), "value kept");
        assert_eq!(
            c.company(&co).unwrap().unwrap().custom[0].value,
            Value::Text("velká".into())
        );
        assert_eq!(
            c.search("ZK-4711", 0, 10).unwrap()[0].id,
            p,
            "custom text is searchable"
        );
    }
}

#[test]
fn log_call_matches_the_person_and_returns_their_history() {
    let mut c = crm();
    let co = c
        .create_company(CompanyDraft {
            name: Some("Acme".into()),
            ..Default::default()
        })
        .unwrap();
    let p = person(&mut c, "Jana", "Nováková", "+420 603 123 456");
    c.update_person(
        p,
        PersonDraft {
            company: Some(Some(co)),
            ..Default::default()
        },
    )
    .unwrap();
    c.add_note(NoteInput {
        at: NOW - D,
        people: vec![p],
        company: None,
        text: "Earlier note".into(),
    })
    .unwrap();
    let logged = c
        .log_call(CallInput {
            number: "603-123-456".into(),
            start: NOW,
            duration_s: 270,
            direction: Direction::Out,
            note: Some("Pošlu nabídku do pátku".into()),
            outcome: None,
            give_to: None,
            follow_up: None,
        })
        .unwrap();
    assert_eq!(logged.person.as_ref().unwrap().id, p);
    assert_eq!(logged.company.as_ref().unwrap().id, co);
    assert_eq!(logged.call.people, vec![p]);
    assert_eq!(logged.recent.len(), 2);
    assert_eq!(logged.recent[0].id, logged.call.id, "the call itself first");
    assert!(
        logged.recent[0].summary.contains("4:30"),
        "{}",
        logged.recent[0].summary
    );
    assert_eq!(c.person(&p).unwrap().unwrap().last_contact, Some(NOW));
    assert_eq!(
        c.recent_calls(&Page::default()).unwrap()[0].id,
        logged.call.id
    );
}

#[test]
fn unknown_numbers_wait_and_attach_later() {
    let mut c = crm();
    let before = c.store().record_count().unwrap();
    let err = c
        .log_call(CallInput {
            number: "abc".into(),
            start: NOW,
            duration_s: 1,
            direction: Direction::In,
            note: None,
            outcome: None,
            give_to: None,
            follow_up: None,
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPhoneNumber { .. }), "{err}");
    assert_eq!(c.store().record_count().unwrap(), before, "nothing stored");
    for i in 0..2 {
        let l = c
            .log_call(CallInput {
                number: "777 888 999".into(),
                start: NOW + i,
                duration_s: 30,
                direction: Direction::In,
                note: None,
                outcome: None,
                give_to: None,
                follow_up: None,
            })
            .unwrap();
        assert!(l.person.is_none() && l.recent.is_empty());
    }
    let unknown = c.unknown_numbers(&Page::default()).unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (unknown[0].number.as_str(), unknown[0].calls),
        ("+420777888999", 2)
    );
    // As the apps show it: grouped the national way at home.
    assert_eq!(unknown[0].display, "777 888 999");
    // A person created with a waiting number takes its calls at once.
    c.log_call(CallInput {
        number: "731 000 111".into(),
        start: NOW + 5,
        duration_s: 10,
        direction: Direction::Missed,
        note: None,
        outcome: None,
        give_to: None,
        follow_up: None,
    })
    .unwrap();
    let iva = person(&mut c, "Iva", "Nová", "+420 731 000 111");
    assert_eq!(c.timeline(&iva, &Page::default()).unwrap().len(), 1);
    assert_eq!(c.unknown_numbers(&Page::default()).unwrap().len(), 1);
    let p = person(&mut c, "Nový", "Zákazník", "603 000 000");
    assert_eq!(c.attach_number("+420777888999", p, "work").unwrap(), 2);
    assert!(c.unknown_numbers(&Page::default()).unwrap().is_empty());
    assert_eq!(c.timeline(&p, &Page::default()).unwrap().len(), 2);
    assert_eq!(c.lookup_number("777888999").unwrap().people[0].id, p);
}

/// The call sheet in one call: the number given to the person picked (with
/// its waiting calls), the call theirs, and the follow-up task about them;
/// all or nothing.
#[test]
fn a_call_from_the_sheet_gives_its_number_and_makes_its_follow_up_in_one_go() {
    let mut c = crm();
    let call = |number: &str, start: i64| CallInput {
        number: number.into(),
        start,
        duration_s: 90,
        direction: Direction::In,
        note: None,
        outcome: None,
        give_to: None,
        follow_up: None,
    };
    c.log_call(call("777 888 999", NOW - H)).unwrap();
    let jan = person(&mut c, "Jan", "Novák", "603 123 456");
    let petr = person(&mut c, "Petr", "Starý", "731 222 333");
    let before = c.store().record_count().unwrap();

    // Refused, and nothing of it kept: a blank title; a person not here.
    let blank = c
        .log_call(CallInput {
            give_to: Some(jan),
            follow_up: Some(FollowUp {
                title: "  ".into(),
                due: NOW + D,
            }),
            ..call("777 888 999", NOW)
        })
        .unwrap_err();
    assert!(
        matches!(&blank, Error::InvalidInput { field, .. } if *field == "follow_up"),
        "{blank}"
    );
    let nobody = c
        .log_call(CallInput {
            give_to: Some(EntityId::new()),
            ..call("777 888 999", NOW)
        })
        .unwrap_err();
    assert!(matches!(nobody, Error::NotFound { .. }), "{nobody}");
    assert_eq!(c.store().record_count().unwrap(), before, "nothing stored");
    assert_eq!(c.unknown_numbers(&Page::default()).unwrap().len(), 1);

    // Whom the follow-up names, as the call will be filed.
    assert_eq!(c.call_counterpart("777 888 999", None).unwrap(), None);
    assert_eq!(
        c.call_counterpart("777 888 999", Some(jan))
            .unwrap()
            .as_deref(),
        Some("Jan Novák")
    );
    assert_eq!(
        c.call_counterpart("731 222 333", Some(jan))
            .unwrap()
            .as_deref(),
        Some("Petr Starý"),
        "a number someone has is theirs"
    );
    let logged = c
        .log_call(CallInput {
            give_to: Some(jan),
            follow_up: Some(FollowUp {
                title: "Call back Jan Novák".into(),
                due: NOW + 3 * D,
            }),
            ..call("777 888 999", NOW)
        })
        .unwrap();
    assert_eq!(logged.person.as_ref().map(|p| p.id), Some(jan));
    assert_eq!(logged.call.people, vec![jan]);
    let task = c.task(&logged.follow_up.unwrap()).unwrap().unwrap();
    assert_eq!(
        (task.title.as_str(), task.due, task.person, task.done),
        ("Call back Jan Novák", Some(NOW + 3 * D), Some(jan), false)
    );
    let phones = c.person(&jan).unwrap().unwrap().phones;
    assert!(
        phones.iter().any(|p| p.number == "+420777888999"),
        "{phones:?}"
    );
    assert!(c.unknown_numbers(&Page::default()).unwrap().is_empty());
    // Both calls and the task are his.
    let timeline = c.timeline(&jan, &Page::default()).unwrap();
    assert_eq!(timeline.len(), 3, "{timeline:?}");

    // A number a person has stays theirs: the pick is ignored.
    let logged = c
        .log_call(CallInput {
            give_to: Some(jan),
            ..call("731 222 333", NOW + 1)
        })
        .unwrap();
    assert_eq!(logged.person.map(|p| p.id), Some(petr));
    assert_eq!(logged.follow_up, None);
    let phones = c.person(&jan).unwrap().unwrap().phones;
    assert!(!phones.iter().any(|p| p.number == "+420731222333"));
}

#[test]
fn not_contacted_in_n_days() {
    let mut c = crm();
    let recent = person(&mut c, "A", "Recent", "601 000 001");
    let old = person(&mut c, "B", "Old", "601 000 002");
    let never = person(&mut c, "C", "Never", "601 000 003");
    let missed = person(&mut c, "D", "Missed", "601 000 004");
    for (number, at, dir) in [
        ("601 000 001", NOW - D, Direction::Out),
        ("601 000 002", NOW - 40 * D, Direction::In),
        ("601 000 004", NOW - D, Direction::Missed),
    ] {
        c.log_call(CallInput {
            number: number.into(),
            start: at,
            duration_s: 60,
            direction: dir,
            note: None,
            outcome: None,
            give_to: None,
            follow_up: None,
        })
        .unwrap();
    }
    let ids: Vec<EntityId> = c
        .not_contacted_since(30, NOW, &Page::default())
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(!ids.contains(&recent));
    assert!(
        ids.contains(&old) && ids.contains(&never) && ids.contains(&missed),
        "a missed call is no contact"
    );
    assert_eq!(
        ids[ids.len() - 1],
        old,
        "never contacted first, then longest ago"
    );
}

#[test]
fn concurrent_edits_of_crm_fields_show_as_conflicts() {
    let (mut a, mut b) = crm_pair();
    let p = person(&mut a, "Jan", "Novák", "603 111 222");
    sync(&mut a, &mut b);
    a.update_person(
        p,
        PersonDraft {
            title: Some("CEO".into()),
            ..Default::default()
        },
    )
    .unwrap();
    b.update_person(
        p,
        PersonDraft {
            title: Some("Owner".into()),
            note: Some("met at fair".into()),
            ..Default::default()
        },
    )
    .unwrap();
    sync(&mut a, &mut b);
    for c in [&mut a, &mut b] {
        let person = c.person(&p).unwrap().unwrap();
        assert_eq!(person.conflicts, vec!["title"]);
        assert_eq!(person.note.as_deref(), Some("met at fair"));
        let conflicts = c.store().conflicts().unwrap();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].values.len(), 2);
        assert_eq!(conflicts[0].name, None);
        // The CRM's read says whose field it is and who wrote each value.
        let named = c.conflicts().unwrap();
        assert_eq!(named[0].name.as_deref(), Some("Jan Novák"));
        let mut by: Vec<_> = named[0].values.iter().map(|v| v.by.clone()).collect();
        by.sort();
        assert_eq!(
            by,
            [
                Some("Eva Founder".to_string()),
                Some("Petr Member".to_string())
            ]
        );
    }
    b.update_person(
        p,
        PersonDraft {
            title: Some("CEO & Owner".into()),
            ..Default::default()
        },
    )
    .unwrap();
    sync(&mut a, &mut b);
    assert!(a.person(&p).unwrap().unwrap().conflicts.is_empty());
    assert_eq!(
        a.store_mut().state_digest().unwrap(),
        b.store_mut().state_digest().unwrap()
    );
}

#[test]
fn crm_tables_follow_rebuild_and_writes_made_without_the_projection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let p = {
        let mut c = Crm::open(&path).unwrap();
        c.create_team("Acme", "Eva").unwrap();
        person(&mut c, "Jana", "Nováková", "603 123 456")
    };
    // A plain store (no CRM projection) writes: the CRM tables go stale...
    let q = {
        let mut s = Store::open(&path).unwrap();
        s.put(
            "person",
            None,
            vec![("given".into(), Value::Text("Karel".into()))],
        )
        .unwrap()
    };
    // ...and the next CRM open rebuilds them.
    let mut c = Crm::open(&path).unwrap();
    assert!(c.person(&q).unwrap().is_some());
    assert_eq!(c.people(SortBy::Name, &Page::default()).unwrap().len(), 2);
    assert_eq!(c.search("karel", 0, 5).unwrap()[0].id, q);
    let before = c.export_json().unwrap();
    c.store_mut().rebuild().unwrap();
    assert_eq!(c.export_json().unwrap(), before);
    assert_eq!(c.lookup_number("+420603123456").unwrap().people[0].id, p);
}

#[test]
fn generated_data_loads_and_answers_queries() {
    use deko_testdata::{Generator, Sizes};
    let mut c = crm();
    let data = Generator::new(7).generate(&Sizes::small(), NOW);
    let ids = deko_testdata::load(&mut c, &data).unwrap();
    assert_eq!(ids.people.len(), data.people.len());
    assert_eq!(
        c.store().count("person").unwrap() as usize,
        data.people.len()
    );
    // Every generated phone number finds its owner.
    for (i, p) in data.people.iter().enumerate().take(50) {
        for (_, n) in &p.phones {
            let region = deko_core::search::phone::Region::by_code(p.country).unwrap();
            let e164 = deko_core::search::phone::normalize(n, region).unwrap();
            assert_eq!(c.lookup_number(&e164).unwrap().people[0].id, ids.people[i]);
        }
    }
    assert!(!c.tasks(TaskFilter::Overdue, NOW, 0).unwrap().is_empty());
    assert!(!c.tasks(TaskFilter::DueToday, NOW, 0).unwrap().is_empty());
    assert!(!c.unknown_numbers(&Page::default()).unwrap().is_empty());
}

#[test]
fn a_field_name_defined_on_two_devices_at_once_needs_resolution() {
    let mut a = crm();
    let mut b = Crm::open_in_memory().unwrap();
    b.store_mut()
        .join_team(a.store().team_id().unwrap())
        .unwrap();
    let dev = b.store().device_id();
    a.store_mut()
        .admit(dev, EntityId::new(), "Petr Admin", Role::Admin)
        .unwrap();
    sync(&mut a, &mut b);
    // Both admins define "Size" apart; each database alone is fine.
    let on_a = a
        .define_field("Size", "person", FieldType::Number, vec![])
        .unwrap();
    b.define_field("size", "person", FieldType::Text, vec![])
        .unwrap();
    assert_eq!(
        a.field_def_by_name("person", "SIZE").unwrap().unwrap().id,
        on_a
    );
    assert!(a.field_def_by_name("person", "Shoe").unwrap().is_none());
    sync(&mut a, &mut b);
    for c in [&mut a, &mut b] {
        let err = c.field_def_by_name("person", "Size").unwrap_err();
        assert_eq!(
            err.kind(),
            deko_core::ErrorKind::ConflictNeedsResolution,
            "{err}"
        );
        assert!(err.to_string().contains("rename all but one"), "{err}");
    }
    // Renamed on one device, the name is one field's again everywhere.
    a.rename_field(on_a, "Shoe size").unwrap();
    sync(&mut a, &mut b);
    assert_ne!(
        b.field_def_by_name("person", "size").unwrap().unwrap().id,
        on_a
    );
}

/// The projection deletes a person's indexed numbers only when the person
/// has a search document (a new one has none to delete): a changed,
/// trashed, restored or remotely edited number must still be found, or
/// not, exactly as the person's state says.
#[test]
fn a_persons_indexed_numbers_follow_every_change() {
    let (mut c, mut other) = crm_pair();
    let p = person(&mut c, "Jana", "Nováková", "603 123 456");
    let found = |c: &mut Crm, n: &str| c.lookup_number(n).unwrap().people.len();
    assert_eq!(found(&mut c, "603123456"), 1);
    c.update_person(
        p,
        PersonDraft {
            phones: Some(vec![(PhoneLabel::Mobile, "777 000 111".into())]),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(found(&mut c, "603123456"), 0, "the old number is gone");
    assert_eq!(found(&mut c, "777000111"), 1);
    c.delete(p).unwrap();
    assert_eq!(
        found(&mut c, "777000111"),
        0,
        "a trashed person is no caller"
    );
    c.restore(p).unwrap();
    assert_eq!(
        found(&mut c, "777000111"),
        1,
        "and found again when restored"
    );
    // The same on a device that only ever received the person.
    sync(&mut c, &mut other);
    assert_eq!(found(&mut other, "777000111"), 1);
    c.update_person(
        p,
        PersonDraft {
            phones: Some(vec![(PhoneLabel::Work, "608 222 333".into())]),
            ..Default::default()
        },
    )
    .unwrap();
    sync(&mut c, &mut other);
    assert_eq!(found(&mut other, "777000111"), 0);
    assert_eq!(found(&mut other, "608222333"), 1);
    // A rebuild of the views agrees.
    other.store_mut().rebuild().unwrap();
    assert_eq!(found(&mut other, "777000111"), 0);
    assert_eq!(found(&mut other, "608222333"), 1);
}

/// A person's last contact is kept as calls and meetings come, move and go
/// (a new one only raises it; an edited, trashed or restored one has it
/// worked out again), on the device that wrote them and on one that only
/// received them in a batch, and a rebuild agrees.
#[test]
fn a_persons_last_contact_follows_every_change() {
    let (mut c, mut other) = crm_pair();
    let p = person(&mut c, "Jana", "Nováková", "603 123 456");
    let q = person(&mut c, "Petr", "Král", "608 222 333");
    let last = |c: &mut Crm, id: EntityId| c.person(&id).unwrap().unwrap().last_contact;
    let meeting = |c: &mut Crm, at: i64, who: EntityId| {
        c.log_meeting(MeetingInput {
            start: at,
            end: None,
            place: None,
            attendees: vec![who],
            company: None,
            note: None,
        })
        .unwrap()
    };
    assert_eq!(last(&mut c, p), None);
    let m = meeting(&mut c, NOW - 2 * D, p);
    assert_eq!(last(&mut c, p), Some(NOW - 2 * D));
    meeting(&mut c, NOW - 5 * D, p);
    assert_eq!(last(&mut c, p), Some(NOW - 2 * D), "an older meeting");
    c.add_note(NoteInput {
        at: NOW,
        people: vec![p],
        company: None,
        text: "Not a contact".into(),
    })
    .unwrap();
    assert_eq!(last(&mut c, p), Some(NOW - 2 * D), "a note is no contact");
    let call = |c: &mut Crm, at: i64, direction: Direction| {
        c.log_call(CallInput {
            number: "603 123 456".into(),
            start: at,
            duration_s: 60,
            direction,
            note: None,
            outcome: None,
            give_to: None,
            follow_up: None,
        })
        .unwrap()
        .call
        .id
    };
    call(&mut c, NOW - H, Direction::Missed);
    assert_eq!(last(&mut c, p), Some(NOW - 2 * D), "a missed call is none");
    let latest = call(&mut c, NOW - D, Direction::Out);
    assert_eq!(last(&mut c, p), Some(NOW - D));
    c.link_activity(latest, vec![q], None).unwrap();
    assert_eq!(last(&mut c, p), Some(NOW - 2 * D), "the call moved away");
    assert_eq!(last(&mut c, q), Some(NOW - D));
    c.delete(latest).unwrap();
    assert_eq!(last(&mut c, q), None, "a trashed call is none");
    c.restore(latest).unwrap();
    assert_eq!(last(&mut c, q), Some(NOW - D));
    // A device that receives all of it in one batch.
    sync(&mut c, &mut other);
    assert_eq!(last(&mut other, p), Some(NOW - 2 * D));
    assert_eq!(last(&mut other, q), Some(NOW - D));
    // Edits that arrive later.
    c.delete(m).unwrap();
    c.link_activity(latest, vec![p, q], None).unwrap();
    sync(&mut c, &mut other);
    for d in [&mut c, &mut other] {
        assert_eq!(last(d, p), Some(NOW - D));
        assert_eq!(last(d, q), Some(NOW - D));
    }
    c.link_activity(latest, vec![q], None).unwrap();
    sync(&mut c, &mut other);
    assert_eq!(
        last(&mut other, p),
        Some(NOW - 5 * D),
        "back to the oldest meeting"
    );
    other.store_mut().rebuild().unwrap();
    assert_eq!(last(&mut other, p), Some(NOW - 5 * D));
    assert_eq!(last(&mut other, q), Some(NOW - D));
}

#[test]
fn tasks_and_deals_carry_the_names_of_what_they_link_to() {
    let (mut a, mut b) = crm_pair();
    let co = a
        .create_company(CompanyDraft {
            name: Some("Stavby Brno".into()),
            ..Default::default()
        })
        .unwrap();
    let jana = person(&mut a, "Jana", "Nováková", "+420603123456");
    let deal = a
        .create_deal(DealDraft {
            title: Some("Roof repair".into()),
            company: Some(Some(co)),
            contact: Some(Some(jana)),
            ..Default::default()
        })
        .unwrap();
    let task = a
        .create_task(TaskDraft {
            title: Some("Send the quote".into()),
            person: Some(Some(jana)),
            company: Some(Some(co)),
            deal: Some(Some(deal)),
            ..Default::default()
        })
        .unwrap();
    let bare = a
        .create_task(TaskDraft {
            title: Some("Order brochures".into()),
            ..Default::default()
        })
        .unwrap();
    sync(&mut a, &mut b);
    // On the device that wrote them and on the one that received them.
    for c in [&a, &b] {
        let t = c.task(&task).unwrap().unwrap();
        assert_eq!(t.person_name.as_deref(), Some("Jana Nováková"));
        assert_eq!(t.company_name.as_deref(), Some("Stavby Brno"));
        assert_eq!(t.deal_title.as_deref(), Some("Roof repair"));
        let d = c.deal(&deal).unwrap().unwrap();
        assert_eq!(d.company_name.as_deref(), Some("Stavby Brno"));
        assert_eq!(d.contact_name.as_deref(), Some("Jana Nováková"));
        let t = c.task(&bare).unwrap().unwrap();
        assert_eq!(
            (t.person_name, t.company_name, t.deal_title),
            (None, None, None)
        );
    }
    // A rename shows at once; the lists read the same way.
    b.update_person(
        jana,
        PersonDraft {
            given: Some("Jana".into()),
            family: Some("Svobodová".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let open = b.tasks(TaskFilter::Open, NOW, 0).unwrap();
    let t = open.iter().find(|t| t.id == task).unwrap();
    assert_eq!(t.person_name.as_deref(), Some("Jana Svobodová"));
    let d = b.deal(&deal).unwrap().unwrap();
    assert_eq!(d.contact_name.as_deref(), Some("Jana Svobodová"));
}

#[test]
fn a_company_field_names_the_company_here_or_a_new_one() {
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Eva").unwrap();
    let made = c.company_named("  Stavby Brno ").unwrap();
    assert_eq!(
        c.company(&made).unwrap().unwrap().name.as_deref(),
        Some("Stavby Brno")
    );
    // The same name as the collation compares names: the same company.
    assert_eq!(c.company_named("stavby brno").unwrap(), made);
    assert_eq!(c.company_named("STAVBY BRNO").unwrap(), made);
    assert_eq!(c.stats().unwrap().companies, 1);
    // Another name: another company; no name: refused, nothing made.
    assert_ne!(c.company_named("Stavby Praha").unwrap(), made);
    let err = c.company_named("  ").unwrap_err();
    assert!(
        matches!(err, deko_core::Error::InvalidInput { .. }),
        "{err}"
    );
    assert_eq!(c.stats().unwrap().companies, 2);
    // One in the trash is not named by it: a new one is made.
    c.delete(made).unwrap();
    let again = c.company_named("Stavby Brno").unwrap();
    assert_ne!(again, made);
}
