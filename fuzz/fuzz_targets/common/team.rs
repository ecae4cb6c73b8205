//! A team made the same way every time (fixed keys, nonce and clocks), so
//! that seeds written by `gen_seeds` hold records and a `Hello` this
//! team's fuzz targets accept: the fuzzer starts from a real session.

use deko_core::identity::DeviceKey;
use deko_core::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Genesis, Header, Hlc, Labeled, Put, RecordId,
    SignedRecord, TeamId, Value,
};

/// The founder's key.
pub fn founder() -> DeviceKey {
    DeviceKey::from_secret([7; 32])
}

/// The team the founder's genesis founds.
pub fn team() -> TeamId {
    TeamId::derive(&founder().device_id(), &[9; 16])
}

/// Every record the founder signed: a genesis, two people, and a record of
/// a body format newer than this build's (kept, applied after an upgrade).
pub fn records() -> Vec<SignedRecord> {
    let key = founder();
    let header = |seq: u64, prev: RecordId, body_version: u16| Header {
        team: team(),
        author: key.device_id(),
        seq,
        prev,
        hlc: Hlc::from_millis(1_767_225_600_000 + seq),
        body_version,
    };
    let person = |id: u8, name: &str, phone: &str| {
        Body::Put(Put {
            kind: "person".into(),
            entity: EntityId([id; 16]),
            writes: vec![
                FieldWrite {
                    field: "given".into(),
                    value: Value::Text(name.into()),
                    replaces: vec![],
                },
                FieldWrite {
                    field: "phones".into(),
                    value: Value::Labeled(vec![Labeled {
                        label: "mobile".into(),
                        value: phone.into(),
                    }]),
                    replaces: vec![],
                },
            ],
        })
    };
    let bodies = [
        Body::Genesis(Genesis {
            nonce: [9; 16],
            team_name: "Acme s.r.o.".into(),
            person_id: EntityId([1; 16]),
            person_name: "Jana Nováková".into(),
        })
        .encode(),
        person(2, "Petr", "+420 601 123 456").encode(),
        person(3, "Eva", "+49 30 1234567").encode(),
    ];
    let mut out = Vec::new();
    let mut prev = RecordId::ZERO;
    for (i, body) in bodies.iter().enumerate() {
        let r = SignedRecord::sign(&key, header(i as u64 + 1, prev, BODY_VERSION), body)
            .expect("sign a record");
        prev = r.id();
        out.push(r);
    }
    let future = SignedRecord::sign(&key, header(4, prev, BODY_VERSION + 1), b"future")
        .expect("sign a record");
    out.push(future);
    out
}
