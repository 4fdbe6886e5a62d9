//! Dates and date-times given by clients or import files.
//!
//! Only four-digit years (0000–9999) are accepted: times are stored as
//! `YYYY-MM-DD hh:mm:ss` text and compared as text, and chrono's own parser
//! would take signed six-digit years whose arithmetic overflows. The shape is
//! checked first, so everything after it works on bounded values, and the
//! little arithmetic there is (the instant after a bound, offsets) is checked
//! and clamped to the storable range.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// An ISO 8601 date (`2021-06-19`) or date-time (`2021-06-19T08:00:00Z`,
/// with an offset or without one meaning UTC), as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateBound {
    Day(NaiveDate),
    Instant(NaiveDateTime),
}

impl DateBound {
    pub fn parse(s: &str) -> Result<DateBound, String> {
        parse_date_or_datetime(s)
    }

    /// The first instant the bound covers (start of the day for a date).
    pub fn start(self) -> NaiveDateTime {
        match self {
            DateBound::Day(d) => d.and_time(NaiveTime::MIN),
            DateBound::Instant(t) => t,
        }
        .clamp(first_storable(), last_storable())
    }

    /// The first instant after the bound (the next midnight for a date, the
    /// next second for a date-time), so that `< end()` means "on or before".
    pub fn end_exclusive(self) -> NaiveDateTime {
        let next = match self {
            DateBound::Day(d) => d.succ_opt().map(|d| d.and_time(NaiveTime::MIN)),
            DateBound::Instant(t) => t.checked_add_signed(TimeDelta::seconds(1)),
        };
        next.unwrap_or_else(last_storable).clamp(first_storable(), last_storable())
    }
}

/// The earliest instant a stored time can hold.
pub fn first_storable() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(0, 1, 1).expect("valid").and_time(NaiveTime::MIN)
}

/// The latest instant a stored time can hold.
pub fn last_storable() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid").and_hms_opt(23, 59, 59).expect("valid")
}

const DATE_HELP: &str = "use YYYY-MM-DD (a year from 0000 to 9999)";
const DATETIME_HELP: &str = "use an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ss, optionally with \
     fractional seconds and Z or ±hh:mm), with a year from 0000 to 9999";

fn digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DD`, exactly.
fn is_date_shape(s: &[u8]) -> bool {
    s.len() == 10 && digits(&s[0..4]) && s[4] == b'-' && digits(&s[5..7]) && s[7] == b'-' && digits(&s[8..10])
}

/// `YYYY-MM-DDThh:mm:ss`, then up to nine fraction digits, then `Z` or
/// `±hh:mm` or nothing.
fn is_datetime_shape(s: &[u8]) -> bool {
    if s.len() < 19 || !is_date_shape(&s[..10]) || !matches!(s[10], b'T' | b't' | b' ') {
        return false;
    }
    let time = &s[11..19];
    if !(digits(&time[0..2]) && time[2] == b':' && digits(&time[3..5]) && time[5] == b':' && digits(&time[6..8])) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        [] | [b'Z'] | [b'z'] => true,
        [sign, h1, h2, b':', m1, m2] => matches!(sign, b'+' | b'-') && digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    }
}

pub fn parse_date_or_datetime(s: &str) -> Result<DateBound, String> {
    let bytes = s.as_bytes();
    if is_date_shape(bytes) {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(DateBound::Day)
            .map_err(|e| format!("`{s}` is not a valid date ({e}); {DATE_HELP}"));
    }
    if !is_datetime_shape(bytes) {
        return Err(format!("`{}` is not a date or date-time; {DATETIME_HELP}", shorten(s)));
    }
    let has_offset = matches!(bytes.last(), Some(b'Z' | b'z')) || bytes[19..].iter().any(|c| matches!(c, b'+' | b'-'));
    let parsed = if has_offset {
        let normalised = format!("{}T{}", &s[..10], &s[11..]);
        DateTime::parse_from_rfc3339(&normalised).map(|t| t.naive_utc())
    } else {
        NaiveDateTime::parse_from_str(&format!("{}T{}", &s[..10], &s[11..]), "%Y-%m-%dT%H:%M:%S%.f")
    };
    parsed.map(DateBound::Instant).map_err(|e| format!("`{s}` is not a valid date-time ({e}); {DATETIME_HELP}"))
}

/// A calendar date, `YYYY-MM-DD` with a year from 0000 to 9999.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    match parse_date_or_datetime(s) {
        Ok(DateBound::Day(d)) => Ok(d),
        Ok(DateBound::Instant(_)) => Err(format!("`{s}` is a date-time; {DATE_HELP}")),
        Err(_) if !is_date_shape(s.as_bytes()) => Err(format!("`{}` is not a date; {DATE_HELP}", shorten(s))),
        Err(e) => Err(e),
    }
}

/// For `#[serde(default, deserialize_with = …)]` on an optional date of an
/// import record: the shape `parse_day` takes, nothing wider.
pub fn optional_day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    raw.map(|s| parse_day(&s).map_err(serde::de::Error::custom)).transpose()
}

