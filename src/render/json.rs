//! The JSON list: the page's items with `meta` and `links`.

use super::{Context, Rendered};
use crate::error::ApiError;
use crate::listing::ListedPage;
use crate::pagination::{ListPosition, PageLinks};
use crate::views::articles::{ArticleListMeta, ArticlePage};

pub const MEDIA_TYPE: &str = "application/json";

/// The page as `{data, meta, links, facets?, histogram?}`.
pub fn render(page: ListedPage, ctx: &Context<'_>) -> Result<Rendered, ApiError> {
    let ListedPage { items, total, window, cursor_mode, next_cursor, truncated, facets, histogram, .. } = page;
    let per_page = i64::from(window.per_page);
    let total_pages = (total + per_page - 1) / per_page;
    let links = PageLinks::for_list(
        ctx.location,
        ListPosition { window, total_pages, cursor_mode, next_cursor: next_cursor.as_deref(), truncated },
    );
    let body = ArticlePage {
        data: items,
        meta: ArticleListMeta {
            page: (!cursor_mode).then_some(window.page),
            per_page: window.per_page,
            total,
            total_pages,
            next_cursor,
            truncated,
        },
        links,
        facets,
        histogram,
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| ApiError::Internal(format!("writing JSON: {e}")))?;
    Ok(Rendered { body: bytes, content_type: MEDIA_TYPE, links: body.links, total })
}
