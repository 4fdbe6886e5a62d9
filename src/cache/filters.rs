//! List filters with their references looked up (slugs to ids, the path's
//! resource required), per data version. A topic's list names its topic by
//! slug, request after request: looking it up was a query per request
//! (6.7% of a topic page with facets, in a profile). Bounded
//! in bytes: a filter can list hundreds of values. Only filters that
//! resolve are kept (a reference to nothing is looked up again).

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::models::article_filter::{ArticleFilter, ParsedFilter};
use crate::models::ResourceKey;

/// The path's resource (its kind and key), the parsed filter, the data
/// version.
pub type Key = (Option<(&'static str, ResourceKey)>, ParsedFilter, i64);

#[derive(Clone)]
struct FilterWeight;

impl Weighter<Key, ArticleFilter> for FilterWeight {
    fn weight(&self, key: &Key, resolved: &ArticleFilter) -> u64 {
        let resource = key.0.as_ref().map_or(0, |(_, k)| k.as_text().len());
        (resource + key.1.heap_bytes() + resolved.heap_bytes() + std::mem::size_of::<(Key, ArticleFilter)>() + 64)
            as u64
    }
}

pub struct FilterCache {
    resolved: Cache<Key, ArticleFilter, FilterWeight>,
}

impl FilterCache {
    /// A cache of at most `bytes`.
    pub fn new(bytes: u64) -> Self {
        let bytes = bytes.max(4096);
        FilterCache { resolved: Cache::with_weighter((bytes / 512).max(16) as usize, bytes, FilterWeight) }
    }

    /// The filter `key` resolves to: cached, or `resolve()`'s answer,
    /// remembered when it is one (requests missing it together wait for
    /// the first one's answer, as for list totals). A negative (unknown)
    /// version is never cached.
    pub fn get_or_resolve<E>(
        &self,
        key: Key,
        resolve: impl FnOnce() -> Result<ArticleFilter, E>,
    ) -> Result<ArticleFilter, E> {
        if key.2 < 0 {
            return resolve();
        }
        self.resolved.get_or_insert_with(&key, resolve)
    }

    pub fn clear(&self) {
        self.resolved.clear();
    }

    /// Bytes held now (by the weights above).
    pub fn weight(&self) -> u64 {
        self.resolved.weight()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolved once per key and version; failures and unknown versions
    /// are never kept.
    #[test]
    fn resolves_once_per_key_and_version() {
        let cache = FilterCache::new(1 << 20);
        let calls = std::cell::Cell::new(0);
        let topic = |id: i64| ArticleFilter {
            topics: crate::models::article_filter::ValueSet { include: vec![id], ..Default::default() },
            ..Default::default()
        };
        let get = |resource: Option<(&'static str, ResourceKey)>, version: i64, ok: bool| {
            cache.get_or_resolve((resource, ParsedFilter::default(), version), || {
                calls.set(calls.get() + 1);
                if ok {
                    Ok(topic(calls.get()))
                } else {
                    Err(())
                }
            })
        };
        let scoped = || Some(("topic", ResourceKey::Slug("security".into())));
        assert_eq!(get(scoped(), 3, true), Ok(topic(1)));
        assert_eq!(get(scoped(), 3, true), Ok(topic(1)), "kept");
        assert_eq!(get(scoped(), 4, true), Ok(topic(2)), "another version");
        assert_eq!(get(None, 3, true), Ok(topic(3)), "another resource");
        assert_eq!(get(Some(("topic", ResourceKey::Slug("nato".into()))), 3, false), Err(()));
        assert_eq!(get(Some(("topic", ResourceKey::Slug("nato".into()))), 3, true), Ok(topic(5)), "failures not kept");
        assert_eq!(get(scoped(), -1, true), Ok(topic(6)));
        assert_eq!(get(scoped(), -1, true), Ok(topic(7)), "unknown version not kept");
        assert!(cache.weight() > 0);
        cache.clear();
        assert_eq!(cache.weight(), 0);
    }
}
