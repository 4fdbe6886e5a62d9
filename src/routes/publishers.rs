//! `/v1/publishers`: the think tanks.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::db::DbConn;
use crate::domain::Kind;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::Scope;
use crate::models::article_filter::ArticleFilter;
use crate::models::publisher::{self, PublisherRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::render::csv;
use crate::routes::articles::{article_page, NoParams};
use crate::routes::tables::{self, TableRequest};
use crate::routes::taxonomy_params::TaxonomyListParams;
use crate::services::exports::TableRows;
use crate::state::AppState;
use crate::views::articles::ArticlePage;
use crate::views::publishers::{PublisherDetail, PublisherView};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_publishers).service(get_publisher).service(publisher_articles);
}

/// List publishers.
#[utoipa::path(
    tag = "publishers",
    params(TaxonomyListParams),
    responses(
        (status = 200, description = "A page of publishers", body = Page<PublisherView>,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/publishers")]
pub async fn list_publishers(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<TaxonomyListParams>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, mut problems } = query;
    let paged = params.page.is_some() || params.per_page.is_some();
    let format = tables::format_of(&req, params.format, paged, params.limit, params.bom, &mut problems);
    let (query, window) = params.parse(problems)?;
    let rows: TableRows<PublisherView> = Box::new(|conn, query| {
        let (rows, total) = publisher::list(conn, query)?;
        Ok((rows.into_iter().map(|(row, count)| PublisherView::new(row, count)).collect(), total))
    });
    let (limit, bom) = (params.limit, params.bom.unwrap_or(false));
    let request = TableRequest { query, window, format, limit, bom, rows, columns: &csv::PUBLISHER_COLUMNS };
    tables::answer(&req, state, request).await
}

/// One publisher, with its offices, programmes, contacts and series.
#[utoipa::path(
    tag = "publishers",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "charhar-institute")),
    responses(
        (status = 200, description = "The publisher", body = PublisherDetail,
            headers(("ETag" = String, description = "Strong validator of this representation: what If-Match on its writes takes"))),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such publisher", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "It was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/publishers/{id_or_slug}")]
pub async fn get_publisher(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    crate::routes::resource::one(state, Kind::Publisher, path.into_inner()).await
}

fn require_publisher(conn: &mut DbConn, key: &ResourceKey, filter: &mut ArticleFilter) -> Result<bool, ApiError> {
    let found = crate::find_by_key!(conn, key, publishers, PublisherRow)?;
    Ok(found.map(|r| filter.publishers.require.push(r.id)).is_some())
}

/// Articles of the publisher; takes every parameter of `GET /v1/articles`.
#[utoipa::path(
    tag = "publishers",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "charhar-institute"), ArticleListParams),
    responses(
        (status = 200, description = "A page of the publisher's articles", body = ArticlePage,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such publisher, or a filter names something that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "With `q`, `facets` or `histogram`, or an export, only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`)", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/publishers/{id_or_slug}/articles")]
pub async fn publisher_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    article_page(&req, state, query, Some(Scope { resource: "publisher", key, apply: require_publisher })).await
}
