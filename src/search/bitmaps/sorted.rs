//! The first hits of a search in a list order (newest or oldest first,
//! by title, by last change), from the bitmaps.
//!
//! Sorting a common word's matches by date read each match's date and id
//! from tantivy's columns, through the union of the three fields' postings:
//! ~3.5 ms at 100k articles, 15 times the newest list. Each segment now
//! keeps, per order (made the first time a sorted search needs it), its
//! documents in that order and each one's place in it. The matches are the
//! bitmaps' set, as for facets: the selecting form of the words (a lone
//! word's one `any_text` posting list), then the filter. A large set is then walked in list order from its start (or
//! from a keyset's place, found by a binary search), until enough of the
//! documents walked are in the set: a set holding most of a segment
//! finds its first 20 in about as many steps. A small set (or one the walk
//! finds too little of) is read instead: each document's place, the best
//! kept. The set's size is the total, so no second count is needed.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use roaring::RoaringBitmap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Searcher, SegmentReader};

use super::{BitmapError, Bitmaps, SegmentBitmaps, Words};
use crate::models::article_filter::ArticleFilter;
use crate::search::collect::{HitKey, HitOrder, KeyValue};
use crate::work::Budget;

/// A field a list is sorted by (with the id after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum SortedBy {
    Published,
    Updated,
    Title,
}

impl SortedBy {
    fn of(order: HitOrder) -> Option<SortedBy> {
        match order {
            HitOrder::Relevance => None,
            HitOrder::Published { .. } => Some(SortedBy::Published),
            HitOrder::Updated { .. } => Some(SortedBy::Updated),
            HitOrder::Title { .. } => Some(SortedBy::Title),
        }
    }
}

/// A segment's documents in one order, deleted ones included.
pub(super) struct Order {
    /// By value, then id, then document, ascending.
    docs: Vec<DocId>,
    /// Each document's place in `docs`.
    place: Vec<u32>,
}

/// The orders a segment has needed so far.
#[derive(Default)]
pub(super) struct Orders {
    built: Mutex<HashMap<SortedBy, Arc<Order>>>,
}

/// A segment's columns of one order's value and of the id.
struct Keys {
    ids: Column<u64>,
    values: Values,
}

enum Values {
    Int(Column<i64>),
    /// Titles by their ordinals, which sort as the titles' bytes do.
    Text {
        column: Option<StrColumn>,
        /// Whether ordinal 0 is the empty title, which sorts with the
        /// documents that have none.
        empty_first: bool,
    },
}

impl Keys {
    fn open(reader: &SegmentReader, by: SortedBy) -> tantivy::Result<Keys> {
        let fast = reader.fast_fields();
        let values = match by {
            SortedBy::Published => Values::Int(fast.i64("published")?),
            SortedBy::Updated => Values::Int(fast.i64("updated")?),
            SortedBy::Title => {
                let column = fast.str("title_sort")?;
                let mut first = String::new();
                let empty_first = match &column {
                    Some(c) if c.num_terms() > 0 => c.ord_to_str(0, &mut first)? && first.is_empty(),
                    _ => false,
                };
                Values::Text { column, empty_first }
            }
        };
        Ok(Keys { ids: fast.u64("id")?, values })
    }

    fn id(&self, doc: DocId) -> u64 {
        self.ids.first(doc).unwrap_or(0)
    }

    /// A number that sorts as the document's value does (a missing value
    /// as the collector reads it: 0, or the empty title).
    fn rank(&self, doc: DocId) -> i64 {
        match &self.values {
            Values::Int(column) => column.first(doc).unwrap_or(0),
            Values::Text { column, empty_first } => match column.as_ref().and_then(|c| c.term_ords(doc).next()) {
                Some(ord) if *empty_first => ord as i64,
                Some(ord) => ord as i64 + 1,
                None => 0,
            },
        }
    }

    /// The document's key, as the collector would give it.
    fn key(&self, segment: u32, doc: DocId) -> tantivy::Result<HitKey> {
        Ok(self.keys(segment, &[doc])?.pop().expect("one key per document"))
    }

    /// The documents' keys, as the collector would give them: the titles
    /// read in one pass over the column's dictionary (each title read
    /// alone unpacked a block of it: a third of a title-sorted search).
    fn keys(&self, segment: u32, docs: &[DocId]) -> tantivy::Result<Vec<HitKey>> {
        let key = |value, doc| HitKey { value, id: self.id(doc), doc: Some(DocAddress::new(segment, doc)) };
        match &self.values {
            Values::Int(column) => {
                Ok(docs.iter().map(|doc| key(KeyValue::Int(column.first(*doc).unwrap_or(0)), *doc)).collect())
            }
            Values::Text { column: None, .. } => {
                Ok(docs.iter().map(|doc| key(KeyValue::Text(String::new()), *doc)).collect())
            }
            Values::Text { column: Some(column), .. } => {
                let mut held: Vec<(u64, usize)> =
                    docs.iter().enumerate().filter_map(|(i, doc)| Some((column.term_ords(*doc).next()?, i))).collect();
                held.sort_unstable();
                let ords: Vec<u64> = held.iter().map(|(ord, _)| *ord).collect();
                let mut titles = vec![String::new(); docs.len()];
                let mut next = held.iter().map(|(_, i)| *i);
                column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(i) = next.next() {
                        titles[i] = String::from_utf8_lossy(bytes).into_owned();
                    }
                })?;
                Ok(docs.iter().zip(titles).map(|(doc, title)| key(KeyValue::Text(title), *doc)).collect())
            }
        }
    }
}

