//! The whole of an article list, in its order, batch by batch: what
//! exports stream. Everything is read in the caller's read transaction, so
//! the export shows one state of the data however long it streams; only a
//! search (or a list of source-stated classifications) takes its matches
//! from the search index, from one index state.
//!
//! Memory stays constant: a batch of ids is listed after the sort key of
//! the last one (a keyset, for SQL; the last hit, for the index), rendered
//! and handed on before the next is read.

use std::collections::HashMap;

use crate::cache::version::{read_snapshot, snapshot_at};
use crate::cache::Snapshot;
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::models::article::{self, ArticleBatch};
use crate::models::article_card;
use crate::models::article_filter::ArticleFilter;
use crate::models::article_list::{sort_keys, ArticleQuery, Keyset, Window};
use crate::search::{HitKey, HitOrder, KeyValue, SearchRequest};
use crate::state::AppState;
use crate::views::articles::ListItem;
use crate::work::Budget;

use super::indexed::addresses;
use super::page::{build_items, stored_cards};
use super::params::ArticleListParams;
use super::request::ListRequest;

/// Articles rendered and handed on at a time.
pub const BATCH: usize = 500;

/// Hits read from the index per search after the first batch (each read
/// visits every match: few reads, bounded memory).
const HITS_PER_READ: usize = 50_000;

/// Parameters that page or summarise a list, which an export (the whole
/// result) does not take.
const NOT_FOR_EXPORTS: &[&str] = &["page", "per_page", "cursor", "facets", "facet_size", "histogram"];

/// The problems of `params` that depend on whether the answer is an export.
pub fn check_params(params: &ArticleListParams, export: bool, csv: bool, errors: &mut Vec<InvalidParam>) {
    if export {
        let given = [
            params.page.is_some(),
            params.per_page.is_some(),
            params.cursor.is_some(),
            params.facets.is_some(),
            params.facet_size.is_some(),
            params.histogram.is_some(),
        ];
        for (name, _) in NOT_FOR_EXPORTS.iter().zip(given).filter(|(_, given)| *given) {
            errors.push(InvalidParam::query(
                *name,
                "does not apply to an export, which sends the whole result (cap it with `limit`)",
            ));
        }
    } else if params.limit.is_some() {
        errors.push(InvalidParam::query(
            "limit",
            "applies only to exports (`format=csv` or `ndjson`); pages take `per_page`",
        ));
    }
    if params.bom.is_some() && !csv {
        errors.push(InvalidParam::query("bom", "applies only to `format=csv`"));
    }
    check_limit(params.limit, errors);
}

/// The most rows one export may be asked for (`limit`), as the spec says.
pub const MAX_LIMIT: u64 = 100_000_000;

