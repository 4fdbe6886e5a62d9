//! The listing core: one page of an article list, from a validated
//! request, with no HTTP in it. Every page renderer (the JSON list, the
//! feeds) takes its `ListedPage`; exports read the whole list batch by
//! batch from the same queries (`export`).
//!
//! A request that reads the search index (`q`, `facets`, `histogram`) is
//! heavy work: it runs on the heavy pool within a budget (see `work`),
//! from one index state, and reports that state (`computed_at`) so the
//! response is tagged and cached under it. Any other list is cheap work:
//! SQL on a pooled connection.

pub mod export;
pub mod facets;
pub mod indexed;
pub mod page;
pub mod params;
pub mod request;
pub mod shape;
pub mod slice;
pub mod sql;
pub mod suggest;

use std::sync::Arc;

pub use page::{ListedPage, MAX_PAGE_BODY_BYTES};
pub use request::{ListRequest, Scope, ScopeFn};

use crate::error::ApiError;
use crate::state::AppState;
use crate::work;

/// One page of the article list `request` describes.
pub async fn list_articles(state: Arc<AppState>, request: ListRequest) -> Result<ListedPage, ApiError> {
    let snapshot = state.caches.snapshot(&state.pool);
    let version = snapshot.version;
    if !request.uses_index() {
        let s = state.clone();
        return work::cheap(&state.pool, move |conn| sql::page(conn, &s, &request, snapshot)).await;
    }
    catch_up_index(&state, version).await;
    let s = state.clone();
    state
        .heavy
        .run_for_request(state.search_deadline, move |conn, budget| indexed::page(conn, &s, &request, version, budget))
        .await
}

/// Give the search index's background catch-up a moment to apply the
/// change `version`, so that an answer right after a write includes it;
/// then the answer comes from whatever state the index has (labelled with
/// it).
pub async fn catch_up_index(state: &AppState, version: i64) {
    if version > state.search.applied() {
        state.follower.nudge();
        state.search.wait_for(version, state.index_wait).await;
    }
}
