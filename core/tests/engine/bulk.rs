//! Creating many entities at once (`Store::create_many`, the imports' path):
//! the records it signs on its second thread form a valid chain that other
//! devices take, and a refused item leaves nothing behind.

use deko_core::model::{Crm, ImportProgress, Page, SortBy};
use deko_core::record::{EntityId, Value};
use deko_core::store::{NewEntity, Store, StoreOptions};

use super::deferred::{index_table, indexes, views};

use super::common::*;

fn person(name: &str) -> NewEntity {
    NewEntity::new(
        "person",
        EntityId::new(),
        fields(&[("given", text(name)), ("note", Value::Null)]),
    )
}

#[test]
fn many_created_at_once_sync_to_another_device_and_match_after_a_rebuild() {
    let mut stores = team(2);
    let items: Vec<NewEntity> = (0..3000).map(|i| person(&format!("P{i}"))).collect();
    let ids: Vec<EntityId> = items.iter().map(|i| i.id).collect();
    let before = stores[0].record_count().unwrap();
    let mut seen = Vec::new();
    stores[0]
        .create_many(items, &mut |done| seen.push(done))
        .unwrap();
    assert_eq!(stores[0].record_count().unwrap(), before + 3000);
    assert_eq!(seen.last(), Some(&3000), "progress ends at the total");
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    // A write after them continues the chain.
    let later = stores[0]
        .put("person", None, fields(&[("given", text("Later"))]))
        .unwrap();
    // The other device verifies every signature and chain link.
    let (a, b) = pair(&mut stores, 0, 1);
    let report = push(a, b);
    assert_eq!(report.applied, 3001);
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    let e = stores[1].get(&ids[2999]).unwrap().unwrap();
    assert_eq!(e.text("given"), Some("P2999"));
    assert!(e.value("note").is_none(), "a Null field is left out");
    assert!(stores[1].get(&later).unwrap().is_some());
    let digest = stores[0].state_digest().unwrap();
    assert_eq!(stores[1].state_digest().unwrap(), digest);
    stores[0].rebuild().unwrap();
    assert_eq!(stores[0].state_digest().unwrap(), digest);
}

#[test]
fn a_refused_item_leaves_nothing_of_the_call() {
    let mut s = team(1).remove(0);
    let before = s.record_count().unwrap();
    let existing = s
        .put("person", None, fields(&[("given", text("Here"))]))
        .unwrap();
    let mut reserved = person("Bad");
    reserved.fields.push(("_deleted".into(), Value::Bool(true)));
    let mut again = person("Again");
    again.id = existing;
    let twice = person("Twice");
    for bad in [
        vec![person("A"), reserved],
        vec![person("A"), again],
        vec![
            person("A"),
            NewEntity::new("person", twice.id, twice.fields.clone()),
            twice,
        ],
    ] {
        let ids: Vec<EntityId> = bad.iter().map(|i| i.id).collect();
        let err = s.create_many(bad, &mut |_| {}).unwrap_err();
        assert_eq!(err.kind(), deko_core::error::ErrorKind::BadInput, "{err}");
        assert!(s.get(&ids[0]).unwrap().is_none(), "{err}");
        assert_eq!(s.record_count().unwrap(), before + 1);
    }
    // The chain is intact: the next write works and a peer takes it.
    s.put("person", None, fields(&[("given", text("Next"))]))
        .unwrap();
    let mut other = Store::open_in_memory().unwrap();
    other.join_team(s.team_id().unwrap()).unwrap();
    let report = push(&s, &mut other);
    assert!(report.refused.is_empty());
}

