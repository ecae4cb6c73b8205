//! Finding things: `deko search` and `deko timeline`.

use deko_core::model::Page;
use serde_json::json;

use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};
use crate::parse;

/// `deko search QUERY`.
pub fn search(data: &DataDir, out: Out, query: &str, limit: usize) -> Result<()> {
    let crm = data.open()?;
    let hits = crm.search(query, 0, limit)?;
    out.print(
        json!(
            hits.iter()
                .map(|h| json!({"id": h.id.to_string(), "kind": h.kind, "name": h.name, "snippet": h.snippet}))
                .collect::<Vec<_>>()
        ),
        || {
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|h| vec![h.kind.clone(), h.name.clone(), h.snippet.clone(), h.id.to_string()])
                .collect();
            output::table(&["kind", "name", "match", "id"], &rows);
        },
    );
    Ok(())
}

/// `deko timeline ID`.
pub fn timeline(data: &DataDir, out: Out, id: &str, limit: usize) -> Result<()> {
    let crm = data.open()?;
    let id = parse::id(id)?;
    match crm.kind_of(&id)?.as_deref() {
        Some("person") | Some("company") => {}
        _ => {
            return Err(deko_core::Error::NotFound {
                kind: "person or company".into(),
                id: id.to_string(),
            }
            .into());
        }
    }
    let items = crm.timeline(&id, &Page { offset: 0, limit })?;
    out.print(
        json!(items.iter().map(output::timeline_json).collect::<Vec<_>>()),
        || output::timeline_table(&items),
    );
    Ok(())
}
