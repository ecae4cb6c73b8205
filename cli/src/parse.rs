//! Reading what people type on the command line: times, durations, money,
//! labelled phone numbers, ids and custom-field values (names of people,
//! companies, deals and tasks: `reference`).

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use deko_core::model::{Crm, FieldDef, FieldType, Money, PhoneLabel};
use deko_core::record::{EntityId, Value};

use crate::error::{CliError, Result};

/// Now, in ms since the epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A duration such as `4m30s`, `90s`, `1h` (humantime syntax).
pub fn duration(s: &str) -> Result<std::time::Duration> {
    humantime::parse_duration(s.trim()).map_err(|e| {
        CliError::usage(format!(
            "cannot read duration {s:?}: {e} (try 4m30s, 10m, 2h)"
        ))
    })
}

/// Which way a duration with no sign ("2d") points from now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bare {
    /// Refused: the field has no natural direction.
    Refused,
    /// Back from now: when something happened ("--at 3h" = 3 hours ago).
    Ago,
    /// On from now: when something is due ("--due 2d" = in 2 days).
    Ahead,
}

/// A point in time: `now`, `+2d` / `-3h` (relative to now), RFC 3339, or a
/// local `YYYY-MM-DD[ HH:MM[:SS]]`. Returns ms since the epoch.
pub fn time(s: &str) -> Result<i64> {
    time_from(s, Bare::Refused)
}

/// [`time`] where a duration with no sign points as `bare` says.
pub fn time_from(s: &str, bare: Bare) -> Result<i64> {
    let t = s.trim();
    let bad = || {
        let example = match bare {
            Bare::Refused => "+2d, -3h",
            Bare::Ago => "3h (ago), -3h",
            Bare::Ahead => "2d (from now), +2d",
        };
        CliError::usage(format!(
            "cannot read time {s:?} (try now, {example}, 2026-12-01, \"2026-12-01 14:30\" or RFC 3339)"
        ))
    };
    if t.eq_ignore_ascii_case("now") {
        return Ok(now_ms());
    }
    if bare != Bare::Refused
        && t.starts_with(|c: char| c.is_ascii_digit())
        && let Ok(d) = humantime::parse_duration(t)
    {
        let d = d.as_millis().min(i64::MAX as u128) as i64;
        return Ok(if bare == Bare::Ago {
            now_ms().saturating_sub(d)
        } else {
            now_ms().saturating_add(d)
        });
    }
    if let Some(rest) = t.strip_prefix('+') {
        let d = humantime::parse_duration(rest).map_err(|_| bad())?;
        return Ok(now_ms().saturating_add(d.as_millis().min(i64::MAX as u128) as i64));
    }
    if let Some(rest) = t.strip_prefix('-') {
        let d = humantime::parse_duration(rest).map_err(|_| bad())?;
        return Ok(now_ms().saturating_sub(d.as_millis().min(i64::MAX as u128) as i64));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_millis());
    }
    let local = |naive: NaiveDateTime| {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.timestamp_millis())
            .ok_or_else(bad)
    };
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return local(naive);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return local(d.and_time(NaiveTime::MIN));
    }
    Err(bad())
}

/// An optional time ahead (a due date, an expected close: "2d" is in two
/// days) where "" means "remove it".
pub fn opt_time_ahead(s: &str) -> Result<Option<i64>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        time_from(s, Bare::Ahead).map(Some)
    }
}

/// A calendar date as days since 1970-01-01.
pub fn date_days(s: &str) -> Result<i32> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| CliError::usage(format!("cannot read date {s:?} (try 2026-12-01)")))?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    Ok((d - epoch).num_days() as i32)
}

/// The local UTC offset in minutes (for "due today").
pub fn utc_offset_min() -> i32 {
    Local::now().offset().local_minus_utc() / 60
}

/// Money as people write it ("12 500,50", "12,500.50 EUR": the core's
/// reading, the apps' too), in `default_currency` unless it names one.
pub fn money(s: &str, default_currency: &str) -> Result<Money> {
    Money::parse(s, default_currency).map_err(|e| match e {
        deko_core::Error::InvalidInput { message, .. } => CliError::usage(message),
        e => e.into(),
    })
}

/// A phone number, optionally labelled: `mobile:+420 603 ...`.
pub fn phone(s: &str) -> (PhoneLabel, String) {
    if let Some((label, number)) = s.split_once(':') {
        let l = label.trim().to_ascii_lowercase();
        if ["mobile", "cell", "work", "home", "other"].contains(&l.as_str()) {
            return (PhoneLabel::parse(&l), number.trim().to_string());
        }
    }
    (PhoneLabel::Mobile, s.trim().to_string())
}

