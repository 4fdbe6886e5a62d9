//! A page of articles as the listing core hands it to renderers, and what
//! the list paths share to build one: the stored cards or loaded rows of
//! the page's ids, and the byte budget for bodies.

use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::cache::Snapshot;
use crate::cursor::Position;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::models::article::{self, ArticleBatch, ArticleRow};
use crate::models::article_card;
use crate::pagination::PageRequest;
use crate::state::AppState;
use crate::views::articles::{ArticleItem, ArticleSummary, Facets, Highlights, Histogram, ListItem};

use super::shape::Shape;
use super::slice::Slice;

/// The most body text one page carries (`include=body` or
/// `fields=…,body`): a page that would hold more ends early, with at least
/// one item, and continues from `next_cursor`.
pub const MAX_PAGE_BODY_BYTES: i64 = 4 << 20;

/// One page of an article list, ready for any renderer.
pub struct ListedPage {
    pub items: Vec<ListItem>,
    /// Articles matching the request, over all pages.
    pub total: i64,
    pub window: PageRequest,
    /// The request paged with `cursor` rather than `page`.
    pub cursor_mode: bool,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
    /// The page holds fewer than `per_page` items because of the body byte
    /// budget (more follow from `next_cursor`).
    pub truncated: bool,
    pub facets: Option<Facets>,
    pub histogram: Option<Histogram>,
    /// The state of the data the page shows: the search index's state when
    /// it read the index, else the data version it was computed at.
    pub snapshot: Snapshot,
    /// The list described in words (when the request asked: feeds).
    pub slice: Option<Slice>,
}

/// A page's ids in order, with a stored card or a loaded row for each.
pub(super) struct Listed {
    pub ids: Vec<i64>,
    pub cards: HashMap<i64, Box<RawValue>>,
    pub batch: ArticleBatch,
    pub total: i64,
    pub next: Option<Position>,
    pub truncated: bool,
    pub scores: HashMap<i64, f32>,
    pub highlights: HashMap<i64, Highlights>,
    pub bodies: HashMap<i64, String>,
}

/// How many of `ids` (in order) fit the body byte budget: at least one.
fn fitting_bodies(conn: &mut DbConn, ids: &[i64]) -> Result<usize, ApiError> {
    let sizes = article::body_sizes(conn, ids)?;
    let mut used = 0i64;
    for (n, id) in ids.iter().enumerate() {
        used += sizes.get(id).copied().unwrap_or(0);
        if used > MAX_PAGE_BODY_BYTES && n > 0 {
            return Ok(n);
        }
    }
    Ok(ids.len())
}

/// The bodies of the page's `ids` when the items show them, the page cut
/// to the body byte budget first; whether it was cut.
pub(super) fn bodies_within_budget(
    conn: &mut DbConn,
    shape: &Shape,
    ids: &mut Vec<i64>,
) -> Result<(HashMap<i64, String>, bool), ApiError> {
    if !shape.mask.has("body") {
        return Ok((HashMap::new(), false));
    }
    let fit = fitting_bodies(conn, ids)?;
    let cut = fit < ids.len();
    ids.truncate(fit);
    Ok((article::bodies(conn, ids)?, cut))
}

/// The stored cards of `ids` when the items are in their default form (a
/// card that is not valid JSON, from a damaged file, is left out: the item
/// is computed instead).
pub(super) fn stored_cards(
    conn: &mut DbConn,
    shape: &Shape,
    ids: &[i64],
) -> Result<HashMap<i64, Box<RawValue>>, ApiError> {
    if !shape.carded {
        return Ok(HashMap::new());
    }
    Ok(article_card::load(conn, ids)?
        .into_iter()
        .filter_map(|(id, card)| RawValue::from_string(card).ok().map(|json| (id, json)))
        .collect())
}

/// The rows of the ids without a stored card, with their relations when
/// the items show any.
pub(super) fn uncarded_rows(
    conn: &mut DbConn,
    shape: &Shape,
    ids: &[i64],
    cards: &HashMap<i64, Box<RawValue>>,
) -> Result<ArticleBatch, ApiError> {
    let uncarded: Vec<i64> = ids.iter().copied().filter(|id| !cards.contains_key(id)).collect();
    Ok(if shape.mask.shows_relations() {
        article::load_batch(conn, &uncarded)?
    } else {
        article::load_rows(conn, &uncarded)?
    })
}

/// The items of `ids`, in order, from their stored cards or loaded rows
/// (an id with neither, gone since it was listed, is left out).
pub(super) fn build_items(
    ids: &[i64],
    mut cards: HashMap<i64, Box<RawValue>>,
    batch: &ArticleBatch,
    shape: &Shape,
    mut bodies: HashMap<i64, String>,
    scores: &HashMap<i64, f32>,
    mut highlights: HashMap<i64, Highlights>,
) -> Vec<ListItem> {
    let rows: HashMap<i64, &ArticleRow> = batch.rows.iter().map(|row| (row.id, row)).collect();
    ids.iter()
        .filter_map(|id| {
            if let Some(card) = cards.remove(id) {
                let score = scores.get(id).copied().filter(|_| shape.mask.has("score"));
                let highlights = highlights.remove(id).filter(|_| shape.mask.has("highlights"));
                return Some(ListItem::card_with(card, score, highlights));
            }
            let row = rows.get(id)?;
            let summary = ArticleSummary::build(row, &batch.relations);
            let body = shape.mask.has("body").then(|| bodies.remove(id));
            Some(ListItem::Built(Box::new(ArticleItem::build(
                summary,
                shape.mask,
                body,
                scores.get(id).copied(),
                highlights.remove(id),
            ))))
        })
        .collect()
}

/// The page's items from `listed`, and the rest of what renderers need.
#[allow(clippy::too_many_arguments)]
pub(super) fn assemble(
    listed: Listed,
    shape: &Shape,
    state: &AppState,
    fingerprint: &str,
    window: PageRequest,
    facets: Option<Facets>,
    histogram: Option<Histogram>,
    snapshot: Snapshot,
    slice: Option<Slice>,
) -> ListedPage {
    let items =
        build_items(&listed.ids, listed.cards, &listed.batch, shape, listed.bodies, &listed.scores, listed.highlights);
    ListedPage {
        items,
        total: listed.total,
        window,
        cursor_mode: shape.position.is_some(),
        next_cursor: listed.next.map(|p| state.cursors.encode(fingerprint, p)),
        truncated: listed.truncated,
        facets,
        histogram,
        snapshot,
        slice,
    }
}
