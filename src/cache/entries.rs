//! Feed entries as rendered, keyed by everything they were rendered from:
//! the format, the content option, the origin of their links (as it is:
//! it comes from the request) and a 128-bit hash of the stored list item
//! (XXH3, seeded at random per process; list items are written by the
//! import and the write path, never by a reader). An edited article has another stored item and so
//! another key: nothing here is ever stale, and nothing needs clearing when
//! data changes. Bounded in bytes; a feed page whose entries are here costs
//! about what the JSON list of the same slice costs.

use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;

/// One entry of a feed, rendered, with what the feed's own metadata reads
/// from its entries.
#[derive(Debug)]
pub struct RenderedEntry {
    pub bytes: Box<[u8]>,
    pub language: Box<str>,
    /// Seconds since the epoch.
    pub updated: i64,
}

/// What an entry was rendered from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntryKey {
    pub format: &'static str,
    pub full: bool,
    pub origin: Box<str>,
    pub item: u128,
}

impl EntryKey {
    pub fn new(format: &'static str, full: bool, origin: &str, item: &[u8]) -> Self {
        static SEED: std::sync::LazyLock<u64> = std::sync::LazyLock::new(rand::random);
        EntryKey { format, full, origin: origin.into(), item: xxhash_rust::xxh3::xxh3_128_with_seed(item, *SEED) }
    }
}

#[derive(Clone)]
struct EntryWeight;

impl Weighter<EntryKey, Arc<RenderedEntry>> for EntryWeight {
    fn weight(&self, key: &EntryKey, entry: &Arc<RenderedEntry>) -> u64 {
        let heap = entry.bytes.len() + entry.language.len() + key.origin.len();
        (heap + std::mem::size_of::<(EntryKey, RenderedEntry)>() + 64) as u64
    }
}

pub struct EntryCache {
    entries: Cache<EntryKey, Arc<RenderedEntry>, EntryWeight>,
}

impl EntryCache {
    /// A cache of at most `bytes` (0: nothing is kept).
    pub fn new(bytes: u64) -> Self {
        // Entries are a few kilobytes each (more with `content=full`).
        EntryCache { entries: Cache::with_weighter((bytes / 2048).max(16) as usize, bytes.max(1), EntryWeight) }
    }

    /// The entry rendered from what `key` names, or `render()`'s,
    /// remembered.
    pub fn get_or_render<E>(
        &self,
        key: EntryKey,
        render: impl FnOnce() -> Result<RenderedEntry, E>,
    ) -> Result<Arc<RenderedEntry>, E> {
        if let Some(entry) = self.entries.get(&key) {
            return Ok(entry);
        }
        let entry = Arc::new(render()?);
        self.entries.insert(key, entry.clone());
        Ok(entry)
    }

    /// Bytes held now.
    pub fn weight(&self) -> u64 {
        self.entries.weight()
    }
}
