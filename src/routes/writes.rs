//! The write endpoints: `POST /v1/{collection}`, `PUT`, `PATCH` and
//! `DELETE /v1/{collection}/{id_or_slug}` for the six resources, and an
//! article's `unpublish` and `republish`. Each parses the request (key,
//! media type, body within its limit, `If-Match`, `Idempotency-Key`),
//! queues behind the writes before it and hands the rest to
//! `services::writes`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{delete, patch, post, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use crate::domain::Kind;
use crate::error::{ApiError, ProblemDetails};
use crate::http::auth::require_key;
use crate::http::StrictQuery;
use crate::ingest::record::{ArticleRecord, AuthorRecord, PublisherRecord, RegionRecord, SeriesRecord, TopicRecord};
use crate::models::ResourceKey;
use crate::routes::articles::NoParams;
use crate::services::writes::{self, body, Change, Idempotency, Precondition, WriteRequest, Written};
use crate::state::AppState;
use crate::views::articles::ArticleDetail;
use crate::views::authors::AuthorDetail;
use crate::views::publishers::PublisherDetail;
use crate::views::regions::RegionDetail;
use crate::views::series::SeriesView;
use crate::views::topics::TopicView;

const JSON: &[&str] = &["application/json"];
const MERGE_PATCH: &[&str] = &["application/merge-patch+json", "application/json"];

/// Which change a request asks for, before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Create,
    Replace,
    Merge,
    Delete,
    Unpublish,
    Republish,
}

/// The media type of the body, without parameters, lowercased.
fn media_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Read the body, refusing a wrong media type (415) or one over the limit
/// (413, without reading past it).
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    accepted: &'static [&'static str],
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    if !media_type(req).is_some_and(|m| accepted.contains(&m.as_str())) {
        return Err(ApiError::UnsupportedMediaType { accepted });
    }
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedBody(format!("reading the body: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Everything a write endpoint does.
async fn handle(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: Kind,
    key: Option<String>,
    verb: Verb,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let by = require_key(&req)?;
    let precondition = Precondition::from_headers(req.headers())?;
    let needs_if_match = matches!(verb, Verb::Replace | Verb::Merge | Verb::Delete | Verb::Unpublish);
    let limit = state.writes.max_body_bytes;
    let (change, raw) = match verb {
        Verb::Create | Verb::Replace | Verb::Merge => {
            let accepted = if verb == Verb::Merge { MERGE_PATCH } else { JSON };
            // If-Match is checked before the body is read (every key may
            // create and edit; only deleting needs more).
            if needs_if_match && precondition == Precondition::None {
                return Err(ApiError::PreconditionRequired);
            }
            let raw = read_body(&req, payload, accepted, limit).await?;
            let object = body::json_object(&raw)?;
            let change = match verb {
                Verb::Create => Change::Create(object),
                Verb::Replace => Change::Replace(object),
                _ => Change::Merge(object),
            };
            (change, raw)
        }
        Verb::Delete => (Change::Delete, Vec::new()),
        Verb::Unpublish => (Change::Unpublish, Vec::new()),
        Verb::Republish => (Change::Republish, Vec::new()),
    };
    writes::authorise(by, &change)?;
    if needs_if_match && precondition == Precondition::None {
        return Err(ApiError::PreconditionRequired);
    }
    let idempotency = match (verb, req.headers().get("idempotency-key")) {
        (Verb::Create, Some(value)) => {
            let text = value.to_str().unwrap_or("\u{7f}");
            Some(Idempotency::new(text, req.method().as_str(), req.path(), &raw)?)
        }
        _ => None,
    };
    let request =
        WriteRequest { kind, key: key.map(|k| ResourceKey::parse(&k)), change, precondition, by, idempotency };
    let written = queued(&state, request).await?;
    state.caches.responses.version.wrote(written.version);
    state.follower.nudge();
    Ok(respond(written))
}

/// One write at a time per process, by the writer thread; one that cannot
/// start within `writes.wait`, 503.
async fn queued(state: &web::Data<AppState>, request: WriteRequest) -> Result<Written, ApiError> {
    state.writer.submit(request, state.writes.wait).await
}

fn respond(written: Written) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(written.status).unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    response.insert_header((crate::http::consistency::DATA_VERSION, written.version.to_string()));
    if let Some(tag) = written.etag.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
        response.insert_header((header::ETAG, tag));
    }
    if let Some(location) = written.location.as_deref().filter(|_| written.status == 201) {
        response.insert_header((header::LOCATION, location.to_owned()));
    }
    if written.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    match written.body {
        Some(body) => response.content_type("application/json").body(body),
        None => response.finish(),
    }
}

