//! Moving data in and out: `deko import FILE.vcf|.csv|.json`, `deko export`, and
//! `deko demo` (generated sample data).

use std::path::Path;

use deko_core::model::{CsvImport, CsvRecords, ImportProgress, ImportReport};
use deko_testdata::demo;
use deko_testdata::{Generator, Sizes};
use indicatif::ProgressBar;
use serde_json::json;

use crate::args::ExportFormat;
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::{Out, count, grouped};
use crate::parse;
use crate::progress;

/// Feeds an import's progress to `bar`. Reading and storing are two runs
/// of the bar: each starts from zero, with its own rate and time left.
fn show_import(bar: &ProgressBar, name: &str) -> impl FnMut(ImportProgress) {
    let (bar, name) = (bar.clone(), name.to_string());
    let mut phase = "reading";
    move |p| {
        let (what, done, total) = match p {
            ImportProgress::Read { done, total } => ("reading", done, total),
            ImportProgress::Stored { done, total } => ("storing", done, total),
        };
        if what != phase {
            phase = what;
            bar.reset();
        }
        bar.set_message(format!("{what} {name}"));
        progress::advance(&bar, progress::ITEMS, done as u64, total as u64);
    }
}

/// What a file to import is.
#[derive(PartialEq)]
enum Format {
    Vcard,
    Csv,
    Json,
}

/// By extension; else by content (a vCard begins with `BEGIN:VCARD`, a
/// JSON export with `{`, anything else is read as CSV).
fn format_of(file: &Path, bytes: &[u8]) -> Format {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("json") => return Format::Json,
        Some("csv" | "tsv") => return Format::Csv,
        Some("vcf" | "vcard") => return Format::Vcard,
        _ => {}
    }
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = &start[start.len() - start.trim_ascii_start().len()..];
    if start.len() >= 11 && start[..11].eq_ignore_ascii_case(b"BEGIN:VCARD") {
        Format::Vcard
    } else if start.starts_with(b"{") {
        Format::Json
    } else {
        Format::Csv
    }
}

/// `deko import FILE` (.vcf, .csv or a Deko .json export); `--dry-run`
/// shows a CSV file's column mapping and counts without writing.
pub fn import(data: &DataDir, out: Out, file: &Path, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).map_err(|source| CliError::File {
        path: file.to_path_buf(),
        source,
    })?;
    let mut crm = data.open()?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vCard".into());
    let format = format_of(file, &bytes);
    if dry_run && format != Format::Csv {
        return Err(CliError::usage("--dry-run previews CSV imports only"));
    }
    let bar = progress::spinner(&format!("reading {name}"));
    if format == Format::Csv {
        let result =
            crm.import_csv_with_progress(&name, &bytes, dry_run, &mut show_import(&bar, &name));
        bar.finish_and_clear();
        let result = result?;
        out.print(&result, || print_csv(&result));
        return Ok(());
    }
    let report = if format == Format::Json {
        // A Deko JSON export (or what `export --salvage` got out).
        std::str::from_utf8(&bytes)
            .map_err(|_| deko_core::Error::invalid("file", format!("{name} is not UTF-8 text")))
            .and_then(|text| crm.import_json(text))
    } else {
        crm.import_vcard_with_progress(&name, &bytes, &mut show_import(&bar, &name))
    };
    bar.finish_and_clear();
    let report = report?;
    out.print(&report, || {
        println!(
            "imported {} ({}), skipped {}",
            count(report.created.len() as u64, "person", "people"),
            count(report.companies_created, "new company", "new companies"),
            count(report.duplicates.len() as u64, "duplicate", "duplicates")
        );
        print_details(&report);
    });
    Ok(())
}

fn print_details(report: &ImportReport) {
    for d in &report.duplicates {
        println!(
            "  duplicate: {} (already {}, same {})",
            d.name, d.existing, d.matched
        );
    }
    for w in &report.warnings {
        println!("  warning: {w}");
    }
}