impl Order {
    fn build(keys: &Keys, max_doc: u32) -> Order {
        let mut rows: Vec<(i64, u64, DocId)> = (0..max_doc).map(|doc| (keys.rank(doc), keys.id(doc), doc)).collect();
        rows.sort_unstable();
        let docs: Vec<DocId> = rows.into_iter().map(|(_, _, doc)| doc).collect();
        let mut place = vec![0; max_doc as usize];
        for (p, doc) in docs.iter().enumerate() {
            place[*doc as usize] = p as u32;
        }
        Order { docs, place }
    }

    /// The places of the documents that may be listed: after `after` in
    /// `order`'s direction.
    fn range(&self, keys: &Keys, order: HitOrder, after: Option<&HitKey>) -> tantivy::Result<(usize, usize)> {
        let Some(after) = after else { return Ok((0, self.docs.len())) };
        // How each place's key compares with `after`, ascending.
        let mut failed = None;
        let mut ascending = |doc: DocId| -> Ordering {
            match keys.key(0, doc) {
                Ok(key) => {
                    let listed = order.cmp(&key, after);
                    if order.descending() {
                        listed.reverse()
                    } else {
                        listed
                    }
                }
                Err(e) => {
                    failed = Some(e);
                    Ordering::Equal
                }
            }
        };
        let range = if order.descending() {
            (0, self.docs.partition_point(|doc| ascending(*doc) == Ordering::Less))
        } else {
            (self.docs.partition_point(|doc| ascending(*doc) != Ordering::Greater), self.docs.len())
        };
        failed.map_or(Ok(range), Err)
    }

    /// The places of the first `keep` documents of `set` in `range`, in
    /// list order.
    fn first(&self, set: &RoaringBitmap, (from, to): (usize, usize), descending: bool, keep: usize) -> Vec<usize> {
        let size = set.len();
        if keep == 0 || size == 0 || from >= to {
            return Vec::new();
        }
        // A walk takes about keep × documents ÷ |set| steps; reading the
        // set, |set|. Walk when that is fewer, and stop walking (to read
        // instead) after as many steps as reading would take.
        let documents = (to - from) as u64;
        if (keep as u64).saturating_mul(documents) < size.saturating_mul(size) {
            let mut found = Vec::with_capacity(keep.min(to - from));
            let mut places: Box<dyn Iterator<Item = usize>> =
                if descending { Box::new((from..to).rev()) } else { Box::new(from..to) };
            let mut steps = 0;
            loop {
                let Some(p) = places.next() else { return found };
                if set.contains(self.docs[p]) {
                    found.push(p);
                    if found.len() == keep {
                        return found;
                    }
                }
                steps += 1;
                if steps > size {
                    break;
                }
            }
        }
        let mut places: Vec<usize> =
            set.iter().map(|doc| self.place[doc as usize] as usize).filter(|p| (from..to).contains(p)).collect();
        let listed = |a: &usize, b: &usize| if descending { b.cmp(a) } else { a.cmp(b) };
        if places.len() > keep {
            places.select_nth_unstable_by(keep, listed);
            places.truncate(keep);
        }
        places.sort_unstable_by(listed);
        places
    }
}

impl SegmentBitmaps {
    /// The segment's documents in the order of `by` (built on first use).
    fn order(&self, keys: &Keys, by: SortedBy) -> Arc<Order> {
        if let Some(built) = self.orders.built.lock().expect("not poisoned").get(&by) {
            return built.clone();
        }
        let made = Arc::new(Order::build(keys, self.max_doc));
        self.orders.built.lock().expect("not poisoned").entry(by).or_insert(made).clone()
    }
}

impl Bitmaps {
    /// The first `keep` articles matching `text` (the weight of the words,
    /// if any) and `filter` in `order` after `after`, and how many match
    /// in all; `None` for relevance (scores come from the postings). A
    /// segment's bitmaps not built yet are built now, as facets do (the
    /// index builds them after each change; a state pinned for a cursor
    /// may still hold segments merged away since).
    #[allow(clippy::too_many_arguments)]
    pub fn sorted_hits(
        &self,
        searcher: &Searcher,
        text: Option<Words<'_>>,
        filter: &ArticleFilter,
        order: HitOrder,
        after: Option<&HitKey>,
        keep: usize,
        budget: &Budget,
    ) -> Result<Option<(Vec<HitKey>, u64)>, BitmapError> {
        let Some(by) = SortedBy::of(order) else { return Ok(None) };
        let mut hits = Vec::new();
        let mut total = 0;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            budget.check()?;
            let seg = self.segment(reader)?;
            let set = seg.matching(reader, seg.base(reader, text, budget, &self.words)?.0, filter, None)?;
            budget.check()?;
            total += set.len();
            if keep == 0 || set.is_empty() {
                continue;
            }
            let keys = Keys::open(reader, by)?;
            let sorted = seg.order(&keys, by);
            let range = sorted.range(&keys, order, after)?;
            let first: Vec<DocId> =
                sorted.first(&set, range, order.descending(), keep).into_iter().map(|p| sorted.docs[p]).collect();
            hits.extend(keys.keys(ord as u32, &first)?);
        }
        hits.sort_by(|a, b| order.cmp(a, b));
        hits.truncate(keep);
        Ok(Some((hits, total)))
    }
}
