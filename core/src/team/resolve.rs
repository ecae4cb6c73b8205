//! Which team records take effect (see the rule in the module above).
//!
//! Each record is labelled in or out. A record is in when its author holds
//! admin authority for it (an earlier effective admin grant, or it is the
//! founder) and no effective revocation cuts it off; it is out when its
//! author has no authority for it or an effective revocation cuts it off.
//! Labels are final and spread like unit propagation: per device, the
//! records with authority form a suffix (in team order) and the records not
//! cut off a prefix (in seq order), so four pointers per device, each moving
//! one way, decide every record at most once: O(n log n) in all.
//!
//! What propagation leaves undecided are rings: revocations that cut each
//! other off (concurrent removals: all take effect), and revocations whose
//! own authority rests on a record they would cut off (they have no
//! effect). These are settled one ring at a time, and propagation resumes.

use std::collections::HashMap;

use super::{OrderKey, TeamChange, TeamOp, check_team_record};
use crate::identity::DeviceId;
use crate::record::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Undecided,
    In,
    Out,
}

/// Per device: its own team records and the grants and revocations naming
/// it, with the four pointers.
#[derive(Default)]
struct Device {
    /// Indices of its records, in team order (which is also seq order).
    ops: Vec<usize>,
    /// Admits naming it as admin, in team order.
    grants: Vec<usize>,
    /// Revocations naming it, by cutoff.
    kills: Vec<usize>,
    /// Whether it founded the team (authority from the start).
    founder: bool,
    /// Earliest effective grant.
    first_grant: Option<OrderKey>,
    /// First grant not out.
    grant_scan: usize,
    /// Smallest cutoff of an effective revocation.
    min_cutoff: Option<u64>,
    /// First revocation (by cutoff) not out.
    kill_scan: usize,
    /// Records from here on have authority.
    auth_from: usize,
    /// Records below this have none.
    no_auth_below: usize,
    /// Records below this are not cut off.
    alive_below: usize,
    /// Records from here on are cut off.
    dead_from: usize,
}

struct Resolver<'a> {
    ops: &'a [&'a TeamOp],
    labels: Vec<Label>,
    devices: HashMap<DeviceId, Device>,
    /// Records labelled whose consequences are not spread yet.
    queue: Vec<usize>,
}

/// Whether each record of `ops` (sorted in team order, no duplicates)
/// takes effect.
pub(super) fn effective(founder: DeviceId, ops: &[&TeamOp]) -> Vec<bool> {
    let mut r = Resolver {
        ops,
        labels: vec![Label::Undecided; ops.len()],
        devices: HashMap::new(),
        queue: Vec::new(),
    };
    r.index(founder);
    let authors: Vec<DeviceId> = r.devices.keys().copied().collect();
    for d in &authors {
        r.reposition(d, true);
    }
    r.spread();
    while r.labels.contains(&Label::Undecided) {
        r.settle_ring();
        r.spread();
    }
    r.labels.iter().map(|l| *l == Label::In).collect()
}

