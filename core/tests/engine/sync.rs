//! The sans-IO sync protocol between real stores, frames moved in memory.

use deko_core::Error;
use deko_core::error::SyncError;
use deko_core::node::StoreSync;
use deko_core::record::{EntityId, Role};
use deko_core::store::Store;
use deko_core::sync::{Message, PROTOCOL_VERSION, Session, SessionConfig, encode_frame};

use super::common::*;

fn config(s: &Store) -> SessionConfig {
    let mut c = SessionConfig::new(s.team_id().unwrap().0);
    c.batch_records = 300;
    c
}

/// Runs a session between `a` and `b` until both complete, or until
/// `cut_after` frames have moved (then the "connection" drops).
/// Returns (frames moved, bytes moved, completed).
fn run(a: &mut Store, b: &mut Store, cut_after: Option<usize>) -> (usize, u64, bool) {
    let mut sa = Session::new(config(a), &mut StoreSync(a)).unwrap();
    let mut sb = Session::new(config(b), &mut StoreSync(b)).unwrap();
    let (mut frames, mut bytes) = (0usize, 0u64);
    for _ in 0..100_000 {
        let mut moved = false;
        while let Some(f) = sa.poll_transmit() {
            if cut_after.is_some_and(|c| frames >= c) {
                return (frames, bytes, false);
            }
            frames += 1;
            bytes += f.len() as u64;
            sb.handle_input(&mut StoreSync(b), &f).unwrap();
            moved = true;
        }
        while let Some(f) = sb.poll_transmit() {
            if cut_after.is_some_and(|c| frames >= c) {
                return (frames, bytes, false);
            }
            frames += 1;
            bytes += f.len() as u64;
            sa.handle_input(&mut StoreSync(a), &f).unwrap();
            moved = true;
        }
        if sa.is_complete() && sb.is_complete() {
            assert_eq!(sa.vectors_equal(), Some(true));
            assert_eq!(sb.vectors_equal(), Some(true));
            return (frames, bytes, true);
        }
        assert!(moved, "stalled");
    }
    panic!("did not finish");
}

fn admitted_joiner(founder: &mut Store) -> Store {
    let mut j = Store::open_in_memory().unwrap();
    j.join_team(founder.team_id().unwrap()).unwrap();
    founder
        .admit(j.device_id(), EntityId::new(), "Joiner", Role::Member)
        .unwrap();
    j
}

