//! Totals of filtered article lists, per data version. Counting a large
//! filtered set is the most expensive part of a list request and the same
//! filter is asked for again page after page. Bounded in bytes: a filter
//! can list hundreds of values.

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::models::article_filter::ArticleFilter;

type Key = (ArticleFilter, i64);

#[derive(Clone)]
struct KeyWeight;

impl Weighter<Key, i64> for KeyWeight {
    fn weight(&self, key: &Key, _: &i64) -> u64 {
        (key.0.heap_bytes() + std::mem::size_of::<Key>() + 64) as u64
    }
}

pub struct CountCache {
    totals: Cache<Key, i64, KeyWeight>,
}

impl CountCache {
    /// A cache of at most `bytes` (keys and bookkeeping).
    pub fn new(bytes: u64) -> Self {
        let bytes = bytes.max(4096);
        CountCache { totals: Cache::with_weighter((bytes / 256).max(16) as usize, bytes, KeyWeight) }
    }

    /// The cached total for `filter` at `version`, or `count()`'s answer,
    /// remembered. A negative (unknown) version is never cached.
    pub fn get_or_count<E>(
        &self,
        filter: &ArticleFilter,
        version: i64,
        count: impl FnOnce() -> Result<i64, E>,
    ) -> Result<i64, E> {
        if version < 0 {
            return count();
        }
        // One count per key: requests that miss it together (every list
        // request right after a write) wait for the first one's answer
        // rather than each counting again.
        self.totals.get_or_insert_with(&(filter.clone(), version), count)
    }

    pub fn clear(&self) {
        self.totals.clear();
    }

    /// Bytes held now (by the weights above).
    pub fn weight(&self) -> u64 {
        self.totals.weight()
    }
}
