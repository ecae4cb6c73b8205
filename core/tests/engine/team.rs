//! Team membership carried by the log.

use deko_core::record::{EntityId, Role};
use deko_core::store::Store;

use super::common::*;

#[test]
fn roster_travels_with_the_log() {
    let mut t = team(3);
    for s in t.iter_mut() {
        let r = s.roster().unwrap().unwrap();
        assert_eq!(r.members.len(), 3);
        assert_eq!(r.team_name, "Acme s.r.o.");
    }
    let d = t[0].device_id();
    assert!(t[2].roster().unwrap().unwrap().is_admin(&d));
}

#[test]
fn promoted_member_admits_others() {
    let mut t = team(2);
    let m = t[1].device_id();
    t[0].admit(m, EntityId::new(), "Member 1", Role::Admin)
        .unwrap();
    sync_all(&mut t);
    let mut newcomer = Store::open_in_memory().unwrap();
    newcomer.join_team(t[0].team_id().unwrap()).unwrap();
    let n = newcomer.device_id();
    t[1].admit(n, EntityId::new(), "Newcomer", Role::Member)
        .unwrap();
    t.push(newcomer);
    sync_all(&mut t);
    let id = t[2]
        .put(
            "person",
            None,
            fields(&[("name", text("written by the newcomer"))]),
        )
        .unwrap();
    sync_all(&mut t);
    assert!(t[0].get(&id).unwrap().is_some());
}

#[test]
fn revocation_arriving_late_takes_records_out_of_the_state_everywhere() {
    let mut t = team(3);
    let bad = t[2].device_id();
    let id = t[2]
        .put("person", None, fields(&[("name", text("ok"))]))
        .unwrap();
    sync_all(&mut t);
    let cutoff = t[0].revoke(bad).unwrap();
    // The revoked device writes more; t[1] gets those before the revocation.
    t[2].put("person", Some(id), fields(&[("name", text("vandalised"))]))
        .unwrap();
    let late = t[2].records_after(&bad, cutoff, 100).unwrap();
    assert_eq!(t[1].apply_remote(late).unwrap().applied, 1);
    assert_eq!(
        t[1].get(&id).unwrap().unwrap().text("name"),
        Some("vandalised")
    );
    // Now the revocation reaches t[1]: the late record leaves the state but
    // stays in the log, and reaches t[0] at the next sync, left out there too.
    let (a, b) = pair(&mut t, 0, 1);
    push(a, b);
    assert_eq!(t[1].get(&id).unwrap().unwrap().text("name"), Some("ok"));
    assert_eq!(t[1].version_vector().unwrap()[&bad], cutoff + 1);
    assert_eq!(t[0].state_digest().unwrap(), t[1].state_digest().unwrap());
    assert_eq!(t[1].quarantine_count().unwrap(), 0);
    sync_all(&mut t);
    assert_eq!(
        t[0].version_vector().unwrap(),
        t[1].version_vector().unwrap()
    );
    assert_eq!(t[0].state_digest().unwrap(), t[1].state_digest().unwrap());
    assert_eq!(t[0].get(&id).unwrap().unwrap().text("name"), Some("ok"));
}
