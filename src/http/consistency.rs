//! Read-your-writes across nodes.
//!
//! Every write answers `X-Data-Version`: the change-log sequence number it
//! committed. A read that sends it back as `X-Min-Data-Version` is answered
//! from that version of the data or a later one:
//!
//! - on a node that reads a replica (`--write-database` set), the request
//!   waits, up to `--replica-wait-ms`, for the replica to replay it, then is
//!   answered from there; a replica still behind by then is a 503
//!   `/problems/version-not-reached` with `Retry-After`;
//! - on a node that reads the database it writes, the version is there or it
//!   never was: a version past the latest is a 412 of the same type.
//!
//! A node also reads its own writes without the header: after a write it
//! answered, its reads wait (the same way, with the same bound) until its
//! replica has it. That wait is best effort: when the bound passes (the
//! write was lost with a primary that failed before its replica had it),
//! the node forgets it and answers from what it has.

use std::time::{Duration, Instant};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{ApiError, InvalidParam};
use crate::state::AppState;

pub const MIN_VERSION: &str = "X-Min-Data-Version";
pub const DATA_VERSION: &str = "X-Data-Version";

/// How often a waiting request looks at its replica again.
const POLL: Duration = Duration::from_millis(2);

pub async fn read_your_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    let asked = match asked_version(&req) {
        Ok(asked) => asked,
        Err(e) => return Ok(req.error_response(e).map_into_right_body()),
    };
    let own = if state.replicated { state.caches.responses.version.written() } else { 0 };
    if own > asked.unwrap_or(0) {
        if let Err(ApiError::VersionNotReached { have, .. }) = reach(&state, own).await {
            tracing::warn!(own, have, "a write this node answered is not on its replica in time; forgetting it");
            state.caches.responses.version.forget_writes_after(have);
        }
    }
    if let Some(wanted) = asked.filter(|v| *v > 0) {
        if let Err(e) = reach(&state, wanted).await {
            return Ok(req.error_response(e).map_into_right_body());
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

/// `X-Min-Data-Version`, if sent: a whole number from 0.
fn asked_version(req: &ServiceRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(MIN_VERSION) else { return Ok(None) };
    value.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| *v >= 0).map(Some).ok_or_else(|| {
        ApiError::invalid(InvalidParam::header(
            MIN_VERSION,
            "must be a data version: a whole number from 0 (the `X-Data-Version` a write answered)",
        ))
    })
}

/// Wait until the database this node reads has `wanted` (see the module
/// docs for the bound and the answers when it does not).
async fn reach(state: &AppState, wanted: i64) -> Result<(), ApiError> {
    let version = &state.caches.responses.version;
    let deadline = Instant::now() + state.replica_wait;
    loop {
        let have = version.at_least(&state.pool, wanted).version;
        if have >= wanted {
            return Ok(());
        }
        if !state.replicated || Instant::now() >= deadline {
            return Err(ApiError::VersionNotReached { wanted, have, waiting: state.replicated });
        }
        actix_web::rt::time::sleep(POLL).await;
    }
}
