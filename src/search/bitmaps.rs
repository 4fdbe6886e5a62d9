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

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDateTime, Timelike};
use roaring::{MultiOps, RoaringBitmap};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{Opstamp, Searcher, SegmentReader};

use super::collect::{CountKey, Counted, ValueCounts};
use super::documents::{month_index, type_code};
use super::forward::Forward;
use super::query::Dimension;
use crate::models::article_filter::{ArticleFilter, IdSet};
use crate::work::{Budget, Exhausted};

mod superset;

use superset::Tables;

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
    /// The live documents, for the segment's latest deletion state.
    alive: Mutex<Option<(Option<Opstamp>, Arc<RoaringBitmap>)>>,
    /// The facet counts of large values' documents (see `superset`).
    tables: Tables,
}

/// What was counted: per dimension, each value's number of matching
/// articles.
pub type DimensionCounts = HashMap<Dimension, Vec<(CountKey, u64)>>;

pub struct Bitmaps {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentBitmaps>>>,
    /// The fewest documents a value must hold for the facets of a set
    /// inside it to be counted from its kept counts (see `superset`).
    superset_min: u64,
}

impl Default for Bitmaps {
    fn default() -> Self {
        // A set of fewer is read in a few microseconds.
        Bitmaps { segments: Mutex::default(), superset_min: 1024 }
    }
}

