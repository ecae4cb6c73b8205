//! Import and export: heavy work, so async; it runs on the library
//! runtime's blocking pool and never on the caller's thread.

use std::sync::Arc;

use deko_core::model::{CsvImport, ImportReport};

use crate::database::Database;
use crate::error::Result;
use crate::runtime;

#[uniffi::export]
impl Database {
    /// Imports a vCard file (`source_name` names it in messages): all or
    /// nothing; people already here (same phone or email) are skipped.
    pub async fn import_vcard(
        self: Arc<Self>,
        source_name: String,
        bytes: Vec<u8>,
    ) -> Result<ImportReport> {
        runtime::run_blocking(move || self.with_crm(|c| c.import_vcard(&source_name, &bytes))).await
    }

    /// Imports a CSV export of Pipedrive, HubSpot or Salesforce (people or
    /// companies, mapped by header); with `dry_run` nothing is written and
    /// the result shows the mapping and what would be created.
    pub async fn import_csv(
        self: Arc<Self>,
        source_name: String,
        bytes: Vec<u8>,
        dry_run: bool,
    ) -> Result<CsvImport> {
        runtime::run_blocking(move || {
            self.with_crm(|c| c.import_csv(&source_name, &bytes, dry_run))
        })
        .await
    }

    /// Imports a JSON export (all or nothing).
    pub async fn import_json(self: Arc<Self>, text: String) -> Result<ImportReport> {
        runtime::run_blocking(move || self.with_crm(|c| c.import_json(&text))).await
    }

    /// Every person as vCard 4.0 text.
    pub async fn export_vcard(self: Arc<Self>) -> Result<String> {
        runtime::run_blocking(move || self.with_crm(|c| c.export_vcard())).await
    }

    /// People as CSV.
    pub async fn export_people_csv(self: Arc<Self>) -> Result<String> {
        runtime::run_blocking(move || self.with_crm(|c| c.export_people_csv())).await
    }

    /// Companies as CSV.
    pub async fn export_companies_csv(self: Arc<Self>) -> Result<String> {
        runtime::run_blocking(move || self.with_crm(|c| c.export_companies_csv())).await
    }

    /// Every entity (trash included) as JSON.
    pub async fn export_json(self: Arc<Self>) -> Result<String> {
        runtime::run_blocking(move || self.with_crm(|c| c.export_json())).await
    }
}
