//! `deko region`: the phone region national numbers are read in (any region
//! libphonenumber knows), shown, listed or set; `deko locale`: the locale
//! lists are sorted by.

use deko_core::search::phone::Region;
use serde::Serialize;

use crate::data::DataDir;
use crate::error::Result;
use crate::output::Out;

/// What `deko region --json` prints (cli/README.md).
#[derive(Serialize)]
struct Shown<'a> {
    region: &'a str,
    calling_code: u16,
}

/// Shows the region, lists them all (`list`), or sets `code`.
pub fn region(data: &DataDir, out: Out, code: Option<&str>, list: bool) -> Result<()> {
    if list {
        let all: Vec<Shown> = Region::all().iter().map(shown).collect();
        out.print(&all, || {
            for r in &all {
                println!("{} +{}", r.region, r.calling_code);
            }
        });
        return Ok(());
    }
    let mut crm = data.open()?;
    if let Some(code) = code {
        crm.set_region(code)?;
    }
    let now = shown(crm.region());
    out.print(&now, || println!("{} (+{})", now.region, now.calling_code));
    Ok(())
}

fn shown(r: &Region) -> Shown<'_> {
    Shown {
        region: r.code(),
        calling_code: r.calling_code,
    }
}

/// What `deko locale --json` prints (cli/README.md).
#[derive(Serialize)]
struct Locale<'a> {
    locale: &'a str,
}

/// Shows the sort locale, or sets `tag` ("" for the region's language).
pub fn locale(data: &DataDir, out: Out, tag: Option<&str>) -> Result<()> {
    let mut crm = data.open()?;
    if let Some(tag) = tag {
        crm.set_locale(tag)?;
    }
    let now = Locale {
        locale: crm.locale(),
    };
    out.print(&now, || println!("{}", now.locale));
    Ok(())
}
