//! What the lists of authors, regions, topics, publishers and series share:
//! a name-prefix search on the folded name, sorts by name or article count,
//! and page windows.

use std::collections::HashMap;

use crate::domain::fold;

/// How a taxonomy list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxonomyOrder {
    #[default]
    NameAsc,
    NameDesc,
    CountDesc,
    CountAsc,
}

/// A validated taxonomy list request.
#[derive(Debug, Clone)]
pub struct TaxonomyQuery {
    /// Folded name prefix.
    pub prefix: Option<String>,
    pub order: TaxonomyOrder,
    pub offset: i64,
    pub limit: i64,
}

/// `LIKE` patterns matching names that start with `prefix` or have a word
/// starting with it. `\` escapes the wildcards. `None` when the prefix
/// folds to nothing (only whitespace or combining marks): it names no word,
/// so it matches no name (an empty pattern would match every one).
pub fn prefix_patterns(prefix: &str) -> Option<(String, String)> {
    let folded = fold(prefix);
    if folded.is_empty() {
        return None;
    }
    let mut escaped = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Some((format!("{escaped}%"), format!("% {escaped}%")))
}

/// Order `(id, name_key, count)` rows by count (ties by name, then id) and
/// cut the window; used when the order is by article count.
pub fn page_by_count(mut rows: Vec<(i64, String, i64)>, query: &TaxonomyQuery) -> Vec<i64> {
    let ascending = query.order == TaxonomyOrder::CountAsc;
    rows.sort_by(|a, b| {
        let by_count = if ascending { a.2.cmp(&b.2) } else { b.2.cmp(&a.2) };
        by_count.then_with(|| a.1.cmp(&b.1)).then_with(|| a.0.cmp(&b.0))
    });
    rows.into_iter().skip(query.offset as usize).take(query.limit as usize).map(|r| r.0).collect()
}

/// List `$table` rows for a `TaxonomyQuery`, with article counts from
/// `$counts` (a `fn(&mut DbConn, Option<&[i64]>) -> QueryResult<HashMap<i64, i64>>`).
/// `$base` builds the boxed, already filtered query (it is evaluated more
/// than once). Returns `QueryResult<(Vec<($row, i64)>, i64)>`.
#[macro_export]
macro_rules! taxonomy_list {
    ($conn:expr, $query:expr, $table:ident, $row:ty, $base:expr, $counts:path) => {{
        use diesel::prelude::*;
        use $crate::models::taxonomy::{page_by_count, prefix_patterns, TaxonomyOrder};
        use $crate::schema::$table;
        let query = $query;
        let patterns = query.prefix.as_deref().map(prefix_patterns);
        let matching = || {
            let mut q = $base;
            match &patterns {
                Some(Some((starts, word_starts))) => {
                    q = q.filter(
                        $table::search_name
                            .like(starts.clone())
                            .escape('\\')
                            .or($table::search_name.like(word_starts.clone()).escape('\\')),
                    );
                }
                // A prefix that names no word matches nothing.
                Some(None) => q = q.filter($table::id.ne($table::id)),
                None => {}
            }
            q
        };
        (|| -> diesel::QueryResult<(Vec<($row, i64)>, i64)> {
            let total: i64 = matching().count().get_result($conn)?;
            let ids: Vec<i64> = match query.order {
                TaxonomyOrder::NameAsc | TaxonomyOrder::NameDesc => {
                    let q = matching().select($table::id);
                    let q = if query.order == TaxonomyOrder::NameAsc {
                        q.order(($table::search_name.asc(), $table::id.asc()))
                    } else {
                        q.order(($table::search_name.desc(), $table::id.desc()))
                    };
                    q.offset(query.offset).limit(query.limit).load($conn)?
                }
                TaxonomyOrder::CountDesc | TaxonomyOrder::CountAsc => {
                    let all: Vec<(i64, String)> = matching().select(($table::id, $table::search_name)).load($conn)?;
                    let counts = $counts($conn, None)?;
                    let rows =
                        all.into_iter().map(|(id, name)| (id, name, counts.get(&id).copied().unwrap_or(0))).collect();
                    page_by_count(rows, &query)
                }
            };
            let counts = $counts($conn, Some(&ids))?;
            let mut rows: std::collections::HashMap<i64, $row> = $table::table
                .filter($crate::db::in_list($table::id, &ids))
                .select(<$row>::as_select())
                .load::<$row>($conn)?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
            let page = ids
                .iter()
                .filter_map(|id| rows.remove(id).map(|r| (r, counts.get(id).copied().unwrap_or(0))))
                .collect();
            Ok((page, total))
        })()
    }};
}

/// Counts as a map, from `(id, count)` pairs.
pub fn count_map(pairs: Vec<(i64, i64)>) -> HashMap<i64, i64> {
    pairs.into_iter().collect()
}

/// `{id, slug, name}` of the rows of `$table` with these ids, by id.
#[macro_export]
macro_rules! refs_by_id {
    ($conn:expr, $table:ident, $ids:expr) => {{
        use diesel::prelude::*;
        use $crate::schema::$table;
        let ids: &[i64] = $ids;
        diesel::QueryResult::Ok(if ids.is_empty() {
            std::collections::HashMap::new()
        } else {
            $table::table
                .filter($crate::db::in_list($table::id, ids))
                .select(($table::id, $table::slug, $table::name))
                .load::<$crate::models::article::TermRef>($conn)?
                .into_iter()
                .map(|r| (r.id, r))
                .collect::<std::collections::HashMap<i64, $crate::models::article::TermRef>>()
        })
    }};
}

/// `{id, slug, name}` of up to `$limit` rows of `$table` whose folded name
/// (or a word of it) starts with `$prefix`, A to Z: type-ahead, without the
/// article counts a list computes.
#[macro_export]
macro_rules! names_with_prefix {
    ($conn:expr, $table:ident, $prefix:expr, $limit:expr) => {{
        use diesel::prelude::*;
        use $crate::schema::$table;
        match $crate::models::taxonomy::prefix_patterns($prefix) {
            // A prefix that names no word matches nothing.
            None => diesel::QueryResult::Ok(Vec::new()),
            Some((starts, word_starts)) => $table::table
                .filter(
                    $table::search_name
                        .like(starts)
                        .escape('\\')
                        .or($table::search_name.like(word_starts).escape('\\')),
                )
                .order(($table::search_name.asc(), $table::id.asc()))
                .limit($limit)
                .select(($table::id, $table::slug, $table::name))
                .load::<$crate::models::article::TermRef>($conn),
        }
    }};
}
