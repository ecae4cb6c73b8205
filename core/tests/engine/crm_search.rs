//! Search as you type and caller lookup.

use deko_core::model::{CompanyDraft, Crm, NoteInput, Page, PersonDraft, PhoneLabel, SortBy};

use super::crm::{crm, person};

#[test]
fn search_is_case_and_diacritics_insensitive_with_prefixes() {
    let mut c = crm();
    let novak = person(&mut c, "Jan", "Novák", "603 111 001");
    let muller = person(&mut c, "Jürgen", "Müller", "+49 30 1234567");
    let zluty = c
        .create_company(CompanyDraft {
            name: Some("Žlutý kůň a.s.".into()),
            ..Default::default()
        })
        .unwrap();
    for (q, want) in [
        ("novak", novak),
        ("NOVÁK", novak),
        ("muller", muller),
        ("jurgen", muller),
        ("zluty", zluty),
        ("kun", zluty),
        ("Nov", novak),
        ("mü", muller),
        ("zlu ku", zluty),
    ] {
        let hits = c.search(q, 0, 10).unwrap();
        assert!(
            hits.first().is_some_and(|h| h.id == want),
            "{q:?} -> {hits:?}"
        );
    }
    assert!(c.search("", 0, 10).unwrap().is_empty());
    assert!(
        c.search("\"*) OR (", 0, 10).is_ok(),
        "FTS syntax in input is just text"
    );
    assert!(c.search(&"x".repeat(500), 0, 10).is_err());
    assert!(c.search("\u{301}\u{308} '", 0, 10).unwrap().is_empty());
}

