//! Type-ahead suggestions (heavy work: titles come from the search index).

use crate::cache::version::{snapshot_at, Snapshot};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::models::article::{titles, TermRef};
use crate::state::AppState;
use crate::views::refs::ResourceRef;
use crate::views::suggest::{Suggestions, TitleSuggestion};
use crate::work::Budget;

/// Up to `limit` suggestions of each kind for what was `typed`, and the
/// state of the data the titles came from.
pub fn suggestions(
    conn: &mut DbConn,
    state: &AppState,
    typed: &str,
    limit: u32,
    budget: &Budget,
) -> Result<(Suggestions, Snapshot), ApiError> {
    let (seq, searcher) = state.search.current();
    let ids: Vec<i64> = state
        .search
        .suggest_titles(&searcher, typed, limit as usize, budget)?
        .into_iter()
        .map(|id| id as i64)
        .collect();
    let articles =
        titles(conn, &ids)?.into_iter().map(|(id, slug, title)| TitleSuggestion { id, slug, title }).collect();
    let limit = i64::from(limit);
    let named = |rows: Vec<TermRef>| rows.into_iter().map(ResourceRef::from).collect();
    let suggestions = Suggestions {
        articles,
        authors: named(crate::names_with_prefix!(conn, authors, typed, limit)?),
        topics: named(crate::names_with_prefix!(conn, topics, typed, limit)?),
        regions: named(crate::names_with_prefix!(conn, regions, typed, limit)?),
    };
    Ok((suggestions, snapshot_at(conn, seq)?))
}
