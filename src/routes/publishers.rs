//! `/v1/publishers`: the think tanks.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::models::publisher::{self};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::routes::articles::NoParams;
use crate::routes::taxonomy_params::TaxonomyListParams;
use crate::state::AppState;
use crate::views::publishers::{ContactView, PublisherDetail, PublisherView, UnitView};
use crate::views::refs::ResourceRef;
use crate::work;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_publishers).service(get_publisher);
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
    let (query, window) = query.params.parse(query.problems)?;
    let (rows, total) = work::cheap(&state.pool, move |conn| Ok(publisher::list(conn, &query)?)).await?;
    let data = rows.into_iter().map(|(row, count)| PublisherView::new(row, count)).collect();
    Ok(Page::new(&req, window, total, data).into_response())
}

/// One publisher, with its offices, programmes, contacts and series.
#[utoipa::path(
    tag = "publishers",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug", example = "charhar-institute")),
    responses(
        (status = 200, description = "The publisher", body = PublisherDetail),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such publisher", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/publishers/{id_or_slug}")]
pub async fn get_publisher(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<web::Json<PublisherDetail>, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    let detail = work::cheap(&state.pool, move |conn| {
        let d = publisher::find(conn, &key)?.ok_or_else(|| ApiError::not_found("publisher", key.as_text()))?;
        Ok(PublisherDetail {
            publisher: PublisherView::new(d.row, d.article_count),
            units: d
                .units
                .into_iter()
                .map(|u| UnitView { unit_type: u.unit_type, name: u.name, description: u.description })
                .collect(),
            contacts: d.contacts.into_iter().map(|c| ContactView { kind: c.kind, value: c.value }).collect(),
            series: d.series.into_iter().map(ResourceRef::from).collect(),
        })
    })
    .await?;
    Ok(web::Json(detail))
}