fn print_csv(r: &CsvImport) {
    let what = match r.records {
        CsvRecords::People => "people",
        CsvRecords::Companies => "companies",
    };
    if r.dry_run {
        println!("dry run: nothing was written");
        println!("columns ({what}):");
        for c in &r.columns {
            match &c.field {
                Some(f) => println!("  {:<28} -> {f}", c.header),
                None => println!("  {:<28} (ignored)", c.header),
            }
        }
    }
    let verb = if r.dry_run {
        "would import"
    } else {
        "imported"
    };
    if r.records == CsvRecords::People {
        println!(
            "{verb} {} of {} as people ({}), {} skipped",
            grouped(r.created),
            count(r.rows, "row", "rows"),
            count(r.report.companies_created, "new company", "new companies"),
            count(r.report.duplicates.len() as u64, "duplicate", "duplicates")
        );
    } else {
        println!(
            "{verb} {} of {} as companies, {} skipped",
            grouped(r.created),
            count(r.rows, "row", "rows"),
            count(r.report.duplicates.len() as u64, "duplicate", "duplicates")
        );
    }
    print_details(&r.report);
}

/// `deko export`.
pub fn export(
    data: &DataDir,
    format: ExportFormat,
    companies: bool,
    file: Option<&Path>,
) -> Result<()> {
    let crm = data.open()?;
    let text = match format {
        ExportFormat::Json => crm.export_json()?,
        ExportFormat::Csv if companies => crm.export_companies_csv()?,
        ExportFormat::Csv => crm.export_people_csv()?,
        ExportFormat::Vcard => crm.export_vcard()?,
    };
    write_out(&text, file)
}

/// `deko export --salvage`: what a damaged database still gives, as JSON,
/// without opening it for use.
pub fn salvage(data: &DataDir, format: ExportFormat, file: Option<&Path>) -> Result<()> {
    if format != ExportFormat::Json {
        return Err(CliError::usage("--salvage exports JSON (--format json)"));
    }
    if !data.has_db() {
        return Err(CliError::NoDatabase(data.path().to_path_buf()));
    }
    let doc = deko_core::model::salvage_json(&data.db_path())?;
    let problems = doc["problems"].as_array().map_or(0, Vec::len);
    let text = serde_json::to_string_pretty(&doc).map_err(|e| CliError::usage(e.to_string()))?;
    write_out(&text, file)?;
    let len = |key: &str| doc[key].as_array().map_or(0, Vec::len) as u64;
    eprintln!(
        "salvaged {} and {}; {} could not be read (see \"problems\")",
        count(len("records"), "record", "records"),
        count(len("entities"), "entity", "entities"),
        count(problems as u64, "thing", "things"),
    );
    Ok(())
}

/// Prints `text`, or writes it to `file` (next to it first, then renamed:
/// never a half file).
fn write_out(text: &str, file: Option<&Path>) -> Result<()> {
    match file {
        None => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
        }
        Some(path) => {
            // Written next to the target and renamed: never a half file.
            let tmp = path.with_extension("deko-tmp");
            let err = |source| CliError::File {
                path: path.to_path_buf(),
                source,
            };
            std::fs::write(&tmp, text.as_bytes()).map_err(err)?;
            std::fs::rename(&tmp, path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                err(e)
            })?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// `deko demo`: generated companies, people, activities, deals and tasks.
pub fn demo(data: &DataDir, out: Out, people: usize, seed: u64) -> Result<()> {
    if people == 0 || people > 1_000_000 {
        return Err(CliError::usage("--people is 1 to 1,000,000"));
    }
    let small = Sizes::small();
    let scale = |n: usize| (n * people).div_ceil(small.people).max(1);
    let sizes = Sizes {
        people,
        companies: scale(small.companies),
        activities: scale(small.activities),
        tasks: scale(small.tasks),
        deals: scale(small.deals),
    };
    let mut crm = data.open()?;
    let bar = progress::spinner("generating sample data");
    let dataset = Generator::new(seed).generate(&sizes, parse::now_ms());
    bar.finish_and_clear();
    let bar = progress::spinner("storing sample data");
    let loaded = demo::load_with_progress(&mut crm, &dataset, &mut |done, total| {
        progress::advance(&bar, progress::ITEMS, done as u64, total as u64);
    });
    bar.finish_and_clear();
    let loaded = loaded?;
    let json = json!({"people": loaded.people.len(), "companies": loaded.companies.len(),
               "activities": loaded.activities.len(), "tasks": loaded.tasks.len(),
               "deals": loaded.deals.len()});
    out.print(&json, || {
        let n = |v: usize| v as u64;
        println!(
            "added {}, {}, {}, {}, {}",
            count(n(loaded.people.len()), "person", "people"),
            count(n(loaded.companies.len()), "company", "companies"),
            count(n(loaded.activities.len()), "activity", "activities"),
            count(n(loaded.tasks.len()), "task", "tasks"),
            count(n(loaded.deals.len()), "deal", "deals")
        )
    });
    Ok(())
}