#[test]
fn cards_repeating_an_earlier_card_of_the_same_file_are_its_duplicates() {
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Founder").unwrap();
    let vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana Nováková\r\nN:Nováková;Jana;;;\r\n\
               ORG:Kovo a.s.\r\nTEL;TYPE=CELL:+420 603 123 456\r\nEND:VCARD\r\n\
               BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana N.\r\nN:N.;Jana;;;\r\n\
               TEL:+420603123456\r\nEND:VCARD\r\n\
               BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Petr Svoboda\r\nN:Svoboda;Petr;;;\r\n\
               ORG:KOVO A.S.\r\nEMAIL:petr@kovo.cz\r\nEND:VCARD\r\n\
               BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P. Svoboda\r\nN:Svoboda;P.;;;\r\n\
               EMAIL:Petr@Kovo.cz\r\nEND:VCARD\r\n";
    let mut steps = Vec::new();
    let r = c
        .import_vcard_with_progress("two.vcf", vcf.as_bytes(), &mut |p| steps.push(p))
        .unwrap();
    assert_eq!(r.created.len(), 2);
    assert_eq!(r.duplicates.len(), 2);
    assert_eq!(r.duplicates[0].existing, r.created[0]);
    assert_eq!(r.duplicates[0].matched, "phone +420603123456");
    assert_eq!(r.duplicates[1].existing, r.created[1]);
    assert_eq!(
        r.companies_created, 1,
        "one company for both spellings (the collation's equal names)"
    );
    assert_eq!(
        steps.last(),
        Some(&ImportProgress::Stored { done: 4, total: 4 }),
        "all four cards: two stored, two skipped"
    );
    let jana = c.person(&r.created[0]).unwrap().unwrap();
    let petr = c.person(&r.created[1]).unwrap().unwrap();
    assert_eq!(jana.company, petr.company);
    assert_eq!(jana.company_name.as_deref(), Some("Kovo a.s."));
    // Found by number in the caller lookup, i.e. projected.
    assert_eq!(c.lookup_number("603 123 456").unwrap().people.len(), 1);
}

#[test]
fn a_write_that_fails_half_way_in_a_bulk_rolls_the_whole_bulk_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Crm::open(dir.path().join("d.db")).unwrap();
    c.create_team("Acme", "Eva").unwrap();
    let before = c.store().record_count().unwrap();
    let pages: i64 = c
        .store()
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    c.store()
        .conn()
        .query_row(&format!("PRAGMA max_page_count = {}", pages + 8), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    let note = "x".repeat(3000);
    // The caller swallows the failure and goes on (no savepoint per write
    // inside a bulk): the bulk must still not commit a half-made write.
    let result = c.bulk(|c| {
        let mut failed = None;
        for i in 0..200 {
            let draft = deko_core::model::PersonDraft {
                given: Some(format!("P{i}")),
                note: Some(note.clone()),
                ..Default::default()
            };
            if let Err(e) = c.create_person(draft) {
                failed.get_or_insert(e);
            }
        }
        assert!(failed.is_some(), "the file cannot grow");
        Ok(())
    });
    let err = result.unwrap_err();
    assert_eq!(err.kind(), deko_core::ErrorKind::StorageFull, "{err}");
    c.store()
        .conn()
        .query_row("PRAGMA max_page_count = 1000000", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    assert_eq!(c.store().record_count().unwrap(), before);
    // The device's chain goes on from where it was.
    let id = c
        .create_person(deko_core::model::PersonDraft {
            given: Some("After".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(c.person(&id).unwrap().is_some());
    assert_eq!(c.store().record_count().unwrap(), before + 1);
}

#[test]
fn a_batch_checks_each_item_as_its_own_call_and_keeps_nothing_when_one_is_refused() {
    use deko_core::model::{CompanyDraft, NewItem, NoteInput, PersonDraft};
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Eva").unwrap();
    let companies = c
        .create_batch(
            vec![NewItem::Company(CompanyDraft {
                name: Some("Kovo a.s.".into()),
                ..Default::default()
            })],
            &mut |_| {},
        )
        .unwrap();
    let people = c
        .create_batch(
            vec![NewItem::Person(PersonDraft {
                given: Some("Jana".into()),
                company: Some(Some(companies[0])),
                ..Default::default()
            })],
            &mut |_| {},
        )
        .unwrap();
    let before = c.store().record_count().unwrap();
    let note = |people: Vec<EntityId>, text: &str| {
        NewItem::Note(NoteInput {
            at: 1_700_000_000_000,
            people,
            company: None,
            text: text.into(),
        })
    };
    // A note about someone who is not here, after a good one: refused
    // whole, as add_note refuses it.
    let err = c
        .create_batch(
            vec![
                note(people.clone(), "Fine"),
                note(vec![EntityId::new()], "Nobody"),
            ],
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.kind(), deko_core::error::ErrorKind::NotFound, "{err}");
    assert_eq!(c.store().record_count().unwrap(), before);
    let empty = c.create_batch(vec![note(people.clone(), "  ")], &mut |_| {});
    assert_eq!(
        empty.unwrap_err().kind(),
        deko_core::error::ErrorKind::BadInput
    );
    let ids = c
        .create_batch(vec![note(people.clone(), "Called back")], &mut |_| {})
        .unwrap();
    let page = deko_core::model::Page {
        offset: 0,
        limit: 10,
    };
    let timeline = c.timeline(&people[0], &page).unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].id, ids[0]);
    let jana = c.person(&people[0]).unwrap().unwrap();
    assert_eq!(jana.company_name.as_deref(), Some("Kovo a.s."));
}

/// `n` vCards, card `i` (1-based) with its own number and email; `odd`
/// replaces card `at`'s email.
fn many_cards(n: usize, odd: Option<(usize, &str)>) -> String {
    let mut vcf = String::new();
    for i in 1..=n {
        let email = match odd {
            Some((at, e)) if at == i => e.to_string(),
            _ => format!("p{i}@example.com"),
        };
        vcf.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Person {i}\r\nN:Person;P{i};;;\r\n\
             ORG:Firm {}\r\nTITLE:Buyer\r\nTEL:+420603{i:06}\r\nTEL;TYPE=work:603 1{i:05}\r\n\
             EMAIL:{email}\r\nNOTE:Wants a quote {i}\r\nCATEGORIES:vip,b2b\r\n\
             ADR:;;Nádražní {i};Brno;;602 00;CZ\r\nEND:VCARD\r\n",
            i % 7
        ));
    }
    vcf
}