impl Resolver<'_> {
    fn index(&mut self, founder: DeviceId) {
        self.devices.entry(founder).or_default().founder = true;
        for (i, op) in self.ops.iter().enumerate() {
            self.devices.entry(op.author).or_default().ops.push(i);
            match &op.change {
                // A device cannot grant itself authority.
                TeamChange::Admit(a) if a.role == Role::Admin && a.device != op.author => {
                    self.devices.entry(a.device).or_default().grants.push(i)
                }
                TeamChange::Admit(_) => {}
                TeamChange::Revoke(rv) => self.devices.entry(rv.device).or_default().kills.push(i),
            }
            // Records every device refuses on receipt never take effect
            // (they reach here only from old databases or tests).
            if check_team_record(&founder, &op.author, &op.change).is_err() {
                self.labels[i] = Label::Out;
                self.queue.push(i);
            }
        }
        let ops = self.ops;
        for d in self.devices.values_mut() {
            d.kills.sort_by_key(|&i| (cutoff(ops[i]), i));
            d.auth_from = if d.founder { 0 } else { d.ops.len() };
            d.dead_from = d.ops.len();
        }
    }

    /// Moves `device`'s pointers to what the labels of its grants and
    /// revocations now say, and decides the records they passed over (all
    /// of them when `all`).
    fn reposition(&mut self, device: &DeviceId, all: bool) {
        let ops = self.ops;
        let labels = &self.labels;
        let Some(d) = self.devices.get_mut(device) else {
            return;
        };
        while d.grant_scan < d.grants.len() && labels[d.grants[d.grant_scan]] == Label::Out {
            d.grant_scan += 1;
        }
        while d.kill_scan < d.kills.len() && labels[d.kills[d.kill_scan]] == Label::Out {
            d.kill_scan += 1;
        }
        let key_at = |i: usize| ops[i].order_key();
        let seq_at = |i: usize| ops[i].seq;
        let old = (d.auth_from, d.no_auth_below, d.alive_below, d.dead_from);
        if !d.founder {
            if let Some(g) = d.first_grant {
                d.auth_from = d.auth_from.min(d.ops.partition_point(|&i| key_at(i) <= g));
            }
            let bound = d.grants.get(d.grant_scan).map(|&g| key_at(g));
            d.no_auth_below = match bound {
                Some(b) => d.ops.partition_point(|&i| key_at(i) < b),
                None => d.ops.len(),
            };
        }
        let alive = d.kills.get(d.kill_scan).map(|&k| cutoff(ops[k]));
        d.alive_below = match alive {
            Some(c) => d.ops.partition_point(|&i| seq_at(i) <= c),
            None => d.ops.len(),
        };
        if let Some(c) = d.min_cutoff {
            d.dead_from = d.dead_from.min(d.ops.partition_point(|&i| seq_at(i) <= c));
        }
        let mut touched: Vec<usize> = if all {
            (0..d.ops.len()).collect()
        } else {
            let mut t: Vec<usize> = (d.auth_from..old.0).collect();
            t.extend(old.1..d.no_auth_below);
            t.extend(old.2..d.alive_below);
            t.extend(d.dead_from..old.3);
            t
        };
        touched.sort_unstable();
        touched.dedup();
        let decided: Vec<(usize, Label)> = touched
            .into_iter()
            .filter_map(|pos| {
                let i = d.ops[pos];
                if labels[i] != Label::Undecided {
                    return None;
                }
                if pos < d.no_auth_below || pos >= d.dead_from {
                    Some((i, Label::Out))
                } else if pos >= d.auth_from && pos < d.alive_below {
                    Some((i, Label::In))
                } else {
                    None
                }
            })
            .collect();
        for (i, label) in decided {
            self.labels[i] = label;
            self.queue.push(i);
        }
    }

    /// Spreads the consequences of every newly labelled record.
    fn spread(&mut self) {
        while let Some(i) = self.queue.pop() {
            let op = self.ops[i];
            let label = self.labels[i];
            let target = match &op.change {
                TeamChange::Admit(a) if a.role == Role::Admin && a.device != op.author => {
                    if label == Label::In
                        && let Some(d) = self.devices.get_mut(&a.device)
                    {
                        let key = op.order_key();
                        d.first_grant = Some(d.first_grant.map_or(key, |g| g.min(key)));
                    }
                    a.device
                }
                TeamChange::Admit(_) => continue,
                TeamChange::Revoke(rv) => {
                    if label == Label::In
                        && let Some(d) = self.devices.get_mut(&rv.device)
                    {
                        d.min_cutoff = Some(d.min_cutoff.map_or(rv.cutoff, |c| c.min(rv.cutoff)));
                    }
                    rv.device
                }
            };
            self.reposition(&target, false);
        }
    }

    /// Whether record `i` has authority (decided: its author's pointers say so).
    fn has_authority(&self, i: usize) -> bool {
        let op = self.ops[i];
        let d = &self.devices[&op.author];
        let pos = d.ops.partition_point(|&j| j < i);
        pos >= d.auth_from
    }

    /// The undecided revocations that would cut record `i` off.
    fn undecided_killers(&self, i: usize) -> Vec<usize> {
        let op = self.ops[i];
        self.devices[&op.author]
            .kills
            .iter()
            .copied()
            .filter(|&k| cutoff(self.ops[k]) < op.seq && self.labels[k] == Label::Undecided)
            .collect()
    }

    /// Settles what propagation cannot: a ring of revocations with
    /// authority that wait only on each other all take effect; failing
    /// that, revocations whose authority is still undecided (it rests on a
    /// record their own ring would cut off) have none.
    fn settle_ring(&mut self) {
        let undecided: Vec<usize> = (0..self.ops.len())
            .filter(|&i| self.labels[i] == Label::Undecided)
            .collect();
        // Revocations with authority, closed under "waits only on such".
        let mut ring: Vec<usize> = undecided
            .iter()
            .copied()
            .filter(|&i| {
                matches!(self.ops[i].change, TeamChange::Revoke(_)) && self.has_authority(i)
            })
            .collect();
        let mut waits: HashMap<usize, Vec<usize>> = ring
            .iter()
            .map(|&i| (i, self.undecided_killers(i)))
            .collect();
        loop {
            let before = ring.len();
            let members: std::collections::HashSet<usize> = ring.iter().copied().collect();
            ring.retain(|i| waits[i].iter().all(|k| members.contains(k)));
            if ring.len() == before {
                break;
            }
        }
        waits.retain(|i, _| ring.contains(i));
        let settle: Vec<usize> = sink_cycles(&ring, &waits);
        if !settle.is_empty() {
            for i in settle {
                self.labels[i] = Label::In;
                self.queue.push(i);
            }
            return;
        }
        let baseless: Vec<usize> = undecided
            .iter()
            .copied()
            .filter(|&i| {
                matches!(self.ops[i].change, TeamChange::Revoke(_)) && !self.has_authority(i)
            })
            .collect();
        // Never loops: with no undecided revocation left, nothing can stay
        // undecided; should that ever be wrong, what is left has no effect.
        debug_assert!(
            !baseless.is_empty(),
            "undecided records with no revocation among them"
        );
        let out = if baseless.is_empty() {
            undecided
        } else {
            baseless
        };
        for i in out {
            self.labels[i] = Label::Out;
            self.queue.push(i);
        }
    }
}

