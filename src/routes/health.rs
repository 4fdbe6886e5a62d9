//! `GET /healthz`: is the service up and its database readable?

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::version::read_version;
use crate::error::{ApiError, ProblemDetails};
use crate::http::StrictQuery;
use crate::routes::articles::NoParams;
use crate::state::AppState;
use crate::work;
use crate::work::HeavyStats;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "data_version": 93, "search_index_version": 93,
    "build": "3f2a9c81d04b7e65", "heavy": {"threads": 2, "queue_capacity": 64, "queued": 0, "running": 1,
    "completed": 5210, "refused": 12, "timed_out": 0, "cancelled": 3, "failed": 0}}))]
pub struct Health {
    pub status: String,
    pub database: String,
    /// Sequence number of the latest change to the data.
    pub data_version: i64,
    /// The change the search index reflects (it follows `data_version`
    /// in the background).
    pub search_index_version: i64,
    /// Identity of the running build (part of every ETag).
    pub build: String,
    /// The pool that runs searches, facets, histograms and suggestions.
    pub heavy: HeavyStats,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Liveness {
    pub status: String,
}

/// Liveness: answers 200 while the process serves HTTP, without touching
/// the database (use `/healthz` for readiness).
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Alive", body = Liveness),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/livez")]
pub async fn livez(_: StrictQuery<NoParams>) -> web::Json<Liveness> {
    web::Json(Liveness { status: "ok".into() })
}

/// Readiness: answers 200 when the database answers.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 400, description = "Unexpected query parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "The database cannot be reached, or no connection came free in time", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>, _: StrictQuery<NoParams>) -> Result<web::Json<Health>, ApiError> {
    let data_version = work::cheap(&state.pool, |conn| {
        read_version(conn).map_err(|e| ApiError::Unavailable(format!("database: {e}")))
    })
    .await?;
    let health = Health {
        status: "ok".into(),
        database: "ok".into(),
        data_version,
        search_index_version: state.search.applied(),
        build: crate::build_id::build_id().to_owned(),
        heavy: state.heavy.stats(),
    };
    Ok(web::Json(health))
}