#[test]
fn a_large_import_finds_duplicates_across_its_batches_and_stores_every_card() {
    // More cards than the reading thread hands over at once and more
    // records than wait for signatures: the pipeline's every hand-over.
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Founder").unwrap();
    // Card 1,900 has card 3's email (in another case): a duplicate.
    let vcf = many_cards(2_000, Some((1_900, "P3@Example.com")));
    let mut steps = Vec::new();
    let r = c
        .import_vcard_with_progress("many.vcf", vcf.as_bytes(), &mut |p| steps.push(p))
        .unwrap();
    assert_eq!(r.created.len(), 1_999);
    assert_eq!(r.companies_created, 7);
    assert_eq!(r.duplicates.len(), 1);
    assert_eq!(r.duplicates[0].existing, r.created[2]);
    assert_eq!(r.duplicates[0].matched, "email P3@Example.com");
    assert_eq!(c.stats().unwrap().people, 1_999);
    // The same file again: every card is here already.
    let again = c.import_vcard("many.vcf", vcf.as_bytes()).unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.duplicates.len(), 2_000);
    // Progress: the file read whole first, then cards stored, never back.
    assert_eq!(
        steps.first(),
        Some(&ImportProgress::Read {
            done: 2_000,
            total: 2_000
        })
    );
    let stored: Vec<usize> = steps
        .iter()
        .filter_map(|p| match p {
            ImportProgress::Stored { done, total: 2_000 } => Some(*done),
            _ => None,
        })
        .collect();
    assert!(stored.len() > 1, "{steps:?}");
    assert!(stored.windows(2).all(|w| w[0] <= w[1]), "{stored:?}");
    assert_eq!(stored.last(), Some(&2_000));
}

