//! CSV import of other CRMs' exports (Pipedrive, HubSpot, Salesforce; the
//! column table is in `csv_columns.rs`). The whole file is read and mapped
//! before anything is written: a file that is not CSV or has no known
//! column is refused. People go through the vCard import's path (same
//! duplicate detection, same warnings); companies are matched by name.

use serde::Serialize;

use super::Crm;
use super::csv_columns::{self, CsvRecords, Field};
use super::import_plan::{Planner, read_card};
use super::io::{Duplicate, ImportProgress, ImportReport, split_name};
use super::types::{CompanyDraft, PhoneLabel};
use super::vcard::{Card, CardPhone, PhoneKind, charset};
use crate::error::{Error, Result};
use crate::search::phone;

/// One column of a CSV file and the field it fills.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CsvColumn {
    /// The header as written.
    pub header: String,
    /// The field ("given", "phone (mobile)", …); `None`: unknown, ignored.
    pub field: Option<String>,
}

/// What a CSV import did, or (dry run) would do.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CsvImport {
    /// Nothing was written: the counts say what an import would do.
    pub dry_run: bool,
    /// Whether the rows were read as people or as companies.
    pub records: CsvRecords,
    /// Every column in file order with its field.
    pub columns: Vec<CsvColumn>,
    /// Headers no field is known for (their cells are ignored).
    pub unknown_columns: Vec<String>,
    /// Data rows read.
    pub rows: u64,
    /// People (or, for a file of companies, companies) created.
    pub created: u64,
    /// The details; after a dry run `created` lists no ids.
    pub report: ImportReport,
}

/// The file, read and mapped.
struct Sheet {
    records: CsvRecords,
    columns: Vec<CsvColumn>,
    fields: Vec<Option<Field>>,
    /// Each data row with its line number.
    rows: Vec<(u64, Vec<String>)>,
    guessed: Option<&'static str>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::invalid("csv", message)
}

/// The delimiter of the header line (when no "sep=" line names it): comma, or semicolon / tab when there
/// are more of them (Excel writes `;` in Czech and German locales).
fn delimiter(text: &str) -> u8 {
    let line = text.lines().next().unwrap_or("");
    let count = |c| line.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if tab > comma && tab > semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

fn read_sheet(source_name: &str, bytes: &[u8], region: &str) -> Result<Sheet> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(bad(format!(
            "{source_name} is not a CSV file (binary data)"
        )));
    }
    let encoding = charset::guess(bytes, Some(region));
    let guessed = (encoding != encoding_rs::UTF_8).then(|| encoding.name());
    let mut text = charset::decode(bytes, encoding);
    // Excel's "sep=;" line names the delimiter.
    let named = text
        .strip_prefix("sep=")
        .and_then(|rest| rest.bytes().next())
        .filter(u8::is_ascii_punctuation);
    let named = named.or((text.starts_with("sep=\t")).then_some(b'\t'));
    if named.is_some() {
        let end = text.find('\n').map_or(text.len(), |i| i + 1);
        text.drain(..end);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(named.unwrap_or_else(|| delimiter(&text)))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(format!("{source_name}: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(bad(format!("{source_name} is empty (no header row)")));
    }
    let records = csv_columns::records_of(&headers);
    let fields: Vec<Option<Field>> = headers
        .iter()
        .map(|h| csv_columns::field_for(h, records))
        .collect();
    let named = fields.iter().any(|f| {
        matches!(
            f,
            Some(Field::Name | Field::Given | Field::Family | Field::Organization)
        )
    });
    if !named {
        return Err(bad(format!(
            "{source_name}: no column gives a name (headers: {}); \
             known are e.g. \"Name\", \"First Name\", \"Last Name\", \"Company Name\"",
            headers.join(", ")
        )));
    }
    let columns = headers
        .iter()
        .zip(&fields)
        .map(|(h, f)| CsvColumn {
            header: h.clone(),
            field: f.map(|f| f.label().to_string()),
        })
        .collect();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(format!("{source_name}: not CSV: {e}")))?;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let line = row.position().map_or(0, |p| p.line());
        rows.push((line, row.iter().map(str::to_string).collect()));
    }
    Ok(Sheet {
        records,
        columns,
        fields,
        rows,
        guessed,
    })
}

