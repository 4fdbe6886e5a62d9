//! The response cache and the ETag of a representation, both keyed on the
//! data version (the middleware that uses them: `http::conditional`).
//!
//! A representation depends only on the request (URI, negotiated media
//! type, origin of its absolute links), the data and the build, so
//! `W/"<version>-<hash of build and request>"` is a valid ETag without
//! hashing the body: a matching `If-None-Match` gets 304 before any work is
//! done, and a successful answer is kept (bounded by bytes) until the data
//! version moves on.

use std::sync::Arc;

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::cache::version::DataVersion;

/// Answers larger than this are served but not kept.
const MAX_ENTRY_BYTES: usize = 1 << 20;

/// How long a cache may serve a list or a feed after it went stale while
/// it fetches a fresh one (`stale-while-revalidate`).
pub const STALE_WHILE_REVALIDATE_SECS: u32 = 600;

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
    /// Bytes of rendered feed entries kept.
    pub entry_bytes: u64,
    /// Bytes of facet values' slugs and names kept.
    pub name_bytes: u64,
    /// Bytes of list filters with their references looked up kept.
    pub filter_bytes: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            response_bytes: 8 << 20,
            max_age: 60,
            version_ttl: std::time::Duration::from_millis(100),
            count_bytes: 2 << 20,
            anchor_every: 100,
            anchor_bytes: 8 << 20,
            entry_bytes: 16 << 20,
            name_bytes: 1 << 20,
            filter_bytes: 1 << 20,
        }
    }
}

pub struct Entry {
    version: i64,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
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
    /// `Cache-Control` of single resources, and of lists and feeds (which
    /// may be served stale while a cache revalidates them).
    pub cache_control: HeaderValue,
    pub list_cache_control: HeaderValue,
}

impl ResponseCache {
    pub fn new(settings: &CacheSettings) -> Self {
        let entries = (settings.response_bytes > 0).then(|| {
            let estimated_items = (settings.response_bytes / 8_192).max(16) as usize;
            Cache::with_weighter(estimated_items, settings.response_bytes, EntryWeight)
        });
        let cache_control = HeaderValue::from_str(&format!("public, max-age={}", settings.max_age))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        let list_cache_control = HeaderValue::from_str(&format!(
            "public, max-age={}, stale-while-revalidate={}",
            settings.max_age, STALE_WHILE_REVALIDATE_SECS
        ))
        .unwrap_or(HeaderValue::from_static("no-cache"));
        ResponseCache { entries, version: DataVersion::new(settings.version_ttl), cache_control, list_cache_control }
    }

    pub fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }

    pub fn get(&self, key: &str, version: i64) -> Option<Arc<Entry>> {
        self.entries.as_ref()?.get(key).filter(|e| e.version == version)
    }

    pub fn put(&self, key: String, version: i64, headers: &HeaderMap, body: Bytes) {
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
