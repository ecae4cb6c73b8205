//! The regions a database can read national numbers by: every region
//! libphonenumber's metadata knows (about 245), by ISO 3166-1 code.

use std::sync::OnceLock;

use rlibphonenumber::PHONE_NUMBER_UTIL as UTIL;
use rlibphonenumber::enums::Region as Lib;

/// A region's dialing rules, as libphonenumber's metadata has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// Country calling code (420 for CZ, 1 for the US and Canada).
    pub calling_code: u16,
    code: [u8; 2],
    lib: Lib,
}

impl Region {
    /// Every region libphonenumber knows, sorted by ISO code.
    pub fn all() -> &'static [Region] {
        static ALL: OnceLock<Vec<Region>> = OnceLock::new();
        ALL.get_or_init(|| {
            let mut all: Vec<Region> = UTIL
                .get_supported_regions()
                .filter_map(|lib| {
                    let code = lib.as_region_str();
                    let code: [u8; 2] = code.as_bytes().try_into().ok()?;
                    let cc = UTIL.get_country_code_for_region(lib)?;
                    Some(Region {
                        calling_code: u16::try_from(cc).ok()?,
                        code,
                        lib,
                    })
                })
                .collect();
            all.sort_unstable_by_key(|r| r.code);
            all
        })
    }

    /// ISO 3166-1 alpha-2 code, upper case ("CZ").
    pub fn code(&self) -> &str {
        // Two ASCII letters, checked when the table was built.
        std::str::from_utf8(&self.code).unwrap_or("ZZ")
    }

    /// The region with this ISO code, any letter case ("cz" finds CZ).
    pub fn by_code(iso: &str) -> Option<&'static Region> {
        let iso = iso.trim().to_ascii_uppercase();
        let all = Self::all();
        all.binary_search_by(|r| r.code.as_slice().cmp(iso.as_bytes()))
            .ok()
            .map(|i| &all[i])
    }

    /// The main region of a country calling code (1 gives the US, 44 GB).
    pub fn by_calling_code(cc: u16) -> Option<&'static Region> {
        let lib = UTIL.get_region_for_country_code(i32::from(cc))?;
        Self::all().iter().find(|r| r.lib == lib)
    }

    /// libphonenumber's own name of the region.
    pub(super) fn lib(&self) -> Lib {
        self.lib
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_libphonenumber_knows() {
        let all = Region::all();
        assert!(all.len() > 240, "{}", all.len());
        assert!(all.windows(2).all(|w| w[0].code < w[1].code));
        for code in "RO HR SI GR BG UA RS BA MK AL MD LT LV EE IS MT CY TR BR IN JP ZA".split(' ') {
            let r = Region::by_code(&code.to_lowercase()).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(r.code(), code);
        }
        assert_eq!(Region::by_code(" ro ").map(|r| r.calling_code), Some(40));
        assert_eq!(Region::by_calling_code(1).map(Region::code), Some("US"));
        assert_eq!(Region::by_calling_code(44).map(Region::code), Some("GB"));
        assert_eq!(Region::by_calling_code(39).map(Region::code), Some("IT"));
        for bad in ["", "X", "XX", "001", "CZE", "ÄÖ", "c z"] {
            assert!(Region::by_code(bad).is_none(), "{bad:?}");
        }
        assert!(Region::by_calling_code(999).is_none());
    }
}