/// Cells holding several values ("a@x.cz, b@x.cz").
fn values(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.split([',', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A row as a card: what a vCard of the same person would give.
fn card_of(fields: &[Option<Field>], row: &[String]) -> Card {
    let mut card = Card::default();
    let mut name = None;
    let mut address = Vec::new();
    let mut notes = Vec::new();
    for (field, cell) in fields.iter().zip(row) {
        let Some(field) = field else { continue };
        if cell.is_empty() {
            continue;
        }
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(cell.clone());
            }
        };
        match field {
            Field::Name => set(&mut name),
            Field::Given => set(&mut card.given),
            Field::Family => set(&mut card.family),
            Field::Organization => set(&mut card.organization),
            Field::Title => set(&mut card.title),
            Field::Website => set(&mut card.url),
            Field::Industry => {}
            Field::Phone(kind) => card.phones.extend(values(cell).map(|number| CardPhone {
                kind: *kind,
                number,
            })),
            Field::Email => card.emails.extend(values(cell)),
            Field::Address => address.push(cell.clone()),
            Field::Note => notes.push(cell.clone()),
            Field::Tags => card.categories.extend(values(cell)),
        }
    }
    if card.given.is_none() && card.family.is_none() {
        let whole = name.as_deref().unwrap_or("");
        // "Family, Given" (a sorted list's form), else "Given Family".
        (card.given, card.family) = match whole.split_once(',') {
            Some((family, given)) if !given.contains(',') && !given.trim().is_empty() => (
                Some(given.trim().to_string()),
                Some(family.trim().to_string()),
            ),
            _ => split_name(whole),
        };
    }
    card.formatted_name = name;
    card.address = (!address.is_empty()).then(|| address.join(", "));
    card.note = (!notes.is_empty()).then(|| notes.join("\n\n"));
    card
}

fn phone_label(kind: PhoneKind) -> PhoneLabel {
    match kind {
        PhoneKind::Mobile => PhoneLabel::Mobile,
        PhoneKind::Work => PhoneLabel::Work,
        PhoneKind::Home => PhoneLabel::Home,
        PhoneKind::Other => PhoneLabel::Other,
    }
}

impl Crm {
    /// Imports the people or companies of a CSV export (Pipedrive, HubSpot,
    /// Salesforce, or any sheet with known headers). The file is read and
    /// mapped whole first: a file that is not CSV or has no name column is
    /// an error and nothing is stored. With `dry_run` the import runs in a
    /// transaction that is rolled back: the result says what it would do.
    pub fn import_csv(
        &mut self,
        source_name: &str,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<CsvImport> {
        self.import_csv_with_progress(source_name, bytes, dry_run, &mut |_| {})
    }

    /// [`Crm::import_csv`], telling `progress` now and then how far it is.
    pub fn import_csv_with_progress(
        &mut self,
        source_name: &str,
        bytes: &[u8],
        dry_run: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<CsvImport> {
        let sheet = read_sheet(source_name, bytes, self.region.code())?;
        let mut report = ImportReport::default();
        if let Some(charset) = sheet.guessed {
            report.warnings.push(format!(
                "{source_name} is not UTF-8: read as {charset} (a guess from its letters)"
            ));
        }
        let unknown_columns: Vec<String> = sheet
            .columns
            .iter()
            .filter(|c| c.field.is_none() && !c.header.is_empty())
            .map(|c| c.header.clone())
            .collect();
        if !unknown_columns.is_empty() {
            report.warnings.push(format!(
                "columns ignored (no field for them): {}",
                unknown_columns.join(", ")
            ));
        }
        let started = self.store.begin_bulk()?;
        if dry_run && !started {
            return Err(bad("a dry run cannot be part of another bulk write"));
        }
        let result = self.import_rows(&sheet, &mut report, progress);
        if dry_run {
            self.store.abort_bulk(started)?;
            result?;
        } else {
            self.store.end_bulk(started, result)?;
        }
        let created = match sheet.records {
            CsvRecords::People => report.created.len(),
            CsvRecords::Companies => report.companies_created as usize,
        } as u64;
        if dry_run {
            report.created.clear();
        }
        Ok(CsvImport {
            dry_run,
            records: sheet.records,
            columns: sheet.columns,
            unknown_columns,
            rows: sheet.rows.len() as u64,
            created,
            report,
        })
    }

    fn import_rows(
        &mut self,
        sheet: &Sheet,
        report: &mut ImportReport,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<()> {
        let region = self.region;
        let mut plan = Planner::new(region, self.store.conn())?;
        let total = sheet.rows.len();
        for (i, (line, row)) in sheet.rows.iter().enumerate() {
            if i.is_multiple_of(4096) && i > 0 {
                progress(ImportProgress::Read { done: i, total });
            }
            let at = format!("line {line}");
            let card = card_of(&sheet.fields, row);
            match sheet.records {
                CsvRecords::People => {
                    if card.given.is_none() && card.family.is_none() && card.organization.is_none()
                    {
                        report.warnings.push(format!("{at}: no name; skipped"));
                        continue;
                    }
                    let card = read_card(card, at, region, &self.collation, None);
                    plan.decide(self.store.conn(), card, report)?;
                }
                CsvRecords::Companies => self.import_company_row(card, row, sheet, &at, report)?,
            }
        }
        self.create_planned(plan, progress)
    }

    fn import_company_row(
        &mut self,
        card: Card,
        row: &[String],
        sheet: &Sheet,
        at: &str,
        report: &mut ImportReport,
    ) -> Result<()> {
        let Some(name) = card.formatted_name.clone() else {
            report.warnings.push(format!("{at}: no name; skipped"));
            return Ok(());
        };
        if let Some(existing) = self.company_by_name(&name)? {
            report.duplicates.push(Duplicate {
                name,
                existing,
                matched: "name".into(),
            });
            return Ok(());
        }
        let mut phones = Vec::new();
        for p in &card.phones {
            if phone::normalize(&p.number, self.region).is_err() {
                report.warnings.push(format!(
                    "{at} ({name}): phone {:?} kept as written; it cannot be read as a number in region {}",
                    p.number,
                    self.region.code()
                ));
            }
            phones.push((phone_label(p.kind), p.number.clone()));
        }
        let emails: Vec<String> = card
            .emails
            .iter()
            .filter(|e| e.contains('@'))
            .cloned()
            .collect();
        for e in card.emails.iter().filter(|e| !e.contains('@')) {
            report.warnings.push(format!(
                "{at} ({name}): {e:?} is not an email address; left out"
            ));
        }
        let industry = sheet
            .fields
            .iter()
            .zip(row)
            .find(|(f, cell)| **f == Some(Field::Industry) && !cell.is_empty())
            .map(|(_, cell)| cell.clone());
        let id = self.create_company(CompanyDraft {
            name: Some(name),
            phones: Some(phones),
            emails: Some(emails),
            website: card.url,
            address: card.address,
            industry,
            note: card.note,
            custom: Vec::new(),
        })?;
        report.created.push(id);
        report.companies_created += 1;
        Ok(())
    }
}
