//! `GET /v1/{collection}/{id_or_slug}` for every kind: the representation
//! the write path also reads (`views::detail`), with its strong `ETag`
//! (what `If-Match` takes), or 410 for what was deleted or unpublished.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::domain::Kind;
use crate::error::ApiError;
use crate::models::ResourceKey;
use crate::services::writes;
use crate::state::AppState;
use crate::work;

pub async fn one(state: web::Data<AppState>, kind: Kind, raw: String) -> Result<HttpResponse, ApiError> {
    let key = ResourceKey::parse(&raw);
    let detail = work::cheap(&state.pool, move |conn| writes::live(conn, kind, &key)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, detail.etag()))
        .body(detail.json))
}
