//! Facet counts, histograms and filter totals on in-memory bitmaps.
//!
//! For every segment of the index, one roaring bitmap of its documents per
//! value of each filter and facet dimension (a topic, a region with the
//! regions below it, an author, a year, a month …), built once from the
//! segment's fast fields. Segments never change, so the bitmaps follow the
//! index (and so the change log) by themselves: a write adds a segment, a
//! merge replaces some, a deletion only changes which documents are alive,
//! which is kept per segment and deletion state. A filter is then a few
//! unions and intersections, and a facet value's count the size of an
//! intersection: the cost grows with the number of values, not with the
//! number of matching articles.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use roaring::RoaringBitmap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher, SegmentReader};

use super::collect::{CountKey, Counted, ValueCounts};
use super::documents::type_code;
use super::forward::Forward;
use super::query::Dimension;
use crate::models::article_filter::{ArticleFilter, IdSet};
use crate::work::{Budget, Exhausted};

mod dates;
mod sets;
mod sorted;
mod superset;
mod tally;
mod words;

use dates::within;
use sets::{Collected, Matching};
use sorted::Orders;
use superset::Tables;
use tally::{Tally, Value};
pub use words::Words;
use words::{WordSet, WordSets};

/// The numeric fields kept as bitmaps: every filter dimension and every
/// counted one.
const NUMERIC: [&str; 12] = [
    "topic",
    "topic_source",
    "region",
    "region_source",
    "author",
    "author_source",
    "type",
    "type_source",
    "publisher",
    "series",
    "year",
    "month",
];

/// Deletion states a segment keeps its live documents for.
const ALIVE_STATES: usize = 3;

/// Documents per value.
type Values = BTreeMap<u64, RoaringBitmap>;

/// One segment's bitmaps.
pub struct SegmentBitmaps {
    max_doc: u32,
    /// Every document of the segment, deleted or not.
    all: RoaringBitmap,
    numeric: HashMap<&'static str, Values>,
    /// By language tag.
    languages: BTreeMap<String, RoaringBitmap>,
    /// Language tags by the column's ordinals (what the rows hold).
    language_tags: HashMap<u64, String>,
    /// What intersecting with each counted field's bitmaps costs.
    sizes: HashMap<Counted, Sizes>,
    /// Each document's values of the counted fields, built when first
    /// needed.
    forward: Mutex<HashMap<Layout, Arc<Forward>>>,
    /// The live documents, for the segment's latest few deletion states
    /// (a cursor's pinned state and the current one, in turn).
    alive: Mutex<Vec<(Option<Opstamp>, Arc<RoaringBitmap>)>>,
    /// The facet counts of large values' documents (see `superset`).
    tables: Tables,
    /// The documents in list orders, for sorted searches (see `sorted`).
    orders: Orders,
}

/// What was counted: per dimension, each value's number of matching
/// articles.
pub type DimensionCounts = HashMap<Dimension, Vec<(CountKey, u64)>>;

pub struct Bitmaps {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentBitmaps>>>,
    /// The fewest documents a value must hold for the facets of a set
    /// inside it to be counted from its kept counts (see `superset`).
    superset_min: u64,
    /// Large sets of documents a search's words match (see `words`).
    words: WordSets,
}

/// What the kept word sets may take: a common word's set is ~1.6 KB per
/// 12,500 articles (a bit each), and its facet counts ~10 KB per segment
/// and layout at a million articles (2,000 authors), so 8 MiB keep ~25–60
/// common words' sets at a million articles.
const WORD_SETS_BYTES: u64 = 8 << 20;

impl Default for Bitmaps {
    fn default() -> Self {
        // A set of fewer is read in a few microseconds.
        Bitmaps { segments: Mutex::default(), superset_min: 1024, words: WordSets::new(WORD_SETS_BYTES, 1024) }
    }
}