/// The input as echoed in an error: at most 40 characters.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_times() {
        assert!(matches!(DateBound::parse("2021-06-19"), Ok(DateBound::Day(_))));
        assert!(matches!(DateBound::parse("2021-06-19T08:00:00Z"), Ok(DateBound::Instant(_))));
        assert!(
            matches!(DateBound::parse("2021-06-19T08:00:00+09:00"), Ok(DateBound::Instant(t)) if t.to_string() == "2021-06-18 23:00:00")
        );
        assert!(DateBound::parse("2021-13-45").is_err());
        assert!(DateBound::parse("2021-01-01T00:00:00.5").is_ok());
        assert!(DateBound::parse("2021-01-01t00:00:00z").is_ok());
        assert_eq!(DateBound::parse("9999-12-31").unwrap().end_exclusive().to_string(), "9999-12-31 23:59:59");
        assert!(DateBound::parse("yesterday").is_err());
        let d = DateBound::parse("2021-12-31").unwrap();
        assert_eq!(d.end_exclusive().to_string(), "2022-01-01 00:00:00");
    }

    #[test]
    fn years_outside_0000_to_9999_are_errors_not_panics() {
        for bad in [
            "+262142-12-31T23:59:59",
            "+262142-12-31",
            "-262143-01-01T00:00:00",
            "-0001-01-01",
            "10000-01-01",
            "+2021-01-01",
            "2021-1-1",
            "2021-01-01T00:00:00.1234567890",
            "2021-01-01T00:00:00+5",
            "2021-01-01T24:00:00",
            "２０２１-01-01",
        ] {
            assert!(DateBound::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_extremes_clamp_to_what_can_be_stored() {
        let last = DateBound::parse("9999-12-31T23:59:59").unwrap();
        assert_eq!(last.end_exclusive(), last_storable());
        let behind = DateBound::parse("9999-12-31T23:59:59-23:59").unwrap();
        assert_eq!(behind.start(), last_storable());
        assert_eq!(behind.end_exclusive(), last_storable());
        let ahead = DateBound::parse("0000-01-01T00:00:00+23:59").unwrap();
        assert_eq!(ahead.start(), first_storable());
        assert_eq!(DateBound::parse("0000-01-01").unwrap().start(), first_storable());
        assert!(DateBound::parse("2021-01-01 08:00:00.123456789").is_ok());
    }

    #[test]
    fn days_are_dates_only() {
        assert_eq!(parse_day("2021-06-19").unwrap().to_string(), "2021-06-19");
        assert!(parse_day("+262142-12-31").is_err());
        assert!(parse_day("2021-06-19T00:00:00Z").is_err());
        assert!(parse_day("2021-02-30").is_err());
    }
}
