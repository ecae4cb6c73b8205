use super::*;

fn dev(n: u8) -> DeviceId {
    DeviceId([n; 32])
}

fn genesis() -> Genesis {
    Genesis {
        nonce: [0; 16],
        team_name: "Acme".into(),
        person_id: EntityId([1; 16]),
        person_name: "Founder".into(),
    }
}

fn admit(by: u8, seq: u64, hlc: u64, who: u8, role: Role) -> TeamOp {
    TeamOp {
        author: dev(by),
        seq,
        hlc: Hlc(hlc),
        change: TeamChange::Admit(Admit {
            device: dev(who),
            person_id: EntityId([who; 16]),
            person_name: format!("P{who}"),
            role,
        }),
    }
}

fn revoke(by: u8, seq: u64, hlc: u64, who: u8, cutoff: u64) -> TeamOp {
    TeamOp {
        author: dev(by),
        seq,
        hlc: Hlc(hlc),
        change: TeamChange::Revoke(Revoke {
            device: dev(who),
            cutoff,
        }),
    }
}

fn roster(ops: &[TeamOp]) -> Roster {
    Roster::compute(TeamId([0; 16]), dev(1), &genesis(), ops)
}

/// Founder 1 admits admins 2 and 3 and member 4.
fn base() -> Vec<TeamOp> {
    vec![
        admit(1, 2, 10, 2, Role::Admin),
        admit(1, 3, 11, 3, Role::Admin),
        admit(1, 4, 12, 4, Role::Member),
    ]
}

#[test]
fn founder_admits_members_and_admins() {
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Admin),
        admit(2, 1, 20, 3, Role::Member),
    ]);
    assert!(r.is_admin(&dev(2)));
    assert_eq!(r.standing(&dev(3), 99), Standing::Accepted);
    assert_eq!(r.standing(&dev(4), 1), Standing::NotAdmitted);
    assert_eq!(r.members[&dev(3)].admitted_by, Some(dev(2)));
}

#[test]
fn members_cannot_admit_or_revoke() {
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Member),
        admit(2, 1, 20, 3, Role::Member),
        revoke(2, 2, 30, 1, 1),
        admit(2, 3, 40, 2, Role::Admin),
    ]);
    assert_eq!(r.standing(&dev(3), 1), Standing::NotAdmitted);
    assert!(r.is_admin(&dev(1)));
    assert!(!r.is_admin(&dev(2)), "no device promotes itself");
}

#[test]
fn revocation_cuts_off_and_voids_later_admin_acts() {
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Admin),
        revoke(1, 3, 20, 2, 4),
        admit(2, 5, 30, 3, Role::Member), // past 2's cutoff: void
        admit(2, 4, 15, 4, Role::Member), // within: stays
    ]);
    assert_eq!(r.standing(&dev(2), 4), Standing::Accepted);
    assert_eq!(r.standing(&dev(2), 5), Standing::Revoked { cutoff: 4 });
    assert_eq!(r.standing(&dev(3), 1), Standing::NotAdmitted);
    assert_eq!(r.standing(&dev(4), 1), Standing::Accepted);
    // Never readmitted, smallest cutoff kept.
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Member),
        revoke(1, 3, 20, 2, 9),
        revoke(1, 4, 21, 2, 3),
        admit(1, 5, 30, 2, Role::Admin),
    ]);
    assert_eq!(r.members[&dev(2)].revoked_after, Some(3));
    assert!(!r.is_admin(&dev(2)));
}

#[test]
fn a_revoked_admin_cannot_act_by_backdating() {
    // 2 is revoked with cutoff 1 at hlc 50; its record 2 claims hlc 20,
    // before the revocation, and admits 5: cut off all the same.
    let mut ops = base();
    ops.push(admit(2, 1, 15, 6, Role::Member));
    ops.push(revoke(1, 5, 50, 2, 1));
    ops.push(admit(2, 2, 20, 5, Role::Admin));
    let r = roster(&ops);
    assert_eq!(r.standing(&dev(5), 1), Standing::NotAdmitted);
    assert_eq!(
        r.standing(&dev(6), 1),
        Standing::Accepted,
        "before the cutoff"
    );
}

