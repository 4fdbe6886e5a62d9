//! Facet counts and histograms of a list's whole result, from the search
//! index, named from SQL.

use std::collections::HashMap;

use chrono::NaiveDate;
use tantivy::Searcher;

use crate::db::DbConn;
use crate::domain::ArticleType;
use crate::error::ApiError;
use crate::models::article::TermRef;
use crate::models::article_filter::ArticleFilter;
use crate::models::{author, publisher, region, series, topic};
use crate::search::documents::type_of_code;
use crate::search::{CountKey, Dimension};
use crate::state::AppState;
use crate::views::articles::{FacetValue, Facets, Histogram, HistogramBucket};
use crate::work::Budget;

use super::params::HistogramInterval;
use super::shape::Shape;

/// The requested facets of the result, counted in `searcher`'s state and
/// named at the data `version`.
pub fn facets(
    conn: &mut DbConn,
    s: &AppState,
    version: i64,
    shape: &Shape,
    filter: &ArticleFilter,
    searcher: &Searcher,
    budget: &Budget,
) -> Result<Option<Facets>, ApiError> {
    if shape.facets.is_empty() {
        return Ok(None);
    }
    let mut counts = s.search.facet_counts(searcher, shape.text.as_ref(), filter, &shape.facets, budget)?;
    let mut facets = Facets::default();
    for dim in &shape.facets {
        let values = top(counts.remove(dim).unwrap_or_default(), shape.facet_size);
        let named = name_values(conn, s, version, *dim, values)?;
        let slot = match dim {
            Dimension::Topic => &mut facets.topic,
            Dimension::Region => &mut facets.region,
            Dimension::Author => &mut facets.author,
            Dimension::Publisher => &mut facets.publisher,
            Dimension::Series => &mut facets.series,
            Dimension::Type => &mut facets.article_type,
            Dimension::Language => &mut facets.language,
            Dimension::Year => &mut facets.year,
        };
        *slot = Some(named);
    }
    Ok(Some(facets))
}

/// The `size` most frequent values, most frequent first (ties by value),
/// without sorting the thousands of authors a large result may count.
fn top(mut values: Vec<(CountKey, u64)>, size: usize) -> Vec<(CountKey, u64)> {
    let order = |a: &(CountKey, u64), b: &(CountKey, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if size == 0 {
        return Vec::new();
    }
    if values.len() > size {
        values.select_nth_unstable_by(size - 1, order);
        values.truncate(size);
    }
    values.sort_unstable_by(order);
    values
}

/// Slugs and names for counted values, keeping their order.
fn name_values(
    conn: &mut DbConn,
    s: &AppState,
    version: i64,
    dim: Dimension,
    values: Vec<(CountKey, u64)>,
) -> Result<Vec<FacetValue>, ApiError> {
    let ids: Vec<i64> =
        values.iter().filter_map(|(k, _)| if let CountKey::Number(n) = k { Some(*n as i64) } else { None }).collect();
    type Load = fn(&mut DbConn, &[i64]) -> diesel::QueryResult<HashMap<i64, TermRef>>;
    let named_in: Option<(&'static str, Load)> = match dim {
        Dimension::Topic => Some(("topics", topic::refs)),
        Dimension::Region => Some(("regions", region::refs)),
        Dimension::Author => Some(("authors", author::refs)),
        Dimension::Publisher => Some(("publishers", publisher::refs)),
        Dimension::Series => Some(("series", series::refs)),
        // Named by their values.
        Dimension::Type | Dimension::Language | Dimension::Year => None,
    };
    let refs = match named_in {
        Some((table, load)) => s.caches.names.get_or_load(table, &ids, version, |missing| load(conn, missing))?,
        None => HashMap::new(),
    };
    Ok(values
        .into_iter()
        .filter_map(|(key, count)| match (dim, key) {
            (Dimension::Type, CountKey::Number(code)) => type_of_code(code).map(|t: ArticleType| FacetValue {
                id: None,
                slug: t.as_str().to_owned(),
                name: t.as_str().to_owned(),
                count,
            }),
            (Dimension::Year, CountKey::Number(year)) => {
                Some(FacetValue { id: None, slug: year.to_string(), name: year.to_string(), count })
            }
            (Dimension::Language, CountKey::Text(tag)) => {
                Some(FacetValue { id: None, slug: tag.clone(), name: tag, count })
            }
            (_, CountKey::Number(id)) => refs.get(&(id as i64)).map(|r| FacetValue {
                id: Some(r.id),
                slug: r.slug.clone(),
                name: r.name.clone(),
                count,
            }),
            _ => None,
        })
        .collect())
}

/// The result's article counts per year or month.
pub fn histogram(
    s: &AppState,
    shape: &Shape,
    filter: &ArticleFilter,
    interval: HistogramInterval,
    searcher: &Searcher,
    budget: &Budget,
) -> Result<Histogram, ApiError> {
    let field = match interval {
        HistogramInterval::Year => "year",
        HistogramInterval::Month => "month",
    };
    let counts = s.search.histogram(searcher, shape.text.as_ref(), filter, field, budget)?;
    let mut buckets: Vec<HistogramBucket> = counts
        .into_iter()
        .filter_map(|(key, count)| {
            let CountKey::Number(n) = key else { return None };
            let (key, from, to) = match interval {
                HistogramInterval::Year => {
                    let year = n as i32;
                    (format!("{year:04}"), NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?)
                }
                HistogramInterval::Month => {
                    let (year, month) = ((n / 12) as i32, (n % 12) as u32 + 1);
                    let from = NaiveDate::from_ymd_opt(year, month, 1)?;
                    let next = if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1)
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1)
                    };
                    (format!("{year:04}-{month:02}"), from, next?.pred_opt()?)
                }
            };
            Some(HistogramBucket { key, from, to, count })
        })
        .collect();
    buckets.sort_by(|a, b| a.key.cmp(&b.key));
    let interval = match interval {
        HistogramInterval::Year => "year",
        HistogramInterval::Month => "month",
    };
    Ok(Histogram { interval: interval.to_owned(), buckets })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top values equal the first ones of the whole list sorted by
    /// count, then value.
    #[test]
    fn top_values_are_the_sorted_lists_head() {
        let values: Vec<(CountKey, u64)> = (0..500u64).map(|v| (CountKey::Number(v * 7 % 500), v % 13)).collect();
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for size in [0, 1, 10, 499, 500, 1_000] {
            let expected: Vec<_> = sorted.iter().take(size).cloned().collect();
            assert_eq!(top(values.clone(), size), expected, "size {size}");
        }
    }
}
