//! How stored phone numbers are shown: grouped the national way for
//! numbers of the database's region ("603 123 456"), the international
//! way for the rest ("+44 20 7946 0958"), as stored for a number that is
//! not E.164 (an import kept as written). The apps and `--json` show this
//! text (`Phone::display`) and dial `Phone::number`.
//!
//! Formatting takes libphonenumber's patterns: about 1.5 us a number with
//! the `regex` crate, 9 us with `regex-lite` (the apps' library), which a
//! page of 50 people pays for every number on it. The shown forms are kept,
//! so scrolling back, reopening a person or a caller's card pays nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::search::phone::{self, Region};

/// Numbers whose shown form is kept; past this the cache starts over
/// (about 100 KB at most).
const KEPT: usize = 2048;

/// The shown forms of numbers under one region.
pub(crate) struct PhoneDisplay {
    region: &'static Region,
    kept: Mutex<HashMap<String, String>>,
}

impl PhoneDisplay {
    /// Shows numbers under `region` (the database's).
    pub(crate) fn new(region: &'static Region) -> Self {
        PhoneDisplay {
            region,
            kept: Mutex::new(HashMap::new()),
        }
    }

    /// `number` (as stored) as the app shows it.
    pub(crate) fn show(&self, number: &str) -> String {
        // A poisoned lock only means another thread panicked mid-insert:
        // the map is still a valid cache.
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(shown) = kept.get(number) {
            return shown.clone();
        }
        let shown = phone::display(number, self.region);
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(number.to_string(), shown.clone());
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_national_at_home_international_abroad() {
        let d = PhoneDisplay::new(Region::by_code("CZ").unwrap());
        assert_eq!(d.show("+420603123456"), "603 123 456");
        assert_eq!(d.show("+442079460958"), "+44 20 7946 0958");
        // Kept: the same answer again.
        assert_eq!(d.show("+420603123456"), "603 123 456");
        // Not E.164 (an import kept as written): as stored.
        assert_eq!(d.show("BusinessPhone"), "BusinessPhone");
        assert_eq!(d.show(""), "");
    }

    #[test]
    fn a_full_cache_starts_over_and_still_answers() {
        let d = PhoneDisplay::new(Region::by_code("DE").unwrap());
        for i in 0..(KEPT + 10) {
            let n = format!("+4930{:07}", 1_000_000 + i);
            assert!(d.show(&n).starts_with("030 "), "{}", d.show(&n));
        }
        assert!(d.kept.lock().unwrap().len() <= KEPT);
    }
}