#[test]
fn an_admin_revoked_while_admitting_someone_admits_nobody() {
    // 2 admits 5 as its record 3 while 1 revokes 2 having seen record 2.
    let mut ops = base();
    ops.push(admit(2, 1, 20, 6, Role::Member));
    ops.push(admit(2, 2, 21, 7, Role::Member));
    ops.push(admit(2, 3, 30, 5, Role::Admin));
    ops.push(revoke(1, 5, 31, 2, 2));
    let r = roster(&ops);
    assert_eq!(r.standing(&dev(5), 1), Standing::NotAdmitted);
    assert_eq!(r.standing(&dev(7), 1), Standing::Accepted);
}

#[test]
fn concurrent_mutual_revocations_take_both_out() {
    let mut ops = base();
    ops.push(admit(2, 1, 20, 6, Role::Member));
    ops.push(admit(3, 1, 20, 7, Role::Member));
    // 2 revokes 3 having seen nothing of it, and 3 revokes 2 likewise.
    ops.push(revoke(2, 2, 30, 3, 0));
    ops.push(revoke(3, 2, 31, 2, 0));
    let r = roster(&ops);
    assert_eq!(r.members[&dev(2)].revoked_after, Some(0));
    assert_eq!(r.members[&dev(3)].revoked_after, Some(0));
    assert!(r.is_admin(&dev(1)));
    assert!(!r.is_active(&dev(2)) && !r.is_active(&dev(3)));
    // Their admissions of 6 and 7 are cut off with them.
    assert_eq!(r.standing(&dev(6), 1), Standing::NotAdmitted);
    assert_eq!(r.standing(&dev(7), 1), Standing::NotAdmitted);
}

#[test]
fn a_ring_of_revocations_takes_every_device_in_it_out() {
    let mut ops = base();
    ops.push(admit(1, 5, 13, 4, Role::Admin));
    ops.push(revoke(2, 1, 30, 3, 0));
    ops.push(revoke(3, 1, 30, 4, 0));
    ops.push(revoke(4, 1, 30, 2, 0));
    let r = roster(&ops);
    for d in [2, 3, 4] {
        assert!(!r.is_active(&dev(d)), "device {d} stays in");
    }
    assert!(r.is_active(&dev(1)));
}

#[test]
fn a_revocation_seen_before_the_counter_revocation_wins() {
    // 3 saw 2's revocation of it (its cutoff 1 keeps 3's record 1 only) and
    // revoked 2 afterwards, past its own cutoff: no effect. 2 had not been
    // cut off by anyone, so its revocation holds.
    let mut ops = base();
    ops.push(admit(3, 1, 20, 7, Role::Member));
    ops.push(revoke(2, 1, 30, 3, 1));
    ops.push(revoke(3, 2, 40, 2, 1));
    let r = roster(&ops);
    assert_eq!(r.members[&dev(3)].revoked_after, Some(1));
    assert!(r.is_active(&dev(2)));
}

#[test]
fn a_revoker_cannot_cut_off_its_own_admission() {
    // 2 was admitted by the founder's record 2; revoking the founder with
    // cutoff 1 would void that admission: no effect.
    let r = roster(&[admit(1, 2, 10, 2, Role::Admin), revoke(2, 1, 20, 1, 1)]);
    assert!(r.is_admin(&dev(1)));
    assert!(r.is_admin(&dev(2)));
    // With a cutoff that keeps the admission, the founder is revoked.
    let r = roster(&[admit(1, 2, 10, 2, Role::Admin), revoke(2, 1, 20, 1, 2)]);
    assert_eq!(r.members[&dev(1)].revoked_after, Some(2));
    assert!(r.is_admin(&dev(2)));
    // Through an intermediary: 1 admits 2 (record 2), 2 admits 3 (its
    // record 1), 3 revokes 1 with cutoff 1.
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Admin),
        admit(2, 1, 20, 3, Role::Admin),
        revoke(3, 1, 30, 1, 1),
    ]);
    assert!(r.is_active(&dev(1)));
    assert!(r.is_admin(&dev(3)));
}

