//! Conditional GET and a response cache for `/v1`, both keyed on the data
//! version.
//!
//! A representation depends only on the request URI, the data and the
//! build, so `W/"<version>-<hash of build and URI>"` is a valid ETag without
//! hashing the body: a matching `If-None-Match` gets 304 before any work is
//! done, and a successful answer is kept (bounded by bytes) until the data
//! version moves on.

use std::sync::Arc;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::cache::version::DataVersion;
use crate::state::AppState;

/// Answers larger than this are served but not kept.
const MAX_ENTRY_BYTES: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// Bytes of response bodies kept in memory (0 disables the cache;
    /// ETags and 304s still work).
    pub response_bytes: u64,
    /// `Cache-Control: max-age` for successful answers, in seconds.
    pub max_age: u32,
    /// How long a read of the data version is trusted.
    pub version_ttl: std::time::Duration,
    /// Bytes of filtered-list totals kept (their filters, mostly).
    pub count_bytes: u64,
    /// Rows between remembered page anchors (see `anchors`).
    pub anchor_every: i64,
    /// Bytes of page anchors kept.
    pub anchor_bytes: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            response_bytes: 24 << 20,
            max_age: 60,
            version_ttl: std::time::Duration::from_millis(100),
            count_bytes: 2 << 20,
            anchor_every: 100,
            anchor_bytes: 8 << 20,
        }
    }
}

struct Entry {
    version: i64,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

#[derive(Clone)]
struct EntryWeight;

impl Weighter<String, Arc<Entry>> for EntryWeight {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        (key.len() + entry.body.len() + 256) as u64
    }
}

pub struct ResponseCache {
    entries: Option<Cache<String, Arc<Entry>, EntryWeight>>,
    pub version: DataVersion,
    cache_control: HeaderValue,
}

impl ResponseCache {
    pub fn new(settings: &CacheSettings) -> Self {
        let entries = (settings.response_bytes > 0).then(|| {
            let estimated_items = (settings.response_bytes / 8_192).max(16) as usize;
            Cache::with_weighter(estimated_items, settings.response_bytes, EntryWeight)
        });
        let cache_control = HeaderValue::from_str(&format!("public, max-age={}", settings.max_age))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        ResponseCache { entries, version: DataVersion::new(settings.version_ttl), cache_control }
    }

    pub fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }

    fn get(&self, key: &str, version: i64) -> Option<Arc<Entry>> {
        self.entries.as_ref()?.get(key).filter(|e| e.version == version)
    }

    fn put(&self, key: String, version: i64, headers: &HeaderMap, body: Bytes) {
        let Some(entries) = &self.entries else { return };
        if body.len() > MAX_ENTRY_BYTES {
            return;
        }
        let headers = headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        entries.insert(key, Arc::new(Entry { version, headers, body }));
    }
}

/// The tag of the representation of `key` (the request URI) at `version`
/// of the data, as this build renders it.
pub fn etag(build: &str, version: i64, key: &str) -> HeaderValue {
    let mut hasher = blake3::Hasher::new();
    hasher.update(build.as_bytes());
    hasher.update(b"\0");
    hasher.update(key.as_bytes());
    let hash = hasher.finalize();
    let short = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
    HeaderValue::from_str(&format!("W/\"{version}-{short:016x}\"")).expect("ASCII")
}

/// Weak comparison (RFC 9110 §8.8.3.2), as If-None-Match requires.
fn matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else { return false };
    let ours = etag.to_str().unwrap_or("").trim_start_matches("W/");
    list.split(',').map(str::trim).any(|tag| tag.trim_start_matches("W/") == ours)
}

/// `If-None-Match: *`: matches whenever the resource has a current
/// representation, which is known only once the answer is a 200.
fn wildcard(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| list.split(',').any(|tag| tag.trim() == "*"))
}

fn not_modified(etag: HeaderValue, cache_control: &HeaderValue) -> HttpResponse {
    HttpResponse::build(StatusCode::NOT_MODIFIED)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control.clone()))
        .finish()
}

/// What a handler computed its answer from, when that is not simply the
/// data version the request started with: answers from the search index
/// come from the index state they read, which may lag the store. Put it in
/// the response's extensions; the middleware then tags the answer with it
/// and keeps it only if it is the current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputedAt(pub i64);

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn conditional_and_cached(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if req.method() != Method::GET || !req.path().starts_with("/v1/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let cache = &state.caches.responses;
    let version = state.caches.version(&state.pool);
    if version < 0 {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let build = crate::build_id::build_id();
    let key = req.uri().to_string();
    let tag = etag(build, version, &key);
    if req.headers().get(header::IF_NONE_MATCH).is_some_and(|inm| matches(inm, &tag)) {
        return Ok(req.into_response(not_modified(tag, &cache.cache_control)));
    }
    // `Cache-Control: no-cache` asks for a fresh answer (it is still kept).
    let fresh = req
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim().eq_ignore_ascii_case("no-cache")));
    let any_tag = wildcard(&req);
    if let Some(entry) = cache.get(&key, version).filter(|_| !fresh) {
        if any_tag {
            return Ok(req.into_response(not_modified(tag, &cache.cache_control)));
        }
        let mut response = HttpResponse::Ok();
        for (name, value) in &entry.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        return Ok(req.into_response(response.body(entry.body.clone())));
    }

    let response = next.call(req).await?;
    if response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    // An answer computed from another state than `version` is tagged with
    // that state and not kept: it is not the current representation.
    let computed = response.response().extensions().get::<ComputedAt>().map_or(version, |c| c.0);
    let (req, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = to_bytes(body).await.map_err(|e| actix_web::error::ErrorInternalServerError(e.into()))?;
    let tag = if computed == version { tag } else { etag(build, computed, &key) };
    head.headers_mut().insert(header::ETAG, tag.clone());
    head.headers_mut().insert(header::CACHE_CONTROL, cache.cache_control.clone());
    if computed == version {
        cache.put(key, version, head.headers(), bytes.clone());
        if any_tag {
            return Ok(ServiceResponse::new(req, not_modified(tag, &cache.cache_control)));
        }
    }
    Ok(ServiceResponse::new(req, head.set_body(bytes).map_into_boxed_body()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_change_with_the_build_the_version_and_the_uri() {
        let base = etag("build-a", 7, "/v1/articles");
        assert_eq!(base, etag("build-a", 7, "/v1/articles"));
        assert_ne!(base, etag("build-b", 7, "/v1/articles"), "a new build retires every tag");
        assert_ne!(base, etag("build-a", 8, "/v1/articles"));
        assert_ne!(base, etag("build-a", 7, "/v1/articles?page=2"));
        assert!(base.to_str().unwrap().starts_with("W/\"7-"));
    }
}
