//! `/v1/publishers`: the think tanks.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::UnitType;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::models::publisher::{self, PublisherRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::routes::articles::NoParams;
use crate::routes::taxonomy_params::TaxonomyListParams;
use crate::state::AppState;
use crate::views::refs::ResourceRef;
use crate::work;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_publishers).service(get_publisher);
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 2, "slug": "jfir", "name": "The Japan Forum on International Relations", "short_name": "JFIR",
    "description": "The Japan Forum on International Relations(JFIR) is a private, non-profit, …", "url": null,
    "founded_on": "1987-03-12", "location": "Tokyo", "tagline": null, "tagline_attribution": null, "article_count": 6}))]
pub struct PublisherView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub location: Option<String>,
    /// A motto or quotation the publisher shows, with whom it is from.
    pub tagline: Option<String>,
    pub tagline_attribution: Option<String>,
    pub article_count: i64,
}

impl PublisherView {
    fn new(row: PublisherRow, article_count: i64) -> Self {
        PublisherView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            short_name: row.short_name,
            description: row.description,
            url: row.url,
            founded_on: row.founded_on,
            location: row.location,
            tagline: row.tagline,
            tagline_attribution: row.tagline_attribution,
            article_count,
        }
    }
}

/// An office or a programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    pub unit_type: UnitType,
    pub name: String,
    pub description: Option<String>,
}

/// A way to reach the publisher, as its page gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"kind": "twitter", "value": "@CharharINST"}))]
pub struct ContactView {
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublisherDetail {
    #[serde(flatten)]
    pub publisher: PublisherView,
    /// Offices and programmes, in the order the publisher lists them.
    pub units: Vec<UnitView>,
    pub contacts: Vec<ContactView>,
    pub series: Vec<ResourceRef>,
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