fn cutoff(op: &TeamOp) -> u64 {
    match &op.change {
        TeamChange::Revoke(r) => r.cutoff,
        TeamChange::Admit(_) => u64::MAX,
    }
}

/// The members of the strongly connected components of `nodes` (edges:
/// `waits`) that are cycles and wait on nothing outside themselves.
/// Iterative Tarjan: components come out sinks first.
fn sink_cycles(nodes: &[usize], waits: &HashMap<usize, Vec<usize>>) -> Vec<usize> {
    let pos: HashMap<usize, usize> = nodes.iter().enumerate().map(|(p, &n)| (n, p)).collect();
    let n = nodes.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut next = 0;
    let succ = |p: usize| -> Vec<usize> { waits[&nodes[p]].iter().map(|k| pos[k]).collect() };
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, Vec<usize>, usize)> = vec![(root, succ(root), 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(top) = call.last_mut() {
            let v = top.0;
            if top.2 < top.1.len() {
                let w = top.1[top.2];
                top.2 += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, succ(w), 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some((parent, _, _)) = call.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut c = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps.len();
                    c.push(w);
                    if w == v {
                        break;
                    }
                }
                comps.push(c);
            }
        }
    }
    let mut out = Vec::new();
    for (ci, c) in comps.iter().enumerate() {
        let cycle = c.len() > 1 || succ(c[0]).contains(&c[0]);
        let sink = c.iter().all(|&p| succ(p).iter().all(|&w| comp[w] == ci));
        if cycle && sink {
            out.extend(c.iter().map(|&p| nodes[p]));
        }
    }
    out
}