/// `limit` of an export: from 1 to `MAX_LIMIT`.
pub fn check_limit(limit: Option<u64>, errors: &mut Vec<InvalidParam>) {
    if limit.is_some_and(|n| !(1..=MAX_LIMIT).contains(&n)) {
        errors.push(InvalidParam::query("limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
}

/// What is known before the first item: how many items follow and which
/// state of the data they show.
#[derive(Debug, Clone, Copy)]
pub struct ExportHead {
    pub total: i64,
    pub snapshot: Snapshot,
}

/// A batch of items, as the export asked for them.
pub enum ExportItems {
    /// List items.
    Items(Vec<ListItem>),
    /// The JSON of each item: stored cards as they are (the renderer reads
    /// or checks each, on its own thread), computed items serialised.
    Texts(Vec<String>),
}

/// What an export does with the list: hear what follows, then take it a
/// batch at a time.
pub trait Batches {
    fn head(&mut self, head: ExportHead) -> Result<(), ApiError>;
    /// The next items, in order (`conn` is in the export's transaction).
    fn batch(&mut self, conn: &mut DbConn, items: ExportItems) -> Result<(), ApiError>;
}

/// How an export reads its list.
pub struct ExportList<'a> {
    pub request: &'a ListRequest,
    /// At most this many.
    pub limit: Option<u64>,
    /// Items as their JSON text (`ExportItems::Texts`).
    pub texts: bool,
}

/// Send every article of the list (at most `limit`), in order, to `to`,
/// after telling it how many there are. Run it inside a read transaction.
pub fn each_batch(
    conn: &mut DbConn,
    state: &AppState,
    list: &ExportList<'_>,
    to: &mut dyn Batches,
) -> Result<(), ApiError> {
    let snapshot = read_snapshot(conn)?;
    let filter = list.request.resolve(conn, &state.caches.filters, snapshot.version)?;
    if list.request.uses_index() {
        from_index(conn, state, list, &filter, to)
    } else {
        from_sql(conn, state, list, &filter, snapshot, to)
    }
}

fn from_sql(
    conn: &mut DbConn,
    state: &AppState,
    list: &ExportList<'_>,
    filter: &ArticleFilter,
    snapshot: Snapshot,
    to: &mut dyn Batches,
) -> Result<(), ApiError> {
    let limit = list.limit.unwrap_or(u64::MAX);
    let shape = &list.request.shape;
    let order = shape.sort.sql_order().ok_or_else(|| ApiError::invalid(InvalidParam::query("sort", "needs `q`")))?;
    let query = ArticleQuery { filter, order };
    let total = state.caches.counts.get_or_count(filter, snapshot.version, || query.count(conn))?;
    to.head(ExportHead { total: total.min(limit.min(i64::MAX as u64) as i64), snapshot })?;
    let mut after: Option<Keyset> = None;
    let mut left = limit;
    while left > 0 {
        let want = (BATCH as u64).min(left) as i64;
        let ids = query.ids(conn, &Window { after: after.take(), offset: 0, limit: want })?;
        let Some(&last) = ids.last() else { break };
        left -= ids.len() as u64;
        let complete = (ids.len() as i64) < want;
        after = sort_keys(conn, order.field, &[last])?.pop();
        let items = items(conn, state, list, &ids, &HashMap::new(), None)?;
        to.batch(conn, items)?;
        if complete || after.is_none() {
            break;
        }
    }
    Ok(())
}

fn from_index(
    conn: &mut DbConn,
    state: &AppState,
    list: &ExportList<'_>,
    filter: &ArticleFilter,
    to: &mut dyn Batches,
) -> Result<(), ApiError> {
    let limit = list.limit.unwrap_or(u64::MAX);
    let shape = &list.request.shape;
    let (seq, searcher) = state.search.current();
    let order = shape.sort.hit_order();
    let budget = Budget::unlimited();
    let mut first = true;
    let mut after: Option<HitKey> = None;
    let mut left = limit;
    let mut read = BATCH;
    while left > 0 {
        let want = (read as u64).min(left) as usize;
        let search = SearchRequest {
            text: shape.text.as_ref(),
            filter,
            order,
            after: after.take(),
            offset: 0,
            limit: want,
            budget: &budget,
        };
        let result = state.search.search(&searcher, &search)?;
        if std::mem::take(&mut first) {
            // The matches are those of the index state `seq`.
            let total = result.total.min(limit).min(i64::MAX as u64) as i64;
            to.head(ExportHead { total, snapshot: snapshot_at(conn, seq)? })?;
        }
        let complete = result.hits.len() < want;
        left -= result.hits.len() as u64;
        after = result.hits.last().cloned();
        for hits in result.hits.chunks(BATCH) {
            let ids: Vec<i64> = hits.iter().map(|h| h.id as i64).collect();
            let scores: HashMap<i64, f32> = hits
                .iter()
                .filter_map(|h| match h.value {
                    KeyValue::Score(score) if order == HitOrder::Relevance => Some((h.id as i64, score)),
                    _ => None,
                })
                .collect();
            let items = items(conn, state, list, &ids, &scores, Some((&searcher, &addresses(hits))))?;
            to.batch(conn, items)?;
        }
        if complete || after.is_none() {
            break;
        }
        read = HITS_PER_READ;
    }
    Ok(())
}

/// The list items of `ids` as the request shapes them (bodies and
/// highlights when it asks for them), or their JSON.
fn items(
    conn: &mut DbConn,
    state: &AppState,
    list: &ExportList<'_>,
    ids: &[i64],
    scores: &HashMap<i64, f32>,
    hits: Option<(&tantivy::Searcher, &[(i64, tantivy::DocAddress)])>,
) -> Result<ExportItems, ApiError> {
    let shape = &list.request.shape;
    if list.texts && shape.plain() {
        // Stored cards as they are; those missing computed.
        let mut texts = article_card::load(conn, ids)?;
        let missing: Vec<i64> = ids.iter().copied().filter(|id| !texts.contains_key(id)).collect();
        let rows = article::load_batch(conn, &missing)?;
        for item in build_items(&missing, HashMap::new(), &rows, shape, HashMap::new(), scores, HashMap::new()) {
            if let ListItem::Built(item) = item {
                texts.insert(item.id, to_json(&item)?);
            }
        }
        return Ok(ExportItems::Texts(ids.iter().filter_map(|id| texts.remove(id)).collect()));
    }
    let cards = stored_cards(conn, shape, ids)?;
    let uncarded: Vec<i64> = ids.iter().copied().filter(|id| !cards.contains_key(id)).collect();
    let rows: ArticleBatch = article::load_batch(conn, &uncarded)?;
    let bodies = if shape.mask.has("body") { article::bodies(conn, ids)? } else { HashMap::new() };
    let highlights = match (&shape.text, hits, shape.mask.has("highlights")) {
        (Some(text), Some((searcher, docs)), true) => {
            super::indexed::highlights(conn, state, searcher, text, docs, &bodies, &Budget::unlimited())?
        }
        _ => HashMap::new(),
    };
    let items = build_items(ids, cards, &rows, shape, bodies, scores, highlights);
    if !list.texts {
        return Ok(ExportItems::Items(items));
    }
    let texts = items
        .iter()
        .map(|item| match item {
            ListItem::Card(card) => Ok(card.get().to_owned()),
            ListItem::Built(item) => to_json(item),
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(ExportItems::Texts(texts))
}

fn to_json(item: &crate::views::articles::ArticleItem) -> Result<String, ApiError> {
    serde_json::to_string(item).map_err(|e| ApiError::Internal(format!("a list item: {e}")))
}
