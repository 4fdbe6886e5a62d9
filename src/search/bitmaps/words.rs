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
//! segments merged away are dropped when the index changes.

use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use roaring::RoaringBitmap;
use tantivy::index::SegmentId;
use tantivy::query::Weight;

use crate::search::grammar::{Clause, Term, TextQuery};

/// A search's words: their weight (the selecting form), and the query it
/// was built from, which keys the sets kept.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub weight: &'a dyn Weight,
    pub query: &'a TextQuery,
}

type Key = (SegmentId, TextQuery);

#[derive(Clone)]
struct SetWeight;

impl Weighter<Key, Arc<RoaringBitmap>> for SetWeight {
    fn weight(&self, (_, query): &Key, set: &Arc<RoaringBitmap>) -> u64 {
        (set.serialized_size() + words_bytes(query) + 128) as u64
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
    kept: Cache<Key, Arc<RoaringBitmap>, SetWeight>,
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
    pub(super) fn get(&self, segment: SegmentId, query: &TextQuery) -> Option<Arc<RoaringBitmap>> {
        self.kept.get(&(segment, query.clone()))
    }

    /// Keep `set` if it is large: at least `min` documents and one in 64
    /// of the segment's.
    pub(super) fn offer(&self, segment: SegmentId, query: &TextQuery, set: &RoaringBitmap, max_doc: u32) {
        if set.len() >= self.min.max(u64::from(max_doc) / 64) {
            self.kept.insert((segment, query.clone()), Arc::new(set.clone()));
        }
    }

    /// Forget the sets of segments not in `current`.
    pub(super) fn keep_only(&self, current: &std::collections::HashSet<SegmentId>) {
        self.kept.retain(|(segment, _), _| current.contains(segment));
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.len()
    }
}
