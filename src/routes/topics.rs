//! `/v1/topics`.

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::db::DbConn;
use crate::domain::Kind;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::Scope;
use crate::models::article_filter::ArticleFilter;
use crate::models::topic::{self, TopicRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::render::csv;
use crate::routes::articles::{article_page, NoParams};
use crate::routes::tables::{self, TableRequest};
use crate::routes::taxonomy_params::TaxonomyListParams;
use crate::services::exports::TableRows;
use crate::state::AppState;
use crate::views::articles::ArticlePage;
use crate::views::topics::TopicView;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_topics).service(get_topic).service(topic_articles);
}

/// List topics.
#[utoipa::path(
    tag = "topics",
    params(TaxonomyListParams),
    responses(
        (status = 200, description = "A page of topics", body = Page<TopicView>,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/topics")]
pub async fn list_topics(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<TaxonomyListParams>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, mut problems } = query;
    let paged = params.page.is_some() || params.per_page.is_some();
    let format = tables::format_of(&req, params.format, paged, params.limit, params.bom, &mut problems);
    let (query, window) = params.parse(problems)?;
    let rows: TableRows<TopicView> = Box::new(|conn, query| {
        let (rows, total) = topic::list(conn, query)?;
        Ok((rows.into_iter().map(|(row, count)| TopicView::new(row, count)).collect(), total))
    });
    let (limit, bom) = (params.limit, params.bom.unwrap_or(false));
    let request = TableRequest { query, window, format, limit, bom, rows, columns: &csv::TOPIC_COLUMNS };
    tables::answer(&req, state, request).await
}

/// One topic.
#[utoipa::path(
    tag = "topics",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "the-korean-peninsula")),
    responses(
        (status = 200, description = "The topic", body = TopicView,
            headers(("ETag" = String, description = "Strong validator of this representation: what If-Match on its writes takes"))),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such topic", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "It was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/topics/{id_or_slug}")]
pub async fn get_topic(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    crate::routes::resource::one(state, Kind::Topic, path.into_inner()).await
}

fn require_topic(conn: &mut DbConn, key: &ResourceKey, filter: &mut ArticleFilter) -> Result<bool, ApiError> {
    let found = crate::find_by_key!(conn, key, topics, TopicRow)?;
    Ok(found.map(|t| filter.topics.require.push(t.id)).is_some())
}

/// Articles filed under the topic; takes every parameter of
/// `GET /v1/articles`.
#[utoipa::path(
    tag = "topics",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug", example = "the-korean-peninsula"), ArticleListParams),
    responses(
        (status = 200, description = "A page of the topic's articles", body = ArticlePage,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such topic, or a filter names something that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "With `q`, `facets` or `histogram`, or an export, only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`)", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/topics/{id_or_slug}/articles")]
pub async fn topic_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    article_page(&req, state, query, Some(Scope { resource: "topic", key, apply: require_topic })).await
}
