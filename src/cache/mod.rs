//! In-memory caches, all keyed by the data version (the latest change-log
//! sequence number): conditional GET and whole responses for `/v1`, and the
//! totals of filtered lists.

pub mod anchors;
pub mod counts;
pub mod responses;
pub mod version;

pub use anchors::PageAnchors;
pub use counts::CountCache;
pub use responses::{CacheSettings, ResponseCache};
pub use version::DataVersion;

/// The caches one server shares across its workers.
pub struct Caches {
    pub responses: ResponseCache,
    pub counts: CountCache,
    pub anchors: PageAnchors,
}

impl Caches {
    pub fn new(settings: &CacheSettings) -> Self {
        Caches {
            responses: ResponseCache::new(settings),
            counts: CountCache::new(settings.count_entries),
            anchors: PageAnchors::new(settings.anchor_every, settings.anchor_lists),
        }
    }

    /// The data version to key work on now (see `DataVersion::current`).
    pub fn version(&self, pool: &crate::db::DbPool) -> i64 {
        self.responses.version.current(pool)
    }
}