#[test]
fn search_ranks_names_first_pages_and_shows_snippets() {
    let mut c = crm();
    let named = person(&mut c, "Karel", "Brno", "603 111 002");
    let other = c
        .create_person(PersonDraft {
            given: Some("Eva".into()),
            family: Some("Svobodová".into()),
            note: Some("Potkali jsme se na veletrhu v Brně, chce nabídku na 40 kusů".into()),
            ..Default::default()
        })
        .unwrap();
    let note = c
        .add_note(NoteInput {
            at: 0,
            people: vec![other],
            company: None,
            text: "Cesta do Brna příští týden".into(),
        })
        .unwrap();
    let hits = c.search("brn", 0, 10).unwrap();
    assert_eq!(hits[0].id, named, "a name match ranks first: {hits:?}");
    let ids: Vec<_> = hits.iter().map(|h| h.id).collect();
    assert!(
        ids.contains(&other) && ids.contains(&note),
        "notes are searched too"
    );
    let with_snippet = hits.iter().find(|h| h.id == other).unwrap();
    assert!(
        with_snippet.snippet.contains("[Brně]"),
        "{}",
        with_snippet.snippet
    );
    assert_eq!(c.search("brn", 1, 1).unwrap()[0].id, hits[1].id, "paged");
    // Emails and phone numbers are searchable; trashed people are not found.
    c.update_person(
        named,
        PersonDraft {
            emails: Some(vec!["karel@firma.cz".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(c.search("karel@firma", 0, 5).unwrap()[0].id, named);
    assert_eq!(c.search("603111002", 0, 5).unwrap()[0].id, named);
    c.delete(named).unwrap();
    assert!(c.search("karel", 0, 5).unwrap().is_empty());
}

#[test]
fn a_word_with_an_apostrophe_or_dots_is_searched_as_written() {
    let mut c = crm();
    let obrien = person(&mut c, "Seán", "O'Brien", "603 111 003");
    // Every piece of "o'brien" is somewhere in these, but not together.
    let apart = person(&mut c, "Oscar", "Brienne", "603 111 004");
    let mail = c
        .create_person(PersonDraft {
            given: Some("Jan".into()),
            family: Some("Dvořák".into()),
            emails: Some(vec!["jan.novak@acme.cz".into()]),
            ..Default::default()
        })
        .unwrap();
    for q in ["o'brien", "O'Bri", "o’brien", "sean o'brien"] {
        let ids: Vec<_> = c.search(q, 0, 10).unwrap().iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![obrien], "{q:?}");
    }
    let ids: Vec<_> = c
        .search("jan.nov", 0, 10)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![mail], "the address in order, not Jan and a Novák");
    // Words apart still match anywhere, in any order.
    let ids: Vec<_> = c
        .search("brienne oscar", 0, 10)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, vec![apart]);
}

#[test]
fn caller_lookup_reads_every_common_written_form() {
    let mut c = crm();
    let p = person(&mut c, "Jana", "Nováková", "+420 603 123 456");
    for form in [
        "+420 603 123 456",
        "603123456",
        "00420603123456",
        "603-123-456",
        "+420603123456",
        "(603) 123 456",
        "420603123456",
    ] {
        let people = c.lookup_number(form).unwrap().people;
        assert_eq!(people.len(), 1, "{form}");
        assert_eq!(people[0].id, p, "{form}");
    }
    let co = c
        .create_company(CompanyDraft {
            name: Some("Acme".into()),
            phones: Some(vec![(PhoneLabel::Work, "+49 (0)30 1234567".into())]),
            ..Default::default()
        })
        .unwrap();
    let deko_core::model::CallerMatch { people, companies } =
        c.lookup_number("0049 30 1234567").unwrap();
    assert!(people.is_empty());
    assert_eq!(companies[0].id, co);
    assert!(
        c.lookup_number("603 999 999").unwrap().people.is_empty(),
        "nobody has it"
    );
    assert!(c.lookup_number("not a number").is_err());
    c.delete(p).unwrap();
    assert!(
        c.lookup_number("603123456").unwrap().people.is_empty(),
        "trash is not looked up"
    );
}

#[test]
fn region_decides_how_national_numbers_read() {
    let mut c = crm();
    let p = person(&mut c, "Hans", "Schmidt", "+49 30 1234567");
    assert!(
        c.lookup_number("030 1234567").is_err()
            || c.lookup_number("030 1234567").unwrap().people.is_empty()
    );
    c.set_region("DE").unwrap();
    assert_eq!(c.lookup_number("030 1234567").unwrap().people[0].id, p);
    assert!(c.set_region("XX").is_err());
}

#[test]
fn an_unselective_prefix_ranks_its_newest_matches_and_more_letters_find_all() {
    use deko_core::search::MAX_RANKED;
    let mut c = crm();
    // The oldest of many people whose names start with "n".
    let oldest = person(&mut c, "Nora", "Nagy", "603 200 000");
    for i in 0..MAX_RANKED + 10 {
        c.create_person(PersonDraft {
            given: Some("Noe".into()),
            family: Some(format!("Nix{i}")),
            ..Default::default()
        })
        .unwrap();
    }
    let newest = person(&mut c, "Nela", "Nová", "603 200 001");
    // "n" matches more than MAX_RANKED documents: a full page still comes
    // back, ranked among the newest matches (so the newest is there and the
    // oldest, past the bound, is not).
    let all: Vec<_> = c.search("n", 0, MAX_RANKED + 100).unwrap();
    assert_eq!(all.len(), MAX_RANKED, "only the newest matches are ranked");
    assert!(all.iter().any(|h| h.id == newest));
    assert!(all.iter().all(|h| h.id != oldest));
    assert_eq!(c.search("n", 0, 50).unwrap().len(), 50);
    // A selective query ranks every match, old or new.
    assert_eq!(c.search("nora", 0, 5).unwrap()[0].id, oldest);
    assert_eq!(c.search("nagy", 0, 5).unwrap()[0].id, oldest);
}

/// The people's family names in list order.
fn list_order(c: &Crm) -> Vec<String> {
    c.people(SortBy::Name, &Page::default())
        .unwrap()
        .into_iter()
        .filter_map(|p| p.family)
        .collect()
}

#[test]
fn collation_orders_by_locale_and_search_folding_agrees_for_the_same_letters() {
    let mut c = crm(); // region CZ: sorts in Czech
    assert_eq!(c.locale(), "cs");
    let names = [
        "Novák",
        "Novak",
        "Čermák",
        "Cibulka",
        "Chalupa",
        "Hruška",
        "Dvořák",
        "Ćosić",
        "Šťastný",
        "Sýkora",
        "Müller",
        "Mueller",
        "Muller",
    ];
    for (i, n) in names.iter().enumerate() {
        person(&mut c, "A", n, &format!("603 300 {i:03}"));
    }
    let order = list_order(&c);
    let at = |n: &str| order.iter().position(|x| x == n).unwrap();
    // Czech: Č is a letter after C, CH a letter after H, Š after S.
    assert!(
        at("Cibulka") < at("Ćosić") && at("Ćosić") < at("Čermák"),
        "{order:?}"
    );
    assert!(
        at("Čermák") < at("Dvořák") && at("Hruška") < at("Chalupa"),
        "{order:?}"
    );
    assert!(at("Sýkora") < at("Šťastný"), "{order:?}");
    // Search folds what the collation tells apart: "cermak" finds Čermák,
    // "novak" both Nováks, "muller" Müller; each sorts next to its base
    // letter's names where the locale says the letters are one.
    for (q, want) in [
        ("cermak", &["Čermák"][..]),
        ("novak", &["Novák", "Novak"]),
        ("muller", &["Müller", "Muller"]),
        ("stastny", &["Šťastný"]),
    ] {
        let hits: Vec<String> = c
            .search(q, 0, 20)
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect();
        for w in want {
            assert!(hits.iter().any(|h| h.ends_with(w)), "{q:?} -> {hits:?}");
        }
    }
    // Novák and Novak: one primary letter, neighbours in the list.
    assert_eq!(at("Novak") + 1, at("Novák"), "{order:?}");

    // German: ä, ö, ü with a, o, u; Č with C.
    c.set_locale("de").unwrap();
    assert_eq!(c.locale(), "de");
    let order = list_order(&c);
    let at = |n: &str| order.iter().position(|x| x == n).unwrap();
    assert!(
        at("Chalupa") < at("Cibulka") && at("Čermák") < at("Chalupa"),
        "{order:?}"
    );
    assert!(
        at("Mueller") < at("Muller") && at("Muller") < at("Müller"),
        "{order:?}"
    );
    assert!(
        at("Hruška") < at("Müller") && at("Müller") < at("Novak"),
        "{order:?}"
    );

    // Back to the region's language; a bad tag changes nothing.
    assert!(c.set_locale("not a locale!").is_err());
    assert_eq!(c.locale(), "de");
    c.set_locale("").unwrap();
    assert_eq!(c.locale(), "cs");
    c.set_region("US").unwrap();
    assert_eq!(c.locale(), "en");
}
