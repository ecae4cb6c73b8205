//! Finding things: `deko search` and `deko timeline`.

use deko_core::model::Page;

use crate::data::DataDir;
use crate::error::Result;
use crate::output::{self, Out};
use crate::reference;

/// `deko search QUERY`.
pub fn search(data: &DataDir, out: Out, query: &str, limit: usize) -> Result<()> {
    let crm = data.open()?;
    let hits = crm.search(query, 0, limit)?;
    out.print(&hits, || {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                vec![
                    h.kind.clone(),
                    h.name.clone(),
                    h.snippet.clone(),
                    h.id.to_string(),
                ]
            })
            .collect();
        output::table(&["kind", "name", "match", "id"], &rows);
    });
    Ok(())
}

/// `deko timeline ID`.
pub fn timeline(data: &DataDir, out: Out, id: &str, limit: usize) -> Result<()> {
    let crm = data.open()?;
    let id = reference::entity(&crm, id, &["person", "company"])?;
    crm.expect_kind(&id, &["person", "company"])?;
    let items = crm.timeline(&id, &Page::first(limit))?;
    out.print(&items, || output::timeline_table(&items));
    Ok(())
}
