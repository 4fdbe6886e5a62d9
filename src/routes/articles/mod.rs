//! `/v1/articles` and the article lists scoped to an author, region or
//! topic.

pub mod params;
pub mod views;

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::cache::Caches;
use crate::db::{DbConn, DbPool};
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::models::article;
use crate::models::article_filter::{self, ArticleFilter};
use crate::models::article_list::ArticleQuery;
use crate::models::ResourceKey;
use crate::pagination::Page;
use params::ArticleListParams;
use views::{ArticleDetail, ArticleSummary};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_articles).service(get_article);
}

/// The resource in the path of a scoped list, required of every match.
pub type ScopeFn = fn(&mut DbConn, &ResourceKey, &mut ArticleFilter) -> Result<bool, ApiError>;

/// One page of articles for `params`, optionally restricted by `scope`
/// (which answers false when its resource does not exist).
pub async fn article_page(
    req: &HttpRequest,
    pool: &web::Data<DbPool>,
    caches: &web::Data<Caches>,
    query: CheckedQuery<ArticleListParams>,
    scope: Option<(&'static str, ResourceKey, ScopeFn)>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, problems } = query;
    let version = caches.version(pool);
    let caches = caches.clone();
    let (batch, total, window) = super::with_conn(pool, move |conn| {
        let mut errors = problems;
        let window = params.window(&mut errors);
        let mut filter = ArticleFilter::default();
        if let Some((resource, key, apply)) = &scope {
            if !apply(conn, key, &mut filter)? {
                return Err(ApiError::not_found(resource, key.as_text()));
            }
        }
        let resolved = article_filter::resolve(conn, &params.raw_filter(), &mut errors)?;
        filter.merge_from(resolved);
        let query = ArticleQuery { filter: &filter, order: params.order() };
        let total = caches.counts.get_or_count(&filter, version, || query.count(conn))?;
        let seek = caches.anchors.window(conn, &query, version, window.offset(), window.limit())?;
        let ids = query.ids(conn, &seek)?;
        Ok((article::load_batch(conn, &ids)?, total, window))
    })
    .await?;
    let data = batch.rows.iter().map(|row| ArticleSummary::build(row, &batch.relations)).collect();
    Ok(Page::new(req, window, total, data).into_response())
}

/// List articles, newest first unless `sort` says otherwise.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams),
    responses(
        (status = 200, description = "A page of articles", body = Page<ArticleSummary>,
            headers(
                ("X-Total-Count" = i64, description = "Articles matching the request, over all pages"),
                ("Link" = String, description = "RFC 8288 links to the first, previous, next and last pages"),
            )),
        (status = 400, description = "A parameter is unknown, repeated or malformed",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "A filter names a topic, region, author, publisher or series that does not exist",
            body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    pool: web::Data<DbPool>,
    caches: web::Data<Caches>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    article_page(&req, &pool, &caches, query, None).await
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