#[test]
fn an_import_refused_at_a_late_card_keeps_nothing_of_the_file() {
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Founder").unwrap();
    c.import_vcard("one.vcf", many_cards(1, None).as_bytes())
        .unwrap();
    let before = c.store().record_count().unwrap();
    // Card 1,500 has an address with a space in it: refused, after
    // hundreds of cards were stored in the import's transaction.
    let vcf = many_cards(1_600, Some((1_500, "jan novak@example.com")));
    let err = c.import_vcard("bad.vcf", vcf.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("not an email address"), "{err}");
    assert_eq!(c.store().record_count().unwrap(), before);
    assert_eq!(c.stats().unwrap().people, 1);
    // The database takes the next import as usual.
    let r = c
        .import_vcard("good.vcf", many_cards(3, None).as_bytes())
        .unwrap();
    assert_eq!(r.created.len(), 2, "card 1 is here already");
}

/// Cards are stored as the file is read; a file that turns out broken
/// part-way (here after 1,500 good cards) keeps nothing, and the error
/// names the line.
#[test]
fn an_import_of_a_file_broken_part_way_keeps_nothing_of_it() {
    for fill in [false, true] {
        let mut c = if fill {
            filling()
        } else {
            Crm::open_in_memory().unwrap()
        };
        if !fill {
            c.create_team("Acme", "Founder").unwrap();
        }
        let defined = indexes(&c);
        let before = c.store().record_count().unwrap();
        let mut vcf = many_cards(1_500, None);
        let line = vcf.lines().count() + 3;
        vcf.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\nthis line has no colon\r\nEND:VCARD\r\n");
        vcf.push_str(&many_cards(100, None));
        let err = c.import_vcard("broken.vcf", vcf.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, deko_core::Error::InvalidVcard { line: l, .. } if *l == line),
            "{err}"
        );
        assert_eq!(c.store().record_count().unwrap(), before, "fill {fill}");
        assert_eq!(c.stats().unwrap().people, 0);
        assert_eq!(indexes(&c), defined, "every index is as it was");
        // The database takes the next import as usual.
        let r = c
            .import_vcard("good.vcf", many_cards(3, None).as_bytes())
            .unwrap();
        assert_eq!(r.created.len(), 3);
    }
}

/// A CRM whose imports of 100 people or more (into a database holding
/// fewer entities) are bulk fills.
fn filling() -> Crm {
    let options = StoreOptions {
        fill_min: 100,
        ..Default::default()
    };
    let mut c = Crm::with_store(Store::open_in_memory_with(options).unwrap()).unwrap();
    c.create_team("Acme", "Founder").unwrap();
    c
}

/// Where each index's B-tree starts: an index built anew gets a new root.
fn index_roots(c: &Crm) -> Vec<(String, i64)> {
    index_table(c)
        .into_iter()
        .map(|(n, _, root)| (n, root))
        .collect()
}

#[test]
fn a_large_import_is_a_bulk_fill_with_every_index_and_the_views_a_rebuild_makes() {
    let mut c = filling();
    let defined = indexes(&c);
    let roots = index_roots(&c);
    let r = c
        .import_vcard("many.vcf", many_cards(300, None).as_bytes())
        .unwrap();
    assert_eq!(r.created.len(), 300);
    assert_eq!(indexes(&c), defined, "every index is back as it was");
    let rebuilt: Vec<String> = index_roots(&c)
        .into_iter()
        .zip(&roots)
        .filter(|(now, then)| now != *then)
        .map(|((name, _), _)| name)
        .collect();
    assert!(
        rebuilt.iter().any(|n| n == "people_by_name")
            && !rebuilt.iter().any(|n| n == "phones_by_entity"),
        "the lists' indexes were dropped and built again, the rest kept: {rebuilt:?}"
    );
    let imported = views(&c);
    c.store_mut().rebuild().unwrap();
    assert_eq!(views(&c), imported, "the views are those of the state");
    // Lists read through the rebuilt indexes.
    let page = c.people(SortBy::Name, &Page::first(20)).unwrap();
    assert_eq!(page.len(), 20);
    // An import of fewer cards than the entities here is no fill.
    let roots = index_roots(&c);
    let r = c
        .import_vcard("again.vcf", many_cards(250, None).as_bytes())
        .unwrap();
    assert_eq!(r.duplicates.len(), 250);
    assert_eq!(index_roots(&c), roots);
}

