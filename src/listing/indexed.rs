//! A list page that reads the search index (heavy work, on the heavy pool):
//! searches, and lists with facets or a histogram. Hits, totals, facets and
//! histogram all come from one index state, which the page reports.

use std::collections::{BTreeMap, HashMap};

use tantivy::{DocAddress, Searcher};

use crate::cache::version::snapshot_at;
use crate::cursor::Position;
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::models::article;
use crate::models::article_filter::ArticleFilter;
use crate::pagination::PageRequest;
use crate::search::highlight::{chars_to_read, Highlighter, ReadMore, HIGHLIGHT_SCAN_CHARS};
use crate::search::{HitKey, HitOrder, KeyValue, SearchRequest, TextQuery};
use crate::state::AppState;
use crate::views::articles::Highlights;
use crate::work::Budget;

use super::facets;
use super::page::{assemble, bodies_within_budget, stored_cards, uncarded_rows, Listed, ListedPage};
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
    let filter = request.resolve(conn, &state.caches.filters, version)?;
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
    let facets = facets::facets(conn, state, version, shape, &filter, &searcher, budget)?;
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
    let batch = uncarded_rows(conn, shape, &ids, &cards)?;
    let highlights = match (&shape.text, shape.mask.has("highlights")) {
        (Some(text), true) => highlights(conn, state, searcher, text, &addresses(&result.hits), &bodies, budget)?,
        _ => HashMap::new(),
    };
    Ok(Listed { ids, cards, batch, total: result.total as i64, next, truncated, scores, highlights, bodies })
}

/// Each hit's article id and address in the searcher it came from.
pub(super) fn addresses(hits: &[HitKey]) -> Vec<(i64, DocAddress)> {
    hits.iter().filter_map(|h| h.doc.map(|doc| (h.id as i64, doc))).collect()
}

/// Snippets of the title, summary and body of each hit (`docs`: article
/// ids and their addresses in `searcher`) where `text` matched. The index
/// tells where each body first matches, so only bodies that match are
/// read, and only as far as their snippets need (the bodies of a page that
/// shows them serve as they are).
pub(super) fn highlights(
    conn: &mut DbConn,
    state: &AppState,
    searcher: &Searcher,
    text: &TextQuery,
    docs: &[(i64, DocAddress)],
    bodies: &HashMap<i64, String>,
    budget: &Budget,
) -> Result<HashMap<i64, Highlights>, ApiError> {
    let failed = |e: tantivy::TantivyError| ApiError::Internal(format!("highlights: {e}"));
    let query =
        state.search.text_query(text, crate::search::Purpose::Highlight).map_err(crate::search::SearchError::from)?;
    let highlighter = Highlighter::new(&state.search, searcher, &*query).map_err(failed)?;
    let first = highlighter.first_body_matches(searcher, docs).map_err(failed)?;
    let mut body_snippets: HashMap<i64, Option<String>> = HashMap::new();
    if bodies.is_empty() {
        // Read in a few lengths, each as long as its snippets likely need;
        // those that fell short again to the scan's end.
        let mut by_length: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
        for (id, position) in &first {
            by_length.entry(chars_to_read(*position)).or_default().push(*id);
        }
        let mut short = Vec::new();
        for (chars, ids) in by_length {
            for (id, body) in article::body_openings(conn, &ids, chars)? {
                budget.check()?;
                let cut = chars < HIGHLIGHT_SCAN_CHARS && body.len() >= chars as usize;
                match highlighter.body(&body, first[&id], cut) {
                    Ok(snippet) => {
                        body_snippets.insert(id, snippet);
                    }
                    Err(ReadMore) => short.push(id),
                }
            }
        }
        for (id, body) in article::body_openings(conn, &short, HIGHLIGHT_SCAN_CHARS)? {
            budget.check()?;
            body_snippets.insert(id, highlighter.body(&body, first[&id], false).unwrap_or_default());
        }
    } else {
        for (id, position) in &first {
            budget.check()?;
            let snippet = bodies.get(id).and_then(|body| highlighter.body(body, *position, false).unwrap_or_default());
            body_snippets.insert(*id, snippet);
        }
    }
    let ids: Vec<i64> = docs.iter().map(|(id, _)| *id).collect();
    let mut out = HashMap::new();
    for (id, title, summary) in article::headlines(conn, &ids)? {
        budget.check()?;
        let highlights = Highlights {
            title: highlighter.title(&title),
            summary: summary.as_deref().and_then(|t| highlighter.summary(t)),
            body: body_snippets.remove(&id).flatten(),
        };
        out.insert(id, highlights);
    }
    Ok(out)
}
