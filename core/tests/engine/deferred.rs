//! Projections deferred during a large transfer and caught up afterwards:
//! the views end up exactly as if every record had been projected on
//! arrival, also when the process stops before the catch-up.

use std::path::Path;

use deko_core::model::{Crm, Page, SortBy, TaskFilter};
use deko_core::record::{EntityId, Role};
use deko_core::store::{Store, StoreOptions};
use deko_testdata::{Generator, Sizes};

use super::crm::crm;

const NOW: i64 = 1_790_000_000_000;

/// Every derived row of the CRM views, in a stable order (search documents
/// by entity, since docids depend on the order of arrival).
pub(super) fn views(c: &Crm) -> Vec<String> {
    let conn = c.store().conn();
    let mut out = Vec::new();
    for (table, order) in [
        ("people", "id"),
        ("companies", "id"),
        ("activities", "id"),
        ("links", "target, at, entity"),
        // Links a bulk fill staged: none once it is over.
        ("links_fill", "entity, target"),
        ("tasks", "id"),
        ("deals", "id"),
        ("stages", "id"),
        ("field_defs", "id"),
        ("phones", "number, entity"),
        ("emails", "email, entity"),
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = table.to_string();
                for i in 0..cols {
                    line.push_str(&format!(" {:?}", r.get_ref(i)?));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    for (table, cols) in [
        ("search", "s.name || '|' || s.body"),
        ("search_notes", "s.body"),
    ] {
        let sql = format!(
            "SELECT d.entity, d.kind, {cols} FROM {table} s JOIN search_docs d ON d.docid = s.rowid ORDER BY d.entity"
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{table} {:?} {} {}",
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// A founder with generated data of realistic shape, and a joined device.
fn founder_and_joiner(joiner: Crm) -> (Crm, Crm) {
    let sizes = Sizes {
        people: 80,
        companies: 15,
        activities: 500,
        tasks: 40,
        deals: 20,
    };
    founder_and_joiner_of(joiner, &sizes)
}

/// `founder_and_joiner` with the founder holding `sizes` of generated data.
fn founder_and_joiner_of(joiner: Crm, sizes: &Sizes) -> (Crm, Crm) {
    let mut a = crm();
    let data = Generator::new(11).generate(sizes, NOW);
    deko_testdata::load(&mut a, &data).unwrap();
    let mut b = joiner;
    b.store_mut()
        .join_team(a.store().team_id().unwrap())
        .unwrap();
    let dev = b.store().device_id();
    a.store_mut()
        .admit(dev, EntityId::new(), "Petr Member", Role::Member)
        .unwrap();
    (a, b)
}

/// Sends every record of `from` to `to` in batches of 500, deferred.
fn transfer_deferred(from: &Crm, to: &mut Crm) -> usize {
    let mut n = 0;
    for (author, seq) in from.store().version_vector().unwrap() {
        let mut after = 0;
        while after < seq {
            let batch = from.store().records_after(&author, after, 500).unwrap();
            after += batch.len() as u64;
            n += to.store_mut().apply_remote_deferred(batch).unwrap().applied;
        }
    }
    n
}

#[test]
fn caught_up_views_equal_views_projected_on_arrival() {
    let (mut a, mut b) = founder_and_joiner(Crm::open_in_memory().unwrap());
    let applied = transfer_deferred(&a, &mut b);
    assert!(applied > 600);
    assert_eq!(
        b.store_mut().state_digest().unwrap(),
        a.store_mut().state_digest().unwrap()
    );
    let behind = b.store().projections_behind().unwrap();
    assert!(behind > 600, "entities wait for their views: {behind}");
    assert_ne!(views(&b), views(&a), "the views lag until the catch-up");
    let projected = b.store_mut().catch_up_projections().unwrap();
    assert_eq!(projected as u64, behind);
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(views(&b), views(&a));
    // Nothing left: a second catch-up does nothing.
    assert_eq!(b.store_mut().catch_up_projections().unwrap(), 0);
}

#[test]
fn views_of_entities_created_in_bulk_equal_the_views_a_rebuild_makes() {
    // Generated data is created in bulk: its states are merged and encoded
    // on the signing thread, then stored and projected.
    let (mut a, _) = founder_and_joiner(Crm::open_in_memory().unwrap());
    let made = views(&a);
    let digest = a.store_mut().state_digest().unwrap();
    a.store_mut().rebuild().unwrap();
    assert_eq!(views(&a), made);
    assert_eq!(a.store_mut().state_digest().unwrap(), digest);
}

#[test]
fn a_state_that_cannot_be_read_part_way_fails_the_catch_up_whole() {
    let (a, mut b) = founder_and_joiner(Crm::open_in_memory().unwrap());
    transfer_deferred(&a, &mut b);
    let behind = b.store().projections_behind().unwrap();
    let before = views(&b);
    // Past the first piece the writer projects while the next is prepared.
    let damaged = Stopped::damage(&b, 300);
    let err = b.store_mut().catch_up_projections().unwrap_err();
    assert!(err.to_string().contains("entity"), "{err}");
    assert_eq!(
        b.store().projections_behind().unwrap(),
        behind,
        "every mark kept"
    );
    assert_eq!(views(&b), before, "no view written");
    damaged.repair(&b);
    b.store_mut().catch_up_projections().unwrap();
    assert_eq!(views(&b), views(&a));
}

/// A catch-up chunk of many pieces: the writer reads the marks a piece at a
/// time and keeps the preparing thread a few pieces ahead; an entity whose
/// state cannot be read while pieces after it are in flight fails the
/// chunk whole, and the next catch-up projects everything as on arrival.
#[test]
fn a_chunk_of_many_pieces_streams_through_the_preparer_and_fails_whole() {
    let sizes = Sizes {
        people: 300,
        companies: 40,
        activities: 2_400,
        tasks: 60,
        deals: 30,
    };
    let (a, mut b) = founder_and_joiner_of(Crm::open_in_memory().unwrap(), &sizes);
    transfer_deferred(&a, &mut b);
    let behind = b.store().projections_behind().unwrap();
    assert!(
        behind > 2_500,
        "more pieces than are prepared ahead: {behind}"
    );
    let before = views(&b);
    let damaged = Stopped::damage(&b, 2_000);
    let err = b.store_mut().catch_up_projections().unwrap_err();
    assert!(err.to_string().contains("entity"), "{err}");
    assert_eq!(b.store().projections_behind().unwrap(), behind);
    assert_eq!(views(&b), before, "no view written");
    damaged.repair(&b);
    assert_eq!(b.store_mut().catch_up_projections().unwrap() as u64, behind);
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(views(&b), views(&a));
}

/// A catch-up counts its entities for the app (the node's `SyncEvent::Views`):
/// from nothing, rising, to the whole; opening with nothing behind says
/// nothing.
#[test]
fn a_catch_up_tells_how_far_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (a, mut b) = founder_and_joiner(filling(Some(&path)));
    transfer_deferred(&a, &mut b);
    let behind = b.store().projections_behind().unwrap();
    drop(b);
    let mut seen = Vec::new();
    let b = Crm::open_catching_up(&path, &mut |done, total| seen.push((done, total))).unwrap();
    assert_eq!(seen.first(), Some(&(0, behind)), "{seen:?}");
    assert_eq!(seen.last(), Some(&(behind, behind)), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    let ends = seen.iter().filter(|(done, _)| *done == behind).count();
    assert_eq!(ends, 1, "the whole is told once, last: {seen:?}");
    assert_eq!(views(&b), views(&a));
    drop(b);
    let mut again = Vec::new();
    Crm::open_catching_up(&path, &mut |done, total| again.push((done, total))).unwrap();
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_catch_up_cut_short_finishes_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (a, mut b) = founder_and_joiner(Crm::open(&path).unwrap());
    transfer_deferred(&a, &mut b);
    // Part of the catch-up ran, then the process stopped.
    assert_eq!(b.store_mut().catch_up_some(50).unwrap(), 50);
    drop(b);
    let b = Crm::open(&path).unwrap();
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(views(&b), views(&a));
}

#[test]
fn local_edits_and_rebuilds_meet_deferred_entities_correctly() {
    let (mut a, mut b) = founder_and_joiner(Crm::open_in_memory().unwrap());
    transfer_deferred(&a, &mut b);
    // An edit on a device that still owes views, then more from the founder.
    let page = Page::default();
    assert!(
        b.people(SortBy::Name, &page).unwrap().is_empty(),
        "nobody projected yet"
    );
    let id = a.people(SortBy::Name, &page).unwrap()[0].id;
    b.store_mut()
        .put(
            "person",
            Some(id),
            vec![("title".into(), deko_core::record::Value::Text("CEO".into()))],
        )
        .unwrap();
    b.store_mut().rebuild().unwrap();
    assert_eq!(
        b.store().projections_behind().unwrap(),
        0,
        "a rebuild projects all"
    );
    b.store_mut().catch_up_projections().unwrap();
    super::common::exchange(a.store_mut(), b.store_mut());
    assert_eq!(views(&b), views(&a));
}

/// A joiner whose catch-up of more than 100 entities (and of most of its
/// state) is a bulk fill.
fn filling(path: Option<&Path>) -> Crm {
    let options = StoreOptions {
        fill_min: 100,
        ..Default::default()
    };
    match path {
        Some(path) => Crm::open_with(path, options).unwrap(),
        None => Crm::with_store(Store::open_in_memory_with(options).unwrap()).unwrap(),
    }
}

/// A bulk fill stopped once begun: an entity part-way whose state cannot
/// be read makes the catch-up fail, as a killed process would stop it.
struct Stopped {
    victim: Vec<u8>,
    state: Vec<u8>,
}

impl Stopped {
    fn part_way(c: &mut Crm) -> Stopped {
        let stopped = Stopped::damage(c, 300);
        assert!(c.store_mut().catch_up_projections().is_err());
        stopped
    }

    /// Makes the state of the lagging entity at `offset` (in key order)
    /// unreadable.
    fn damage(c: &Crm, offset: usize) -> Stopped {
        let (victim, state) = c
            .store()
            .conn()
            .query_row(
                "SELECT e.id, e.state FROM projection_dirty d JOIN entities e ON e.id = d.entity
                 ORDER BY d.entity LIMIT 1 OFFSET ?1",
                [offset as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let stopped = Stopped { victim, state };
        stopped.set_state(c, &[0]);
        stopped
    }

    /// Gives the entity its state back.
    fn repair(&self, c: &Crm) {
        self.set_state(c, &self.state);
    }

    fn set_state(&self, c: &Crm, state: &[u8]) {
        c.store()
            .conn()
            .execute(
                "UPDATE entities SET state = ?2 WHERE id = ?1",
                (&self.victim, state),
            )
            .unwrap();
    }
}

/// Every index of the database: its name, its definition and where its
/// B-tree starts (an index built anew gets a new root page).
pub(super) fn index_table(c: &Crm) -> Vec<(String, Option<String>, i64)> {
    let conn = c.store().conn();
    let mut stmt = conn
        .prepare("SELECT name, sql, rootpage FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every index of the database with its definition.
pub(super) fn indexes(c: &Crm) -> Vec<(String, Option<String>)> {
    index_table(c)
        .into_iter()
        .map(|(n, sql, _)| (n, sql))
        .collect()
}

#[test]
fn a_first_catch_up_is_a_bulk_fill_with_the_views_and_indexes_of_projection_on_arrival() {
    let (a, mut b) = founder_and_joiner(filling(None));
    let before = indexes(&b);
    transfer_deferred(&a, &mut b);
    let behind = b.store().projections_behind().unwrap();
    assert!(behind > 600);
    let projected = b.store_mut().catch_up_projections().unwrap();
    assert_eq!(projected as u64, behind);
    assert_eq!(views(&b), views(&a), "last contacts included");
    assert_eq!(indexes(&b), before, "every index built again as it was");
    let fill_marks: i64 = b
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM meta WHERE key LIKE 'fill%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fill_marks, 0, "the fill is over");
}

#[test]
fn a_bulk_fill_cut_short_serves_reads_and_writes_and_finishes_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (mut a, mut b) = founder_and_joiner(filling(Some(&path)));
    let before = indexes(&b);
    transfer_deferred(&a, &mut b);
    let stopped = Stopped::part_way(&mut b);
    assert_ne!(indexes(&b), before, "the fill dropped the lists' indexes");

    // Meanwhile every list reads (scanning what has no index) and the
    // app writes.
    let page = Page::default();
    let person = a
        .people(SortBy::Name, &page)
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .find(|id| id.0[..] != stopped.victim[..])
        .unwrap();
    let company = a.companies(SortBy::Name, &page).unwrap()[0].id;
    b.people(SortBy::Name, &page).unwrap();
    b.people(SortBy::Updated, &page).unwrap();
    b.companies(SortBy::Name, &page).unwrap();
    b.company_people(&company).unwrap();
    b.timeline(&person, &page).unwrap();
    b.recent_calls(&page).unwrap();
    b.unknown_numbers(&page).unwrap();
    b.not_contacted_since(30, NOW, &page).unwrap();
    b.tasks(TaskFilter::Open, NOW, 0).unwrap();
    b.pipeline().unwrap();
    b.store_mut()
        .put(
            "person",
            Some(person),
            vec![("title".into(), deko_core::record::Value::Text("CEO".into()))],
        )
        .unwrap();

    // The process stops; the next open finishes the fill.
    stopped.repair(&b);
    drop(b);
    let mut b = filling(Some(&path));
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(indexes(&b), before);
    super::common::exchange(a.store_mut(), b.store_mut());
    assert_eq!(views(&b), views(&a));
}

#[test]
fn a_damaged_kept_index_definition_is_refused_and_nothing_is_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (a, mut b) = founder_and_joiner(filling(Some(&path)));
    transfer_deferred(&a, &mut b);
    Stopped::part_way(&mut b).repair(&b);
    let conn = b.store().conn();
    conn.execute(
        "UPDATE meta SET value = CAST('DROP TABLE entities' AS BLOB) WHERE key = 'fill.index.people_by_name'",
        [],
    )
    .unwrap();
    assert_eq!(conn.changes(), 1, "the fill keeps its definitions in meta");
    let err = b.store_mut().catch_up_projections().unwrap_err();
    assert!(
        err.to_string().contains("people_by_name"),
        "a clear error: {err}"
    );
    let entities: i64 = b
        .store()
        .conn()
        .query_row("SELECT count(*) FROM entities", [], |r| r.get(0))
        .unwrap();
    assert!(entities > 600, "nothing of the kept text was run");
}

/// A fill moving its staged links in a transaction of their own after a
/// chunk, not only at its end, ends with the views of projection on
/// arrival. A second projection sees each move: two here (after the one
/// chunk, and at the end), each after the CRM's, with nothing left staged.
#[test]
fn a_fill_moving_its_staged_links_after_every_chunk_ends_as_projection_on_arrival() {
    use std::sync::{Arc, Mutex};

    use deko_core::Result;
    use deko_core::merge::EntityState;
    use deko_core::store::Projection;
    use rusqlite::Connection;

    /// Records, at each move, the links moved so far and those still staged.
    struct Moves(Arc<Mutex<Vec<(i64, i64)>>>);

    impl Projection for Moves {
        fn name(&self) -> &'static str {
            "moves"
        }
        fn clear(&self, _: &Connection) -> Result<()> {
            Ok(())
        }
        fn project(&self, _: &Connection, _: &EntityId, _: &EntityState) -> Result<()> {
            Ok(())
        }
        fn merge_fill(&self, conn: &Connection) -> Result<()> {
            let count = |table: &str| -> i64 {
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                    .unwrap()
            };
            self.0
                .lock()
                .unwrap()
                .push((count("links"), count("links_fill")));
            Ok(())
        }
    }

    let options = StoreOptions {
        fill_min: 100,
        fill_merge: 1,
        ..Default::default()
    };
    let joiner = Crm::with_store(Store::open_in_memory_with(options).unwrap()).unwrap();
    let (a, mut b) = founder_and_joiner(joiner);
    let moves = Arc::new(Mutex::new(Vec::new()));
    b.store_mut()
        .add_projection(Box::new(Moves(moves.clone())))
        .unwrap();
    transfer_deferred(&a, &mut b);
    b.store_mut().catch_up_projections().unwrap();
    assert_eq!(views(&b), views(&a));
    let moves = moves.lock().unwrap().clone();
    let links = a
        .store()
        .conn()
        .query_row("SELECT count(*) FROM links", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert!(links > 500, "{links}");
    assert_eq!(moves, vec![(links, 0), (links, 0)]);
}

/// Links a fill staged and had not moved yet when it stopped (a killed
/// process between chunks) meet an edit of their call, which replaces
/// them, and move into `links` when the next catch-up ends the fill.
#[test]
fn links_staged_by_a_fill_stopped_between_chunks_meet_edits_and_move_at_its_end() {
    use deko_core::record::Value;

    let (mut a, mut b) = founder_and_joiner(filling(None));
    transfer_deferred(&a, &mut b);
    b.store_mut().catch_up_projections().unwrap();
    assert_eq!(views(&b), views(&a));
    // What a fill stopped between chunks leaves: the links of the calls
    // staged, the fill still marked as under way.
    let conn = b.store().conn();
    conn.execute_batch(
        "INSERT INTO links_fill (entity, target, at, kind)
           SELECT entity, target, at, kind FROM links WHERE kind IN ('call', 'missed');
         DELETE FROM links WHERE kind IN ('call', 'missed');
         INSERT INTO meta (key, value) VALUES ('fill', x'');",
    )
    .unwrap();
    let (call, person): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT entity, target FROM links_fill f
             WHERE EXISTS (SELECT 1 FROM people WHERE id = f.target)
             ORDER BY entity LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let other: Vec<u8> = conn
        .query_row(
            "SELECT id FROM people WHERE id != ?1 ORDER BY id LIMIT 1",
            [&person],
            |r| r.get(0),
        )
        .unwrap();
    let call = EntityId::from_slice(&call).unwrap();
    let other = EntityId::from_slice(&other).unwrap();
    // Meanwhile the call is moved to another person.
    b.store_mut()
        .put(
            "call",
            Some(call),
            vec![("people".into(), Value::Refs(vec![other]))],
        )
        .unwrap();
    let staged: i64 = b
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM links_fill WHERE entity = ?1",
            [&call.0[..]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(staged, 0, "the edit replaced the staged links");
    b.store_mut().catch_up_projections().unwrap();
    super::common::exchange(a.store_mut(), b.store_mut());
    a.store_mut().catch_up_projections().unwrap();
    assert_eq!(views(&b), views(&a));
    let moved: i64 = b
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM links WHERE entity = ?1 AND target = ?2",
            (&call.0[..], &other.0[..]),
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(moved, 1);
}

/// Sends `to` what `from` has and it lacks, in deferred batches of 500,
/// letting `to` project ahead after each batch until it has nothing more
/// to do (as a session waiting for its peer does); returns how many
/// entities it projected so.
fn transfer_projecting_ahead(from: &Crm, to: &mut Crm, limit: usize) -> usize {
    let held = to.store().version_vector().unwrap();
    let mut ahead = 0;
    for (author, seq) in from.store().version_vector().unwrap() {
        let mut after = held.get(&author).copied().unwrap_or(0);
        while after < seq {
            let batch = from.store().records_after(&author, after, 500).unwrap();
            after += batch.len() as u64;
            to.store_mut().apply_remote_deferred(batch).unwrap();
            loop {
                match to.store_mut().catch_up_ahead(limit).unwrap() {
                    0 => break,
                    n => ahead += n,
                }
            }
        }
    }
    ahead
}

#[test]
fn a_fill_projected_while_the_transfer_arrives_ends_as_projection_on_arrival() {
    use deko_core::record::Value;

    let options = StoreOptions {
        fill_min: 100,
        fill_merge: 150,
        ..Default::default()
    };
    let joiner = Crm::with_store(Store::open_in_memory_with(options).unwrap()).unwrap();
    let (mut a, mut b) = founder_and_joiner(joiner);
    let before = indexes(&b);
    assert_eq!(
        b.store_mut().catch_up_ahead(100).unwrap(),
        0,
        "nothing lags"
    );
    let ahead = transfer_projecting_ahead(&a, &mut b, 100);
    assert!(ahead >= 300, "most of the fill went ahead: {ahead}");
    let marked: bool = b
        .store()
        .conn()
        .query_row("SELECT 1 FROM meta WHERE key = 'fill'", [], |_| Ok(true))
        .unwrap();
    assert!(
        marked,
        "the fill goes on until the catch-up after the transfer"
    );
    // People the fill already projected change before it ends.
    let projected: Vec<EntityId> = b
        .store()
        .conn()
        .prepare("SELECT id FROM people ORDER BY id LIMIT 5")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|id| EntityId::from_slice(&id.unwrap()).unwrap())
        .collect();
    assert_eq!(projected.len(), 5);
    for id in &projected {
        a.store_mut()
            .put(
                "person",
                Some(*id),
                vec![("given".into(), Value::Text("Renamed".into()))],
            )
            .unwrap();
    }
    transfer_projecting_ahead(&a, &mut b, 100);
    let behind = b.store().projections_behind().unwrap();
    assert_eq!(b.store_mut().catch_up_projections().unwrap() as u64, behind);
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(views(&b), views(&a), "last contacts and renames included");
    assert_eq!(indexes(&b), before, "every index built again as it was");
    let fill_rows: i64 = b
        .store()
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM meta WHERE key LIKE 'fill%')
                  + (SELECT count(*) FROM links_fill)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fill_rows, 0, "the fill is over, nothing left staged");
}

#[test]
fn a_device_that_is_not_filling_projects_nothing_ahead() {
    // The default fill_min (50,000) is far above this transfer.
    let (a, mut b) = founder_and_joiner(Crm::open_in_memory().unwrap());
    assert_eq!(transfer_projecting_ahead(&a, &mut b, 100), 0);
    assert!(b.store().projections_behind().unwrap() > 600);
    b.store_mut().catch_up_projections().unwrap();
    assert_eq!(views(&b), views(&a));
}

#[test]
fn a_chunk_projected_ahead_that_fails_stops_the_work_ahead_and_the_catch_up_meets_it() {
    let options = StoreOptions {
        fill_min: 100,
        ..Default::default()
    };
    let joiner = Crm::with_store(Store::open_in_memory_with(options).unwrap()).unwrap();
    let (a, mut b) = founder_and_joiner(joiner);
    transfer_deferred(&a, &mut b);
    let behind = b.store().projections_behind().unwrap();
    let stopped = Stopped::damage(&b, 50);
    assert!(
        b.store_mut().catch_up_ahead(100).is_err(),
        "the damaged state"
    );
    assert_eq!(
        b.store().projections_behind().unwrap(),
        behind,
        "the chunk rolled back whole"
    );
    assert_eq!(
        b.store_mut().catch_up_ahead(100).unwrap(),
        0,
        "no more tries"
    );
    assert!(b.store_mut().catch_up_projections().is_err(), "met again");
    // Repaired, the next session's work ahead and catch-up end the fill.
    stopped.repair(&b);
    b.store_mut().end_ahead();
    assert_eq!(b.store_mut().catch_up_ahead(100).unwrap(), 100);
    b.store_mut().catch_up_projections().unwrap();
    assert_eq!(b.store().projections_behind().unwrap(), 0);
    assert_eq!(views(&b), views(&a));
}
