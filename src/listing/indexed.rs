//! A list page that reads the search index (heavy work, on the heavy pool):
//! searches, and lists with facets or a histogram. Hits, totals, facets and
//! histogram all come from one index state, which the page reports.

use std::collections::HashMap;

use tantivy::Searcher;

use crate::cache::version::snapshot_at;
use crate::cursor::Position;
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::models::article::{self, ArticleBatch};
use crate::models::article_filter::ArticleFilter;
use crate::pagination::PageRequest;
use crate::search::highlight::{Highlighter, BODY_OPENING_CHARS, HIGHLIGHT_SCAN_CHARS};
use crate::search::{HitKey, HitOrder, KeyValue, SearchRequest, TextQuery};
use crate::state::AppState;
use crate::views::articles::Highlights;
use crate::work::Budget;

use super::facets;
use super::page::{assemble, bodies_within_budget, stored_cards, Listed, ListedPage};
use super::request::ListRequest;
use super::shape::Shape;
use super::sql::{self, cursor_mismatch};

/// A whole page of a list that reads the index, within `budget`.
pub fn page(
    conn: &mut DbConn,
    state: &AppState,
    request: &ListRequest,
    version: i64,
    budget: &Budget,
) -> Result<ListedPage, ApiError> {
    let shape = &request.shape;
    let filter = request.resolve(conn)?;
    let (seq, searcher) = index_state(state, shape)?;
    // Without words the list itself comes from SQL — unless the index has
    // not caught up with the store yet: then the list comes from the same
    // index state as the facets, so that they agree (a list continued with
    // an SQL cursor stays in SQL). Lists of source-stated classifications
    // only come from the index, which alone tells them apart.
    let from_index = shape.text.is_some() || filter.source_only || (seq < version && shape.position.is_none());
    let listed = if from_index {
        list(conn, state, shape, &filter, request.window, (seq, &searcher), budget)?
    } else {
        sql::list(conn, state, shape, &filter, request.window, version)?
    };
    budget.check()?;
    let facets = facets::facets(conn, state, shape, &filter, &searcher, budget)?;
    let histogram = match request.histogram {
        Some(interval) => Some(facets::histogram(state, shape, &filter, interval, &searcher, budget)?),
        None => None,
    };
    let snapshot = snapshot_at(conn, seq)?;
    let slice = request.describe(conn, &filter)?;
    Ok(assemble(listed, shape, state, &request.fingerprint, request.window, facets, histogram, snapshot, slice))
}

/// The index state a request reads: the one a search cursor was issued
/// in, else the latest.
fn index_state(state: &AppState, shape: &Shape) -> Result<(i64, Searcher), ApiError> {
    let continued = match (&shape.text, &shape.position) {
        (Some(_), Some(position)) => Some(position.hit().ok_or_else(cursor_mismatch)?.1),
        _ => None,
    };
    let Some(seq) = continued else { return Ok(state.search.current()) };
    let searcher = state.search.searcher_at(seq).ok_or_else(|| {
        ApiError::invalid(InvalidParam::query(
            "cursor",
            "the search it continues has changed too much since; start again from the first page",
        ))
    })?;
    Ok((seq, searcher))
}

/// The page's hits from the index (ranked by `q` when there is one), with
/// rows, scores, bodies and highlights.
fn list(
    conn: &mut DbConn,
    state: &AppState,
    shape: &Shape,
    filter: &ArticleFilter,
    window: PageRequest,
    (seq, searcher): (i64, &Searcher),
    budget: &Budget,
) -> Result<Listed, ApiError> {
    let after = shape.position.as_ref().and_then(Position::hit).map(|(key, _)| key);
    let order = shape.sort.hit_order();
    let offset = if after.is_some() { 0 } else { window.offset() as usize };
    let limit = window.limit() as usize;
    let request = SearchRequest { text: shape.text.as_ref(), filter, order, after, offset, limit: limit + 1, budget };
    let mut result = state.search.search(searcher, &request)?;
    let mut more = result.hits.len() > limit;
    result.hits.truncate(limit);
    let mut ids: Vec<i64> = result.hits.iter().map(|h| h.id as i64).collect();
    let (bodies, truncated) = bodies_within_budget(conn, shape, &mut ids)?;
    result.hits.truncate(ids.len());
    more |= truncated;
    let next = if more { result.hits.last().map(|h| Position::from_hit(h, seq)) } else { None };
    let scores = result
        .hits
        .iter()
        .filter_map(|h: &HitKey| match h.value {
            KeyValue::Score(score) if order == HitOrder::Relevance => Some((h.id as i64, score)),
            _ => None,
        })
        .collect();
    let cards = stored_cards(conn, shape, &ids)?;
    let uncarded: Vec<i64> = ids.iter().copied().filter(|id| !cards.contains_key(id)).collect();
    let batch = article::load_batch(conn, &uncarded)?;
    let highlights = match (&shape.text, shape.mask.has("highlights")) {
        (Some(text), true) => highlights(conn, state, searcher, text, &batch, &bodies, budget)?,
        _ => HashMap::new(),
    };
    Ok(Listed { ids, cards, batch, total: result.total as i64, next, truncated, scores, highlights, bodies })
}

/// Snippets of each row's title, summary and body where `text` matched.
/// Only the opening of each body is read for its snippet (the bodies of a
/// page that shows them serve as they are).
pub(super) fn highlights(
    conn: &mut DbConn,
    state: &AppState,
    searcher: &Searcher,
    text: &TextQuery,
    batch: &ArticleBatch,
    bodies: &HashMap<i64, String>,
    budget: &Budget,
) -> Result<HashMap<i64, Highlights>, ApiError> {
    let query =
        state.search.text_query(text, crate::search::Purpose::Highlight).map_err(crate::search::SearchError::from)?;
    let highlighter = Highlighter::new(&state.search, searcher, &*query)
        .map_err(|e| ApiError::Internal(format!("highlights: {e}")))?;
    let ids: Vec<i64> = batch.rows.iter().map(|r| r.id).collect();
    // Only each body's opening is read first (a common word's first match
    // is nearly always there); the longer stretch only for bodies whose
    // opening has none.
    let mut body_snippets: HashMap<i64, Option<String>> = HashMap::new();
    if bodies.is_empty() {
        let mut further = Vec::new();
        for (id, opening) in article::body_openings(conn, &ids, BODY_OPENING_CHARS)? {
            budget.check()?;
            match highlighter.body(&opening) {
                None if opening.chars().count() >= BODY_OPENING_CHARS as usize => further.push(id),
                snippet => {
                    body_snippets.insert(id, snippet);
                }
            }
        }
        for (id, scanned) in article::body_openings(conn, &further, HIGHLIGHT_SCAN_CHARS)? {
            budget.check()?;
            body_snippets.insert(id, highlighter.body(&scanned));
        }
    } else {
        for (id, body) in bodies {
            budget.check()?;
            body_snippets.insert(*id, highlighter.body(body));
        }
    }
    let mut out = HashMap::new();
    for row in &batch.rows {
        budget.check()?;
        out.insert(
            row.id,
            Highlights {
                title: highlighter.title(&row.title),
                summary: row.summary.as_deref().and_then(|t| highlighter.summary(t)),
                body: body_snippets.remove(&row.id).flatten(),
            },
        );
    }
    Ok(out)
}
