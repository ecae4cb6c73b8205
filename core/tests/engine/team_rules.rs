//! Membership rules as the CRM sees them: the team's definitions need admin
//! authority on every device, a definition's creator is its creating
//! record's author, and no sequence of valid records makes a database
//! unusable.

use deko_core::Error;
use deko_core::error::StoreError;
use deko_core::identity::DeviceKey;
use deko_core::model::{Crm, FieldType, PersonDraft, SortBy, StageOutcome};
use deko_core::record::{
    BODY_VERSION, Body, EntityId, FieldWrite, Header, Hlc, Put, RecordId, Role, SignedRecord,
    Value, wall_clock_ms,
};
use deko_core::store::Store;

use super::common::*;

/// A founder's CRM and a second device's CRM admitted with `role`, in sync.
fn two(role: Role) -> (Crm, Crm) {
    let mut f = Crm::open_in_memory().unwrap();
    let team = f.create_team("Acme s.r.o.", "Eva").unwrap();
    let mut m = Crm::open_in_memory().unwrap();
    m.store_mut().join_team(team).unwrap();
    let d = m.store().device_id();
    f.store_mut()
        .admit(d, EntityId::new(), "Petr", role)
        .unwrap();
    meet(&mut f, &mut m);
    (f, m)
}

fn meet(a: &mut Crm, b: &mut Crm) {
    push(a.store(), b.store_mut());
    push(b.store(), a.store_mut());
}

/// Signs `body` as `store`'s next record and gives it to `store` as a peer
/// would: what a modified build could write.
fn craft(store: &mut Store, body: &Body) -> deko_core::store::ApplyReport {
    let me = store.device_id();
    let key = DeviceKey::from_secret(store.device_secret().unwrap());
    let seq = store
        .version_vector()
        .unwrap()
        .get(&me)
        .copied()
        .unwrap_or(0);
    let prev = store.record(&me, seq).unwrap();
    let header = Header {
        team: store.team_id().unwrap(),
        author: me,
        seq: seq + 1,
        prev: prev.as_ref().map_or(RecordId::ZERO, |p| p.id()),
        hlc: prev.map_or(Hlc::from_millis(wall_clock_ms()), |p| {
            Hlc(p.header().hlc.0 + 1)
        }),
        body_version: BODY_VERSION,
    };
    let rec = SignedRecord::sign(&key, header, &body.encode()).unwrap();
    store.apply_remote(vec![rec.into_bytes()]).unwrap()
}

#[test]
fn a_members_definitions_count_on_no_device() {
    let (mut f, mut m) = two(Role::Member);
    let err = m.add_stage("Mine", StageOutcome::Open).unwrap_err();
    assert!(
        matches!(err, Error::Store(StoreError::NotAdmin(_))),
        "{err}"
    );
    let stages = f.stages().unwrap();
    // The member's own device keeps the record, and leaves it out.
    let body = Body::Put(Put {
        kind: "stage".into(),
        entity: stages[0].id,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: Value::Text("Renamed by a member".into()),
            replaces: vec![],
        }],
    });
    let r = craft(m.store_mut(), &body);
    assert_eq!((r.applied, r.excluded, r.refused.len()), (0, 1, 0), "{r:?}");
    assert_eq!(m.stages().unwrap(), stages);
    // The founder receives it: held (the logs stay equal), left out.
    let r = push(m.store(), f.store_mut());
    assert_eq!((r.applied, r.excluded), (0, 1), "{r:?}");
    assert_eq!(f.stages().unwrap(), stages);
    assert_eq!(
        f.store_mut().state_digest().unwrap(),
        m.store_mut().state_digest().unwrap()
    );
    // Promoted later, the member's earlier record still does not count: it
    // was not written with admin authority.
    let d = m.store().device_id();
    f.store_mut()
        .admit(d, EntityId::new(), "Petr", Role::Admin)
        .unwrap();
    meet(&mut f, &mut m);
    assert_eq!(f.stages().unwrap(), stages);
    m.rename_stage(stages[0].id, "Renamed by an admin").unwrap();
    meet(&mut f, &mut m);
    assert_eq!(f.stages().unwrap()[0].name, "Renamed by an admin");
}

#[test]
fn a_definitions_creator_is_its_creating_records_author() {
    // Whichever way the two device ids sort, the creator is the admin who
    // defined the field, not the one who renamed it later.
    for renamer_sorts_first in [true, false] {
        let (mut f, mut a) = loop {
            let (f, a) = two(Role::Admin);
            if (f.store().device_id() < a.store().device_id()) == renamer_sorts_first {
                break (f, a);
            }
        };
        let creator = a.store().device_id();
        let id = a
            .define_field("Segment", "person", FieldType::Text, vec![])
            .unwrap();
        meet(&mut f, &mut a);
        f.rename_field(id, "Customer segment").unwrap();
        meet(&mut f, &mut a);
        for crm in [&mut f, &mut a] {
            let defs = crm.field_defs(Some("person")).unwrap();
            assert_eq!(defs[0].name, "Customer segment");
            assert_eq!(defs[0].created_by, creator);
        }
    }
}

#[test]
fn a_database_stays_usable_whatever_valid_records_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("founder.db");
    let mut f = Crm::open(&path).unwrap();
    let team = f.create_team("Acme s.r.o.", "Eva").unwrap();
    let jana = f
        .create_person(PersonDraft {
            given: Some("Jana".into()),
            family: Some("Nováková".into()),
            ..Default::default()
        })
        .unwrap();
    let mut a = Crm::open_in_memory().unwrap();
    a.store_mut().join_team(team).unwrap();
    let ad = a.store().device_id();
    f.store_mut()
        .admit(ad, EntityId::new(), "Adam", Role::Admin)
        .unwrap();
    meet(&mut f, &mut a);
    // The admin revokes the founder; the founder keeps writing before it
    // hears, then hears.
    let founder = f.store().device_id();
    a.store_mut().revoke(founder).unwrap();
    f.create_person(PersonDraft {
        given: Some("Late".into()),
        ..Default::default()
    })
    .unwrap();
    meet(&mut f, &mut a);
    drop(f);
    // Opens, reads, exports, tells its digest; refuses to write, clearly.
    let mut f = Crm::open(&path).unwrap();
    let people = f.people(SortBy::Name, &Default::default()).unwrap();
    assert_eq!(people.len(), 1, "the late person is left out");
    assert_eq!(people[0].id, jana);
    assert!(f.export_json().unwrap().contains("Nováková"));
    assert_eq!(
        f.store_mut().state_digest().unwrap(),
        a.store_mut().state_digest().unwrap()
    );
    let err = f
        .create_person(PersonDraft {
            given: Some("X".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), deko_core::ErrorKind::Revoked, "{err}");
    // Its head did not fall back: nothing it wrote is reused.
    let vector = f.store().version_vector().unwrap();
    assert_eq!(
        vector[&founder],
        a.store().version_vector().unwrap()[&founder]
    );
    assert!(
        f.store()
            .record(&founder, vector[&founder])
            .unwrap()
            .is_some()
    );
}