impl Bitmaps {
    /// Build what `searcher`'s segments lack and forget segments neither
    /// it nor any of `pinned` (older states cursors still read) has: the
    /// index calls this after each change, so that requests seldom build
    /// anything.
    pub fn warm(&self, searcher: &Searcher, pinned: &[Searcher]) -> tantivy::Result<()> {
        let current: HashSet<SegmentId> = std::iter::once(searcher)
            .chain(pinned)
            .flat_map(|s| s.segment_readers().iter().map(|r| r.segment_id()))
            .collect();
        self.segments.lock().expect("not poisoned").retain(|id, _| current.contains(id));
        self.words.keep_only(&current);
        for reader in searcher.segment_readers() {
            self.segment(reader)?.alive(reader);
        }
        Ok(())
    }

    /// The bitmaps of one segment, if built.
    fn built(&self, reader: &SegmentReader) -> Option<Arc<SegmentBitmaps>> {
        self.segments.lock().expect("not poisoned").get(&reader.segment_id()).cloned()
    }

    /// The bitmaps of one segment (built now if not yet; outside the lock,
    /// so that other segments' requests do not wait).
    fn segment(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentBitmaps>> {
        if let Some(built) = self.built(reader) {
            return Ok(built);
        }
        let built = Arc::new(SegmentBitmaps::build(reader)?);
        Ok(self.segments.lock().expect("not poisoned").entry(reader.segment_id()).or_insert(built).clone())
    }

    /// For each of `dims`, how many articles matching `text` (the weight of
    /// the words, if any) and `filter` carry each value. A dimension's own
    /// filter is left out of its counts (disjunctive faceting).
    pub fn facet_counts(
        &self,
        searcher: &Searcher,
        text: Option<Words<'_>>,
        filter: &ArticleFilter,
        dims: &[Dimension],
        budget: &Budget,
    ) -> Result<DimensionCounts, BitmapError> {
        let mut out: HashMap<Dimension, Tally> = dims.iter().map(|d| (*d, Tally::default())).collect();
        let source_only = filter.source_only;
        for reader in searcher.segment_readers() {
            let seg = self.segment(reader)?;
            let (base, word_set) = seg.base(reader, text, budget, &self.words)?;
            let mut count = || -> Result<(), BitmapError> {
                let mut shared: Option<Matching> = None;
                // A large value all the shared set's documents hold, if its
                // counts less those of its documents outside the set are
                // the cheaper way.
                let mut inside = None;
                // The dimensions counted by reading the values of each
                // document of the shared set (or of the superset's documents
                // outside it): read together, a row per document.
                let mut read_together: Vec<Dimension> = Vec::new();
                for dim in dims {
                    budget.check()?;
                    let counted = dim.counted(source_only);
                    let counts = out.get_mut(dim).expect("every dim");
                    if dim.filtered_in(filter) {
                        let own = Matching::new(seg.matching(reader, base.clone(), filter, Some(*dim))?);
                        match seg.superset(filter, Some(*dim), &own.set, self.superset_min, word_set.as_deref()) {
                            Some(superset) => seg.subtract_into(reader, &superset, &own, &mut [(counted, counts)])?,
                            None => seg.count_into(reader, counted, source_only, &own, counts)?,
                        }
                    } else {
                        if shared.is_none() {
                            let docs = Matching::new(seg.matching(reader, base.clone(), filter, None)?);
                            inside = seg.superset(filter, None, &docs.set, self.superset_min, word_set.as_deref());
                            shared = Some(docs);
                        }
                        let docs = shared.as_ref().expect("just set");
                        if inside.is_some() || seg.way(counted, &docs.set) == Way::Read {
                            if !read_together.contains(dim) {
                                read_together.push(*dim);
                            }
                        } else {
                            seg.count_into(reader, counted, source_only, docs, counts)?;
                        }
                    }
                }
                if let Some(shared) = shared.as_ref().filter(|_| !read_together.is_empty()) {
                    budget.check()?;
                    let mut wanted: Vec<(Counted, &mut Tally)> = out
                        .iter_mut()
                        .filter(|(dim, _)| read_together.contains(dim))
                        .map(|(dim, counts)| (dim.counted(source_only), counts))
                        .collect();
                    match &inside {
                        Some(superset) => seg.subtract_into(reader, superset, shared, &mut wanted)?,
                        None => seg.read_into(reader, source_only, shared, &mut wanted)?,
                    }
                }
                Ok(())
            };
            let counted = count();
            // Counts kept with the words' set weigh on the cache too (also
            // when the budget ran out after they were made).
            if let (Some(set), Some(words)) = (&word_set, text) {
                self.words.reweigh(reader.segment_id(), words.query, set);
            }
            counted?;
        }
        Ok(out.into_iter().map(|(dim, tally)| (dim, tally.into_counts())).collect())
    }

    /// How many articles matching `text` and `filter` carry each value of
    /// `field` (`"year"` or `"month"`).
    pub fn histogram(
        &self,
        searcher: &Searcher,
        text: Option<Words<'_>>,
        filter: &ArticleFilter,
        field: &'static str,
        budget: &Budget,
    ) -> Result<ValueCounts, BitmapError> {
        let mut out = Tally::default();
        for reader in searcher.segment_readers() {
            budget.check()?;
            let seg = self.segment(reader)?;
            let docs =
                Matching::new(seg.matching(reader, seg.base(reader, text, budget, &self.words)?.0, filter, None)?);
            seg.count_into(reader, Counted::Numeric(field), filter.source_only, &docs, &mut out)?;
        }
        Ok(out.into_counts().into_iter().collect())
    }

    /// How many articles match `filter` (no words); `None` when a segment's
    /// bitmaps are not built yet (a list's total is cheap work: it never
    /// builds them, and is then counted by the store).
    pub fn total(&self, searcher: &Searcher, filter: &ArticleFilter) -> tantivy::Result<Option<u64>> {
        let mut total = 0;
        for reader in searcher.segment_readers() {
            let Some(seg) = self.built(reader) else { return Ok(None) };
            let alive = RoaringBitmap::clone(&seg.alive(reader));
            total += seg.matching(reader, alive, filter, None)?.len();
        }
        Ok(Some(total))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BitmapError {
    #[error("bitmaps: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("{0}")]
    Exhausted(#[from] Exhausted),
}

impl SegmentBitmaps {
    fn build(reader: &SegmentReader) -> tantivy::Result<SegmentBitmaps> {
        let max_doc = reader.max_doc();
        let mut numeric = HashMap::new();
        for name in NUMERIC {
            let column = reader.fast_fields().u64(name)?;
            // One list of documents per value, filled in document order.
            let mut lists = HashMap::new();
            for doc in 0..max_doc {
                for value in column.values_for_doc(doc) {
                    push(&mut lists, value, doc);
                }
            }
            numeric.insert(name, bitmaps_of(lists.into_iter()));
        }
        let mut languages = BTreeMap::new();
        let mut language_tags = HashMap::new();
        if let Some(column) = reader.fast_fields().str("language")? {
            let mut lists = HashMap::new();
            for doc in 0..max_doc {
                for ord in column.term_ords(doc) {
                    push(&mut lists, ord, doc);
                }
            }
            for (ord, docs) in bitmaps_of(lists.into_iter()) {
                let mut tag = String::new();
                if column.ord_to_str(ord, &mut tag)? {
                    language_tags.insert(ord, tag.clone());
                    languages.insert(tag, docs);
                }
            }
        }
        let all = RoaringBitmap::from_sorted_iter(0..max_doc).expect("ascending");
        let mut sizes: HashMap<Counted, Sizes> =
            numeric.iter().map(|(name, values)| (Counted::Numeric(name), Sizes::of(values.values()))).collect();
        sizes.insert(Counted::Language, Sizes::of(languages.values()));
        Ok(SegmentBitmaps {
            max_doc,
            all,
            numeric,
            languages,
            language_tags,
            sizes,
            forward: Mutex::default(),
            alive: Mutex::default(),
            tables: Tables::default(),
            orders: Orders::default(),
        })
    }

    /// The segment's live documents (kept for the last `ALIVE_STATES`
    /// deletion states it was asked for, first in first out).
    fn alive(&self, reader: &SegmentReader) -> Arc<RoaringBitmap> {
        let stamp = reader.delete_opstamp();
        let mut kept = self.alive.lock().expect("not poisoned");
        if let Some((_, docs)) = kept.iter().find(|(s, _)| *s == stamp) {
            return docs.clone();
        }
        // Built document by document, never with `insert_range`: a range
        // becomes run containers, whose intersections are counted value by
        // value (80% of a facet request's time when they were).
        let docs = Arc::new(RoaringBitmap::from_sorted_iter(reader.doc_ids_alive()).expect("ascending"));
        if kept.len() >= ALIVE_STATES {
            kept.remove(0);
        }
        kept.push((stamp, docs.clone()));
        docs
    }

    /// The live documents the words match (all live ones without words):
    /// a large set is kept for the next search with the same words (see
    /// `words`).
    fn base(
        &self,
        reader: &SegmentReader,
        text: Option<Words<'_>>,
        budget: &Budget,
        kept: &WordSets,
    ) -> Result<(RoaringBitmap, Option<Arc<WordSet>>), BitmapError> {
        let alive = self.alive(reader);
        let Some(words) = text else { return Ok((RoaringBitmap::clone(&alive), None)) };
        let segment = reader.segment_id();
        let (mut matched, set) = match kept.get(segment, words.query) {
            Some(set) => (set.docs.clone(), Some(set)),
            None => {
                let mut matched = Collected::new(reader.max_doc());
                let mut meter = budget.meter(4096);
                words.weight.for_each_no_score(reader, &mut |docs| {
                    if meter.stop_after(docs.len() as u32) {
                        return;
                    }
                    matched.extend(docs);
                })?;
                // A set cut short by the budget is never kept.
                budget.check()?;
                match kept.offer(segment, words.query, matched.into_bitmap(), self.max_doc) {
                    Ok(set) => (set.docs.clone(), Some(set)),
                    Err(matched) => (matched, None),
                }
            }
        };
        matched &= &*alive;
        Ok((matched, set))
    }

    fn values(&self, name: &str) -> Option<&Values> {
        self.numeric.get(name)
    }

    /// `docs` restricted by `filter`, leaving out `except` (only the
    /// resource in the path stays applied for it), as `query::filter_clauses`
    /// does.
    fn matching(
        &self,
        reader: &SegmentReader,
        mut docs: RoaringBitmap,
        f: &ArticleFilter,
        except: Option<Dimension>,
    ) -> tantivy::Result<RoaringBitmap> {
        let ids = |set: &IdSet| -> [Vec<u64>; 3] {
            let conv = |v: &[i64]| v.iter().map(|x| *x as u64).collect::<Vec<_>>();
            [conv(&set.include), conv(&set.require), conv(&set.exclude)]
        };
        for (dim, set) in id_sets(f) {
            let Counted::Numeric(name) = dim.counted(f.source_only) else { continue };
            let [include, require, exclude] = ids(set);
            if except == Some(dim) {
                restrict(&mut docs, self.values(name), &[], &require, &[]);
            } else {
                restrict(&mut docs, self.values(name), &include, &require, &exclude);
            }
        }
        if except != Some(Dimension::Type) {
            let codes = |v: &[crate::domain::ArticleType]| v.iter().map(|t| type_code(*t)).collect::<Vec<_>>();
            if let Counted::Numeric(name) = Dimension::Type.counted(f.source_only) {
                let t = &f.types;
                restrict(&mut docs, self.values(name), &codes(&t.include), &codes(&t.require), &codes(&t.exclude));
            }
        }
        if except != Some(Dimension::Language) {
            let union = |tags: &[String]| {
                let mut out = RoaringBitmap::new();
                for tag in tags {
                    if let Some(b) = self.languages.get(tag) {
                        out |= b;
                    }
                }
                out
            };
            if !f.languages.include.is_empty() {
                docs &= union(&f.languages.include);
            }
            if !f.languages.exclude.is_empty() {
                docs -= union(&f.languages.exclude);
            }
        }
        if f.updated_from.is_some() || f.updated_until.is_some() {
            docs = within(reader, "updated", &docs, f.updated_from, f.updated_until)?;
        }
        if except != Some(Dimension::Year) && (f.published_from.is_some() || f.published_until.is_some()) {
            docs = self.published_within(reader, &docs, f.published_from, f.published_until)?;
        }
        Ok(docs)
    }

    /// Add how many of `docs` carry each value, the cheapest way for the
    /// sizes at hand: for a set covering most of the segment, each value's
    /// size less its documents outside the set (see `complement_into`);
    /// else the size of `docs`'
    /// intersection with each value's bitmap (work per value and per 65,536
    /// documents: best for a large set and few values), or reading the
    /// values of each document of `docs` from the arrays held in memory
    /// (work per matching document: best for a small set, or many values,
    /// such as authors, where intersecting each author's few documents with
    /// a large set costs as much as the set).
    fn count_into(
        &self,
        reader: &SegmentReader,
        counted: Counted,
        source_only: bool,
        docs: &Matching,
        out: &mut Tally,
    ) -> tantivy::Result<()> {
        let set = &docs.set;
        match self.way(counted, set) {
            Way::Complement => self.complement_into(reader, counted, source_only, set, out)?,
            Way::Intersect => self.intersect_into(counted, |_, with| set.intersection_len(with), out),
            Way::Read => self.read_into(reader, source_only, docs, &mut [(counted, out)])?,
        }
        Ok(())
    }

    /// Add each value's size less how many documents outside `set` (the
    /// segment's other documents, deleted ones included, as the bitmaps
    /// include them) carry it: counted the cheaper way over those few, by
    /// reading their values (a search for a common word matches nearly
    /// every article: intersecting each value's bitmap with the scattered
    /// rest was half of its facets' time at a million articles) or by
    /// intersecting.
    fn complement_into(
        &self,
        reader: &SegmentReader,
        counted: Counted,
        source_only: bool,
        set: &RoaringBitmap,
        out: &mut Tally,
    ) -> tantivy::Result<()> {
        let outside = Matching::new(&self.all - set);
        let sizes = self.sizes.get(&counted).copied().unwrap_or_default();
        if !read_is_cheaper(&outside.set, sizes, self.max_doc) {
            self.intersect_into(counted, |_, with| with.len() - with.intersection_len(&outside.set), out);
            return Ok(());
        }
        let mut held = Tally::default();
        self.read_into(reader, source_only, &outside, &mut [(counted, &mut held)])?;
        self.intersect_into(counted, |value, with| with.len() - held.get(value), out);
        Ok(())
    }

    /// The cheapest way to count `counted` over `set` (see `count_into`).
    fn way(&self, counted: Counted, set: &RoaringBitmap) -> Way {
        if set.len() * 2 > u64::from(self.max_doc) {
            // Most of the segment (every article, or all but a few): count
            // what each value holds, less its documents outside the set.
            return Way::Complement;
        }
        let sizes = self.sizes.get(&counted).copied().unwrap_or_default();
        if read_is_cheaper(set, sizes, self.max_doc) {
            Way::Read
        } else {
            Way::Intersect
        }
    }

    /// Add `count` of each value's documents.
    fn intersect_into(&self, counted: Counted, count: impl Fn(Value<'_>, &RoaringBitmap) -> u64, out: &mut Tally) {
        match counted {
            Counted::Numeric(name) => {
                for (value, with) in self.values(name).into_iter().flatten() {
                    out.add(*value, count(Value::Number(*value), with));
                }
            }
            Counted::Language => {
                for (tag, with) in &self.languages {
                    out.add_text(tag, count(Value::Text(tag), with));
                }
            }
        }
    }

    /// Count each value of each of `wanted`'s fields of each document of
    /// `docs`, from the values held in memory: fields counted together
    /// read each document's row once.
    fn read_into(
        &self,
        reader: &SegmentReader,
        source_only: bool,
        docs: &Matching,
        wanted: &mut [(Counted, &mut Tally)],
    ) -> tantivy::Result<()> {
        let layout = Layout::Facets { source_only };
        // One field alone (at a million articles, often authors only: the
        // other dimensions of a large set are counted on bitmaps) reads its
        // own narrow array: a row of every field would load five times the
        // bytes per document. So does a field outside the facets' rows
        // (months).
        if wanted.len() == 1 || !wanted.iter().all(|(counted, _)| layout.column(*counted).is_some()) {
            for (counted, out) in wanted.iter_mut() {
                let alone = Layout::Alone(*counted);
                let forward = self.forward(reader, alone)?;
                self.read_columns(&forward, alone, docs, &mut [(*counted, &mut **out)]);
            }
            return Ok(());
        }
        let forward = self.forward(reader, layout)?;
        self.read_columns(&forward, layout, docs, wanted);
        Ok(())
    }

    /// `read_into` for fields all in `layout`'s rows.
    fn read_columns(&self, forward: &Forward, layout: Layout, docs: &Matching, wanted: &mut [(Counted, &mut Tally)]) {
        let columns = self.columns(layout, wanted);
        let counts = forward.count(docs.list(), &docs.set, &columns);
        self.add_ordinal_counts(forward, &columns, &counts, wanted);
    }

    /// The columns of `wanted`'s fields in `layout`'s rows.
    fn columns(&self, layout: Layout, wanted: &[(Counted, &mut Tally)]) -> Vec<usize> {
        wanted.iter().map(|(counted, _)| layout.column(*counted).expect("a field of the layout")).collect()
    }

    /// Add counts by ordinal of `columns` (as `Forward::count` gives them)
    /// to `wanted`'s tallies, by value.
    fn add_ordinal_counts(
        &self,
        forward: &Forward,
        columns: &[usize],
        counts: &[Vec<u32>],
        wanted: &mut [(Counted, &mut Tally)],
    ) {
        for ((counted, out), (column, counts)) in wanted.iter_mut().zip(columns.iter().zip(counts)) {
            let counted_values = counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(o, n)| (forward.value(*column, o), u64::from(*n)));
            match counted {
                Counted::Numeric(_) => {
                    for (value, n) in counted_values {
                        out.add(value, n);
                    }
                }
                Counted::Language => {
                    for (ord, n) in counted_values {
                        if let Some(tag) = self.language_tags.get(&ord) {
                            out.add_text(tag, n);
                        }
                    }
                }
            }
        }
    }

    /// The rows of `layout`'s fields (built on first use).
    fn forward(&self, reader: &SegmentReader, layout: Layout) -> tantivy::Result<Arc<Forward>> {
        if let Some(built) = self.forward.lock().expect("not poisoned").get(&layout) {
            return Ok(built.clone());
        }
        enum Source {
            Numeric(Column<u64>),
            Language(Option<StrColumn>),
        }
        let fields = layout.fields();
        let sources = fields
            .iter()
            .map(|counted| {
                Ok(match counted {
                    Counted::Numeric(name) => Source::Numeric(reader.fast_fields().u64(name)?),
                    Counted::Language => Source::Language(reader.fast_fields().str("language")?),
                })
            })
            .collect::<tantivy::Result<Vec<Source>>>()?;
        let built =
            Arc::new(Forward::build(reader.max_doc(), fields.len(), |field, doc, into| match &sources[field] {
                Source::Numeric(column) => into.extend(column.values_for_doc(doc)),
                Source::Language(Some(column)) => into.extend(column.term_ords(doc)),
                Source::Language(None) => {}
            }));
        self.forward.lock().expect("not poisoned").insert(layout, built.clone());
        Ok(built)
    }
}

/// How a field is counted over a set of a segment's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Each value's size less its documents outside the set.
    Complement,
    /// The size of the set's intersection with each value's bitmap.
    Intersect,
    /// Reading the values of each document of the set.
    Read,
}

/// Which fields share rows of values in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Layout {
    /// Every facet dimension's counted field (as given, or the
    /// publishers' own classification).
    Facets { source_only: bool },
    /// One field in an array of its own: a facet dimension read alone,
    /// or a field outside the facets' rows (months, for histograms).
    Alone(Counted),
}

/// The facet dimensions, in the order of their columns.
const FACET_DIMENSIONS: [Dimension; 8] = [
    Dimension::Topic,
    Dimension::Region,
    Dimension::Author,
    Dimension::Publisher,
    Dimension::Series,
    Dimension::Type,
    Dimension::Language,
    Dimension::Year,
];

impl Layout {
    fn fields(self) -> Vec<Counted> {
        match self {
            Layout::Facets { source_only } => FACET_DIMENSIONS.iter().map(|d| d.counted(source_only)).collect(),
            Layout::Alone(counted) => vec![counted],
        }
    }

    /// The column of `counted` in the rows, if there.
    fn column(self, counted: Counted) -> Option<usize> {
        self.fields().iter().position(|c| *c == counted)
    }
}

/// Add `doc` to value `i`'s list (once, however often the document holds
/// the value). Lists are keyed by value, not indexed by it: ids can be large.
fn push(lists: &mut HashMap<u64, Vec<u32>>, i: u64, doc: u32) {
    let list = lists.entry(i).or_default();
    if list.last() != Some(&doc) {
        list.push(doc);
    }
}

/// A counted field's bitmaps, in the terms `read_is_cheaper` weighs.
#[derive(Debug, Clone, Copy, Default)]
struct Sizes {
    /// How many values (bitmaps).
    values: u64,
    /// How many documents they hold in all.
    held: u64,
    /// What intersecting them all with a dense set costs: a lookup per
    /// document of a list chunk, a pass over 1,024 words (~256 steps) for
    /// a bitset chunk.
    dense: u64,
}

impl Sizes {
    fn of<'a>(bitmaps: impl Iterator<Item = &'a RoaringBitmap>) -> Sizes {
        let mut sizes = Sizes::default();
        for bitmap in bitmaps {
            let s = bitmap.statistics();
            sizes.values += 1;
            sizes.held += s.cardinality;
            sizes.dense += u64::from(s.n_values_array_containers)
                + u64::from(s.n_values_run_containers)
                + 256 * u64::from(s.n_bitset_containers);
        }
        sizes
    }
}

/// Whether reading the values of each of `docs` costs less than
/// intersecting `docs` with each of the field's bitmaps (of `sizes`, in a
/// segment of `max_doc`). Rough costs, in steps: a chunk of 65,536
/// documents of a set is a list (up to 4,096 documents) or a bitset;
/// reading a document's values (a byte or two each, held in memory) is a
/// step or two.
fn read_is_cheaper(docs: &RoaringBitmap, sizes: Sizes, max_doc: u32) -> bool {
    let n = docs.len();
    if n == 0 {
        return true;
    }
    let shape = docs.statistics();
    let chunks = u64::from(shape.n_containers.max(1));
    let per_chunk = n / chunks;
    // Where every chunk of the set is a bitset, see `Sizes::dense`. A
    // chunk that is a list is walked for each value beside the value's own
    // list.
    let intersect = if shape.n_array_containers + shape.n_run_containers == 0 {
        sizes.dense
    } else {
        chunks * sizes.values * per_chunk + sizes.held
    };
    let per_document = 2 + sizes.held / u64::from(max_doc.max(1));
    let read = n * per_document;
    read < intersect
}

/// The filter's sets of ids, by dimension.
fn id_sets(f: &ArticleFilter) -> [(Dimension, &IdSet); 5] {
    [
        (Dimension::Topic, &f.topics),
        (Dimension::Region, &f.regions),
        (Dimension::Author, &f.authors),
        (Dimension::Publisher, &f.publishers),
        (Dimension::Series, &f.series),
    ]
}

fn bitmaps_of(lists: impl Iterator<Item = (u64, Vec<u32>)>) -> Values {
    lists
        .filter(|(_, docs)| !docs.is_empty())
        .map(|(value, docs)| (value, RoaringBitmap::from_sorted_iter(docs).expect("ascending")))
        .collect()
}

/// Any of `include`, all of `require`, none of `exclude` (a dimension the
/// segment has no values of matches nothing where a value is asked for).
fn restrict(docs: &mut RoaringBitmap, values: Option<&Values>, include: &[u64], require: &[u64], exclude: &[u64]) {
    let empty = Values::new();
    let values = values.unwrap_or(&empty);
    let union = |keys: &[u64]| {
        let mut out = RoaringBitmap::new();
        for key in keys {
            if let Some(b) = values.get(key) {
                out |= b;
            }
        }
        out
    };
    if !include.is_empty() {
        *docs &= union(include);
    }
    for key in require {
        match values.get(key) {
            Some(b) => *docs &= b,
            None => docs.clear(),
        }
    }
    if !exclude.is_empty() {
        *docs -= union(exclude);
    }
}

#[cfg(test)]
mod tests;
