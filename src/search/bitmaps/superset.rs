//! Facets of a set inside one large value's documents, counted as that
//! value's counts less those of its documents outside the set.
//!
//! A topic's page asks for the facets of the topic's articles: at a
//! million articles the largest topics hold over a hundred thousand, and
//! reading each one's row was half of the request. Every article the filter matches
//! holds the topic, so the facets are the counts over all the topic's
//! documents (kept once per segment, which never changes) less the counts
//! over its documents the filter leaves out: its deleted ones, those a
//! word or a second filter drops. Those are few for a topic page, a topic
//! and a common word, a topic in the main language.
//!
//! The same holds for a search's words: every document it matches is in
//! the set of documents its words match, kept per segment when large (see
//! `words`), and the counts over that set are kept with it. A common word
//! (in 97% of the articles) and its facets are then the kept counts less
//! those of its deleted documents.
//!
//! The counts of a value's documents are made the first time a request
//! needs them, by the same reading that request would have done, and kept
//! with the segment; only values of at least `Bitmaps::superset_min`
//! documents and one in 64 of the segment's are kept, so at most a few
//! hundred per segment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use roaring::RoaringBitmap;
use tantivy::SegmentReader;

use super::words::WordSet;
use super::{id_sets, Layout, Matching, SegmentBitmaps, Tally};
use crate::models::article_filter::ArticleFilter;
use crate::search::collect::Counted;
use crate::search::documents::type_code;
use crate::search::forward::Forward;
use crate::search::query::Dimension;

/// Whose documents are counted: one value's (the field and the value),
/// or a search's words' (kept with their set, see `words`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Of {
    Value(Counted, u64),
    Words,
}

/// The counts of whose documents, in which rows.
type Key = (Layout, Of);

/// Counts per column of a layout's rows, by ordinal, over all of a value's
/// (or a word set's) documents, deleted or not.
type Table = Vec<Vec<u32>>;

/// The counts kept for a segment's large values, or with a word set.
#[derive(Default)]
pub(super) struct Tables {
    kept: Mutex<HashMap<Key, Arc<Table>>>,
}

impl Tables {
    /// How many are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.lock().expect("not poisoned").len()
    }

    /// Keep a words' table of `columns` × `ordinals` zeros.
    #[cfg(test)]
    pub(super) fn put_words_table(&self, source_only: bool, columns: usize, ordinals: usize) {
        let key = (Layout::Facets { source_only }, Of::Words);
        self.kept.lock().expect("not poisoned").insert(key, Arc::new(vec![vec![0; ordinals]; columns]));
    }

    /// Forget the counts kept.
    pub(super) fn clear(&self) {
        self.kept.lock().expect("not poisoned").clear();
    }

    /// What the counts kept take.
    pub(super) fn bytes(&self) -> usize {
        let kept = self.kept.lock().expect("not poisoned");
        kept.values().map(|table| table.iter().map(|column| column.len() * 4 + 24).sum::<usize>()).sum()
    }
}

/// A large value every document of a set holds, or the words' kept set
/// (every document of a search holds its words): the documents, and where
/// their counts are kept.
pub(super) struct Superset<'a> {
    key: Key,
    docs: &'a RoaringBitmap,
    tables: &'a Tables,
}

