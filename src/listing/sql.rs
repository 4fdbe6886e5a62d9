//! A list page from SQL: lists without `q` (the cheap path, and the list
//! part of a request with facets or a histogram).

use std::collections::HashMap;

use crate::cache::Snapshot;
use crate::cursor::Position;
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::models::article_filter::ArticleFilter;
use crate::models::article_list::{sort_keys, ArticleQuery, Window};
use crate::pagination::PageRequest;
use crate::state::AppState;

use super::page::{assemble, bodies_within_budget, stored_cards, uncarded_rows, Listed, ListedPage};
use super::request::ListRequest;
use super::shape::Shape;

/// A whole page of a list that needs no search index (cheap work).
pub fn page(
    conn: &mut DbConn,
    state: &AppState,
    request: &ListRequest,
    snapshot: Snapshot,
) -> Result<ListedPage, ApiError> {
    let filter = request.resolve(conn, &state.caches.filters, snapshot.version)?;
    let listed = list(conn, state, &request.shape, &filter, request.window, snapshot.version)?;
    let slice = request.describe(conn, &filter)?;
    Ok(assemble(listed, &request.shape, state, &request.fingerprint, request.window, None, None, snapshot, slice))
}

/// How many articles the list has at `version`: from the search index's
/// bitmaps when the index is at that very version and they are built (a few
/// bitmap operations, whatever the size of the list), else counted by the
/// store.
fn total(conn: &mut DbConn, state: &AppState, query: &ArticleQuery<'_>, version: i64) -> Result<i64, ApiError> {
    let (seq, searcher) = state.search.current();
    if seq == version {
        match state.search.filter_total(&searcher, query.filter) {
            Ok(Some(n)) => return Ok(n as i64),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "counting from the index failed; counting in the store"),
        }
    }
    Ok(query.count(conn)?)
}

pub(super) fn cursor_mismatch() -> ApiError {
    ApiError::invalid(InvalidParam::query("cursor", "belongs to another query"))
}

/// The page's ids from SQL, with their cards or rows.
pub(super) fn list(
    conn: &mut DbConn,
    state: &AppState,
    shape: &Shape,
    filter: &ArticleFilter,
    window: PageRequest,
    version: i64,
) -> Result<Listed, ApiError> {
    let order = shape.sort.sql_order().ok_or_else(|| ApiError::invalid(InvalidParam::query("sort", "needs `q`")))?;
    let query = ArticleQuery { filter, order };
    let total = state.caches.counts.get_or_count(filter, version, || total(conn, state, &query, version))?;
    let limit = window.limit() + 1;
    let seek = match &shape.position {
        Some(position) => {
            let keyset = position.keyset().ok_or_else(cursor_mismatch)?;
            Window { after: Some(keyset), offset: 0, limit }
        }
        None => state.caches.anchors.window(conn, &query, version, window.offset(), limit)?,
    };
    let mut ids = query.ids(conn, &seek)?;
    let mut more = ids.len() as i64 > window.limit();
    ids.truncate(window.limit() as usize);
    let (bodies, truncated) = bodies_within_budget(conn, shape, &mut ids)?;
    more |= truncated;
    let next = match (more, ids.last()) {
        (true, Some(last)) => sort_keys(conn, order.field, &[*last])?.first().map(Position::from_keyset),
        _ => None,
    };
    let cards = stored_cards(conn, shape, &ids)?;
    Ok(Listed {
        batch: uncarded_rows(conn, shape, &ids, &cards)?,
        ids,
        cards,
        total,
        next,
        truncated,
        scores: HashMap::new(),
        highlights: HashMap::new(),
        bodies,
    })
}
