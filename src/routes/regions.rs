//! `/v1/regions`: a tree of regions and countries.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::DbConn;
use crate::domain::Kind;
use crate::domain::RegionType;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::Scope;
use crate::models::article_filter::{ArticleFilter, Ref};
use crate::models::region::{self, RegionFilter, RegionRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::render::csv;
use crate::routes::articles::{article_page, NoParams};
use crate::routes::tables::{self, TableRequest};
use crate::routes::taxonomy_params::{taxonomy_query, TableFormat, TaxonomySort};
use crate::services::exports::TableRows;
use crate::state::AppState;
use crate::views::articles::ArticlePage;
use crate::views::regions::{RegionDetail, RegionView};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_regions).service(get_region).service(region_articles);
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegionListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000, example = 1)]
    pub page: Option<u32>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<u32>,
    /// Name prefix (case- and accent-insensitive, any word).
    #[param(min_length = 1, max_length = 100, pattern = "[^ \\t\\n\\r\\v\\f]", example = "ja")]
    pub q: Option<String>,
    /// Order of the list.
    #[param(inline)]
    pub sort: Option<TaxonomySort>,
    /// Only the direct children of this region (id or slug).
    #[param(max_length = 120, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "asia")]
    pub parent: Option<String>,
    /// Only regions of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", inline)]
    pub region_type: Option<RegionType>,
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

/// List regions.
#[utoipa::path(
    tag = "regions",
    params(RegionListParams),
    responses(
        (status = 200, description = "A page of regions", body = Page<RegionView>,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "`parent` names a region that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/regions")]
pub async fn list_regions(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedQuery { params, problems }: CheckedQuery<RegionListParams>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = problems;
    let paged = params.page.is_some() || params.per_page.is_some();
    let format = tables::format_of(&req, params.format, paged, params.limit, params.bom, &mut errors);
    let (query, window) = taxonomy_query(params.page, params.per_page, params.q.as_deref(), params.sort, &mut errors);
    let parent = Ref::param("parent", params.parent.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::InvalidParams(errors));
    }
    let region_type = params.region_type;
    let rows: TableRows<RegionView> = Box::new(move |conn, query| {
        let mut filter = RegionFilter { parent: None, region_type };
        if let Some(parent) = &parent {
            let id = region::find_ref(conn, parent)?
                .ok_or_else(|| ApiError::unknown_reference("parent", "region", &parent.text()))?;
            filter.parent = Some(Some(id));
        }
        let (rows, total) = region::list(conn, query, &filter)?;
        let parent_ids: Vec<i64> = rows.iter().filter_map(|(r, _)| r.parent_id).collect();
        let parents = region::refs(conn, &parent_ids)?;
        let views = rows
            .into_iter()
            .map(|(row, count)| {
                let parent = row.parent_id.and_then(|p| parents.get(&p));
                RegionView::new(row, parent, count)
            })
            .collect();
        Ok((views, total))
    });
    let (limit, bom) = (params.limit, params.bom.unwrap_or(false));
    let request = TableRequest { query, window, format, limit, bom, rows, columns: &csv::REGION_COLUMNS };
    tables::answer(&req, state, request).await
}

/// One region, with its ancestors and children.
#[utoipa::path(
    tag = "regions",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "asia")),
    responses(
        (status = 200, description = "The region", body = RegionDetail,
            headers(("ETag" = String, description = "Strong validator of this representation: what If-Match on its writes takes"))),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such region", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "It was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/regions/{id_or_slug}")]
pub async fn get_region(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    crate::routes::resource::one(state, Kind::Region, path.into_inner()).await
}

fn require_region(conn: &mut DbConn, key: &ResourceKey, filter: &mut ArticleFilter) -> Result<bool, ApiError> {
    let found = crate::find_by_key!(conn, key, regions, RegionRow)?;
    Ok(found.map(|r| filter.regions.require.push(r.id)).is_some())
}

/// Articles filed under the region or any region beneath it; takes every
/// parameter of `GET /v1/articles`.
#[utoipa::path(
    tag = "regions",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "asia"), ArticleListParams),
    responses(
        (status = 200, description = "A page of the region's articles", body = ArticlePage,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such region, or a filter names something that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "With `q`, `facets` or `histogram`, or an export, only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`)", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/regions/{id_or_slug}/articles")]
pub async fn region_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    article_page(&req, state, query, Some(Scope { resource: "region", key, apply: require_region })).await
}
