//! Article cards: each article's default list item, serialised by the write
//! path so that a list page reads one stored row per item.
//!
//! A card is exactly the JSON the list would compute for the article
//! (`ArticleItem` with the default fields), built by the same code. The
//! writer refreshes, in the transaction of each write, the cards of every
//! article it changed and of every article showing an author, topic, region,
//! publisher or series it changed. Lists fall back to computing an item when
//! its card is missing; start-up (`ensure_current`) builds the cards of a
//! database written before cards, or in an older card format.

use std::collections::{HashMap, HashSet};

use diesel::result::Error as DieselError;
use diesel::QueryResult;

use crate::db::DbConn;
use crate::domain::Kind;
use crate::models::article::{self, ArticleBatch};
use crate::models::article_card;
use crate::views::articles::{ArticleItem, ArticleSummary, FieldMask};

/// Articles per build (one page-sized relation load each).
const CHUNK: usize = 500;

/// The default list item of each row of `batch`.
pub fn items(batch: &ArticleBatch) -> impl Iterator<Item = (i64, ArticleItem)> + '_ {
    batch.rows.iter().map(|row| {
        let summary = ArticleSummary::build(row, &batch.relations);
        (row.id, ArticleItem::build(summary, FieldMask::default_fields(), None, None, None))
    })
}

/// Build and store the cards of `ids` (those that exist). Run it in a
/// transaction.
pub fn refresh(conn: &mut DbConn, ids: &[i64]) -> QueryResult<usize> {
    let mut stored = 0;
    for chunk in ids.chunks(CHUNK) {
        let batch = article::load_batch(conn, chunk)?;
        let cards = items(&batch)
            .map(|(id, item)| {
                serde_json::to_string(&item)
                    .map(|json| (id, json))
                    .map_err(|e| DieselError::SerializationError(e.into()))
            })
            .collect::<QueryResult<Vec<_>>>()?;
        stored += article_card::store(conn, &cards)?;
    }
    Ok(stored)
}

/// Refresh the cards that show what a write touched: `(kind, id)` of each
/// article written and of each author, topic, region, publisher or series
/// updated. Run it in the transaction that made the changes.
pub fn refresh_after(conn: &mut DbConn, changes: impl IntoIterator<Item = (Kind, i64)>) -> QueryResult<usize> {
    let mut by_kind: HashMap<Kind, Vec<i64>> = HashMap::new();
    for (kind, id) in changes {
        by_kind.entry(kind).or_default().push(id);
    }
    let mut seen = HashSet::new();
    let mut affected = Vec::new();
    for (kind, ids) in &by_kind {
        for id in article_card::showing(conn, *kind, ids)? {
            if seen.insert(id) {
                affected.push(id);
            }
        }
    }
    refresh(conn, &affected)
}

/// The format of the cards this build writes. Bump it whenever the JSON of
/// a default list item changes (`ArticleItem` and what it holds): start-up
/// then rebuilds every stored card. A test ties it to the item's schema.
pub const FORMAT: i64 = 3;

/// At start-up: when the stored cards are of another format (or of none: a
/// database written before cards), rebuild them all, a chunk per
/// transaction; returns how many. Otherwise the writer has kept them in
/// step and nothing is read.
pub fn ensure_current(conn: &mut DbConn) -> QueryResult<usize> {
    match article_card::format(conn)? {
        Some(FORMAT) => return Ok(0),
        Some(_) => crate::db::write_transaction(conn, article_card::clear)?,
        None => {}
    }
    let built = backfill(conn)?;
    crate::db::write_transaction(conn, |c| article_card::set_format(c, FORMAT))?;
    Ok(built)
}

/// Build the cards of every article that has none, a chunk per
/// transaction; returns how many.
fn backfill(conn: &mut DbConn) -> QueryResult<usize> {
    let mut built = 0;
    let mut after = 0;
    loop {
        let ids = article_card::missing(conn, after, CHUNK as i64)?;
        let Some(&last) = ids.last() else { break };
        built += crate::db::write_transaction(conn, |c| refresh(c, &ids))?;
        after = last;
    }
    Ok(built)
}
