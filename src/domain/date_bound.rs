//! Dates and date-times given by clients or import files.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

/// An ISO 8601 date (`2021-06-19`) or date-time (`2021-06-19T08:00:00Z`,
/// with an offset or without one meaning UTC), as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        match self {
            DateBound::Day(d) => d.succ_opt().unwrap_or(NaiveDate::MAX).and_time(NaiveTime::MIN),
            DateBound::Instant(t) => t + chrono::Duration::seconds(1),
        }
        .clamp(first_storable(), last_storable())
    }
}

/// Times are stored as `YYYY-MM-DD hh:mm:ss` text and compared as text,
/// which orders correctly only for four-digit years.
fn first_storable() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(0, 1, 1).expect("valid").and_time(NaiveTime::MIN)
}

fn last_storable() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid").and_hms_opt(23, 59, 59).expect("valid")
}

pub fn parse_date_or_datetime(s: &str) -> Result<DateBound, String> {
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(DateBound::Day)
            .map_err(|e| format!("`{s}` is not a valid date ({e}); use YYYY-MM-DD"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(DateBound::Instant(t.naive_utc()));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .map(DateBound::Instant)
        .map_err(|_| format!("`{s}` is not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ssZ)"))
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
}