/// The four write endpoints of one resource.
macro_rules! resource_writes {
    (
        $kind:expr, $tag:tt, $record:ty, $detail:ty,
        $collection:tt, $item:tt,
        $create:ident, $replace:ident, $merge:ident, $remove:ident
    ) => {
        #[doc = concat!("Create a ", $tag, " from its import record (without `kind`). Send `Idempotency-Key` to make a retry safe: the first answer is replayed.")]
        #[utoipa::path(
            tag = $tag,
            request_body(content = $record, content_type = "application/json",
                description = "The import record of the resource, without `kind` (see README, \"Import format\")"),
            params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255, pattern = "^[!-~]+$",
                description = "Any unique string (a UUID): a retry with the same key and body replays the first answer; with another body it is a 422")),
            security(("api_key" = [])),
            responses(
                (status = 201, description = "Created", body = $detail,
                    headers(("ETag" = String, description = "Strong validator of the new resource, for If-Match"),
                            ("Location" = String, description = "Where the resource is read"))),
                (status = 400, description = "The body is not a JSON object, or a header is malformed", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json",
                    headers(("WWW-Authenticate" = String, description = "Bearer challenge"))),
                (status = 409, description = "The slug is taken", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 413, description = "The body is over the size limit", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 422, description = "Members of the body are invalid (each named by JSON Pointer in `invalid_params`), or the Idempotency-Key was used with another request", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 503, description = "Writes are queued past the documented wait; retry after Retry-After", body = ProblemDetails, content_type = "application/problem+json",
                    headers(("Retry-After" = u32, description = "Seconds to wait"))),
            )
        )]
        #[post($collection)]
        pub async fn $create(
            req: HttpRequest,
            state: web::Data<AppState>,
            payload: web::Payload,
            _: StrictQuery<NoParams>,
        ) -> Result<HttpResponse, ApiError> {
            handle(req, state, $kind, None, Verb::Create, payload).await
        }

        #[doc = concat!("Replace a ", $tag, " with a new import record (without `kind`); a new `slug` renames it (its id stays). Needs `If-Match` with the ETag of a GET.")]
        #[utoipa::path(
            tag = $tag,
            request_body(content = $record, content_type = "application/json",
                description = "The whole import record, without `kind`"),
            params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug"),
                ("If-Match" = String, Header, min_length = 1, pattern = r#"^(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)$"#, description = "The ETag of the representation this replaces (or `*`)")),
            security(("api_key" = [])),
            responses(
                (status = 200, description = "Replaced", body = $detail,
                    headers(("ETag" = String, description = "Strong validator of the new representation"))),
                (status = 400, description = "The body is not a JSON object, or a header is malformed", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 404, description = "No such resource", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 409, description = "The new slug is taken", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 410, description = "The resource was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 412, description = "If-Match is not the current ETag (the current one is on this answer)", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 413, description = "The body is over the size limit", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 422, description = "Members of the body are invalid, each named by JSON Pointer", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 503, description = "Writes are queued past the documented wait", body = ProblemDetails, content_type = "application/problem+json"),
            )
        )]
        #[put($item)]
        pub async fn $replace(
            req: HttpRequest,
            state: web::Data<AppState>,
            path: web::Path<String>,
            payload: web::Payload,
            _: StrictQuery<NoParams>,
        ) -> Result<HttpResponse, ApiError> {
            handle(req, state, $kind, Some(path.into_inner()), Verb::Replace, payload).await
        }

        #[doc = concat!("Change members of a ", $tag, " with a JSON Merge Patch (RFC 7396) of its import record: members given replace those stored, `null` removes one, arrays are replaced whole. Needs `If-Match`.")]
        #[utoipa::path(
            tag = $tag,
            request_body(content = Object, content_type = "application/merge-patch+json",
                description = "A merge patch of the import record (e.g. `{\"summary\": \"…\"}`); also accepted as application/json"),
            params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug"),
                ("If-Match" = String, Header, min_length = 1, pattern = r#"^(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)$"#, description = "The ETag of the representation this changes (or `*`)")),
            security(("api_key" = [])),
            responses(
                (status = 200, description = "Changed", body = $detail,
                    headers(("ETag" = String, description = "Strong validator of the new representation"))),
                (status = 400, description = "The body is not a JSON object, or a header is malformed", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 404, description = "No such resource", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 409, description = "The new slug is taken", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 410, description = "The resource was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 412, description = "If-Match is not the current ETag", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 413, description = "The body is over the size limit", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 415, description = "The body is not sent as application/merge-patch+json or application/json", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 422, description = "The patched record is invalid, each problem named by JSON Pointer", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 503, description = "Writes are queued past the documented wait", body = ProblemDetails, content_type = "application/problem+json"),
            )
        )]
        #[patch($item)]
        pub async fn $merge(
            req: HttpRequest,
            state: web::Data<AppState>,
            path: web::Path<String>,
            payload: web::Payload,
            _: StrictQuery<NoParams>,
        ) -> Result<HttpResponse, ApiError> {
            handle(req, state, $kind, Some(path.into_inner()), Verb::Merge, payload).await
        }

        #[doc = concat!("Delete a ", $tag, " (an `admin` key): it answers 410 from then on and the change feed reports it. Refused (409) while anything refers to it. Needs `If-Match`.")]
        #[utoipa::path(
            tag = $tag,
            params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug"),
                ("If-Match" = String, Header, min_length = 1, pattern = r#"^(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)$"#, description = "The ETag of the representation this deletes (or `*`)")),
            security(("api_key" = [])),
            responses(
                (status = 204, description = "Deleted"),
                (status = 400, description = "A header is malformed", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 403, description = "The key's scope is `write`; deleting needs `admin`", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 404, description = "No such resource", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 409, description = "Something still refers to it (the detail says what)", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 410, description = "Deleted or unpublished already", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 412, description = "If-Match is not the current ETag", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing", body = ProblemDetails, content_type = "application/problem+json"),
                (status = 503, description = "Writes are queued past the documented wait", body = ProblemDetails, content_type = "application/problem+json"),
            )
        )]
        #[delete($item)]
        pub async fn $remove(
            req: HttpRequest,
            state: web::Data<AppState>,
            path: web::Path<String>,
            payload: web::Payload,
            _: StrictQuery<NoParams>,
        ) -> Result<HttpResponse, ApiError> {
            handle(req, state, $kind, Some(path.into_inner()), Verb::Delete, payload).await
        }
    };
}

