//! The SQL behind every article list: which ids, in which order, and how
//! many in all.
//!
//! With the default sort, a single positive topic, region or author value
//! makes that join table the driving table: its covering index
//! `(x_id, published_at, article_id)` yields the page in order, so SQLite
//! neither sorts nor reads rows it does not return. Other conditions become
//! `IN (subquery)` tests, or a join to `articles` when they read its columns.
//! Everything else reads `articles` through the index of the sort column.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::{in_list, not_in_list, query_plan, DbConn};
use crate::models::article_filter::ArticleFilter;
use crate::schema::{article_authors, article_regions, article_topics, articles};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    PublishedAt,
    UpdatedAt,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArticleOrder {
    pub field: SortField,
    pub descending: bool,
}

impl ArticleOrder {
    pub const NEWEST_FIRST: ArticleOrder = ArticleOrder { field: SortField::PublishedAt, descending: true };
}

/// The sort key of a row, as a keyset cursor remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortValue {
    Time(NaiveDateTime),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyset {
    pub value: SortValue,
    pub id: i64,
}

/// Which rows of the ordered result to return: `limit` rows, skipping
/// `offset`, counted from the start or from just after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub after: Option<Keyset>,
    pub offset: i64,
    pub limit: i64,
}

impl Window {
    pub fn first(limit: i64) -> Window {
        Window { after: None, offset: 0, limit }
    }

    pub fn offset(offset: i64, limit: i64) -> Window {
        Window { after: None, offset, limit }
    }
}

// Subqueries read the join tables under other names, so that they may
// appear inside a query that drives from the same table.
diesel::alias!(
    article_topics as topic_links: TopicLinks,
    article_regions as region_links: RegionLinks,
    article_authors as author_links: AuthorLinks
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dim {
    Topic,
    Region,
    Author,
}

/// The join-table value whose index drives the query, if any: a required
/// value first (the path's resource), else a single kept value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Driver {
    dim: Dim,
    id: i64,
    /// Whether it is `require[0]` (else the single `include` value).
    required: bool,
}

fn driver(filter: &ArticleFilter) -> Option<Driver> {
    let dims = [(Dim::Author, &filter.authors), (Dim::Topic, &filter.topics), (Dim::Region, &filter.regions)];
    for (dim, set) in dims {
        if let Some(id) = set.require.first() {
            return Some(Driver { dim, id: *id, required: true });
        }
    }
    dims.into_iter().find_map(|(dim, set)| set.single().map(|id| Driver { dim, id: *id, required: false }))
}

/// `$col` is one of `$values`: `=` for a single value, which keeps the
/// `(col, published_at)` index usable for the order, else `IN (list)`.
macro_rules! one_of {
    ($q:ident, $col:expr, $values:expr) => {
        match $values.as_slice() {
            [] => {}
            [one] => $q = $q.filter($col.eq(one.clone())),
            many => $q = $q.filter(in_list($col, many)),
        }
    };
}

/// Conditions on the article row's own columns (`articles` must be in the
/// FROM clause).
macro_rules! filter_article_columns {
    ($q:ident, $f:expr) => {
        for required in &$f.publishers.require {
            $q = $q.filter(articles::publisher_id.eq(*required));
        }
        for required in &$f.series.require {
            $q = $q.filter(articles::series_id.eq(*required));
        }
        one_of!($q, articles::publisher_id, $f.publishers.include);
        if !$f.publishers.exclude.is_empty() {
            $q = $q.filter(not_in_list(articles::publisher_id, &$f.publishers.exclude));
        }
        one_of!($q, articles::series_id, $f.series.include);
        if !$f.series.exclude.is_empty() {
            $q = $q.filter(articles::series_id.is_null().or(not_in_list(articles::series_id, &$f.series.exclude)));
        }
        one_of!($q, articles::article_type, $f.types.include);
        if !$f.types.exclude.is_empty() {
            $q = $q.filter(not_in_list(articles::article_type, &$f.types.exclude));
        }
        one_of!($q, articles::language, $f.languages.include);
        if !$f.languages.exclude.is_empty() {
            $q = $q.filter(not_in_list(articles::language, &$f.languages.exclude));
        }
        if let Some(from) = $f.updated_from {
            $q = $q.filter(articles::updated_at.ge(from));
        }
        if let Some(until) = $f.updated_until {
            $q = $q.filter(articles::updated_at.lt(until));
        }
    };
}

