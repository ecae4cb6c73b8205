//! Probe (not committed): apply 100k person records into a CRM database without network.
use deko_core::model::Crm;
use deko_core::record::Value;
use deko_core::store::verify_remote;
use std::time::Instant;

fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap();
    let f: Vec<&str> = s.rsplit(')').next().unwrap().split_whitespace().collect();
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Crm::open(dir.path().join("a.db")).unwrap();
    a.create_team("Bench", "A").unwrap();
    for chunk in 0..10 {
        a.store_mut()
            .bulk(|s| {
                for i in 0..10_000 {
                    s.put(
                        "person",
                        None,
                        vec![
                            (
                                "given".into(),
                                Value::Text(format!("Jana{}", chunk * 10_000 + i)),
                            ),
                            ("family".into(), Value::Text("Nováková".into())),
                            (
                                "note".into(),
                                Value::Text("Met at the fair in Brno; wants a quote.".into()),
                            ),
                        ],
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }
    let me = a.store().device_id();
    let team = a.store().team_id().unwrap();
    let mut batches = Vec::new();
    let mut after = 0;
    loop {
        let b = a.store().records_after(&me, after, 1000).unwrap();
        if b.is_empty() {
            break;
        }
        after += b.len() as u64;
        batches.push(b);
    }
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut b = Crm::open(dir.path().join("b.db")).unwrap();
    b.store_mut().join_team(team).unwrap();
    if let Ok(v) = std::env::var("AUTOMERGE") {
        b.store().conn().execute_batch(&format!("INSERT INTO search(search, rank) VALUES('automerge', {v}); INSERT INTO search_notes(search_notes, rank) VALUES('automerge', {v});")).unwrap();
    }
    let n: usize = batches.iter().map(|b| b.len()).sum();
    let t = Instant::now();
    let c0 = cpu();
    if mode == "pipe" {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let h = std::thread::spawn(move || {
            for batch in batches {
                tx.send(verify_remote(team, batch)).unwrap();
            }
        });
        for v in rx {
            b.store_mut().apply_verified(v).unwrap();
        }
        h.join().unwrap();
    } else if mode == "defer" {
        for batch in batches {
            b.store_mut().apply_remote_deferred(batch).unwrap();
        }
        let t1 = Instant::now();
        let c1 = cpu();
        eprintln!("transfer part {:?} cpu {:.2}", t1 - t, c1 - c0);
        let n = b.store_mut().catch_up_projections().unwrap();
        eprintln!("catch up {n} in {:?} cpu {:.2}", t1.elapsed(), cpu() - c1);
    } else {
        for batch in batches {
            b.store_mut().apply_remote(batch).unwrap();
        }
    }
    let took = t.elapsed();
    eprintln!(
        "{mode}: {n} records in {took:?} = {:.0}/s; cpu {:.2}s = {:.1} us/record",
        n as f64 / took.as_secs_f64(),
        cpu() - c0,
        (cpu() - c0) * 1e6 / n as f64
    );
}
