//! Totals of filtered article lists, per data version. Counting a large
//! filtered set is the most expensive part of a list request and the same
//! filter is asked for again page after page.

use quick_cache::sync::Cache;

use crate::models::article_filter::ArticleFilter;

pub struct CountCache {
    totals: Cache<(ArticleFilter, i64), i64>,
}

impl CountCache {
    pub fn new(capacity: usize) -> Self {
        CountCache { totals: Cache::new(capacity.max(1)) }
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
        let key = (filter.clone(), version);
        if let Some(total) = self.totals.get(&key) {
            return Ok(total);
        }
        let total = count()?;
        self.totals.insert(key, total);
        Ok(total)
    }
}
