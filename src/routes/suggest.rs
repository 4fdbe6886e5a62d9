//! `GET /v1/suggest`: type-ahead over article titles, authors, topics and
//! regions.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, InvalidParam, ProblemDetails};
use crate::http::conditional::ComputedAt;
use crate::http::StrictQuery;
use crate::listing::suggest as suggestions;
use crate::routes::taxonomy_params::check_prefix;
use crate::state::AppState;
use crate::views::suggest::Suggestions;

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

/// Suggestions for a search box as the user types.
#[utoipa::path(
    tag = "search",
    params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions of each kind", body = Suggestions),
        (status = 400, description = "`q` is missing, empty or too long, or another parameter is invalid",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "The server is at capacity for index work (`/problems/overloaded`), or the work took longer than the deadline (`/problems/deadline-exceeded`); retry after `Retry-After` seconds",
            body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    StrictQuery(params): StrictQuery<SuggestParams>,
) -> Result<HttpResponse, ApiError> {
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
    let s = state.clone().into_inner();
    let (suggestions, seq) = state
        .heavy
        .run_for_request(state.search_deadline, move |conn, budget| {
            suggestions::suggestions(conn, &s, &typed, limit, budget)
        })
        .await?;
    let mut response = HttpResponse::Ok().json(suggestions);
    response.extensions_mut().insert(ComputedAt(seq));
    Ok(response)
}