impl Bitmaps {
    /// Build what `searcher`'s segments lack and forget segments it no
    /// longer has (merged away): the index calls this after each change,
    /// so that requests seldom build anything.
    pub fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let current: HashSet<SegmentId> = searcher.segment_readers().iter().map(|r| r.segment_id()).collect();
        self.segments.lock().expect("not poisoned").retain(|id, _| current.contains(id));
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
        text: Option<&dyn Weight>,
        filter: &ArticleFilter,
        dims: &[Dimension],
        budget: &Budget,
    ) -> Result<DimensionCounts, BitmapError> {
        let mut out: HashMap<Dimension, Tally> = dims.iter().map(|d| (*d, Tally::default())).collect();
        let source_only = filter.source_only;
        for reader in searcher.segment_readers() {
            let seg = self.segment(reader)?;
            let base = seg.base(reader, text, budget)?;
            let mut shared: Option<Matching> = None;
            // A large value all the shared set's documents hold, if its
            // counts less those of its documents outside the set are
            // the cheaper way.
            let mut within = None;
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
                    match seg.superset(filter, Some(*dim), &own.set, self.superset_min) {
                        Some(superset) => seg.subtract_into(reader, &superset, &own, &mut [(counted, counts)])?,
                        None => seg.count_into(reader, counted, source_only, &own, counts)?,
                    }
                } else {
                    if shared.is_none() {
                        let docs = Matching::new(seg.matching(reader, base.clone(), filter, None)?);
                        within = seg.superset(filter, None, &docs.set, self.superset_min);
                        shared = Some(docs);
                    }
                    let docs = shared.as_ref().expect("just set");
                    if within.is_some() || seg.way(counted, &docs.set) == Way::Read {
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
                match &within {
                    Some(superset) => seg.subtract_into(reader, superset, shared, &mut wanted)?,
                    None => seg.read_into(reader, source_only, shared, &mut wanted)?,
                }
            }
        }
        Ok(out.into_iter().map(|(dim, tally)| (dim, tally.into_counts())).collect())
    }

    /// How many articles matching `text` and `filter` carry each value of
    /// `field` (`"year"` or `"month"`).
    pub fn histogram(
        &self,
        searcher: &Searcher,
        text: Option<&dyn Weight>,
        filter: &ArticleFilter,
        field: &'static str,
        budget: &Budget,
    ) -> Result<ValueCounts, BitmapError> {
        let mut out = Tally::default();
        for reader in searcher.segment_readers() {
            budget.check()?;
            let seg = self.segment(reader)?;
            let docs = Matching::new(seg.matching(reader, seg.base(reader, text, budget)?, filter, None)?);
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
            alive: Mutex::new(None),
            tables: Tables::default(),
        })
    }

    /// The segment's live documents (kept until its deletions change).
    fn alive(&self, reader: &SegmentReader) -> Arc<RoaringBitmap> {
        let stamp = reader.delete_opstamp();
        let mut kept = self.alive.lock().expect("not poisoned");
        if let Some((s, docs)) = kept.as_ref() {
            if *s == stamp {
                return docs.clone();
            }
        }
        // Built document by document, never with `insert_range`: a range
        // becomes run containers, whose intersections are counted value by
        // value (80% of a facet request's time when they were).
        let docs = Arc::new(RoaringBitmap::from_sorted_iter(reader.doc_ids_alive()).expect("ascending"));
        *kept = Some((stamp, docs.clone()));
        docs
    }

    /// The live documents the words match (all live ones without words).
    fn base(
        &self,
        reader: &SegmentReader,
        text: Option<&dyn Weight>,
        budget: &Budget,
    ) -> Result<RoaringBitmap, BitmapError> {
        let alive = self.alive(reader);
        let Some(weight) = text else { return Ok(RoaringBitmap::clone(&alive)) };
        let mut matched = Collected::new(reader.max_doc());
        let mut meter = budget.meter(4096);
        weight.for_each_no_score(reader, &mut |docs| {
            if meter.stop_after(docs.len() as u32) {
                return;
            }
            matched.extend(docs);
        })?;
        budget.check()?;
        let mut matched = matched.into_bitmap();
        matched &= &*alive;
        Ok(matched)
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

    /// `docs` published in `[from, until)`: months wholly inside the range
    /// from their bitmaps (a year wholly inside from the year's), the
    /// documents of the months the range cuts (and of year 0 and before,
    /// which share months) read one by one.
    fn published_within(
        &self,
        reader: &SegmentReader,
        docs: &RoaringBitmap,
        from: Option<NaiveDateTime>,
        until: Option<NaiveDateTime>,
    ) -> tantivy::Result<RoaringBitmap> {
        let (Some(months), Some(years)) = (self.values("month"), self.values("year")) else {
            return within(reader, "published", docs, from, until);
        };
        let range = MonthRange { from, until };
        let mut inside: Vec<&RoaringBitmap> = Vec::new();
        let mut edges = RoaringBitmap::new();
        for (month, in_month) in months {
            // Months of year 0 also hold the years before it (month_index
            // clamps them), so they are never skipped, only read.
            if *month < 12 {
                edges |= in_month;
                continue;
            }
            match range.holds(*month) {
                Some(false) => {}
                None => edges |= in_month,
                Some(true) => {
                    let year = *month / 12;
                    let whole_year = range.holds(year * 12) == Some(true) && range.holds(year * 12 + 11) == Some(true);
                    match years.get(&year).filter(|_| whole_year) {
                        // The whole year is inside: its bitmap, once.
                        Some(in_year) => {
                            if !inside.last().is_some_and(|last| std::ptr::eq(*last, in_year)) {
                                inside.push(in_year);
                            }
                        }
                        None => inside.push(in_month),
                    }
                }
            }
        }
        let mut inside = inside.into_iter().union();
        inside &= docs;
        edges &= docs;
        inside |= within(reader, "published", &edges, from, until)?;
        Ok(inside)
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

/// Matching articles per value, while counting segment by segment:
/// numbers within a window of `DENSE` values (ids, type codes, years,
/// months) by value in a vector, others in a map. Every segment adds up to
/// thousands of authors; a vector takes each as an addition where a map
/// took a hash and a lookup (a tenth of a facet request, with its growth).
#[derive(Default)]
struct Tally {
    /// The value `dense[0]` counts.
    low: u64,
    dense: Vec<u64>,
    sparse: ValueCounts,
}

/// The widest window of numbers counted by value in a vector.
const DENSE: u64 = 1 << 15;

impl Tally {
    fn add(&mut self, value: u64, n: u64) {
        if n == 0 {
            return;
        }
        if self.dense.is_empty() {
            self.low = value;
        }
        if value < self.low && self.low - value + self.dense.len() as u64 <= DENSE {
            // Widened downwards (a later segment's smaller values): once.
            let mut wider = vec![0; (self.low - value) as usize];
            wider.extend_from_slice(&self.dense);
            self.dense = wider;
            self.low = value;
        }
        match value.checked_sub(self.low).filter(|at| *at < DENSE) {
            Some(at) => {
                let at = at as usize;
                if self.dense.len() <= at {
                    self.dense.resize(at + 1, 0);
                }
                self.dense[at] += n;
            }
            None => *self.sparse.entry(CountKey::Number(value)).or_default() += n,
        }
    }

    /// What has been counted for `value`.
    fn get(&self, value: Value<'_>) -> u64 {
        match value {
            Value::Number(v) => match v.checked_sub(self.low).filter(|at| *at < DENSE) {
                Some(at) if !self.dense.is_empty() => self.dense.get(at as usize).copied().unwrap_or(0),
                _ => self.sparse.get(&CountKey::Number(v)).copied().unwrap_or(0),
            },
            Value::Text(tag) => self.sparse.get(&CountKey::Text(tag.to_owned())).copied().unwrap_or(0),
        }
    }

    fn add_text(&mut self, tag: &str, n: u64) {
        if n > 0 {
            *self.sparse.entry(CountKey::Text(tag.to_owned())).or_default() += n;
        }
    }

    /// Each counted value once, with its count, in no particular order (a
    /// value is counted either in the window or in the map, never both).
    fn into_counts(self) -> Vec<(CountKey, u64)> {
        let low = self.low;
        let dense = self.dense.into_iter().enumerate().filter(|(_, n)| *n > 0);
        let mut counts: Vec<(CountKey, u64)> = dense.map(|(at, n)| (CountKey::Number(low + at as u64), n)).collect();
        counts.extend(self.sparse);
        counts
    }
}

/// A counted value: a number, or a language tag.
#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    Number(u64),
    Text(&'a str),
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

/// The documents a query matches in a segment, as they come (in ascending
/// order): a list while few, a bitset once more than one in 64 of the
/// segment's documents. A common word matches nearly every article, and
/// adding each to a roaring bitmap was half of its facets' time.
struct Collected {
    max_doc: u32,
    list: Vec<u32>,
    /// A bit per document (least significant first), once dense.
    bits: Vec<u8>,
}

impl Collected {
    fn new(max_doc: u32) -> Collected {
        Collected { max_doc, list: Vec::new(), bits: Vec::new() }
    }

    fn set(bits: &mut [u8], doc: u32) {
        bits[(doc / 8) as usize] |= 1 << (doc % 8);
    }

    fn extend(&mut self, docs: &[u32]) {
        if self.bits.is_empty() {
            self.list.extend_from_slice(docs);
            if self.list.len() as u64 * 64 > u64::from(self.max_doc) {
                self.bits = vec![0; self.max_doc.div_ceil(8) as usize];
                for doc in self.list.drain(..) {
                    Collected::set(&mut self.bits, doc);
                }
            }
        } else {
            for doc in docs {
                Collected::set(&mut self.bits, *doc);
            }
        }
    }

    fn into_bitmap(self) -> RoaringBitmap {
        if self.bits.is_empty() {
            let mut bitmap = RoaringBitmap::new();
            // Ascending, so every document is taken.
            let _ = bitmap.append(self.list);
            bitmap
        } else {
            RoaringBitmap::from_lsb0_bytes(0, &self.bits)
        }
    }
}

/// A set of matching documents of a segment, and (when first needed) the
/// same as a list: several dimensions may read the values of each.
struct Matching {
    set: RoaringBitmap,
    list: OnceCell<Vec<u32>>,
}

impl Matching {
    fn new(set: RoaringBitmap) -> Matching {
        Matching { set, list: OnceCell::new() }
    }

    fn list(&self) -> &[u32] {
        self.list.get_or_init(|| self.set.iter().collect())
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

/// A published range, `[from, until)`, seen month by month (months
/// numbered by `month_index`, from year 1 on).
struct MonthRange {
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
}

impl MonthRange {
    /// Whether month `m` is wholly inside the range (`Some(true)`), wholly
    /// outside it (`Some(false)`), or cut by it (`None`).
    fn holds(&self, m: u64) -> Option<bool> {
        // Month m runs from the start of m to the start of m + 1.
        let starts_month =
            |t: &NaiveDateTime| t.day() == 1 && t.num_seconds_from_midnight() == 0 && t.nanosecond() == 0;
        let at = |t: &NaiveDateTime| month_index(*t);
        let before_from = self.from.as_ref().is_some_and(|f| m < at(f));
        let from_until = self.until.as_ref().is_some_and(|u| m > at(u) || (m == at(u) && starts_month(u)));
        if before_from || from_until {
            return Some(false);
        }
        let after_from = self.from.as_ref().is_none_or(|f| m > at(f) || (m == at(f) && starts_month(f)));
        let ends_before_until = self.until.as_ref().is_none_or(|u| m < at(u));
        (after_from && ends_before_until).then_some(true)
    }
}

/// The documents of `docs` whose `field` (Unix seconds) is in `[from, until)`.
fn within(
    reader: &SegmentReader,
    field: &str,
    docs: &RoaringBitmap,
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
) -> tantivy::Result<RoaringBitmap> {
    let column = reader.fast_fields().i64(field)?;
    let lo = from.map_or(i64::MIN, |t| t.and_utc().timestamp());
    let hi = until.map_or(i64::MAX, |t| t.and_utc().timestamp());
    Ok(RoaringBitmap::from_sorted_iter(
        docs.iter().filter(|doc| column.values_for_doc(*doc).any(|v| lo <= v && (until.is_none() || v < hi))),
    )
    .expect("ascending"))
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate, NaiveDateTime};
    use rand::{Rng, SeedableRng};
    use tantivy::collector::Count;
    use tantivy::query::{Occur, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;
    use crate::domain::ArticleType;
    use crate::models::article_filter::ValueSet;
    use crate::search::query::{combine, filter_clauses};
    use crate::search::schema::{self, Fields};

    const DIMS: [Dimension; 8] = FACET_DIMENSIONS;

    /// Mostly 2018–2023; some in years -1 and 0, which share year 0's
    /// months in the index.
    fn time(rng: &mut impl Rng) -> NaiveDateTime {
        let first =
            if rng.random_bool(0.05) { NaiveDate::from_ymd_opt(-1, 1, 1) } else { NaiveDate::from_ymd_opt(2018, 1, 1) };
        let day = first.unwrap()
            + chrono::Duration::days(rng.random_range(0..2200).min(if first.unwrap().year() < 0 { 700 } else { 2200 }));
        if rng.random_bool(0.1) {
            // The first instant of a month: on the edge of month ranges.
            return day.with_day(1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        }
        day.and_hms_opt(rng.random_range(0..24), 0, 0).unwrap()
    }

    /// An index in three segments, some documents deleted.
    fn index(rng: &mut impl Rng) -> (Index, Fields) {
        let (index, fields, mut writer) = schema::in_ram();
        for id in 0..1_500u64 {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id);
            for _ in 0..rng.random_range(0..4) {
                doc.add_u64(fields.topic, rng.random_range(1..8));
            }
            let topic_stated: u64 = rng.random_range(1..8);
            doc.add_u64(fields.topic_source, topic_stated);
            for _ in 0..rng.random_range(0..3) {
                doc.add_u64(fields.region, rng.random_range(1..6));
            }
            // Now and then an id far above the rest (ids are not small
            // numbers by promise).
            let author = if rng.random_bool(0.02) { 3_000_000 } else { rng.random_range(1..20) };
            doc.add_u64(fields.author, author);
            doc.add_u64(fields.publisher, rng.random_range(1..4));
            if rng.random_bool(0.5) {
                doc.add_u64(fields.series, rng.random_range(1..4));
            }
            let t = ArticleType::ALL[rng.random_range(0..ArticleType::ALL.len())];
            doc.add_u64(fields.article_type, type_code(t));
            if rng.random_bool(0.5) {
                doc.add_u64(fields.type_source, type_code(t));
            }
            doc.add_text(fields.language, ["en", "zh", "ja"][rng.random_range(0..3)]);
            let published = time(rng);
            doc.add_i64(fields.published, published.and_utc().timestamp());
            doc.add_i64(fields.updated, time(rng).and_utc().timestamp());
            doc.add_u64(fields.year, published.year().max(0) as u64);
            doc.add_u64(fields.month, month_index(published));
            doc.add_text(fields.body, if rng.random_bool(0.3) { "security policy" } else { "trade" });
            writer.add_document(doc).unwrap();
            if id % 500 == 499 {
                writer.commit().unwrap();
            }
        }
        for id in (0..1_500u64).step_by(7) {
            writer.delete_term(Term::from_field_u64(fields.id, id));
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn some<T: Clone>(rng: &mut impl Rng, pool: &[T], most: usize) -> Vec<T> {
        (0..rng.random_range(0..=most)).map(|_| pool[rng.random_range(0..pool.len())].clone()).collect()
    }

    fn ids(rng: &mut impl Rng, upto: i64) -> IdSet {
        let pool: Vec<i64> = (1..upto).collect();
        ValueSet {
            include: some(rng, &pool, 2),
            require: if rng.random_bool(0.2) { some(rng, &pool, 1) } else { vec![] },
            exclude: if rng.random_bool(0.3) { some(rng, &pool, 1) } else { vec![] },
        }
    }

    fn filter(rng: &mut impl Rng) -> ArticleFilter {
        let mut f = ArticleFilter::default();
        let pick = |rng: &mut dyn rand::RngCore| rng.random_bool(0.35);
        if pick(rng) {
            f.topics = ids(rng, 8);
        }
        if pick(rng) {
            f.regions = ids(rng, 6);
        }
        if pick(rng) {
            f.authors = ids(rng, 20);
        }
        if pick(rng) {
            f.publishers = ids(rng, 4);
        }
        if pick(rng) {
            f.series = ids(rng, 4);
        }
        if pick(rng) {
            f.types.include = some(rng, ArticleType::ALL, 2);
        }
        if pick(rng) {
            let tags = ["en".to_owned(), "zh".to_owned(), "ja".to_owned()];
            f.languages.include = some(rng, &tags, 2);
            f.languages.exclude = some(rng, &tags, 1);
        }
        if pick(rng) {
            f.published_from = Some(time(rng));
        }
        if pick(rng) {
            f.published_until = Some(time(rng));
        }
        if rng.random_bool(0.15) {
            f.updated_from = Some(time(rng));
        }
        f.source_only = rng.random_bool(0.2);
        f
    }

    /// One value asked for (the filter of a topic's page and the like),
    /// now and then with a little more: an exclusion, or a word.
    fn lone(rng: &mut impl Rng) -> ArticleFilter {
        let mut f = ArticleFilter { source_only: rng.random_bool(0.3), ..Default::default() };
        let one = |rng: &mut dyn rand::RngCore, upto: i64| ValueSet {
            include: vec![rng.random_range(1..upto)],
            ..Default::default()
        };
        match rng.random_range(0..6) {
            0 => f.topics = one(rng, 8),
            1 => f.regions = one(rng, 6),
            2 => f.publishers = one(rng, 4),
            3 => f.types.require = vec![ArticleType::ALL[rng.random_range(0..ArticleType::ALL.len())]],
            4 => f.languages.include = vec![["en", "zh", "ja"][rng.random_range(0..3)].to_owned()],
            _ => f.authors.require = vec![rng.random_range(1..20)],
        }
        if rng.random_bool(0.3) {
            f.series.exclude = vec![rng.random_range(1..4)];
        }
        f
    }

    fn count(searcher: &Searcher, query: Box<dyn Query>) -> u64 {
        searcher.search(&*query, &Count).unwrap() as u64
    }

    /// Documents collected as a list or, once dense, as bits give the
    /// same bitmap.
    #[test]
    fn collected_documents_are_the_documents() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for (max_doc, density) in
            [(10u32, 0.5), (1_000, 0.001), (1_000, 0.9), (200_000, 0.01), (200_000, 0.97), (70_000, 0.02)]
        {
            let docs: Vec<u32> = (0..max_doc).filter(|_| rng.random_bool(density)).collect();
            let mut collected = Collected::new(max_doc);
            for chunk in docs.chunks(rng.random_range(1..200)) {
                collected.extend(chunk);
            }
            let dense = !collected.bits.is_empty();
            assert_eq!(dense, docs.len() as u64 * 64 > u64::from(max_doc), "{max_doc} {density}");
            assert_eq!(collected.into_bitmap(), docs.iter().copied().collect::<RoaringBitmap>(), "{max_doc} {density}");
        }
    }

    /// A tally counts (and reads back) what a map would, for values near
    /// and far apart, rising and falling.
    #[test]
    fn tallies_equal_a_maps_counts() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for spread in [10u64, 3_000, 40_000, 1 << 40] {
            let mut tally = Tally::default();
            let mut expected = ValueCounts::default();
            for _ in 0..5_000 {
                let value = rng.random_range(0..spread) + if rng.random_bool(0.1) { 1 << 20 } else { 5_000 };
                let n = rng.random_range(0..3);
                tally.add(value, n);
                if n > 0 {
                    *expected.entry(CountKey::Number(value)).or_default() += n;
                }
            }
            tally.add_text("en", 2);
            tally.add_text("en", 1);
            expected.insert(CountKey::Text("en".into()), 3);
            // What it holds for a value, counted or not.
            for probe in (0..2_000).map(|_| rng.random_range(0..spread) + [0, 5_000, 1 << 20][rng.random_range(0..3)]) {
                let want = expected.get(&CountKey::Number(probe)).copied().unwrap_or(0);
                assert_eq!(tally.get(Value::Number(probe)), want, "{probe}, spread {spread}");
            }
            assert_eq!((tally.get(Value::Text("en")), tally.get(Value::Text("ja"))), (3, 0));
            let counts = tally.into_counts();
            let got: ValueCounts = counts.iter().cloned().collect();
            assert_eq!(got.len(), counts.len(), "each value once, spread {spread}");
            assert_eq!(got, expected, "spread {spread}");
        }
    }

    #[test]
    fn months_are_inside_outside_or_cut() {
        let at = |y, m, d, h| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let month = |y: u64, m: u64| y * 12 + m - 1;
        let year_2019 = MonthRange { from: Some(at(2019, 1, 1, 0)), until: Some(at(2020, 1, 1, 0)) };
        assert_eq!(year_2019.holds(month(2019, 1)), Some(true));
        assert_eq!(year_2019.holds(month(2019, 12)), Some(true));
        assert_eq!(year_2019.holds(month(2018, 12)), Some(false));
        assert_eq!(year_2019.holds(month(2020, 1)), Some(false));
        let cut = MonthRange { from: Some(at(2019, 1, 1, 1)), until: Some(at(2019, 12, 31, 0)) };
        assert_eq!(cut.holds(month(2019, 1)), None);
        assert_eq!(cut.holds(month(2019, 2)), Some(true));
        assert_eq!(cut.holds(month(2019, 12)), None);
        assert_eq!(cut.holds(month(2020, 1)), Some(false));
        let open = MonthRange { from: None, until: None };
        assert_eq!(open.holds(month(1, 1)), Some(true));
    }

    /// The bitmaps' totals and facet counts equal what the same filter as
    /// a query counts, for random filters over segments with deletions.
    #[test]
    fn counts_equal_the_filter_queries_counts() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (index, fields) = index(&mut rng);
        let bitmaps = Bitmaps::default();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(bitmaps.total(&searcher, &ArticleFilter::default()).unwrap(), None, "totals never build");
        check_counts(&bitmaps, &index, &fields, &mut rng);
    }

    /// The same, where every value of 20 documents or more keeps its
    /// counts, so that sets inside one value are counted by subtraction
    /// (the second request for a value uses what the first kept), and
    /// again once more documents of the same segments are deleted.
    #[test]
    fn counts_from_a_values_kept_counts_equal_the_filter_queries_counts() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (index, fields) = index(&mut rng);
        let bitmaps = Bitmaps { superset_min: 20, ..Default::default() };
        check_counts(&bitmaps, &index, &fields, &mut rng);
        let kept = || -> (Vec<SegmentId>, usize) {
            let segments = bitmaps.segments.lock().unwrap();
            let mut ids: Vec<SegmentId> = segments.keys().copied().collect();
            ids.sort();
            (ids, segments.values().map(|seg| seg.tables.len()).sum())
        };
        let (segments, tables) = kept();
        assert!(tables >= 20, "counted by subtraction: {tables} values' counts kept");
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for id in (0..1_500u64).step_by(5) {
            writer.delete_term(Term::from_field_u64(fields.id, id));
        }
        writer.commit().unwrap();
        check_counts(&bitmaps, &index, &fields, &mut rng);
        let (after, more) = kept();
        assert_eq!(after, segments, "deletions keep the segments (and their kept counts)");
        assert!(more > tables, "kept counts used and added to after deletions: {tables} then {more}");
    }

    fn check_counts(bitmaps: &Bitmaps, index: &Index, fields: &Fields, rng: &mut rand_chacha::ChaCha8Rng) {
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        bitmaps.warm(&searcher).unwrap();
        // Bounds in years -1 and 0, whose months the index shares.
        type Month = Option<(i32, u32)>;
        let bounds: [(Month, Month); 4] = [
            (Some((-1, 6)), None),
            (None, Some((-1, 9))),
            (Some((0, 3)), Some((0, 8))),
            (Some((-1, 11)), Some((0, 2))),
        ];
        for (from, until) in bounds {
            let at = |(y, m): (i32, u32)| NaiveDate::from_ymd_opt(y, m, 15).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let f =
                ArticleFilter { published_from: from.map(at), published_until: until.map(at), ..Default::default() };
            let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
            assert!(expected > 0 || until.is_some(), "{f:?} matches something");
            assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
        }
        // Bounds on the first instant of a month: whole months and whole
        // years inside, a month just outside.
        type Day = Option<(i32, u32, u32)>;
        let month_bounds: [(Day, Day); 7] = [
            (Some((2019, 1, 1)), Some((2020, 1, 1))),
            (Some((2018, 3, 1)), Some((2021, 1, 1))),
            (Some((2019, 1, 1)), Some((2019, 2, 1))),
            (Some((2019, 6, 1)), None),
            (None, Some((2020, 1, 1))),
            (Some((2019, 1, 1)), Some((2019, 12, 31))),
            (Some((2018, 12, 31)), Some((2020, 1, 2))),
        ];
        for (from, until) in month_bounds {
            let at =
                |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let f =
                ArticleFilter { published_from: from.map(at), published_until: until.map(at), ..Default::default() };
            let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
            assert!(expected > 0, "{f:?} matches something");
            assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
        }
        let budget = Budget::unlimited();
        let words = TermQuery::new(Term::from_field_text(fields.body, "secur"), IndexRecordOption::Basic);
        let weight = words.weight(tantivy::query::EnableScoring::disabled_from_searcher(&searcher)).unwrap();
        for round in 0..200 {
            let f = if round % 4 == 1 { lone(rng) } else { filter(rng) };
            let with_words = round % 3 == 0;
            let text = with_words.then_some(&*weight);
            let scored = || -> Option<Box<dyn Query>> { with_words.then(|| Box::new(words.clone()) as Box<dyn Query>) };
            if !with_words {
                let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
                assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
            }
            let counts = bitmaps.facet_counts(&searcher, text, &f, &DIMS, &budget).unwrap();
            for dim in DIMS {
                let except = dim.filtered_in(&f).then_some(dim);
                for (key, n) in &counts[&dim] {
                    let value: Box<dyn Query> = match (dim.counted(f.source_only), key) {
                        (Counted::Numeric(name), CountKey::Number(v)) => {
                            let field = index.schema().get_field(name).unwrap();
                            Box::new(TermQuery::new(Term::from_field_u64(field, *v), IndexRecordOption::Basic))
                        }
                        (Counted::Language, CountKey::Text(tag)) => Box::new(TermQuery::new(
                            Term::from_field_text(fields.language, tag),
                            IndexRecordOption::Basic,
                        )),
                        other => panic!("{other:?}"),
                    };
                    let mut clauses = filter_clauses(fields, &f, except);
                    clauses.push((Occur::Must, value));
                    let expected = count(&searcher, combine(scored(), clauses));
                    assert_eq!(*n, expected, "{dim:?} {key:?} in {f:?} (words: {with_words})");
                }
                // And no value is left out: where every article has exactly
                // one value, the counts add up to the matches.
                let all = count(&searcher, combine(scored(), filter_clauses(fields, &f, except)));
                let one_each = matches!(dim, Dimension::Publisher | Dimension::Language | Dimension::Year)
                    || (dim == Dimension::Type && !f.source_only);
                if one_each {
                    assert_eq!(counts[&dim].iter().map(|(_, n)| n).sum::<u64>(), all, "{dim:?} in {f:?}");
                }
            }
        }
    }
}
