//! The top-hits collector: the top hits in any list order with a keyset to
//! start after (relevance keeps block-max WAND pruning); and the names of
//! what facets and histograms count (see `bitmaps`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentReader};

use crate::work::Budget;

/// Documents between two looks at the budget.
const DOCS_PER_CHECK: u32 = 1024;

/// The order of a list of hits. Every order breaks ties by id in the same
/// direction, so that keys are total and keysets exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitOrder {
    /// Best score first.
    Relevance,
    Published {
        descending: bool,
    },
    Updated {
        descending: bool,
    },
    Title {
        descending: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue {
    Score(Score),
    Int(i64),
    Text(String),
}

/// Where a hit sits in its list.
#[derive(Debug, Clone, PartialEq)]
pub struct HitKey {
    pub value: KeyValue,
    pub id: u64,
    /// Where the hit is in the searcher it came from (none for a key read
    /// back from a cursor): highlights read its positions there.
    pub doc: Option<DocAddress>,
}

impl HitOrder {
    pub fn descending(self) -> bool {
        match self {
            HitOrder::Relevance => true,
            HitOrder::Published { descending } | HitOrder::Updated { descending } | HitOrder::Title { descending } => {
                descending
            }
        }
    }

    /// `Less` when `a` comes first in the list.
    pub fn cmp(self, a: &HitKey, b: &HitKey) -> Ordering {
        let by_value = match (&a.value, &b.value) {
            (KeyValue::Score(x), KeyValue::Score(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
            (KeyValue::Int(x), KeyValue::Int(y)) => x.cmp(y),
            (KeyValue::Text(x), KeyValue::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
            _ => Ordering::Equal,
        };
        let natural = by_value.then(a.id.cmp(&b.id));
        if self.descending() {
            natural.reverse()
        } else {
            natural
        }
    }
}

/// A heap entry ordered so that the worst kept hit is on top.
struct Ranked {
    key: HitKey,
    order: HitOrder,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order.cmp(&self.key, &other.key)
    }
}

/// The first `keep` hits (in `order`) that come after `after`. Stops
/// early when `budget` runs out (the caller must then check it: the hits
/// are incomplete).
pub struct TopHits {
    order: HitOrder,
    after: Option<HitKey>,
    keep: usize,
    budget: Budget,
    /// By relevance: the score a hit must beat to enter, as found in the
    /// segments searched so far. Scores use the whole index's statistics,
    /// so `keep` hits of one segment bound every later segment's too, and
    /// block-max WAND skips their weaker blocks from the start instead of
    /// from a bar of nothing (a million articles are a dozen or more
    /// segments).
    bound: Mutex<Score>,
}

impl TopHits {
    pub fn new(order: HitOrder, after: Option<HitKey>, keep: usize, budget: Budget) -> TopHits {
        TopHits { order, after, keep, budget, bound: Mutex::new(Score::MIN) }
    }
}

struct Kept {
    heap: BinaryHeap<Ranked>,
    keep: usize,
    order: HitOrder,
}

impl Kept {
    fn offer(&mut self, key: HitKey) {
        if self.heap.len() < self.keep {
            self.heap.push(Ranked { key, order: self.order });
        } else if let Some(worst) = self.heap.peek() {
            if self.order.cmp(&key, &worst.key) == Ordering::Less {
                self.heap.pop();
                self.heap.push(Ranked { key, order: self.order });
            }
        }
    }

    /// Scores below this cannot enter (a score equal to the worst kept may,
    /// on its id, so the bound is the next float down).
    fn score_threshold(&self) -> Score {
        match self.heap.peek() {
            Some(Ranked { key: HitKey { value: KeyValue::Score(s), .. }, .. }) if self.heap.len() >= self.keep => {
                let s = *s;
                if s > 0.0 {
                    f32::from_bits(s.to_bits() - 1)
                } else {
                    Score::MIN
                }
            }
            _ => Score::MIN,
        }
    }
}

enum SortColumn {
    None,
    Int(Column<i64>),
    Text(StrColumn),
}

pub struct TopHitsSegment;

impl SegmentCollector for TopHitsSegment {
    type Fruit = Vec<HitKey>;
    fn collect(&mut self, _doc: DocId, _score: Score) {}
    fn harvest(self) -> Vec<HitKey> {
        Vec::new()
    }
}

impl Collector for TopHits {
    type Fruit = Vec<HitKey>;
    type Child = TopHitsSegment;

    fn for_segment(&self, _: u32, _: &SegmentReader) -> tantivy::Result<TopHitsSegment> {
        Ok(TopHitsSegment)
    }

    fn requires_scoring(&self) -> bool {
        self.order == HitOrder::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Vec<HitKey>>) -> tantivy::Result<Vec<HitKey>> {
        let mut all: Vec<HitKey> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| self.order.cmp(a, b));
        all.truncate(self.keep);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<HitKey>> {
        let ids: Column<u64> = reader.fast_fields().u64("id")?;
        let alive = reader.alive_bitset();
        let sort = match self.order {
            HitOrder::Relevance => SortColumn::None,
            HitOrder::Published { .. } => SortColumn::Int(reader.fast_fields().i64("published")?),
            HitOrder::Updated { .. } => SortColumn::Int(reader.fast_fields().i64("updated")?),
            HitOrder::Title { .. } => match reader.fast_fields().str("title_sort")? {
                Some(column) => SortColumn::Text(column),
                None => SortColumn::None,
            },
        };
        let mut kept = Kept { heap: BinaryHeap::new(), keep: self.keep.max(1), order: self.order };
        let after = self.after.as_ref();
        let order = self.order;
        let is_after = |key: &HitKey| after.is_none_or(|a| order.cmp(key, a) == Ordering::Greater);
        let mut title = String::new();
        let mut meter = self.budget.meter(DOCS_PER_CHECK);
        match sort {
            SortColumn::None => {
                let carried = *self.bound.lock().expect("not poisoned");
                weight.for_each_pruning(carried, reader, &mut |doc, score| {
                    if meter.stop() {
                        // Nothing can beat this: block-max WAND skips the rest.
                        return Score::MAX;
                    }
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        let key = HitKey {
                            value: KeyValue::Score(score),
                            id: ids.first(doc).unwrap_or(0),
                            doc: Some(DocAddress::new(segment, doc)),
                        };
                        if is_after(&key) {
                            kept.offer(key);
                        }
                    }
                    kept.score_threshold().max(carried)
                })?;
                let mut bound = self.bound.lock().expect("not poisoned");
                *bound = bound.max(kept.score_threshold());
            }
            SortColumn::Int(column) => {
                weight.for_each_no_score(reader, &mut |docs| {
                    if meter.stop_after(docs.len() as u32) {
                        return;
                    }
                    for &doc in docs {
                        if alive.is_some_and(|a| a.is_deleted(doc)) {
                            continue;
                        }
                        let key = HitKey {
                            value: KeyValue::Int(column.first(doc).unwrap_or(0)),
                            id: ids.first(doc).unwrap_or(0),
                            doc: Some(DocAddress::new(segment, doc)),
                        };
                        if is_after(&key) {
                            kept.offer(key);
                        }
                    }
                })?;
            }
            SortColumn::Text(column) => {
                weight.for_each_no_score(reader, &mut |docs| {
                    if meter.stop_after(docs.len() as u32) {
                        return;
                    }
                    for &doc in docs {
                        if alive.is_some_and(|a| a.is_deleted(doc)) {
                            continue;
                        }
                        title.clear();
                        if let Some(ord) = column.term_ords(doc).next() {
                            let _ = column.ord_to_str(ord, &mut title);
                        }
                        let key = HitKey {
                            value: KeyValue::Text(title.clone()),
                            id: ids.first(doc).unwrap_or(0),
                            doc: Some(DocAddress::new(segment, doc)),
                        };
                        if is_after(&key) {
                            kept.offer(key);
                        }
                    }
                })?;
            }
        }
        Ok(kept.heap.into_vec().into_iter().map(|r| r.key).collect())
    }
}

/// A dimension to count values of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    /// A numeric fast field (ids, type codes, years, months).
    Numeric(&'static str),
    /// The language field (strings).
    Language,
}

/// Matching articles per value counted. A fast hasher: a facet request
/// adds up to thousands of values per index segment.
pub type ValueCounts = rustc_hash::FxHashMap<CountKey, u64>;

/// A value counted: a number or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CountKey {
    Number(u64),
    Text(String),
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use tantivy::collector::TopDocs;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::{BooleanQuery, BoostQuery, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{TantivyDocument, Term};

    use super::*;
    use crate::search::schema;

    /// By relevance over many segments, with the bound carried from one
    /// segment to the next, the hits are exactly the first of every
    /// matching document scored and ordered (ties by id), from the start
    /// and after a keyset.
    #[test]
    fn relevance_over_many_segments_equals_scoring_every_match() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (index, fields, mut writer) = schema::in_ram();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let docs = 600u64;
        for id in 0..docs {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id);
            // Few shapes of text, so that many documents tie.
            let mut body = vec!["alpha"; rng.random_range(0..4)];
            body.extend(vec!["beta"; rng.random_range(0..6)]);
            doc.add_text(fields.body, body.join(" "));
            if rng.random_bool(0.2) {
                doc.add_text(fields.title, "alpha gamma");
            }
            writer.add_document(doc).unwrap();
            if id % 41 == 40 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 10, "many segments");
        let term = |field| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, "alpha"), IndexRecordOption::WithFreqs))
        };
        let query = BooleanQuery::union(vec![Box::new(BoostQuery::new(term(fields.title), 3.0)), term(fields.body)]);
        let all = searcher.search(&query, &TopDocs::with_limit(docs as usize).order_by_score()).unwrap();
        let mut expected: Vec<HitKey> = all
            .iter()
            .map(|(score, at)| {
                let ids = searcher.segment_reader(at.segment_ord).fast_fields().u64("id").unwrap();
                HitKey { value: KeyValue::Score(*score), id: ids.first(at.doc_id).unwrap(), doc: None }
            })
            .collect();
        expected.sort_by(|a, b| HitOrder::Relevance.cmp(a, b));
        assert!(expected.len() > 200, "most documents match");
        let strip = |hits: Vec<HitKey>| -> Vec<(KeyValue, u64)> {
            let mut hits = hits;
            hits.sort_by(|a, b| HitOrder::Relevance.cmp(a, b));
            hits.into_iter().map(|h| (h.value, h.id)).collect()
        };
        let first =
            |keys: &[HitKey]| -> Vec<(KeyValue, u64)> { keys.iter().map(|h| (h.value.clone(), h.id)).collect() };
        for keep in [1, 7, 20, 150] {
            let top = TopHits::new(HitOrder::Relevance, None, keep, Budget::unlimited());
            assert_eq!(strip(searcher.search(&query, &top).unwrap()), first(&expected[..keep]), "top {keep}");
            let after = expected[keep].clone();
            let next = TopHits::new(HitOrder::Relevance, Some(after), keep, Budget::unlimited());
            let want = &expected[keep + 1..(2 * keep + 1).min(expected.len())];
            assert_eq!(strip(searcher.search(&query, &next).unwrap()), first(want), "{keep} after {keep}");
        }
    }
}