impl SegmentBitmaps {
    /// Of the values every document of `set` holds by `filter` (a lone
    /// value asked for, or one required), leaving out `except`'s, and the
    /// search's kept word set (`words`, which holds every document of
    /// `set`), the one with the fewest documents outside `set`, if it holds
    /// at least `min` documents and one in 64 of the segment's (so that a
    /// segment keeps the counts of at most 64 values per value a document
    /// holds), and reading those outside costs less than reading `set`.
    pub(super) fn superset<'a>(
        &'a self,
        filter: &ArticleFilter,
        except: Option<Dimension>,
        set: &RoaringBitmap,
        min: u64,
        words: Option<&'a WordSet>,
    ) -> Option<Superset<'a>> {
        let layout = Layout::Facets { source_only: filter.source_only };
        let mut held: Vec<(Counted, u64)> = Vec::new();
        for (dim, ids) in id_sets(filter) {
            let Counted::Numeric(name) = dim.counted(filter.source_only) else { continue };
            let lone = if ids.include.len() == 1 && except != Some(dim) { &ids.include[..] } else { &[] };
            held.extend(lone.iter().chain(&ids.require).map(|v| (Counted::Numeric(name), *v as u64)));
        }
        if except != Some(Dimension::Type) {
            if let Counted::Numeric(name) = Dimension::Type.counted(filter.source_only) {
                let t = &filter.types;
                let lone = if t.include.len() == 1 { &t.include[..] } else { &[] };
                held.extend(lone.iter().chain(&t.require).map(|t| (Counted::Numeric(name), type_code(*t))));
            }
        }
        if except != Some(Dimension::Language) && filter.languages.include.len() == 1 {
            let tag = &filter.languages.include[0];
            if let Some((ord, _)) = self.language_tags.iter().find(|(_, t)| *t == tag) {
                held.push((Counted::Language, *ord));
            }
        }
        let values = held.into_iter().filter_map(|(counted, value)| {
            Some((Of::Value(counted, value), self.docs_of(counted, value)?, &self.tables))
        });
        let words = words.map(|w| (Of::Words, &w.docs, &w.tables));
        let (of, docs, tables) = values
            .chain(words)
            .filter(|(_, docs, _)| docs.len() >= min.max(u64::from(self.max_doc) / 64))
            .min_by_key(|(_, docs, _)| docs.len())?;
        debug_assert!(set.is_subset(docs), "the filter keeps only documents of {of:?}");
        let outside = docs.len() - set.len();
        (outside * 2 < set.len()).then_some(Superset { key: (layout, of), docs, tables })
    }

    /// The documents holding `value` of `counted`.
    fn docs_of(&self, counted: Counted, value: u64) -> Option<&RoaringBitmap> {
        match counted {
            Counted::Numeric(name) => self.values(name)?.get(&value),
            Counted::Language => self.languages.get(self.language_tags.get(&value)?),
        }
    }

    /// Add how many of `docs` (all inside `superset`'s documents) carry
    /// each value of each of `wanted`'s fields: the superset's counts (made
    /// now if not kept yet) less those of its documents outside `docs`.
    pub(super) fn subtract_into(
        &self,
        reader: &SegmentReader,
        superset: &Superset<'_>,
        docs: &Matching,
        wanted: &mut [(Counted, &mut Tally)],
    ) -> tantivy::Result<()> {
        let layout = superset.key.0;
        let forward = self.forward(reader, layout)?;
        let table = self.table(superset, || self.count_all(&forward, layout, superset.docs));
        let outside = Matching::new(superset.docs - &docs.set);
        let columns = self.columns(layout, wanted);
        let mut counts = forward.count(outside.list(), &outside.set, &columns);
        for (column, counts) in columns.iter().zip(&mut counts) {
            for (n, of_all) in counts.iter_mut().zip(&table[*column]) {
                *n = of_all - *n;
            }
        }
        self.add_ordinal_counts(&forward, &columns, &counts, wanted);
        Ok(())
    }

    /// The kept counts of `superset`'s documents, made with `count` if not
    /// kept yet (outside the lock: other requests do not wait).
    fn table(&self, superset: &Superset<'_>, count: impl FnOnce() -> Table) -> Arc<Table> {
        if let Some(kept) = superset.tables.kept.lock().expect("not poisoned").get(&superset.key) {
            return kept.clone();
        }
        let made = Arc::new(count());
        superset.tables.kept.lock().expect("not poisoned").entry(superset.key).or_insert(made).clone()
    }

    /// The counts per column of `layout` over all of `docs`: read from
    /// their rows, or, for most of the segment (a common word's set), each
    /// value's size less what the segment's other documents hold.
    fn count_all(&self, forward: &Forward, layout: Layout, docs: &RoaringBitmap) -> Table {
        let every: Vec<usize> = (0..layout.fields().len()).collect();
        if docs.len() * 2 <= u64::from(self.max_doc) {
            let all = Matching::new(docs.clone());
            return forward.count(all.list(), &all.set, &every);
        }
        let outside = Matching::new(&self.all - docs);
        let mut table = forward.count(outside.list(), &outside.set, &every);
        for ((column, counted), counts) in every.iter().zip(layout.fields()).zip(&mut table) {
            for (ordinal, n) in counts.iter_mut().enumerate() {
                let size = self.docs_of(counted, forward.value(*column, ordinal)).map_or(0, |d| d.len() as u32);
                *n = size - *n;
            }
        }
        table
    }
}
