//! `GET /healthz`: is the service up and its database readable?

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::version::read_version;
use crate::db::DbPool;
use crate::error::{ApiError, ProblemDetails};
use crate::http::StrictQuery;
use crate::routes::articles::NoParams;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "data_version": 93}))]
pub struct Health {
    pub status: String,
    pub database: String,
    /// Sequence number of the latest change to the data.
    pub data_version: i64,
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
        (status = 503, description = "The database cannot be reached", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/healthz")]
pub async fn healthz(pool: web::Data<DbPool>, _: StrictQuery<NoParams>) -> Result<web::Json<Health>, ApiError> {
    let health = super::with_conn(&pool, |conn| {
        let data_version = read_version(conn).map_err(|e| ApiError::Unavailable(e.to_string()))?;
        Ok(Health { status: "ok".into(), database: "ok".into(), data_version })
    })
    .await?;
    Ok(web::Json(health))
}
