//! In-memory caches, all keyed by the data version (the latest change-log
//! sequence number) and all bounded in bytes: conditional GET and whole
//! responses for `/v1`, the totals of filtered lists, and the positions of
//! deep pages.

pub mod anchors;
pub mod counts;
pub mod entries;
pub mod filters;
pub mod names;
pub mod responses;
pub mod version;

use std::sync::atomic::{AtomicU64, Ordering};

pub use anchors::PageAnchors;
pub use counts::CountCache;
pub use entries::{EntryCache, EntryKey, RenderedEntry};
pub use filters::FilterCache;
pub use names::NameCache;
pub use responses::{CacheSettings, ResponseCache};
pub use version::{DataVersion, Snapshot};

/// The caches one server shares across its workers.
pub struct Caches {
    pub responses: ResponseCache,
    pub counts: CountCache,
    pub anchors: PageAnchors,
    /// Slugs and names of facet values.
    pub names: NameCache,
    /// List filters with their references looked up.
    pub filters: FilterCache,
    /// Rendered feed entries (keyed by content: never stale, never cleared).
    pub entries: EntryCache,
    /// The version regressions already acted on.
    cleared_for: AtomicU64,
}

impl Caches {
    pub fn new(settings: &CacheSettings) -> Self {
        Caches {
            responses: ResponseCache::new(settings),
            counts: CountCache::new(settings.count_bytes),
            anchors: PageAnchors::new(settings.anchor_every, settings.anchor_bytes),
            names: NameCache::new(settings.name_bytes),
            filters: FilterCache::new(settings.filter_bytes),
            entries: EntryCache::new(settings.entry_bytes),
            cleared_for: AtomicU64::new(0),
        }
    }

    /// The data state to key work on now (see `DataVersion::current`).
    /// When the version has gone back since the last call (a database
    /// replaced by an older copy), every cache is emptied first: the
    /// numbers after it will be reused for other data.
    pub fn snapshot(&self, pool: &crate::db::DbPool) -> Snapshot {
        let snapshot = self.responses.version.current(pool);
        let regressions = self.responses.version.regressions();
        if self.cleared_for.fetch_max(regressions, Ordering::AcqRel) < regressions {
            self.clear();
        }
        snapshot
    }

    /// The data version to key work on now.
    pub fn version(&self, pool: &crate::db::DbPool) -> i64 {
        self.snapshot(pool).version
    }

    pub fn clear(&self) {
        self.responses.clear();
        self.counts.clear();
        self.anchors.clear();
        self.names.clear();
        self.filters.clear();
    }
}