/// One join-table dimension as `IN` / `NOT IN (subquery)` on `$id`,
/// leaving out the driving value (`$driver`, an `Option<Driver>`).
macro_rules! filter_through {
    ($q:ident, $set:expr, $dim:expr, $driver:expr, $id:expr, $alias:ident, $table:ident, $key:ident) => {
        let drives = $driver.filter(|d: &Driver| d.dim == $dim);
        let skip_required = usize::from(drives.is_some_and(|d| d.required));
        for value in $set.require.iter().skip(skip_required) {
            $q =
                $q.filter($id.eq_any(
                    $alias.filter($alias.field($table::$key).eq(*value)).select($alias.field($table::article_id)),
                ));
        }
        if !drives.is_some_and(|d| !d.required) && !$set.include.is_empty() {
            $q = $q.filter(
                $id.eq_any(
                    $alias
                        .filter(in_list($alias.field($table::$key), &$set.include))
                        .select($alias.field($table::article_id)),
                ),
            );
        }
        if !$set.exclude.is_empty() {
            $q = $q.filter(
                $id.ne_all(
                    $alias
                        .filter(in_list($alias.field($table::$key), &$set.exclude))
                        .select($alias.field($table::article_id)),
                ),
            );
        }
    };
}

/// Every join-table condition except the driving one, and the date range.
macro_rules! filter_joins_and_dates {
    ($q:ident, $f:expr, $driver:expr, $id:expr, $published:expr) => {
        filter_through!($q, $f.topics, Dim::Topic, $driver, $id, topic_links, article_topics, topic_id);
        filter_through!($q, $f.regions, Dim::Region, $driver, $id, region_links, article_regions, region_id);
        filter_through!($q, $f.authors, Dim::Author, $driver, $id, author_links, article_authors, author_id);
        if let Some(from) = $f.published_from {
            $q = $q.filter($published.ge(from));
        }
        if let Some(until) = $f.published_until {
            $q = $q.filter($published.lt(until));
        }
    };
}

/// Order by `($col, $id)`, cut the window, and `$run!` the query.
/// `$unwrap` turns a keyset value into the column's Rust type.
macro_rules! ordered_window {
    ($q:ident, $conn:expr, $window:expr, $descending:expr, $col:expr, $id:expr, $unwrap:path, $run:ident) => {{
        let q = if $descending { $q.order(($col.desc(), $id.desc())) } else { $q.order(($col.asc(), $id.asc())) };
        let q = match &$window.after {
            None => q,
            Some(keyset) => {
                let value = $unwrap(&keyset.value)?;
                // `col <= v` bounds the index range; the OR only sorts out ties.
                if $descending {
                    q.filter($col.le(value.clone()).and($col.lt(value).or($id.lt(keyset.id))))
                } else {
                    q.filter($col.ge(value.clone()).and($col.gt(value).or($id.gt(keyset.id))))
                }
            }
        };
        $run!(q.offset($window.offset).limit($window.limit), $conn)
    }};
}

/// Ways to finish a built query: run it, or explain it.
macro_rules! load_ids {
    ($q:expr, $conn:expr) => {
        $q.load::<i64>($conn)
    };
}

macro_rules! load_count {
    ($q:expr, $conn:expr) => {
        $q.get_result::<i64>($conn)
    };
}

macro_rules! explain {
    ($q:expr, $conn:expr) => {
        query_plan($conn, $q)
    };
}

fn time_of(value: &SortValue) -> QueryResult<NaiveDateTime> {
    match value {
        SortValue::Time(t) => Ok(*t),
        SortValue::Text(_) => Err(diesel::result::Error::QueryBuilderError("keyset does not match the sort".into())),
    }
}

fn text_of(value: &SortValue) -> QueryResult<String> {
    match value {
        SortValue::Text(t) => Ok(t.clone()),
        SortValue::Time(_) => Err(diesel::result::Error::QueryBuilderError("keyset does not match the sort".into())),
    }
}

/// The page's ids through one join table driving by its index.
macro_rules! ids_via {
    ($conn:expr, $f:expr, $window:expr, $descending:expr, $driver:expr, $table:ident, $key:ident, $run:ident) => {{
        if $f.reads_article_row() {
            let mut q = $table::table
                .inner_join(articles::table)
                .filter($table::$key.eq($driver.id))
                .select($table::article_id)
                .into_boxed();
            filter_article_columns!(q, $f);
            filter_joins_and_dates!(q, $f, Some($driver), $table::article_id, $table::published_at);
            ordered_window!(q, $conn, $window, $descending, $table::published_at, $table::article_id, time_of, $run)
        } else {
            let mut q = $table::table.filter($table::$key.eq($driver.id)).select($table::article_id).into_boxed();
            filter_joins_and_dates!(q, $f, Some($driver), $table::article_id, $table::published_at);
            ordered_window!(q, $conn, $window, $descending, $table::published_at, $table::article_id, time_of, $run)
        }
    }};
}

