//! The service's one error type and its single mapping to RFC 9457
//! `application/problem+json`.

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{KeyScope, Kind, TombstoneState};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where a bad parameter was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Query,
    Path,
    Header,
    /// A member of the request body, named by its JSON Pointer (RFC 6901).
    Body,
}

/// One parameter the server could not accept, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidParam {
    /// The parameter's name, e.g. `per_page`.
    #[schema(example = "per_page")]
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// What was wrong with it.
    #[schema(example = "must be at most 100")]
    pub reason: String,
}

impl InvalidParam {
    pub fn query(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { name: name.into(), location: ParamLocation::Query, reason: reason.into() }
    }

    pub fn path(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { name: name.into(), location: ParamLocation::Path, reason: reason.into() }
    }

    pub fn header(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { name: name.into(), location: ParamLocation::Header, reason: reason.into() }
    }

    /// `pointer`: where in the body, e.g. `/authors/0/role` (`""` for the whole body).
    pub fn body(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { name: pointer.into(), location: ParamLocation::Body, reason: reason.into() }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/invalid-parameters",
    "title": "Invalid request parameters",
    "status": 400,
    "detail": "1 parameter is invalid: per_page",
    "invalid_params": [{"name": "per_page", "in": "query", "reason": "must be at most 100"}]
}))]
pub struct ProblemDetails {
    /// A URI reference naming the problem type (`about:blank` when the
    /// HTTP status says it all).
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each parameter that was rejected (400), or that names something that
    /// does not exist (404).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid request parameters")]
    InvalidParams(Vec<InvalidParam>),
    #[error("{resource} `{key}` not found")]
    NotFound { resource: &'static str, key: String },
    /// Well-formed parameters that name resources which do not exist.
    #[error("parameters name unknown resources")]
    UnknownReferences(Vec<InvalidParam>),
    #[error("no route for this path")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<Method> },
    #[error("not acceptable")]
    NotAcceptable { available: Vec<String> },
    /// A change-feed position past the end of the log: the log was reset
    /// (a database replaced by an older copy) and its numbers will be reused.
    #[error("the change feed was reset (since {since}, latest {latest})")]
    FeedReset { since: i64, latest: i64 },
    /// A write without a key, or with one that is unknown or revoked.
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: &'static str, token_given: bool },
    /// A key without the scope this write needs.
    #[error("the key's scope is {has}, this needs {needs}")]
    Forbidden { has: KeyScope, needs: KeyScope },
    /// The request body is not JSON (or not an object).
    #[error("malformed body: {0}")]
    MalformedBody(String),
    /// Members of the request body that are invalid, each by JSON Pointer.
    #[error("invalid request body")]
    InvalidBody(Vec<InvalidParam>),
    /// An `Idempotency-Key` reused with a different request.
    #[error("idempotency key reused with another request")]
    IdempotencyKeyReused,
    /// The write conflicts with the corpus: a slug that is taken, a
    /// resource still referenced.
    #[error("conflict: {detail}")]
    Conflict { detail: String, pointer: Option<String> },
    /// The resource was deleted or unpublished.
    #[error("{kind} {id} is gone")]
    Gone { kind: Kind, id: i64, slug: String, state: TombstoneState, at: chrono::DateTime<chrono::Utc> },
    /// `If-Match` names a representation that is no longer current.
    #[error("precondition failed")]
    PreconditionFailed { current: Option<String> },
    /// A write that replaces or deletes without `If-Match`.
    #[error("precondition required")]
    PreconditionRequired,
    #[error("unsupported media type")]
    UnsupportedMediaType { accepted: &'static [&'static str] },
    #[error("request body over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Writes queued longer than the documented wait.
    #[error("writes are busy")]
    WritesBusy { waited_ms: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The heavy-work queue (searches, facets, histograms, suggestions) is
    /// full.
    #[error("too busy for heavy work")]
    Overloaded { retry_after: u32 },
    /// Heavy work ran past its deadline and was stopped.
    #[error("heavy work passed its deadline of {limit_ms} ms")]
    DeadlineExceeded { limit_ms: u64 },
    /// The client used its rate-limit quota for the current window.
    #[error("rate limited: quota of {quota} units per {window_secs} s spent (policy {policy})")]
    RateLimited { retry_after: u32, policy: &'static str, quota: u32, window_secs: u32 },
    /// The client has as many exports streaming as one client may.
    #[error("{limit} exports of this client are streaming")]
    TooManyExports { limit: usize },
    /// The client went away; nobody reads this answer.
    #[error("the client went away")]
    ClientGone,
    /// `X-Min-Data-Version` asked for a version the database this node
    /// reads does not have: still replaying it (`waiting`, 503) or never had
    /// it (412).
    #[error("data version {wanted} not reached (at {have})")]
    VersionNotReached { wanted: i64, have: i64, waiting: bool },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(param: InvalidParam) -> Self {
        ApiError::InvalidParams(vec![param])
    }

    /// A query parameter names a `noun` that does not exist.
    pub fn unknown_reference(param: &str, noun: &str, value: &str) -> Self {
        ApiError::UnknownReferences(vec![InvalidParam::query(param, format!("no {noun} has the id or slug `{value}`"))])
    }

    pub fn not_found(resource: &'static str, key: impl Into<String>) -> Self {
        ApiError::NotFound { resource, key: key.into() }
    }

    /// Seconds a client should wait before retrying, for the 503s and 429.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Overloaded { retry_after } | ApiError::RateLimited { retry_after, .. } => Some(*retry_after),
            ApiError::TooManyExports { .. } => Some(2),
            ApiError::DeadlineExceeded { .. } => Some(5),
            ApiError::Unavailable(_) | ApiError::ClientGone | ApiError::WritesBusy { .. } => Some(1),
            ApiError::VersionNotReached { waiting: true, .. } => Some(1),
            _ => None,
        }
    }

