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

use crate::cache::version::read_version;
use crate::error::{ApiError, InvalidParam};
use crate::state::AppState;
use crate::work;

pub const MIN_VERSION: &str = "X-Min-Data-Version";
pub const DATA_VERSION: &str = "X-Data-Version";

/// How often a waiting request looks at its replica again.
const POLL: Duration = Duration::from_millis(5);

/// The most requests that wait for the replica at once.
pub const MAX_WAITING: usize = 64;

pub async fn read_your_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // Reads of the data only: `/livez`, `/healthz` and the docs answer at once.
    if !matches!(*req.method(), Method::GET | Method::HEAD) || !req.path().starts_with("/v1/") {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    let asked = match asked_version(&req) {
        Ok(asked) => asked,
        Err(e) => return Ok(req.error_response(e).map_into_right_body()),
    };
    let own = if state.replicated() { state.caches.responses.version.written() } else { 0 };
    if own > asked.unwrap_or(0) {
        if let Err(ApiError::VersionNotReached { have, .. }) = reach(&state, own).await {
            tracing::warn!(own, have, "a write this node answered is not on its replica in time; forgetting it");
            state.caches.responses.version.forget_write(own, have);
        }
    }
    let Some(wanted) = asked.filter(|v| *v > 0) else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    let Err(not_reached) = reach(&state, wanted).await else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    // The request's own mistakes (a bad parameter, an unknown resource)
    // are told first, as on any request: only a request that would have
    // been answered gets the version's 412 or 503.
    let answer = next.call(req).await?;
    if answer.status().is_client_error() {
        return Ok(answer.map_into_left_body());
    }
    let request = answer.request().clone();
    Ok(ServiceResponse::from_err(not_reached, request).map_into_right_body())
}

/// `X-Min-Data-Version`, if sent: a whole number from 0.
fn asked_version(req: &ServiceRequest) -> Result<Option<i64>, ApiError> {
    let mut values = req.headers().get_all(MIN_VERSION);
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(ApiError::invalid(InvalidParam::header(MIN_VERSION, "given more than once; send one version")));
    }
    value.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| *v >= 0).map(Some).ok_or_else(|| {
        ApiError::invalid(InvalidParam::header(
            MIN_VERSION,
            "must be a data version: a whole number from 0 (the `X-Data-Version` a write answered)",
        ))
    })
}

/// Wait until the database this node reads has `wanted` (see the module
/// docs for the bound and the answers when it does not). A version past
/// the primary's was never written: 412 at once, without waiting. At most
/// `MAX_WAITING` requests wait at a time; one more is a 503 at once.
async fn reach(state: &AppState, wanted: i64) -> Result<(), ApiError> {
    let version = &state.caches.responses.version;
    let unreadable = || ApiError::Unavailable("database: no connection came free to read the data version".into());
    match version.at_least(&state.pool, wanted) {
        Some(s) if s.version >= wanted => return Ok(()),
        Some(s) if !state.replicated() => {
            return Err(ApiError::VersionNotReached { wanted, have: s.version, waiting: false })
        }
        Some(_) => {}
        None => return Err(unreadable()),
    }
    if let Some(primary) = state.primary.as_ref() {
        let written = work::cheap(primary, |conn| {
            read_version(conn).map_err(|e| ApiError::Unavailable(format!("database: {e}")))
        })
        .await;
        match written {
            Ok(written) if wanted > written => {
                return Err(ApiError::VersionNotReached { wanted, have: written, waiting: false })
            }
            _ => {}
        }
    }
    let Ok(_waiting) = state.replica_waiters.try_acquire() else {
        return Err(ApiError::Overloaded { retry_after: 1 });
    };
    let deadline = Instant::now() + state.replica_wait;
    loop {
        actix_web::rt::time::sleep(POLL).await;
        let read = version.at_least(&state.pool, wanted);
        match read {
            Some(s) if s.version >= wanted => return Ok(()),
            _ if Instant::now() < deadline => {}
            Some(s) => return Err(ApiError::VersionNotReached { wanted, have: s.version, waiting: true }),
            None => return Err(unreadable()),
        }
    }
}
