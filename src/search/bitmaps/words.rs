//! The documents a search's words match in a segment, kept for the next
//! request with the same words (as Lucene's query cache keeps a filter's
//! documents per segment).
//!
//! Facets, histograms and sorted lists of a search start from the set of
//! documents its words match. For a common word that is most of the
//! index: decoding its postings and setting a bit per document was a
//! third of a common word's facets and a fifth of its newest-first list.
//! Segments never change, so a set stays true for the segment's life;
//! deletions are applied per request. Only large sets are kept (a small
//! one is read again in microseconds), within a byte budget; the sets of
//! segments merged away are dropped when the index changes. The facet
//! counts over all of a set's documents are kept with it once asked for,
//! so that the facets of the words alone (or with a filter that drops
//! few of their documents) are those counts less the counts of the few
//! documents left out, deleted ones among them (see `superset`).

use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use roaring::RoaringBitmap;
use tantivy::index::SegmentId;
use tantivy::query::Weight;

use super::superset::Tables;
use crate::search::grammar::{Clause, Term, TextQuery};

/// A search's words: their weight (the selecting form), and the query it
/// was built from, which keys the sets kept.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub weight: &'a dyn Weight,
    pub query: &'a TextQuery,
}

type Key = (SegmentId, TextQuery);

/// The documents a search's words match in a segment (deleted or not),
/// and the facet counts over all of them, once asked for (see `superset`).
pub(super) struct WordSet {
    pub(super) docs: RoaringBitmap,
    pub(super) tables: Tables,
}

impl WordSet {
    fn bytes(&self, query: &TextQuery) -> u64 {
        (self.docs.serialized_size() + self.tables.bytes() + words_bytes(query) + 128) as u64
    }
}

/// A set in the cache, with what it weighed when put there (the cache
/// needs an entry's weight to stay what it was).
#[derive(Clone)]
struct Kept {
    set: Arc<WordSet>,
    bytes: u64,
}

#[derive(Clone)]
struct SetWeight;

impl Weighter<Key, Kept> for SetWeight {
    fn weight(&self, _: &Key, kept: &Kept) -> u64 {
        kept.bytes
    }
}

/// About what a query's words take in memory.
fn words_bytes(query: &TextQuery) -> usize {
    let term = |t: &Term| t.text.len() + std::mem::size_of::<Term>();
    let clause = |c: &Clause| match c {
        Clause::AnyOf(terms) => terms.iter().map(term).sum::<usize>() + std::mem::size_of::<Clause>(),
        Clause::Not(t) => term(t) + std::mem::size_of::<Clause>(),
    };
    query.clauses.iter().map(clause).sum()
}

/// Large word sets of the index's segments.
pub(super) struct WordSets {
    kept: Cache<Key, Kept, SetWeight>,
    /// The fewest documents a set must hold to be kept.
    min: u64,
}

impl WordSets {
    /// Within `bytes`, sets of at least `min` documents.
    pub(super) fn new(bytes: u64, min: u64) -> WordSets {
        let bytes = bytes.max(4096);
        // A common word's set is 1.6 KB per 12,500 articles of a segment.
        WordSets { kept: Cache::with_weighter((bytes / 16384).max(16) as usize, bytes, SetWeight), min }
    }

    /// The set kept for `query` in `segment`, if any.
    pub(super) fn get(&self, segment: SegmentId, query: &TextQuery) -> Option<Arc<WordSet>> {
        self.kept.get(&(segment, query.clone())).map(|kept| kept.set)
    }

    /// Keep `docs` if it is a large set: at least `min` documents and one
    /// in 64 of the segment's. Returns it as kept.
    pub(super) fn offer(
        &self,
        segment: SegmentId,
        query: &TextQuery,
        docs: RoaringBitmap,
        max_doc: u32,
    ) -> Result<Arc<WordSet>, RoaringBitmap> {
        if docs.len() < self.min.max(u64::from(max_doc) / 64) {
            return Err(docs);
        }
        let set = Arc::new(WordSet { docs, tables: Tables::default() });
        self.kept.insert((segment, query.clone()), Kept { bytes: set.bytes(query), set: set.clone() });
        Ok(set)
    }

    /// Weigh `set` again if counts were kept with it since it was put in
    /// the cache, while it is still there. A set too heavy with its counts
    /// for the cache (a segment of millions of articles) keeps none.
    pub(super) fn reweigh(&self, segment: SegmentId, query: &TextQuery, set: &Arc<WordSet>) {
        let key = (segment, query.clone());
        let Some(kept) = self.kept.get(&key).filter(|kept| Arc::ptr_eq(&kept.set, set)) else { return };
        let bytes = set.bytes(query);
        if bytes <= kept.bytes {
            return;
        }
        if bytes > self.kept.shard_capacity() / 10 * 9 {
            set.tables.clear();
            return;
        }
        // Only if still there; a race with another request's reweigh may
        // leave it under-weighed by one layout's counts until the next.
        let _ = self.kept.replace(key, Kept { set: kept.set, bytes }, true);
    }

    /// Forget the sets of segments not in `current`.
    pub(super) fn keep_only(&self, current: &std::collections::HashSet<SegmentId>) {
        self.kept.retain(|(segment, _), _| current.contains(segment));
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.len()
    }

    /// The counts kept with the sets, and what the cache weighs in all.
    #[cfg(test)]
    pub(super) fn tables(&self) -> (usize, u64) {
        (self.kept.iter().map(|(_, kept)| kept.set.tables.len()).sum(), self.kept.weight())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_kept_with_a_set_weigh_on_the_cache_and_a_set_too_heavy_with_them_keeps_none() {
        let sets = WordSets::new(1 << 20, 1);
        let query = TextQuery { clauses: vec![] };
        let segment = SegmentId::generate_random();
        let small = sets.offer(segment, &query, (0..10).collect(), 10_000);
        assert!(small.is_err(), "fewer than one in 64 of the segment's documents: not kept");
        let set = sets.offer(segment, &query, (0..10_000).collect(), 10_000).ok().unwrap();
        let before = sets.kept.weight();
        set.tables.put_words_table(false, 8, 100);
        sets.reweigh(segment, &query, &set);
        assert!(sets.kept.weight() >= before + 3_200, "{before} then {}", sets.kept.weight());
        assert_eq!(set.tables.len(), 1);
        set.tables.put_words_table(true, 8, 1_000_000);
        sets.reweigh(segment, &query, &set);
        assert_eq!(set.tables.len(), 0, "too heavy for the cache with its counts: none kept");
        assert!(sets.get(segment, &query).is_some_and(|kept| Arc::ptr_eq(&kept, &set)), "the set stays");
        sets.keep_only(&std::collections::HashSet::new());
        assert_eq!(sets.len(), 0, "segments merged away: their sets dropped");
    }
}
