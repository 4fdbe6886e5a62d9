//! `GET /healthz`: is the service up and its database readable?

use actix_web::{get, web};

use crate::cache::version::read_version;
use crate::db;
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
    let unavailable = |e: diesel::result::Error| ApiError::Unavailable(format!("database: {e}"));
    let (backend, data_version, replica) = work::cheap(&state.pool, move |conn| {
        Ok((conn.backend(), read_version(conn).map_err(unavailable)?, db::replica::status(conn).map_err(unavailable)?))
    })
    .await?;
    // The primary's version: informative, so a primary out of reach (a
    // failover under way) leaves it out rather than failing the check.
    let write_version = match state.primary.clone() {
        Some(primary) => work::cheap(&primary, move |conn| read_version(conn).map_err(unavailable)).await.ok(),
        None => None,
    };
    let health = Health {
        status: "ok".into(),
        database: "ok".into(),
        backend: backend.as_str().into(),
        data_version,
        write_version,
        replica_lag_ms: replica.and_then(|r| r.lag_ms),
        search_index_version: state.search.applied(),
        build: crate::build_id::build_id().to_owned(),
        heavy: state.heavy.stats(),
    };
    Ok(web::Json(health))
}
