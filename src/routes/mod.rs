//! The HTTP endpoints, one module per resource: their query structs (which
//! are also the spec's parameter lists), wire types and handlers.

pub mod articles;
pub mod authors;
pub mod health;
pub mod publishers;
pub mod refs;
pub mod regions;
pub mod series;
pub mod suggest;
pub mod taxonomy_params;
pub mod topics;

use actix_web::web;

use crate::db::{DbConn, DbPool};
use crate::error::ApiError;

/// Run `f` with a pooled connection on the blocking thread pool.
pub async fn with_conn<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Every `/v1` endpoint, for `utoipa_actix_web`'s scope so that each one
/// lands in the spec.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    articles::configure(cfg);
    authors::configure(cfg);
    regions::configure(cfg);
    topics::configure(cfg);
    publishers::configure(cfg);
    series::configure(cfg);
    suggest::configure(cfg);
}
