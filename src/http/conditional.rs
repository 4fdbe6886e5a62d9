//! HTTP caching for every `GET` of `/v1`, the spec and the docs: `ETag`,
//! `Last-Modified`, `If-None-Match` / `If-Modified-Since` → 304,
//! `Cache-Control` (with `stale-while-revalidate` on lists and feeds),
//! `Vary`, and the response cache.
//!
//! A representation is named by the request (URI, negotiated media type,
//! and the origin of its absolute links when no public URL is set), the
//! state of the data it shows and the build. An answer computed from
//! another state than the current one (a search index still catching up)
//! says so (`ComputedAt`): it is tagged with that state and never kept or
//! confirmed as current.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue, HttpDate};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use chrono::{DateTime, Utc};

use super::export::Streamed;
use super::negotiate::Negotiated;
use crate::build_id::{build_id, built_at};
use crate::cache::responses::etag;
use crate::cache::Snapshot;
use crate::state::AppState;

/// The state of the data an answer shows, when it is not the one the
/// request started with. Put it in the response's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputedAt(pub Snapshot);

/// What names a representation besides the data and the build: the
/// negotiated media type, the origin of its absolute links (empty when a
/// public URL is configured) and the request URI.
pub fn representation_key(media_type: &str, origin: &str, uri: &str) -> String {
    format!("{media_type} {origin}{uri}")
}

/// Paths whose representation only the build decides.
fn is_docs(path: &str) -> bool {
    path == "/openapi.json" || path == "/docs" || path.starts_with("/docs/")
}

/// A `Last-Modified` is a validator only once the second it names is over
/// (RFC 9110 §8.8.2.2): two changes within one second share it.
fn settled(at: DateTime<Utc>) -> bool {
    Utc::now().timestamp() > at.timestamp()
}

fn http_date(at: DateTime<Utc>) -> HeaderValue {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(at.timestamp().max(0) as u64);
    HeaderValue::from_str(&HttpDate::from(time).to_string()).expect("an HTTP date is ASCII")
}

/// Weak comparison (RFC 9110 §8.8.3.2), as If-None-Match requires.
fn matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else { return false };
    let ours = etag.to_str().unwrap_or("").trim_start_matches("W/");
    list.split(',').map(str::trim).any(|tag| tag.trim_start_matches("W/") == ours)
}

/// `If-None-Match: *`: matches whenever the resource has a current
/// representation, which is known only once the answer is a 200.
fn wildcard(headers: &HeaderMap) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| list.split(',').any(|tag| tag.trim() == "*"))
}