/// The count of matches through one join table's index.
macro_rules! count_via {
    ($conn:expr, $f:expr, $driver:expr, $table:ident, $key:ident, $run:ident) => {{
        if $f.reads_article_row() {
            let mut q = $table::table
                .inner_join(articles::table)
                .filter($table::$key.eq($driver.id))
                .select(count_star())
                .into_boxed();
            filter_article_columns!(q, $f);
            filter_joins_and_dates!(q, $f, Some($driver), $table::article_id, $table::published_at);
            $run!(q, $conn)
        } else {
            let mut q = $table::table.filter($table::$key.eq($driver.id)).select(count_star()).into_boxed();
            filter_joins_and_dates!(q, $f, Some($driver), $table::article_id, $table::published_at);
            $run!(q, $conn)
        }
    }};
}

/// Build the ids query for `$self` and finish it with `$run!`.
macro_rules! ids_query {
    ($self:expr, $conn:expr, $window:expr, $run:ident) => {{
        let f = $self.filter;
        let desc = $self.order.descending;
        match ($self.order.field, driver(f)) {
            (SortField::PublishedAt, Some(d)) => match d.dim {
                Dim::Author => ids_via!($conn, f, $window, desc, d, article_authors, author_id, $run),
                Dim::Topic => ids_via!($conn, f, $window, desc, d, article_topics, topic_id, $run),
                Dim::Region => ids_via!($conn, f, $window, desc, d, article_regions, region_id, $run),
            },
            (field, _) => {
                let mut q = articles::table.select(articles::id).into_boxed();
                filter_article_columns!(q, f);
                filter_joins_and_dates!(q, f, None::<Driver>, articles::id, articles::published_at);
                match field {
                    SortField::PublishedAt => {
                        ordered_window!(q, $conn, $window, desc, articles::published_at, articles::id, time_of, $run)
                    }
                    SortField::UpdatedAt => {
                        ordered_window!(q, $conn, $window, desc, articles::updated_at, articles::id, time_of, $run)
                    }
                    SortField::Title => {
                        ordered_window!(q, $conn, $window, desc, articles::title, articles::id, text_of, $run)
                    }
                }
            }
        }
    }};
}

/// Build the count query for `$self` and finish it with `$run!`.
macro_rules! count_query {
    ($self:expr, $conn:expr, $run:ident) => {{
        let f = $self.filter;
        match driver(f) {
            Some(d) => match d.dim {
                Dim::Author => count_via!($conn, f, d, article_authors, author_id, $run),
                Dim::Topic => count_via!($conn, f, d, article_topics, topic_id, $run),
                Dim::Region => count_via!($conn, f, d, article_regions, region_id, $run),
            },
            None => {
                let mut q = articles::table.select(count_star()).into_boxed();
                filter_article_columns!(q, f);
                filter_joins_and_dates!(q, f, None::<Driver>, articles::id, articles::published_at);
                $run!(q, $conn)
            }
        }
    }};
}

/// A list of articles: filter and order.
#[derive(Debug, Clone, Copy)]
pub struct ArticleQuery<'a> {
    pub filter: &'a ArticleFilter,
    pub order: ArticleOrder,
}

impl ArticleQuery<'_> {
    /// The ids in `window`, in order.
    pub fn ids(&self, conn: &mut DbConn, window: &Window) -> QueryResult<Vec<i64>> {
        ids_query!(self, conn, window, load_ids)
    }

    /// How many articles match, over all pages.
    pub fn count(&self, conn: &mut DbConn) -> QueryResult<i64> {
        count_query!(self, conn, load_count)
    }

    /// SQLite's plan for `ids`.
    pub fn ids_plan(&self, conn: &mut DbConn, window: &Window) -> QueryResult<Vec<String>> {
        ids_query!(self, conn, window, explain)
    }

    /// SQLite's plan for `count`.
    pub fn count_plan(&self, conn: &mut DbConn) -> QueryResult<Vec<String>> {
        count_query!(self, conn, explain)
    }
}

/// The sort key of each of `ids` under `order` (what a keyset holds).
pub fn sort_keys(conn: &mut DbConn, field: SortField, ids: &[i64]) -> QueryResult<Vec<Keyset>> {
    let rows: Vec<(i64, NaiveDateTime, NaiveDateTime, String)> = articles::table
        .filter(in_list(articles::id, ids))
        .select((articles::id, articles::published_at, articles::updated_at, articles::title))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, published, updated, title)| {
            let value = match field {
                SortField::PublishedAt => SortValue::Time(published),
                SortField::UpdatedAt => SortValue::Time(updated),
                SortField::Title => SortValue::Text(title),
            };
            Keyset { value, id }
        })
        .collect())
}
