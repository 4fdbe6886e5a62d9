//! `/v1/articles` and the article lists scoped to an author, region or
//! topic: parse the query, ask the listing core, render the page as JSON.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::cache::responses::ComputedAt;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::{self, ListRequest, ListedPage, Scope};
use crate::models::article;
use crate::models::ResourceKey;
use crate::pagination::{list_response, list_url, PageLinks, MAX_PAGE};
use crate::state::AppState;
use crate::views::articles::{ArticleDetail, ArticleListMeta, ArticlePage};
use crate::work;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_articles).service(get_article);
}

/// A page of an article list (scoped to the resource in the path, if
/// any), as JSON.
pub async fn article_page(
    req: &HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<ArticleListParams>,
    scope: Option<Scope>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, problems } = query;
    let request = ListRequest::parse(req.path(), &params, problems, scope, &state.cursors)?;
    let page = listing::list_articles(state.into_inner(), request).await?;
    Ok(respond(req, page))
}

/// The JSON list: the page with its meta and links, `Link` and
/// `X-Total-Count`, and the state it was computed from for the caches.
fn respond(req: &HttpRequest, page: ListedPage) -> HttpResponse {
    let ListedPage { items, total, window, cursor_mode, next_cursor, truncated, facets, histogram, computed_at } = page;
    let per_page = i64::from(window.per_page);
    let total_pages = (total + per_page - 1) / per_page;
    let next_link = next_cursor.as_deref().map(|c| list_url(req, None, Some(c)));
    let links = if cursor_mode {
        PageLinks {
            self_: format!(
                "{}{}",
                req.path(),
                if req.query_string().is_empty() { String::new() } else { format!("?{}", req.query_string()) }
            ),
            first: list_url(req, Some(1), None),
            prev: None,
            next: next_link,
            last: list_url(req, Some(total_pages.clamp(1, i64::from(MAX_PAGE))), None),
        }
    } else {
        let mut links = PageLinks::numbered(req, i64::from(window.page), total_pages, next_cursor.as_deref());
        if truncated {
            // The page ended early: the next page starts after its last item.
            links.next = next_link;
        }
        links
    };
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
    let mut response = list_response(total, &body.links, &body);
    if let Some(seq) = computed_at {
        response.extensions_mut().insert(ComputedAt(seq));
    }
    response
}

/// List, filter and search articles. Without `q`, newest first unless
/// `sort` says otherwise; with `q`, best match first, each hit with its
/// `score` and `highlights`. `facets` and `histogram` describe the whole
/// result. Page with `page` (up to 10,000) or, at any depth and at the same
/// cost, with `cursor` from `meta.next_cursor`. A page carries at most
/// 4 MiB of bodies: one that would carry more ends early
/// (`meta.truncated`) and `links.next` continues after its last item.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage,
            headers(
                ("X-Total-Count" = i64, description = "Articles matching the request, over all pages"),
                ("Link" = String, description = "RFC 8288 links to the first, previous, next and last pages"),
            )),
        (status = 400, description = "A parameter is unknown, repeated or malformed (including `q`, and a `cursor` that is tampered with or belongs to another query)",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "A filter names a topic, region, author, publisher or series that does not exist",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Searches, facets and histograms only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`); retry after `Retry-After` seconds",
            body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    article_page(&req, state, query, None).await
}

/// One article in full: body, byline with roles and affiliations at the
/// time, regions, topics, publisher, series, source and translation.
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug of the article",
        example = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty")),
    responses(
        (status = 200, description = "The article", body = ArticleDetail),
        (status = 400, description = "The request has query parameters (this endpoint takes none)",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No article has this id or slug", body = ProblemDetails,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{id_or_slug}")]
pub async fn get_article(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<web::Json<ArticleDetail>, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    let detail = work::cheap(&state.pool, move |conn| {
        let full = article::load_full(conn, &key)?;
        full.and_then(ArticleDetail::build).ok_or_else(|| ApiError::not_found("article", key.as_text()))
    })
    .await?;
    Ok(web::Json(detail))
}

/// For endpoints that take no query parameters: any given is reported.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
