//! `GET /healthz`: is the service up and its database readable?

use actix_web::{get, web};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbPool;
use crate::error::{ApiError, ProblemDetails};
use crate::http::StrictQuery;
use crate::routes::articles::NoParams;
use crate::schema::{articles, change_log};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "articles": 37, "data_version": 93}))]
pub struct Health {
    pub status: String,
    pub database: String,
    /// Articles in the store.
    pub articles: i64,
    /// Sequence number of the latest change to the data.
    pub data_version: i64,
}

/// Liveness and readiness: answers 200 when the database answers.
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
        let probe = |conn: &mut crate::db::DbConn| -> QueryResult<(i64, i64)> {
            let count = articles::table.count().get_result(conn)?;
            let version = change_log::table.select(diesel::dsl::max(change_log::seq)).first::<Option<i64>>(conn)?;
            Ok((count, version.unwrap_or(0)))
        };
        let (articles, data_version) = probe(conn).map_err(|e| ApiError::Unavailable(e.to_string()))?;
        Ok(Health { status: "ok".into(), database: "ok".into(), articles, data_version })
    })
    .await?;
    Ok(web::Json(health))
}
