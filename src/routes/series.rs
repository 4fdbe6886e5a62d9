//! `/v1/series`: commentary lines, book series, periodicals, news
//! categories.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::DbConn;
use crate::domain::Kind;
use crate::domain::SeriesType;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::Scope;
use crate::models::article_filter::ArticleFilter;
use crate::models::article_filter::Ref;
use crate::models::publisher;
use crate::models::series::{self, SeriesFilter, SeriesRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::render::csv;
use crate::routes::articles::{article_page, NoParams};
use crate::routes::tables::{self, TableRequest};
use crate::routes::taxonomy_params::{taxonomy_query, TableFormat, TaxonomySort};
use crate::services::exports::TableRows;
use crate::state::AppState;
use crate::views::articles::ArticlePage;
use crate::views::series::SeriesView;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_series).service(get_series).service(series_articles);
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SeriesListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000, example = 1)]
    pub page: Option<u32>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<u32>,
    /// Name prefix (case- and accent-insensitive, any word).
    #[param(min_length = 1, max_length = 100, pattern = "[^ \\t\\n\\r\\v\\f]", example = "charhar")]
    pub q: Option<String>,
    /// Order of the list.
    #[param(inline)]
    pub sort: Option<TaxonomySort>,
    /// Only series of this publisher (id or slug).
    #[param(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "charhar-institute")]
    pub publisher: Option<String>,
    /// Only series of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", inline)]
    pub series_type: Option<SeriesType>,
    /// `json` (a page), or the whole list streamed as `csv` or `ndjson`
    /// (which take `limit` rather than `page`/`per_page`); wins over
    /// `Accept`.
    #[param(inline)]
    pub format: Option<TableFormat>,
    /// Exports only: at most this many items (default: all).
    #[param(minimum = 1, maximum = 100000000, example = 1000)]
    pub limit: Option<u64>,
    /// CSV only: start with a UTF-8 byte order mark (for Excel).
    pub bom: Option<bool>,
}

/// List series.
#[utoipa::path(
    tag = "series",
    params(SeriesListParams),
    responses(
        (status = 200, description = "A page of series", body = Page<SeriesView>,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "`publisher` names a publisher that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/series")]
pub async fn list_series(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedQuery { params, problems }: CheckedQuery<SeriesListParams>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = problems;
    let paged = params.page.is_some() || params.per_page.is_some();
    let format = tables::format_of(&req, params.format, paged, params.limit, params.bom, &mut errors);
    let (query, window) = taxonomy_query(params.page, params.per_page, params.q.as_deref(), params.sort, &mut errors);
    let publisher_ref = Ref::param("publisher", params.publisher.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::InvalidParams(errors));
    }
    let series_type = params.series_type;
    let rows: TableRows<SeriesView> = Box::new(move |conn, query| {
        let mut filter = SeriesFilter { publisher_id: None, series_type };
        if let Some(p) = &publisher_ref {
            let id = publisher::find_ref(conn, p)?
                .ok_or_else(|| ApiError::unknown_reference("publisher", "publisher", &p.text()))?;
            filter.publisher_id = Some(id);
        }
        let (rows, total) = series::list(conn, query, &filter)?;
        let ids: Vec<i64> = rows.iter().map(|(r, _)| r.publisher_id).collect();
        let publishers = publisher::refs(conn, &ids)?;
        let views = rows
            .into_iter()
            .map(|(row, count)| {
                let p = publishers.get(&row.publisher_id);
                SeriesView::new(row, p, count)
            })
            .collect();
        Ok((views, total))
    });
    let (limit, bom) = (params.limit, params.bom.unwrap_or(false));
    let request = TableRequest { query, window, format, limit, bom, rows, columns: &csv::SERIES_COLUMNS };
    tables::answer(&req, state, request).await
}

/// One series.
#[utoipa::path(
    tag = "series",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "jfir-commentary")),
    responses(
        (status = 200, description = "The series", body = SeriesView,
            headers(("ETag" = String, description = "Strong validator of this representation: what If-Match on its writes takes"))),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such series", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "It was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/series/{id_or_slug}")]
pub async fn get_series(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    crate::routes::resource::one(state, Kind::Series, path.into_inner()).await
}

fn require_series(conn: &mut DbConn, key: &ResourceKey, filter: &mut ArticleFilter) -> Result<bool, ApiError> {
    let found = crate::find_by_key!(conn, key, series, SeriesRow)?;
    Ok(found.map(|r| filter.series.require.push(r.id)).is_some())
}

/// Articles of the series; takes every parameter of `GET /v1/articles`.
#[utoipa::path(
    tag = "series",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "jfir-commentary"), ArticleListParams),
    responses(
        (status = 200, description = "A page of the series's articles", body = ArticlePage,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such series, or a filter names something that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "With `q`, `facets` or `histogram`, or an export, only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`)", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/series/{id_or_slug}/articles")]
pub async fn series_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    article_page(&req, state, query, Some(Scope { resource: "series", key, apply: require_series })).await
}
