//! Writes a few valid inputs per fuzz target into fuzz/seeds/TARGET/, so that
//! the fuzzers start from real frames, tickets and signed records instead of
//! having to find the formats' checksums, lengths and signatures:
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example gen_seeds
//! ```
//!
//! Deterministic (fixed keys and values): running it again rewrites the same
//! files. `scripts/fuzz` passes fuzz/seeds/TARGET to the fuzzer when present.

use std::net::SocketAddr;
use std::path::Path;

use deko_core::identity::{DeviceId, DeviceKey};
use deko_core::net::ticket::{Invite, InviteRole, Relay, Ticket};
use deko_core::node::StoreSync;
use deko_core::record::{
    Admit, BODY_VERSION, Body, EntityId, FieldWrite, Genesis, Header, Hlc, Labeled, Put, RecordId,
    Revoke, Role, SignedRecord, TeamId, Value, VersionId,
};
use deko_core::search::phone::Region;
use deko_core::store::Store;
use deko_core::sync::{Message, Session, SessionConfig, encode_frame};

#[path = "../fuzz_targets/common/team.rs"]
mod team;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("create seed directory");
    std::fs::write(dir.join(name), bytes).expect("write seed");
}

fn tickets() -> Vec<(&'static str, Ticket)> {
    let bare = Ticket {
        team: [0x11; 16],
        device: [0x22; 32],
        addrs: vec![],
        relay: None,
        relay_token: None,
        invite: None,
        expires_at: 0,
    };
    let v4: SocketAddr = "192.168.1.20:7443".parse().unwrap();
    let v6: SocketAddr = "[fd00::20]:7443".parse().unwrap();
    let typical = Ticket {
        addrs: vec![v4, v6],
        invite: Some(Invite {
            secret: [0x33; 16],
            role: InviteRole::Member,
        }),
        expires_at: 1_900_000_000,
        ..bare.clone()
    };
    let relay_host = Ticket {
        relay: Some(Relay::Host {
            host: "relay.example.com".into(),
            port: 7443,
        }),
        relay_token: Some(vec![0x44; 32]),
        ..typical.clone()
    };
    let relay_addr = Ticket {
        addrs: vec![v6, v4, v6],
        relay: Some(Relay::Addr("[2001:db8::1]:443".parse().unwrap())),
        relay_token: Some(vec![7]),
        invite: Some(Invite {
            secret: [0x55; 16],
            role: InviteRole::Admin,
        }),
        expires_at: u64::from(u32::MAX) + 1,
        ..bare.clone()
    };
    let expired = Ticket {
        addrs: vec![v4],
        relay: Some(Relay::Addr("10.0.0.1:9000".parse().unwrap())),
        expires_at: 1_000_000_000,
        ..bare.clone()
    };
    vec![
        ("bare", bare),
        ("typical", typical),
        ("relay_host", relay_host),
        ("relay_addr_admin_u64_expiry", relay_addr),
        ("expired", expired),
    ]
}

fn messages() -> Vec<Message> {
    vec![
        Message::Hello {
            protocol: 1,
            format: BODY_VERSION,
            team: [0x11; 16],
            digest: [0x22; 32],
        },
        Message::Vector(vec![(DeviceId([1; 32]), 5), (DeviceId([2; 32]), 300)]),
        Message::Records(vec![vec![1, 2, 3], vec![], vec![0xff; 40]]),
        Message::Ack { stored: 1000 },
        Message::Done,
        Message::Finished { digest: [0x33; 32] },
        Message::Error("the peer belongs to another team".into()),
    ]
}

