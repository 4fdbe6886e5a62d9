//! Published and updated ranges: whole months and years from their
//! bitmaps, the edges read document by document.

use chrono::{Datelike, NaiveDateTime, Timelike};
use roaring::{MultiOps, RoaringBitmap};
use tantivy::SegmentReader;

use super::SegmentBitmaps;
use crate::search::documents::month_index;

impl SegmentBitmaps {
    /// `docs` published in `[from, until)`: months wholly inside the range
    /// from their bitmaps (a year wholly inside from the year's), the
    /// documents of the months the range cuts (and of year 0 and before,
    /// which share months) read one by one.
    pub(super) fn published_within(
        &self,
        reader: &SegmentReader,
        docs: &RoaringBitmap,
        from: Option<NaiveDateTime>,
        until: Option<NaiveDateTime>,
    ) -> tantivy::Result<RoaringBitmap> {
        let (Some(months), Some(years)) = (self.values("month"), self.values("year")) else {
            return within(reader, "published", docs, from, until);
        };
        let range = MonthRange { from, until };
        let mut inside: Vec<&RoaringBitmap> = Vec::new();
        let mut edges = RoaringBitmap::new();
        for (month, in_month) in months {
            // Months of year 0 also hold the years before it (month_index
            // clamps them), so they are never skipped, only read.
            if *month < 12 {
                edges |= in_month;
                continue;
            }
            match range.holds(*month) {
                Some(false) => {}
                None => edges |= in_month,
                Some(true) => {
                    let year = *month / 12;
                    let whole_year = range.holds(year * 12) == Some(true) && range.holds(year * 12 + 11) == Some(true);
                    match years.get(&year).filter(|_| whole_year) {
                        // The whole year is inside: its bitmap, once.
                        Some(in_year) => {
                            if !inside.last().is_some_and(|last| std::ptr::eq(*last, in_year)) {
                                inside.push(in_year);
                            }
                        }
                        None => inside.push(in_month),
                    }
                }
            }
        }
        let mut inside = inside.into_iter().union();
        inside &= docs;
        edges &= docs;
        inside |= within(reader, "published", &edges, from, until)?;
        Ok(inside)
    }
}

/// A published range, `[from, until)`, seen month by month (months
/// numbered by `month_index`, from year 1 on).
pub(super) struct MonthRange {
    pub(super) from: Option<NaiveDateTime>,
    pub(super) until: Option<NaiveDateTime>,
}

impl MonthRange {
    /// Whether month `m` is wholly inside the range (`Some(true)`), wholly
    /// outside it (`Some(false)`), or cut by it (`None`).
    pub(super) fn holds(&self, m: u64) -> Option<bool> {
        // Month m runs from the start of m to the start of m + 1.
        let starts_month =
            |t: &NaiveDateTime| t.day() == 1 && t.num_seconds_from_midnight() == 0 && t.nanosecond() == 0;
        let at = |t: &NaiveDateTime| month_index(*t);
        let before_from = self.from.as_ref().is_some_and(|f| m < at(f));
        let from_until = self.until.as_ref().is_some_and(|u| m > at(u) || (m == at(u) && starts_month(u)));
        if before_from || from_until {
            return Some(false);
        }
        let after_from = self.from.as_ref().is_none_or(|f| m > at(f) || (m == at(f) && starts_month(f)));
        let ends_before_until = self.until.as_ref().is_none_or(|u| m < at(u));
        (after_from && ends_before_until).then_some(true)
    }
}

/// The documents of `docs` whose `field` (Unix seconds) is in `[from, until)`.
pub(super) fn within(
    reader: &SegmentReader,
    field: &str,
    docs: &RoaringBitmap,
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
) -> tantivy::Result<RoaringBitmap> {
    let column = reader.fast_fields().i64(field)?;
    let lo = from.map_or(i64::MIN, |t| t.and_utc().timestamp());
    let hi = until.map_or(i64::MAX, |t| t.and_utc().timestamp());
    Ok(RoaringBitmap::from_sorted_iter(
        docs.iter().filter(|doc| column.values_for_doc(*doc).any(|v| lo <= v && (until.is_none() || v < hi))),
    )
    .expect("ascending"))
}