#[test]
fn a_bulk_fill_import_refused_at_a_late_card_keeps_every_index_and_nothing_of_the_file() {
    let mut c = filling();
    let roots = index_roots(&c);
    let before = c.store().record_count().unwrap();
    let vcf = many_cards(1_600, Some((1_500, "jan novak@example.com")));
    let err = c.import_vcard("bad.vcf", vcf.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("not an email address"), "{err}");
    assert_eq!(index_roots(&c), roots, "the dropped indexes rolled back");
    assert_eq!(c.store().record_count().unwrap(), before);
    // Inside a bulk write of the caller's, the whole bulk rolls back.
    let err = c
        .bulk(|c| c.import_vcard("bad.vcf", vcf.as_bytes()))
        .unwrap_err();
    assert!(err.to_string().contains("not an email address"), "{err}");
    assert_eq!(index_roots(&c), roots);
    assert_eq!(c.store().record_count().unwrap(), before);
    // Also when the caller swallows the failure and writes on: the bulk
    // refuses to commit what has its indexes dropped.
    let err = c
        .bulk(|c| {
            assert!(c.import_vcard("bad.vcf", vcf.as_bytes()).is_err());
            c.create_person(deko_core::model::PersonDraft {
                given: Some("After".into()),
                ..Default::default()
            })
        })
        .unwrap_err();
    assert!(err.to_string().contains("not an email address"), "{err}");
    assert_eq!(index_roots(&c), roots);
    assert_eq!(c.store().record_count().unwrap(), before);
    let r = c
        .import_vcard("good.vcf", many_cards(200, None).as_bytes())
        .unwrap();
    assert_eq!(r.created.len(), 200);
}

#[test]
fn an_import_asks_the_database_only_about_what_it_held_before() {
    // Companies but no people here: the plan finds the company by name,
    // and, with no numbers or addresses here, finds duplicates only in
    // the file itself.
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Founder").unwrap();
    let firm = c
        .create_company(deko_core::model::CompanyDraft {
            name: Some("Firm 3".into()),
            ..Default::default()
        })
        .unwrap();
    let vcf = many_cards(20, Some((17, "P10@example.com")));
    let r = c.import_vcard("a.vcf", vcf.as_bytes()).unwrap();
    assert_eq!(r.created.len(), 19);
    assert_eq!(r.duplicates.len(), 1);
    assert_eq!(r.duplicates[0].existing, r.created[9]);
    // Firm 0..6: Firm 3 was here; six are new.
    assert_eq!(r.companies_created, 6);
    let p3 = c.person(&r.created[2]).unwrap().unwrap();
    assert_eq!(p3.company, Some(firm));

    // People with addresses but no numbers here: a card sharing an
    // address is a duplicate of who is here; one sharing only a number
    // with another card of the file, of that card.
    let mut c = Crm::open_in_memory().unwrap();
    c.create_team("Acme", "Founder").unwrap();
    let here = c
        .create_person(deko_core::model::PersonDraft {
            given: Some("Pavla".into()),
            emails: Some(vec!["p5@example.com".into()]),
            ..Default::default()
        })
        .unwrap();
    let mut vcf = many_cards(8, None);
    vcf.push_str(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Same Number\r\nTEL:+420603000002\r\nEND:VCARD\r\n",
    );
    let r = c.import_vcard("b.vcf", vcf.as_bytes()).unwrap();
    assert_eq!(r.created.len(), 7);
    let by: Vec<(EntityId, &str)> = r
        .duplicates
        .iter()
        .map(|d| (d.existing, d.matched.as_str()))
        .collect();
    assert_eq!(
        by,
        [
            (here, "email p5@example.com"),
            (r.created[1], "phone +420603000002")
        ]
    );
}
