//! `/v1/articles` and the article lists scoped to an author, region or
//! topic.

pub mod list;
pub mod params;
pub mod shape;
pub mod views;

pub use list::article_page;

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::db::{DbConn, DbPool};
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::models::article;
use crate::models::article_filter::ArticleFilter;
use crate::models::ResourceKey;
use crate::startup::Services;
use params::ArticleListParams;
use views::{ArticleDetail, ArticlePage};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_articles).service(get_article);
}

/// The resource in the path of a scoped list, required of every match;
/// answers false when it does not exist.
pub type ScopeFn = fn(&mut DbConn, &ResourceKey, &mut ArticleFilter) -> Result<bool, ApiError>;

/// List, filter and search articles. Without `q`, newest first unless
/// `sort` says otherwise; with `q`, best match first, each hit with its
/// `score` and `highlights`. `facets` and `histogram` describe the whole
/// result. Page with `page` (up to 10,000) or, at any depth and at the same
/// cost, with `cursor` from `meta.next_cursor`.
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
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    services: web::Data<Services>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    article_page(&req, &services, query, None).await
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
    pool: web::Data<DbPool>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<web::Json<ArticleDetail>, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    let detail = super::with_conn(&pool, move |conn| {
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