fn records() -> Vec<(&'static str, SignedRecord)> {
    let key = DeviceKey::from_secret([7; 32]);
    let team = TeamId([0x11; 16]);
    let header = |seq: u64, prev: RecordId, body_version: u16| Header {
        team,
        author: key.device_id(),
        seq,
        prev,
        hlc: Hlc::from_millis(1_767_225_600_000 + seq),
        body_version,
    };
    let genesis = Body::Genesis(Genesis {
        nonce: [9; 16],
        team_name: "Acme s.r.o.".into(),
        person_id: EntityId([1; 16]),
        person_name: "Jana Nováková".into(),
    });
    let admit = Body::Admit(Admit {
        device: DeviceId([8; 32]),
        person_id: EntityId([2; 16]),
        person_name: "Petr".into(),
        role: Role::Member,
    });
    let revoke = Body::Revoke(Revoke {
        device: DeviceId([8; 32]),
        cutoff: 12,
    });
    let put = Body::Put(Put {
        kind: "person".into(),
        entity: EntityId([3; 16]),
        writes: vec![
            FieldWrite {
                field: "name".into(),
                value: Value::Text("Jana Nováková".into()),
                replaces: vec![VersionId {
                    author: key.device_id(),
                    seq: 1,
                }],
            },
            FieldWrite {
                field: "phones".into(),
                value: Value::Labeled(vec![Labeled {
                    label: "mobile".into(),
                    value: "+420 601 123 456".into(),
                }]),
                replaces: vec![],
            },
            FieldWrite {
                field: "deal".into(),
                value: Value::Money {
                    minor: 1_250_000,
                    currency: "CZK".into(),
                },
                replaces: vec![],
            },
            FieldWrite {
                field: "misc".into(),
                value: Value::Float(0.5),
                replaces: vec![],
            },
            FieldWrite {
                field: "tags".into(),
                value: Value::Texts(vec!["vip".into(), "jih".into()]),
                replaces: vec![],
            },
            FieldWrite {
                field: "attendees".into(),
                value: Value::Refs(vec![EntityId([4; 16])]),
                replaces: vec![],
            },
            FieldWrite {
                field: "cleared".into(),
                value: Value::Null,
                replaces: vec![],
            },
        ],
    });
    let mut out = Vec::new();
    let mut prev = RecordId::ZERO;
    for (seq, (name, body)) in [
        ("genesis", genesis),
        ("admit", admit),
        ("put", put),
        ("revoke", revoke),
    ]
    .into_iter()
    .enumerate()
    {
        let r = SignedRecord::sign(
            &key,
            header(seq as u64 + 1, prev, BODY_VERSION),
            &body.encode(),
        )
        .expect("sign seed record");
        prev = r.id();
        out.push((name, r));
    }
    let future = SignedRecord::sign(&key, header(5, prev, BODY_VERSION + 1), b"future")
        .expect("sign seed record");
    out.push(("future_body_version", future));
    out
}

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");

    let dir = seeds.join("ticket_parser");
    for (name, ticket) in tickets() {
        write(
            &dir,
            &format!("{name}.uri"),
            ticket.to_uri().unwrap().as_bytes(),
        );
        write(&dir, &format!("{name}.bin"), &ticket.to_bytes().unwrap());
    }

    // frame_decoder input: byte 0 = number of chunk lengths, the lengths,
    // then the stream.
    let dir = seeds.join("frame_decoder");
    let mut all = Vec::new();
    for (i, m) in messages().iter().enumerate() {
        let frame = encode_frame(&m.encode());
        all.extend_from_slice(&frame);
        write(
            &dir,
            &format!("message_{i}"),
            &[&[0u8][..], &frame].concat(),
        );
    }
    write(&dir, "all_in_one_chunk", &[&[0u8][..], &all].concat());
    write(
        &dir,
        "all_in_chunks_3_1_7",
        &[&[3u8, 3, 1, 7][..], &all].concat(),
    );
    let mut oversized = vec![2u8, 2, 5];
    oversized.extend_from_slice(&encode_frame(&Message::Done.encode()));
    oversized.extend_from_slice(&(4u32 * 1024 * 1024 + 1).to_be_bytes());
    write(&dir, "then_oversized", &oversized);

    let dir = seeds.join("record_parser");
    for (name, record) in records() {
        write(&dir, name, record.bytes());
    }

    // phone_number input: byte 0 picks the region (index into
    // Region::all(), by ISO code), then the number as written.
    let dir = seeds.join("phone_number");
    for (region, number) in PHONES {
        let at = Region::all()
            .iter()
            .position(|r| r.code() == *region)
            .expect("a known region");
        let name = format!(
            "{region}_{}",
            number.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        write(&dir, &name, &[&[at as u8][..], number.as_bytes()].concat());
    }

    // vcard_parser input: byte 0 picks the charset hint, then the file;
    // crm_input: byte 0 picks the door, then its input. The address books
    // and CSV exports the tests read (core/fixtures, with their LICENSE).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/fixtures");
    for (sub, door) in [("vcard", 2u8), ("vcard/charsets", 2), ("csv", 3)] {
        let mut files: Vec<_> = std::fs::read_dir(fixtures.join(sub))
            .expect("fixtures")
            .map(|e| e.expect("fixture").path())
            .filter(|p| p.extension().is_some_and(|e| e == "vcf" || e == "csv"))
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).expect("read fixture");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if door == 2 {
                write(
                    &seeds.join("vcard_parser"),
                    &name,
                    &[&[1u8][..], &bytes].concat(),
                );
            }
            write(
                &seeds.join("crm_input"),
                &name,
                &[&[door][..], &bytes].concat(),
            );
        }
    }
    // The address books are ez-vcard's test files (BSD): their licence
    // goes with the seeds made from them.
    std::fs::copy(
        fixtures.join("vcard/LICENSE"),
        seeds.join("LICENSE-ez-vcard"),
    )
    .expect("copy the vCard fixtures' licence");
    let dir = seeds.join("crm_input");
    let queries = [
        "nov",
        "jana acme",
        "\"fair\" AND",
        "603 123",
        "m\u{fc}ller*",
        "-(OR",
    ];
    for (i, query) in queries.iter().enumerate() {
        write(
            &dir,
            &format!("search_{i}"),
            &[&[0u8][..], query.as_bytes()].concat(),
        );
    }
    for (i, number) in ["+420603123456", "0301234567", "420 603 123 456"]
        .iter()
        .enumerate()
    {
        write(
            &dir,
            &format!("caller_{i}"),
            &[&[1u8][..], number.as_bytes()].concat(),
        );
    }

    // sync_session input: byte 0 = chunk length, then what a real peer
    // holding the team's records sends to a device holding only its
    // genesis (the fuzz target's device holds them all: duplicates).
    let dir = seeds.join("sync_session");
    for (name, holds) in [("from_genesis", 1), ("from_nothing", 0), ("up_to_date", 4)] {
        let stream = peer_stream(holds);
        write(&dir, name, &[&[0u8][..], &stream].concat());
        write(
            &dir,
            &format!("{name}_in_pieces_of_7"),
            &[&[7u8][..], &stream].concat(),
        );
    }

    println!("seeds written to {}", seeds.display());
}

