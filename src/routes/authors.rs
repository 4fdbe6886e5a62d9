//! `/v1/authors`: the experts behind the articles.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::error::{ApiError, ProblemDetails};
use crate::http::{CheckedQuery, StrictQuery};
use crate::listing::params::ArticleListParams;
use crate::listing::Scope;
use crate::models::article_filter::ArticleFilter;
use crate::models::author::{self, AffiliationRow, AuthorRow};
use crate::models::ResourceKey;
use crate::pagination::Page;
use crate::routes::articles::{article_page, NoParams};
use crate::routes::taxonomy_params::TaxonomyListParams;
use crate::state::AppState;
use crate::views::articles::ArticlePage;
use crate::work;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_authors).service(get_author).service(author_articles);
}

/// An author in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "slug": "sugita-hiroki", "name": "SUGITA Hiroki", "family_name": "SUGITA",
    "given_name": "Hiroki", "bio": null, "article_count": 1}))]
pub struct AuthorView {
    pub id: i64,
    pub slug: String,
    /// As published, keeping the source's name order.
    pub name: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub bio: Option<String>,
    /// Articles the author contributed to, in any role.
    pub article_count: i64,
}

impl AuthorView {
    fn new(row: AuthorRow, article_count: i64) -> Self {
        AuthorView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            family_name: row.family_name,
            given_name: row.given_name,
            bio: row.bio,
            article_count,
        }
    }
}

/// An affiliation bylines gave the author, and over which period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AffiliationView {
    #[schema(example = "Columnist, Kyodo News Agency")]
    pub affiliation: String,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// Articles whose byline gave this affiliation.
    pub article_count: i64,
}

impl AffiliationView {
    fn from_row(row: AffiliationRow) -> Option<Self> {
        Some(AffiliationView {
            affiliation: row.affiliation?,
            first_seen: row.first_seen.map(|t| t.and_utc()),
            last_seen: row.last_seen.map(|t| t.and_utc()),
            article_count: row.articles,
        })
    }
}

/// An author with the affiliations their bylines carried, latest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorDetail {
    #[serde(flatten)]
    pub author: AuthorView,
    pub affiliations: Vec<AffiliationView>,
}

/// List authors.
#[utoipa::path(
    tag = "authors",
    params(TaxonomyListParams),
    responses(
        (status = 200, description = "A page of authors", body = Page<AuthorView>,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/authors")]
pub async fn list_authors(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<TaxonomyListParams>,
) -> Result<HttpResponse, ApiError> {
    let (query, window) = query.params.parse(query.problems)?;
    let (rows, total) = work::cheap(&state.pool, move |conn| Ok(author::list(conn, &query)?)).await?;
    let data = rows.into_iter().map(|(row, count)| AuthorView::new(row, count)).collect();
    Ok(Page::new(&req, window, total, data).into_response())
}

/// One author.
#[utoipa::path(
    tag = "authors",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug", example = "tokiwa-shin")),
    responses(
        (status = 200, description = "The author", body = AuthorDetail),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/authors/{id_or_slug}")]
pub async fn get_author(
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: StrictQuery<NoParams>,
) -> Result<web::Json<AuthorDetail>, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    let detail = work::cheap(&state.pool, move |conn| {
        let (row, count, affiliations) =
            author::find(conn, &key)?.ok_or_else(|| ApiError::not_found("author", key.as_text()))?;
        Ok(AuthorDetail {
            author: AuthorView::new(row, count),
            affiliations: affiliations.into_iter().filter_map(AffiliationView::from_row).collect(),
        })
    })
    .await?;
    Ok(web::Json(detail))
}

fn require_author(conn: &mut DbConn, key: &ResourceKey, filter: &mut ArticleFilter) -> Result<bool, ApiError> {
    let found = crate::find_by_key!(conn, key, authors, AuthorRow)?;
    Ok(found.map(|a| filter.authors.require.push(a.id)).is_some())
}

/// Articles the author contributed to (any role); takes every parameter of
/// `GET /v1/articles`.
#[utoipa::path(
    tag = "authors",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug", example = "tokiwa-shin"), ArticleListParams),
    responses(
        (status = 200, description = "A page of the author's articles", body = ArticlePage,
            headers(("X-Total-Count" = i64, description = "Matches over all pages"), ("Link" = String, description = "RFC 8288 page links"))),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such author, or a filter names something that does not exist", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "With `q`, `facets` or `histogram` only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`)", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/authors/{id_or_slug}/articles")]
pub async fn author_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&path.into_inner());
    article_page(&req, state, query, Some(Scope { resource: "author", key, apply: require_author })).await
}
