//! Series: the commentary lines, book series, periodicals and news
//! categories a publisher files its articles under.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::SeriesType;
use crate::models::taxonomy::{count_map, TaxonomyQuery};
use crate::models::ResourceKey;
use crate::schema::{articles, series};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = series, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct SeriesRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub publisher_id: i64,
    pub series_type: SeriesType,
    pub description: Option<String>,
}

/// Restrictions particular to series lists.
#[derive(Debug, Clone, Default)]
pub struct SeriesFilter {
    pub publisher_id: Option<i64>,
    pub series_type: Option<SeriesType>,
}

pub fn article_counts(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q = articles::table
        .filter(articles::series_id.is_not_null())
        .group_by(articles::series_id)
        .select((articles::series_id.assume_not_null(), count_star()))
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(crate::db::in_list(articles::series_id, ids));
    }
    Ok(count_map(q.load(conn)?))
}

pub fn list(
    conn: &mut DbConn,
    query: &TaxonomyQuery,
    filter: &SeriesFilter,
) -> QueryResult<(Vec<(SeriesRow, i64)>, i64)> {
    let base = || {
        let mut q = series::table.into_boxed();
        if let Some(p) = filter.publisher_id {
            q = q.filter(series::publisher_id.eq(p));
        }
        if let Some(t) = filter.series_type {
            q = q.filter(series::series_type.eq(t));
        }
        q
    };
    crate::taxonomy_list!(conn, query, series, SeriesRow, base(), article_counts)
}

pub fn find(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<(SeriesRow, i64)>> {
    let Some(row) = crate::find_by_key!(conn, key, series, SeriesRow)? else { return Ok(None) };
    let count = article_counts(conn, Some(&[row.id]))?.get(&row.id).copied().unwrap_or(0);
    Ok(Some((row, count)))
}

pub fn refs(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, crate::models::article::TermRef>> {
    crate::refs_by_id!(conn, series, ids)
}