resource_writes!(
    Kind::Article,
    "articles",
    ArticleRecord,
    ArticleDetail,
    "/articles",
    "/articles/{id_or_slug}",
    create_article,
    replace_article,
    patch_article,
    delete_article
);
resource_writes!(
    Kind::Author,
    "authors",
    AuthorRecord,
    AuthorDetail,
    "/authors",
    "/authors/{id_or_slug}",
    create_author,
    replace_author,
    patch_author,
    delete_author
);
resource_writes!(
    Kind::Region,
    "regions",
    RegionRecord,
    RegionDetail,
    "/regions",
    "/regions/{id_or_slug}",
    create_region,
    replace_region,
    patch_region,
    delete_region
);
resource_writes!(
    Kind::Topic,
    "topics",
    TopicRecord,
    TopicView,
    "/topics",
    "/topics/{id_or_slug}",
    create_topic,
    replace_topic,
    patch_topic,
    delete_topic
);
resource_writes!(
    Kind::Publisher,
    "publishers",
    PublisherRecord,
    PublisherDetail,
    "/publishers",
    "/publishers/{id_or_slug}",
    create_publisher,
    replace_publisher,
    patch_publisher,
    delete_publisher
);
resource_writes!(
    Kind::Series,
    "series",
    SeriesRecord,
    SeriesView,
    "/series",
    "/series/{id_or_slug}",
    create_series,
    replace_series,
    patch_series,
    delete_series
);

/// Take an article out of every list, feed, facet and search, keeping it
/// aside (its slug reserved): `GET` answers 410 and the change feed reports
/// a deletion, until it is republished. Needs `If-Match`.
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug"),
        ("If-Match" = String, Header, min_length = 1, pattern = r#"^(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)$"#, description = "The ETag of the representation this unpublishes (or `*`)")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "Unpublished"),
        (status = 400, description = "A header is malformed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "Deleted or unpublished already", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is not the current ETag", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Writes are queued past the documented wait", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/articles/{id_or_slug}/unpublish")]
pub async fn unpublish_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    handle(req, state, Kind::Article, Some(path.into_inner()), Verb::Unpublish, payload).await
}

/// Bring an unpublished article back, with its id, slug and record as they
/// were; the change feed reports it as an upsert.
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Republished", body = ArticleDetail,
            headers(("ETag" = String, description = "Strong validator of the article"))),
        (status = 400, description = "A query parameter, or a malformed header", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No API key, or an unknown or revoked one", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The article is published, or what it refers to is gone", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "The article was deleted", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Writes are queued past the documented wait", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/articles/{id_or_slug}/republish")]
pub async fn republish_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
    _: StrictQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    handle(req, state, Kind::Article, Some(path.into_inner()), Verb::Republish, payload).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_article)
        .service(replace_article)
        .service(patch_article)
        .service(delete_article)
        .service(unpublish_article)
        .service(republish_article)
        .service(create_author)
        .service(replace_author)
        .service(patch_author)
        .service(delete_author)
        .service(create_region)
        .service(replace_region)
        .service(patch_region)
        .service(delete_region)
        .service(create_topic)
        .service(replace_topic)
        .service(patch_topic)
        .service(delete_topic)
        .service(create_publisher)
        .service(replace_publisher)
        .service(patch_publisher)
        .service(delete_publisher)
        .service(create_series)
        .service(replace_series)
        .service(patch_series)
        .service(delete_series);
}