/// Whether the client's copy is the representation named by `tag`, last
/// modified at `at` (RFC 9110 §13.2.2: `If-None-Match` wins over
/// `If-Modified-Since`).
fn client_is_current(headers: &HeaderMap, tag: &HeaderValue, at: Option<DateTime<Utc>>) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH) {
        return matches(inm, tag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
        .map(std::time::SystemTime::from)
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    match (since, at) {
        (Some(since), Some(at)) => settled(at) && at.timestamp() <= since.as_secs() as i64,
        _ => false,
    }
}

/// The validators and caching headers of an answer.
struct Validators {
    tag: HeaderValue,
    last_modified: Option<HeaderValue>,
    cache_control: HeaderValue,
    vary: &'static str,
}

impl Validators {
    fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(header::ETAG, self.tag.clone());
        if let Some(lm) = &self.last_modified {
            headers.insert(header::LAST_MODIFIED, lm.clone());
        }
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static(self.vary));
    }

    fn not_modified(&self) -> HttpResponse {
        let mut response = HttpResponse::build(StatusCode::NOT_MODIFIED).finish();
        self.apply(response.headers_mut());
        response
    }
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn conditional_and_cached(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let docs = is_docs(req.path());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(state), &Method::GET) = (state, req.method()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if !docs && !req.path().starts_with("/v1/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let snapshot = if docs { Snapshot { version: 0, at: built_at() } } else { state.caches.snapshot(&state.pool) };
    if snapshot.version < 0 {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let negotiated = req.extensions().get::<Negotiated>().cloned();
    let origin = match &state.public_url {
        Some(_) => String::new(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    let media_type = match negotiated.as_ref() {
        Some(n) => match &n.style {
            Some(style) => format!("{}; style={style}", n.media_type()),
            None => n.media_type().to_owned(),
        },
        None => String::new(),
    };
    let key = representation_key(&media_type, &origin, &req.uri().to_string());
    let vary =
        // `X-Min-Data-Version`: a cache must not answer a read that asks for
        // a newer version with what it kept from before.
        if negotiated.as_ref().is_some_and(Negotiated::varies) {
            "Accept, Accept-Encoding, X-Min-Data-Version"
        } else {
            "Accept-Encoding, X-Min-Data-Version"
        };
    let cache = &state.caches.responses;
    let build = build_id();
    let validators = |snapshot: Snapshot, list: bool| Validators {
        tag: etag(build, snapshot.version, &key),
        last_modified: snapshot.at.filter(|at| settled(*at)).map(http_date),
        cache_control: if list { cache.list_cache_control.clone() } else { cache.cache_control.clone() },
        vary,
    };
    let list = negotiated.as_ref().is_some_and(|n| n.list);
    // Before any work: the client's copy is current, or the cache has one.
    let current = validators(snapshot, list);
    if client_is_current(req.headers(), &current.tag, snapshot.at) {
        return Ok(req.into_response(current.not_modified()));
    }
    // `Cache-Control: no-cache` asks for a fresh answer (it is still kept).
    let fresh = req
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim().eq_ignore_ascii_case("no-cache")));
    let any_tag = wildcard(req.headers());
    if let Some(entry) = cache.get(&key, snapshot.version).filter(|_| !fresh && !docs) {
        let mut response = HttpResponse::Ok().finish();
        for (name, value) in &entry.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        // A resource's own (strong) tag is known only from its answer.
        let own_tag_matches = match (req.headers().get(header::IF_NONE_MATCH), response.headers().get(header::ETAG)) {
            (Some(inm), Some(tag)) => matches(inm, tag),
            _ => false,
        };
        if any_tag || own_tag_matches {
            let mut not_modified = HttpResponse::build(StatusCode::NOT_MODIFIED).finish();
            for name in [header::ETAG, header::LAST_MODIFIED, header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = response.headers().get(&name) {
                    not_modified.headers_mut().insert(name, value.clone());
                }
            }
            return Ok(req.into_response(not_modified));
        }
        return Ok(req.into_response(response.set_body(entry.body.clone()).map_into_boxed_body()));
    }

    let response = next.call(req).await?;
    if response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    // An answer computed from another state than `snapshot` is tagged with
    // that state and not kept: it is not the current representation.
    let computed = response.response().extensions().get::<ComputedAt>().map_or(snapshot, |c| c.0);
    // A streamed export is tagged like any answer, and passes unbuffered.
    if response.response().extensions().get::<Streamed>().is_some() {
        let mut response = response;
        validators(computed, list).apply(response.headers_mut());
        return Ok(response.map_into_boxed_body());
    }
    let is_current = computed.version == snapshot.version;
    let (req, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = to_bytes(body).await.map_err(|e| actix_web::error::ErrorInternalServerError(e.into()))?;
    let mut answer = validators(computed, list);
    // A single resource tags itself: a strong validator of its bytes,
    // which `If-Match` on its writes is compared with.
    let own_tag = head.headers().get(header::ETAG).cloned();
    if let Some(tag) = &own_tag {
        answer.tag = tag.clone();
    }
    answer.apply(head.headers_mut());
    if is_current {
        if !docs {
            cache.put(key, snapshot.version, head.headers(), bytes.clone());
        }
        let own_tag_matches = own_tag.is_some() && client_is_current(req.headers(), &answer.tag, None);
        if any_tag || own_tag_matches {
            return Ok(ServiceResponse::new(req, answer.not_modified()));
        }
    }
    Ok(ServiceResponse::new(req, head.set_body(bytes).map_into_boxed_body()))
}