fn write_people(s: &mut Store, n: usize, tag: &str) {
    s.bulk(|s| {
        for i in 0..n {
            s.put(
                "person",
                None,
                fields(&[("name", text(&format!("{tag} {i}")))]),
            )?;
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn first_sync_of_a_new_device_moves_everything() {
    let mut a = team(1).remove(0);
    write_people(&mut a, 10_500, "A");
    let mut b = admitted_joiner(&mut a);
    let (_, _, done) = run(&mut a, &mut b, None);
    assert!(done);
    assert_eq!(b.record_count().unwrap(), a.record_count().unwrap());
    assert_eq!(a.state_digest().unwrap(), b.state_digest().unwrap());
    assert_eq!(b.pending_count().unwrap(), 0);
    // The joiner can write now, and that comes back.
    let id = b
        .put("person", None, fields(&[("name", text("from b"))]))
        .unwrap();
    run(&mut a, &mut b, None);
    assert!(a.get(&id).unwrap().is_some());
}

#[test]
fn nothing_new_costs_one_round_trip_and_a_few_hundred_bytes() {
    let mut t = team(2);
    for i in 0..40 {
        t[i % 2]
            .put("person", None, fields(&[("name", text("x"))]))
            .unwrap();
    }
    let (a, b) = pair(&mut t, 0, 1);
    run(a, b, None);
    let (frames, bytes, done) = run(a, b, None);
    assert!(done);
    assert_eq!(frames, 2, "one hello each way");
    assert!(bytes < 200, "{bytes} bytes");
}

#[test]
fn incremental_both_ways_and_conflicts_listed_on_both_sides() {
    let mut t = team(2);
    let id = t[0]
        .put("person", None, fields(&[("name", text("Jan"))]))
        .unwrap();
    let (a, b) = pair(&mut t, 0, 1);
    run(a, b, None);
    a.put("person", Some(id), fields(&[("name", text("Jan Novák"))]))
        .unwrap();
    b.put("person", Some(id), fields(&[("name", text("Jan Nowak"))]))
        .unwrap();
    write_people(a, 50, "a");
    write_people(b, 70, "b");
    run(a, b, None);
    assert_eq!(a.state_digest().unwrap(), b.state_digest().unwrap());
    assert_eq!(a.conflicts().unwrap().len(), 1);
    assert_eq!(b.conflicts().unwrap()[0].values.len(), 2);
}

#[test]
fn records_travel_a_to_b_to_c_and_are_verified_at_c() {
    let mut t = team(3);
    let id = t[0]
        .put("person", None, fields(&[("name", text("from A"))]))
        .unwrap();
    {
        let (a, b) = pair(&mut t, 0, 1);
        run(a, b, None);
    }
    {
        let (b, c) = pair(&mut t, 1, 2);
        run(b, c, None);
    }
    assert_eq!(t[2].get(&id).unwrap().unwrap().text("name"), Some("from A"));
    let d0 = t[0].state_digest().unwrap();
    assert_eq!(t[2].state_digest().unwrap(), d0);
}

#[test]
fn a_cut_at_any_point_loses_nothing_and_the_next_session_resumes() {
    let mut a = team(1).remove(0);
    write_people(&mut a, 3_000, "A");
    let mut b = admitted_joiner(&mut a);
    write_people(&mut b, 0, "B");
    let mut cuts = 0;
    for cut in [1usize, 2, 3, 4, 5, 7, 9, 12, 15] {
        let (_, _, done) = run(&mut a, &mut b, Some(cut));
        if !done {
            cuts += 1;
        }
        // Whatever was stored is whole: a contiguous prefix per author.
        let vv = b.version_vector().unwrap();
        for (author, seq) in vv {
            assert_eq!(
                b.records_after(&author, 0, usize::MAX >> 1).unwrap().len() as u64,
                seq
            );
        }
    }
    assert!(cuts > 3);
    let (_, _, done) = run(&mut a, &mut b, None);
    assert!(done);
    assert_eq!(a.state_digest().unwrap(), b.state_digest().unwrap());
    assert_eq!(
        a.record_count().unwrap(),
        b.record_count().unwrap(),
        "nothing lost or duplicated"
    );
}

fn fresh_session(s: &mut Store) -> Session {
    Session::new(config(s), &mut StoreSync(s)).unwrap()
}

#[test]
fn malformed_and_oversized_frames_end_the_session_and_change_nothing() {
    let mut s = team(1).remove(0);
    write_people(&mut s, 10, "x");
    let before = snapshot(&mut s).unwrap();
    for bad in [
        encode_frame(&[0xff, 0x00, 0x13]),
        encode_frame(b""),
        ((deko_core::sync::MAX_FRAME as u32) + 1)
            .to_be_bytes()
            .to_vec(),
        encode_frame(&Message::Records(vec![vec![1, 2, 3]]).encode()),
        encode_frame(&Message::Ack { stored: 1 }.encode()),
    ] {
        let mut session = fresh_session(&mut s);
        session.poll_transmit();
        let err = session
            .handle_input(&mut StoreSync(&mut s), &bad)
            .unwrap_err();
        assert!(matches!(err, Error::Sync(SyncError::Protocol(_))), "{err}");
        assert!(session.is_failed());
        let reply = session.poll_transmit().expect("the peer is told why");
        assert!(Message::decode(&reply[4..]).is_ok_and(|m| matches!(m, Message::Error(_))));
        assert_eq!(snapshot(&mut s).unwrap(), before);
    }
    // A stream that ends early is an error too.
    let mut session = fresh_session(&mut s);
    session
        .handle_input(&mut StoreSync(&mut s), &[0, 0])
        .unwrap();
    assert!(
        session
            .handle_eof()
            .unwrap_err()
            .to_string()
            .contains("middle of a frame")
    );
}

#[test]
fn version_and_team_mismatch_are_clear_errors() {
    let mut s = team(1).remove(0);
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION + 1,
        format: 1,
        team: s.team_id().unwrap().0,
        digest: [0; 32],
    };
    let mut session = fresh_session(&mut s);
    let err = session
        .handle_input(&mut StoreSync(&mut s), &encode_frame(&hello.encode()))
        .unwrap_err();
    assert!(matches!(err, Error::Sync(SyncError::Version { .. })));
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("version {}", PROTOCOL_VERSION + 1))
            && msg.contains(&format!("version {PROTOCOL_VERSION}")),
        "{msg}"
    );
    let other = Message::Hello {
        protocol: PROTOCOL_VERSION,
        format: 1,
        team: [9; 16],
        digest: [0; 32],
    };
    let mut session = fresh_session(&mut s);
    let err = session
        .handle_input(&mut StoreSync(&mut s), &encode_frame(&other.encode()))
        .unwrap_err();
    assert!(err.to_string().contains("another team"), "{err}");
}

/// A founder and `members` members who write `each` people per turn for
/// `turns` turns, each turn synced to the founder: the founder's log holds
/// their records interleaved in time.
fn writing_in_turns(members: usize, turns: usize, each: usize) -> Vec<Store> {
    let mut t = team(members + 1);
    for turn in 0..turns {
        for m in 1..=members {
            write_people(&mut t[m], each, &format!("M{m} turn {turn}"));
            let (f, member) = pair(&mut t, 0, m);
            run(f, member, None);
        }
    }
    t
}

/// The records `from` sends `to` in one session, in the order sent.
fn sent_order(
    from: &mut Store,
    to: &mut Store,
    cfg: SessionConfig,
) -> Vec<deko_core::record::SignedRecord> {
    let (most, most_bytes) = (cfg.batch_records, cfg.batch_bytes);
    let mut sa = Session::new(cfg, &mut StoreSync(from)).unwrap();
    let mut sb = Session::new(config(to), &mut StoreSync(to)).unwrap();
    let mut sent = Vec::new();
    for _ in 0..100_000 {
        while let Some(f) = sa.poll_transmit() {
            if let Ok(Message::Records(batch)) = Message::decode(&f[4..]) {
                let bytes: usize = batch.iter().map(Vec::len).sum();
                assert!(batch.len() <= most, "{} records in a batch", batch.len());
                assert!(
                    batch.len() == 1 || bytes <= most_bytes,
                    "{bytes} bytes in a batch"
                );
                sent.extend(
                    batch
                        .into_iter()
                        .map(|r| deko_core::record::SignedRecord::parse(r).unwrap()),
                );
            }
            sb.handle_input(&mut StoreSync(to), &f).unwrap();
        }
        while let Some(f) = sb.poll_transmit() {
            sa.handle_input(&mut StoreSync(from), &f).unwrap();
        }
        if sa.is_complete() && sb.is_complete() {
            return sent;
        }
    }
    panic!("did not finish");
}

#[test]
fn a_teams_records_reach_a_new_device_in_the_order_they_were_written() {
    let mut t = writing_in_turns(3, 4, 30);
    let founder = &mut t[0];
    let mut joiner = admitted_joiner(founder);
    let cfg = config(founder);
    let sent = sent_order(founder, &mut joiner, cfg);
    assert_eq!(sent.len() as u64, founder.record_count().unwrap());
    // The founder's (the admin's: admissions) first, then the members'
    // merged by clock, each member's in seq order.
    let me = founder.device_id();
    let admins = sent.iter().take_while(|r| r.header().author == me).count();
    assert!(sent[admins..].iter().all(|r| r.header().author != me));
    let members = &sent[admins..];
    assert_eq!(members.len(), 3 * 4 * 30);
    assert!(
        members
            .windows(2)
            .all(|w| w[0].header().hlc <= w[1].header().hlc),
        "members' records by clock"
    );
    let mut last = std::collections::HashMap::new();
    for r in members {
        let h = r.header();
        let prev = last.insert(h.author, h.seq).unwrap_or(0);
        assert_eq!(h.seq, prev + 1, "each author's records in seq order");
    }
    // Authors alternate (turns), as written; not one author after another.
    let switches = members
        .windows(2)
        .filter(|w| w[0].header().author != w[1].header().author)
        .count();
    assert!(switches >= 11, "{switches} switches of author");
    assert_eq!(
        joiner.state_digest().unwrap(),
        founder.state_digest().unwrap()
    );
    assert_eq!(joiner.pending_count().unwrap(), 0);
}

#[test]
fn merged_batches_keep_their_record_and_byte_bounds() {
    let mut t = writing_in_turns(2, 3, 25);
    let founder = &mut t[0];
    let mut joiner = admitted_joiner(founder);
    // Seven records or about three records' bytes a batch, whichever is less.
    let mut cfg = config(founder);
    cfg.batch_records = 7;
    cfg.batch_bytes = 600;
    let sent = sent_order(founder, &mut joiner, cfg);
    assert_eq!(sent.len() as u64, founder.record_count().unwrap());
    let me = founder.device_id();
    let members: Vec<_> = sent.iter().filter(|r| r.header().author != me).collect();
    assert_eq!(members.len(), 2 * 3 * 25);
    assert!(
        members
            .windows(2)
            .all(|w| w[0].header().hlc <= w[1].header().hlc)
    );
    assert_eq!(
        joiner.state_digest().unwrap(),
        founder.state_digest().unwrap()
    );
}