/// An entity id.
pub fn id(s: &str) -> Result<EntityId> {
    EntityId::parse(s).map_err(|_| CliError::usage(format!("{s:?} is not an id")))
}

/// `NAME=VALUE` custom values for `target`, typed by their definitions.
pub fn custom(crm: &mut Crm, target: &str, sets: &[String]) -> Result<Vec<(EntityId, Value)>> {
    if sets.is_empty() {
        return Ok(Vec::new());
    }
    sets.iter()
        .map(|s| {
            let (name, value) = s
                .split_once('=')
                .ok_or_else(|| CliError::usage(format!("--set takes NAME=VALUE, not {s:?}")))?;
            let def = crm.field_def_by_name(target, name)?.ok_or_else(|| {
                CliError::usage(format!(
                    "{target} has no custom field {name:?} (see `deko field list`)"
                ))
            })?;
            Ok((def.id, custom_value(&def, value)?))
        })
        .collect()
}

/// One custom value typed by its definition ("" clears).
pub fn custom_value(def: &FieldDef, s: &str) -> Result<Value> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Value::Null);
    }
    let bad = |what: &str| CliError::usage(format!("{:?} needs {what}, not {s:?}", def.name));
    Ok(match def.field_type {
        FieldType::Text => Value::Text(t.to_string()),
        FieldType::Choice => {
            if !def.choices.iter().any(|c| c == t) {
                return Err(bad(&format!("one of {}", def.choices.join(", "))));
            }
            Value::Text(t.to_string())
        }
        FieldType::Number => match t.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(
                t.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| bad("a number"))?,
            ),
        },
        FieldType::Date => Value::Date(date_days(t).map_err(|_| bad("a date (YYYY-MM-DD)"))?),
        FieldType::YesNo => match t.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Value::Bool(true),
            "no" | "n" | "false" | "0" => Value::Bool(false),
            _ => return Err(bad("yes or no")),
        },
    })
}

/// Empty-means-unchanged for repeatable flags.
pub fn opt_list<T>(items: Vec<T>) -> Option<Vec<T>> {
    if items.is_empty() { None } else { Some(items) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_amounts_and_currencies() {
        let m = |minor, currency: &str| Money {
            minor,
            currency: currency.into(),
        };
        assert_eq!(money("12500", "EUR").unwrap(), m(1_250_000, "EUR"));
        assert_eq!(money("12.5 czk", "EUR").unwrap(), m(1250, "CZK"));
        assert_eq!(money("-3.05", "USD").unwrap(), m(-305, "USD"));
        assert_eq!(money("12 500,50", "CZK").unwrap(), m(1_250_050, "CZK"));
        assert!(money("12.3456", "EUR").is_err());
        assert!(money("abc", "EUR").is_err());
        assert!(money("1 EURO", "EUR").is_err());
    }

    #[test]
    fn times_and_durations() {
        assert_eq!(duration("4m30s").unwrap().as_secs(), 270);
        assert!(duration("soon").is_err());
        let t = time("2026-01-02T03:04:05Z").unwrap();
        assert_eq!(t, 1_767_323_045_000);
        assert!(time("+1h").unwrap() > now_ms());
        assert!(time("yesterday-ish").is_err());
        // a bare duration points the way its field does
        assert!(time("2d").is_err());
        let ago = time_from("3h", Bare::Ago).unwrap();
        assert!(ago < now_ms() - 3 * 3_600_000 + 60_000 && ago > now_ms() - 3 * 3_600_000 - 60_000);
        let ahead = time_from("2d", Bare::Ahead).unwrap();
        assert!(ahead > now_ms() + 2 * 86_400_000 - 60_000);
        // a date is still a date, whichever way bare durations point
        assert_eq!(
            time_from("2026-01-02", Bare::Ahead).unwrap(),
            time("2026-01-02").unwrap()
        );
        assert!(
            time_from("2x", Bare::Ahead)
                .unwrap_err()
                .to_string()
                .contains("2d (from now)")
        );
        assert_eq!(opt_time_ahead("").unwrap(), None);
        assert_eq!(date_days("1970-01-11").unwrap(), 10);
    }

    #[test]
    fn labelled_phones() {
        assert_eq!(phone("work: +420 1").0, PhoneLabel::Work);
        assert_eq!(phone("+420 603 1").0, PhoneLabel::Mobile);
    }
}
