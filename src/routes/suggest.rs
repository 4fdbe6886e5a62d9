//! `GET /v1/suggest`: type-ahead over article titles, authors, topics and
//! regions.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, InvalidParam, ProblemDetails};
use crate::http::StrictQuery;
use crate::models::article::titles;
use crate::routes::refs::ResourceRef;
use crate::routes::taxonomy_params::check_prefix;
use crate::startup::Services;

pub const DEFAULT_LIMIT: u32 = 5;
pub const MAX_LIMIT: u32 = 10;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(suggest);
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far: words, the last one possibly unfinished
    /// (case and accents ignored).
    #[param(
        required = true,
        min_length = 1,
        max_length = 100,
        pattern = "[^ \\t\\n\\r\\v\\f]",
        example = "strategy on jap"
    )]
    pub q: Option<String>,
    /// Suggestions per kind (default 5).
    #[param(minimum = 1, maximum = 10, example = 5)]
    pub limit: Option<u32>,
}

/// An article suggested by its title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TitleSuggestion {
    pub id: i64,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestions {
    /// Articles whose title words start with what was typed, best match first.
    pub articles: Vec<TitleSuggestion>,
    /// Authors, topics and regions with a name word starting with it, A–Z.
    pub authors: Vec<ResourceRef>,
    pub topics: Vec<ResourceRef>,
    pub regions: Vec<ResourceRef>,
}

/// Suggestions for a search box as the user types.
#[utoipa::path(
    tag = "search",
    params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions of each kind", body = Suggestions),
        (status = 400, description = "`q` is missing, empty or too long, or another parameter is invalid",
            body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/suggest")]
pub async fn suggest(
    services: web::Data<Services>,
    StrictQuery(params): StrictQuery<SuggestParams>,
) -> Result<web::Json<Suggestions>, ApiError> {
    let mut errors = Vec::new();
    let typed = match params.q.as_deref() {
        Some(q) => check_prefix(q, &mut errors),
        None => {
            errors.push(InvalidParam::query("q", "is required"));
            None
        }
    };
    let limit = match params.limit {
        None => Some(DEFAULT_LIMIT),
        Some(n @ 1..=MAX_LIMIT) => Some(n),
        Some(_) => {
            errors.push(InvalidParam::query("limit", format!("must be between 1 and {MAX_LIMIT}")));
            None
        }
    };
    let (Some(typed), Some(limit)) = (typed, limit) else { return Err(ApiError::InvalidParams(errors)) };
    let s = services.clone();
    let suggestions = super::with_conn(&services.pool, move |conn| {
        s.search.catch_up_unless_busy(conn)?;
        let ids: Vec<i64> = s.search.suggest_titles(&typed, limit as usize)?.into_iter().map(|id| id as i64).collect();
        let articles =
            titles(conn, &ids)?.into_iter().map(|(id, slug, title)| TitleSuggestion { id, slug, title }).collect();
        let limit = i64::from(limit);
        let named = |rows: Vec<crate::models::article::TermRef>| rows.into_iter().map(ResourceRef::from).collect();
        Ok(Suggestions {
            articles,
            authors: named(crate::names_with_prefix!(conn, authors, &typed, limit)?),
            topics: named(crate::names_with_prefix!(conn, topics, &typed, limit)?),
            regions: named(crate::names_with_prefix!(conn, regions, &typed, limit)?),
        })
    })
    .await?;
    Ok(web::Json(suggestions))
}
