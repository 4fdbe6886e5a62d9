//! `GET /healthz`: is the service up and its database readable?

use actix_web::{get, web};

use crate::cache::version::read_version;
use crate::error::{ApiError, ProblemDetails};
use crate::http::StrictQuery;
use crate::routes::articles::NoParams;
use crate::state::AppState;
use crate::views::health::{Health, Liveness};
use crate::work;

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