/// What a peer holding every record of `team::records()` sends, in a whole
/// session, to a device holding the first `holds` of them.
fn peer_stream(holds: usize) -> Vec<u8> {
    let store_with = |n: usize| {
        let mut s = Store::open_in_memory().expect("in-memory store");
        s.join_team(team::team()).expect("join");
        let records: Vec<Vec<u8>> = team::records()
            .into_iter()
            .take(n)
            .map(|r| r.into_bytes())
            .collect();
        if !records.is_empty() {
            s.apply_remote(records).expect("apply");
        }
        s
    };
    let mut peer = store_with(usize::MAX);
    let mut device = store_with(holds);
    let cfg = SessionConfig::new(team::team().0);
    let mut a = Session::new(cfg.clone(), &mut StoreSync(&mut peer)).expect("session");
    let mut b = Session::new(cfg, &mut StoreSync(&mut device)).expect("session");
    let mut sent = Vec::new();
    for _ in 0..100 {
        let mut moved = false;
        while let Some(frame) = a.poll_transmit() {
            sent.extend_from_slice(&frame);
            b.handle_input(&mut StoreSync(&mut device), &frame)
                .expect("device takes it");
            moved = true;
        }
        while let Some(frame) = b.poll_transmit() {
            a.handle_input(&mut StoreSync(&mut peer), &frame)
                .expect("peer takes it");
            moved = true;
        }
        if !moved {
            break;
        }
    }
    assert!(
        a.is_complete() && b.is_complete(),
        "the seed session completes"
    );
    sent
}

/// Numbers as people write them, with the region they are read in.
const PHONES: &[(&str, &str)] = &[
    ("CZ", "+420 603 123 456"),
    ("CZ", "603123456"),
    ("CZ", "00420603123456"),
    ("DE", "030 1234567"),
    ("DE", "+49 (0)30 1234567"),
    ("RO", "0721 123 456"),
    ("RO", "+40 0721 123 456"),
    ("IT", "+39 06 1234 5678"),
    ("US", "(555) 123-4567 ext. 89"),
    ("US", "011 420 603 123 456"),
    ("GB", "07700 900123"),
    ("IN", "98765 43210"),
    ("JP", "090-1234-5678"),
    ("CZ", "420603123456"),
    ("CZ", "tel:+420-603-123-456"),
];