    pub fn problem(&self) -> ProblemDetails {
        let status = self.status_code();
        let (problem_type, title, detail, invalid_params) = match self {
            ApiError::InvalidParams(params) => {
                let (listed, names) = bounded(params);
                let detail = match params.len() {
                    1 => format!("1 parameter is invalid: {names}"),
                    n if n > MAX_LISTED_PARAMS => {
                        format!("{n} parameters are invalid; the first {MAX_LISTED_PARAMS} are listed: {names}")
                    }
                    n => format!("{n} parameters are invalid: {names}"),
                };
                ("/problems/invalid-parameters", "Invalid request parameters".to_owned(), detail, listed)
            }
            ApiError::UnknownReferences(params) => {
                let (listed, names) = bounded(params);
                let detail = format!("Parameters name resources that do not exist: {names}");
                ("/problems/unknown-reference", "Unknown reference".to_owned(), detail, listed)
            }
            ApiError::NotFound { resource, key } => (
                "/problems/not-found",
                "Resource not found".to_owned(),
                format!("No {resource} has the id or slug `{}`.", cut(key, MAX_ECHOED_NAME)),
                Vec::new(),
            ),
            ApiError::NoRoute => (
                "about:blank",
                "Not Found".to_owned(),
                "No endpoint has this path; see /openapi.json for the ones that exist.".to_owned(),
                Vec::new(),
            ),
            ApiError::MethodNotAllowed { allow } => (
                "about:blank",
                "Method Not Allowed".to_owned(),
                format!("This endpoint answers only {}.", join_methods(allow)),
                Vec::new(),
            ),
            ApiError::NotAcceptable { available } => (
                "about:blank",
                "Not Acceptable".to_owned(),
                format!("This endpoint can answer with: {}.", available.join(", ")),
                Vec::new(),
            ),
            ApiError::FeedReset { since, latest } => (
                "/problems/feed-reset",
                "The change feed was reset".to_owned(),
                format!(
                    "`since` {since} is past the latest change ({latest}): the change log was reset (the database was \
                     replaced by an older copy) and its sequence numbers will be reused. Replay the feed from 0."
                ),
                vec![InvalidParam::query("since", format!("is past the latest change ({latest})"))],
            ),
            ApiError::Unauthorized { reason, .. } => (
                "/problems/unauthorized",
                "A valid API key is needed".to_owned(),
                format!("{reason}. Send a key as `Authorization: Bearer <token>` (see README, \"API keys\")."),
                Vec::new(),
            ),
            ApiError::Forbidden { has, needs } => (
                "/problems/forbidden",
                "The key may not do this".to_owned(),
                format!("This request needs a key with the `{needs}` scope; this key has `{has}`."),
                Vec::new(),
            ),
            ApiError::MalformedBody(why) => (
                "/problems/malformed-body",
                "The request body is not a JSON object".to_owned(),
                format!("The body could not be read as a JSON object: {}", cut(why, MAX_ECHOED_REASON)),
                Vec::new(),
            ),
            ApiError::InvalidBody(params) => {
                let (listed, names) = bounded(params);
                let detail = match params.len() {
                    1 => format!("1 member of the body is invalid: {names}"),
                    n => format!("{n} members of the body are invalid: {names}"),
                };
                ("/problems/invalid-body", "Invalid request body".to_owned(), detail, listed)
            }
            ApiError::IdempotencyKeyReused => (
                "/problems/idempotency-key-reused",
                "Idempotency-Key reused".to_owned(),
                "This Idempotency-Key was first used with another request body or path; use a new key for a new request."
                    .to_owned(),
                vec![InvalidParam::header("Idempotency-Key", "was used before with another request")],
            ),
            ApiError::Conflict { detail, pointer } => (
                "/problems/conflict",
                "The write conflicts with the corpus".to_owned(),
                detail.clone(),
                pointer.iter().map(|p| InvalidParam::body(p.clone(), detail.clone())).collect(),
            ),
            ApiError::Gone { kind, id, slug, state, at } => (
                "/problems/gone",
                "The resource is gone".to_owned(),
                match state {
                    TombstoneState::Deleted => {
                        format!("{kind} {id} (`{slug}`) was deleted at {}.", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    }
                    TombstoneState::Unpublished => format!(
                        "{kind} {id} (`{slug}`) was unpublished at {}; it may be republished.",
                        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                },
                Vec::new(),
            ),
            ApiError::PreconditionFailed { .. } => (
                "/problems/precondition-failed",
                "The resource has changed".to_owned(),
                "`If-Match` does not name the current representation: the resource changed since it was read. \
                 GET it again (its `ETag` is also on this answer), reapply the change and retry."
                    .to_owned(),
                vec![InvalidParam::header("If-Match", "is not the current ETag")],
            ),
            ApiError::PreconditionRequired => (
                "/problems/precondition-required",
                "If-Match is required".to_owned(),
                "Writes that change or delete a resource must send `If-Match` with the `ETag` of the representation \
                 they are based on (or `*` to overwrite whatever is there)."
                    .to_owned(),
                vec![InvalidParam::header("If-Match", "is missing")],
            ),
            ApiError::UnsupportedMediaType { accepted } => (
                "/problems/unsupported-media-type",
                "Unsupported Media Type".to_owned(),
                format!("This request body must be sent as {}.", accepted.join(" or ")),
                vec![InvalidParam::header("Content-Type", format!("must be {}", accepted.join(" or ")))],
            ),
            ApiError::PayloadTooLarge { limit } => (
                "/problems/payload-too-large",
                "Request body too large".to_owned(),
                format!("Request bodies are limited to {limit} bytes."),
                Vec::new(),
            ),
            ApiError::VersionNotReached { wanted, have, waiting } => (
                "/problems/version-not-reached",
                "Data version not reached".to_owned(),
                if *waiting {
                    format!(
                        "This node's replica has replayed the data up to version {have}, not yet {wanted}; retry shortly \
                         (or send the request to a node that has it)."
                    )
                } else {
                    format!("The data is at version {have}; version {wanted} has not been written.")
                },
                vec![InvalidParam::header(
                    crate::http::consistency::MIN_VERSION,
                    format!("asks for version {wanted}; the data read here is at {have}"),
                )],
            ),
            ApiError::WritesBusy { waited_ms } => (
                "/problems/writes-busy",
                "Too many writes at once".to_owned(),
                format!("The write waited {waited_ms} ms behind other writes and was not made; retry shortly."),
                Vec::new(),
            ),
            ApiError::Unavailable(_) => (
                "about:blank",
                "Service Unavailable".to_owned(),
                "The service is busy; retry shortly.".to_owned(),
                Vec::new(),
            ),
            ApiError::Overloaded { retry_after } => (
                "/problems/overloaded",
                "Too busy for this request".to_owned(),
                format!(
                    "The server is at capacity for searches, facets, histograms and suggestions; retry in {retry_after} s. \
                     Lists without `q`, `facets` or `histogram`, and single resources, are still served."
                ),
                Vec::new(),
            ),
            ApiError::DeadlineExceeded { limit_ms } => (
                "/problems/deadline-exceeded",
                "Request took too long".to_owned(),
                format!(
                    "The search work of this request took longer than {limit_ms} ms and was stopped. \
                     Narrow it (fewer phrases or `OR` alternatives, more filters, fewer facets) or retry later."
                ),
                Vec::new(),
            ),
            ApiError::RateLimited { retry_after, policy, quota, window_secs } => (
                "/problems/rate-limited",
                "Too many requests".to_owned(),
                format!(
                    "This client used its quota of {quota} units per {window_secs} s (policy `{policy}`; a full answer \
                     takes {full} units, a 304 Not Modified {not_modified}); retry in {retry_after} s.",
                    full = crate::limits::FULL_ANSWER_UNITS,
                    not_modified = crate::limits::NOT_MODIFIED_UNITS,
                ),
                Vec::new(),
            ),
            ApiError::TooManyExports { limit } => (
                "/problems/too-many-exports",
                "Too many exports at once".to_owned(),
                format!(
                    "This client has {limit} exports streaming, as many as one client may; retry once one \
                     has ended."
                ),
                Vec::new(),
            ),
            ApiError::ClientGone => (
                "about:blank",
                "Client Closed Request".to_owned(),
                "The client went away before the answer was ready.".to_owned(),
                Vec::new(),
            ),
            ApiError::Internal(_) => (
                "about:blank",
                "Internal Server Error".to_owned(),
                "The server failed to answer this request; the failure has been logged.".to_owned(),
                Vec::new(),
            ),
        };
        ProblemDetails { problem_type: problem_type.to_owned(), title, status: status.as_u16(), detail, invalid_params }
    }
}

/// Most parameters one problem document lists; the `detail` says how many
/// there were in all.
pub const MAX_LISTED_PARAMS: usize = 20;
/// Longest parameter name, and longest reason, echoed in a problem (in
/// characters): the request line may be 128 KiB, the answer stays small.
pub const MAX_ECHOED_NAME: usize = 100;
pub const MAX_ECHOED_REASON: usize = 600;

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The first `MAX_LISTED_PARAMS` problems, their names and reasons cut to
/// size, and the listed names joined for the `detail`.
fn bounded(params: &[InvalidParam]) -> (Vec<InvalidParam>, String) {
    let listed: Vec<InvalidParam> = params
        .iter()
        .take(MAX_LISTED_PARAMS)
        .map(|p| InvalidParam {
            name: cut(&p.name, MAX_ECHOED_NAME),
            location: p.location,
            reason: cut(&p.reason, MAX_ECHOED_REASON),
        })
        .collect();
    let names = listed.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
    (listed, names)
}

fn join_methods(methods: &[Method]) -> String {
    methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParams(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound { .. } | ApiError::UnknownReferences(_) | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            ApiError::FeedReset { .. } | ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidBody(_) | ApiError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::PreconditionFailed { .. } | ApiError::VersionNotReached { waiting: false, .. } => {
                StatusCode::PRECONDITION_FAILED
            }
            ApiError::VersionNotReached { waiting: true, .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited { .. } | ApiError::TooManyExports { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_)
            | ApiError::Overloaded { .. }
            | ApiError::DeadlineExceeded { .. }
            | ApiError::ClientGone
            | ApiError::WritesBusy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(_) => tracing::error!(error = %self, "request failed"),
            ApiError::Unavailable(_) => tracing::warn!(error = %self, "request refused"),
            // Refusals of heavy work are counted (see `/healthz`) and logged
            // with their status by the request log; a flood of them must not
            // flood the log twice.
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        if let Some(seconds) = self.retry_after() {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)));
        }
        match self {
            ApiError::Unauthorized { token_given, .. } => {
                let challenge = if *token_given {
                    r#"Bearer realm="commentary-api", error="invalid_token""#
                } else {
                    r#"Bearer realm="commentary-api""#
                };
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge)));
            }
            ApiError::PreconditionFailed { current: Some(tag) } => {
                if let Ok(value) = HeaderValue::from_str(tag) {
                    response.insert_header((header::ETAG, value));
                }
            }
            ApiError::UnsupportedMediaType { accepted } => {
                if let Ok(value) = HeaderValue::from_str(&accepted.join(", ")) {
                    response.insert_header((HeaderName::from_static("accept-patch"), value.clone()));
                    response.insert_header((HeaderName::from_static("accept-post"), value));
                }
            }
            _ => {}
        }
        if let ApiError::MethodNotAllowed { allow } = self {
            if let Ok(value) = HeaderValue::from_str(&join_methods(allow)) {
                response.insert_header((header::ALLOW, value));
            }
        }
        match serde_json::to_vec(&self.problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        // SQLite's busy timeout ran out: another process (an import) holds
        // the write lock. Never a 500.
        if let diesel::result::Error::DatabaseError(kind, info) = &e {
            use diesel::result::DatabaseErrorKind as K;
            let message = info.message();
            // SQLite's busy timeout and PostgreSQL's lock timeout; a
            // PostgreSQL server gone (a primary failing over) or a standby
            // refusing a write: the service is unavailable for now.
            if message.contains("database is locked")
                || message.contains("database is busy")
                || message.contains("lock timeout")
                || matches!(
                    kind,
                    K::ClosedConnection | K::UnableToSendCommand | K::ReadOnlyTransaction | K::SerializationFailure
                )
            {
                return ApiError::Unavailable(format!("database: {message}"));
            }
            // The write path checks slugs and references first; should a
            // write still meet a constraint (another process wrote in
            // between), it is a conflict, not a failure of the server.
            if matches!(kind, K::UniqueViolation | K::ForeignKeyViolation) {
                return ApiError::Conflict {
                    detail: format!("The write conflicts with the stored corpus ({message}); read it again and retry."),
                    pointer: None,
                };
            }
        }
        // A connection whose server went away mid-transaction (a primary
        // failing over): its transaction state is lost, the write was not
        // acknowledged, a retry is safe.
        if matches!(e, diesel::result::Error::BrokenTransactionManager) {
            return ApiError::Unavailable(format!("database: {e}"));
        }
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task: {e}"))
    }
}