#[test]
fn self_revocations_and_revocations_of_the_genesis_have_no_effect() {
    let r = roster(&[admit(1, 2, 10, 2, Role::Admin), revoke(2, 1, 20, 2, 0)]);
    assert!(r.is_active(&dev(2)));
    let r = roster(&[admit(1, 2, 10, 2, Role::Admin), revoke(2, 1, 20, 1, 0)]);
    assert!(r.is_active(&dev(1)));
    assert!(check_team_record(&dev(1), &dev(2), &revoke(2, 1, 20, 2, 0).change).is_err());
    assert!(check_team_record(&dev(1), &dev(2), &revoke(2, 1, 20, 1, 0).change).is_err());
    assert!(check_team_record(&dev(1), &dev(2), &revoke(2, 1, 20, 1, 1).change).is_ok());
}

#[test]
fn promotion_counts_from_its_place_in_the_team_order() {
    let r = roster(&[
        admit(1, 2, 10, 2, Role::Member),
        admit(2, 1, 15, 5, Role::Member), // before its promotion: no effect
        admit(1, 3, 20, 2, Role::Admin),
        admit(2, 2, 25, 6, Role::Member),
    ]);
    assert_eq!(r.standing(&dev(5), 1), Standing::NotAdmitted);
    assert_eq!(r.standing(&dev(6), 1), Standing::Accepted);
    assert!(!r.may_administer(OrderKey(Hlc(15), dev(2), 1)));
    assert!(r.may_administer(OrderKey(Hlc(25), dev(2), 2)));
    assert!(r.may_administer(OrderKey(Hlc(1), dev(1), 1)));
    assert!(!r.may_administer(OrderKey(Hlc(30), dev(6), 1)));
}

#[test]
fn order_of_input_does_not_matter() {
    let mut ops = vec![
        admit(1, 2, 10, 2, Role::Admin),
        admit(2, 1, 20, 3, Role::Admin),
        revoke(3, 1, 30, 2, 0),
        admit(2, 2, 40, 4, Role::Member),
        revoke(2, 3, 41, 3, 0),
    ];
    let a = roster(&ops);
    ops.reverse();
    assert_eq!(a, roster(&ops));
    ops.swap(1, 3);
    assert_eq!(a, roster(&ops));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Random team records among 6 devices: admits (member or admin) and
    /// revocations with any cutoff, each device's records numbered in
    /// order with rising clocks.
    fn ops() -> impl Strategy<Value = Vec<TeamOp>> {
        proptest::collection::vec((1u8..=6, 1u8..=6, 0u8..3, 0u64..6, 0u64..40), 0..40).prop_map(
            |raw| {
                let mut seq = [1u64; 7];
                let mut hlc = [0u64; 7];
                seq[1] = 2;
                raw.into_iter()
                    .map(|(by, who, kind, cutoff, dt)| {
                        let b = by as usize;
                        let s = seq[b];
                        seq[b] += 1;
                        hlc[b] += dt + 1;
                        match kind {
                            0 => admit(by, s, hlc[b], who, Role::Member),
                            1 => admit(by, s, hlc[b], who, Role::Admin),
                            _ => revoke(by, s, hlc[b], who, cutoff),
                        }
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn the_roster_is_a_function_of_the_set(ops in ops(), seed in any::<u64>()) {
            let a = roster(&ops);
            let mut shuffled = ops.clone();
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            prop_assert_eq!(&a, &roster(&shuffled));
            // The founder's genesis always stands.
            prop_assert_eq!(a.standing(&dev(1), 1), Standing::Accepted);
        }
    }
}
