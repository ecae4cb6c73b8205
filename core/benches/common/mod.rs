//! What the network benchmarks share: a founder holding many records.

use deko_core::model::Crm;
use deko_core::record::Value;

/// A CRM database in `dir` (a.db) founding a team, holding `n` people.
pub fn founder_with(dir: &std::path::Path, n: usize) -> Crm {
    let mut crm = Crm::open(dir.join("a.db")).unwrap();
    crm.create_team("Bench", "A").unwrap();
    for chunk in 0..n.div_ceil(10_000) {
        crm.store_mut()
            .bulk(|s| {
                for i in 0..10_000.min(n - chunk * 10_000) {
                    s.put(
                        "person",
                        None,
                        vec![
                            ("given".into(), Value::Text(format!("Jana{i}"))),
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
    crm
}
