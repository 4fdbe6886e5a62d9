//! Full-text search, facets and histograms over a tantivy index derived
//! from SQLite (see `index` for how it follows the change log).

pub mod bitmaps;
pub mod budgeted;
pub mod collect;
pub mod documents;
pub mod follower;
mod forward;
pub mod grammar;
pub mod highlight;
pub mod index;
mod leftovers;
pub mod query;
pub mod schema;
mod stemmer;
pub mod tokenizer;
mod word_fields;

use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::Searcher;

pub use collect::{CountKey, HitKey, HitOrder, KeyValue, ValueCounts};
pub use grammar::{GrammarError, TextQuery};
pub use index::{default_dir, IndexError, SearchIndex, WriterOptions};
pub use query::{Dimension, Purpose};

use crate::models::article_filter::ArticleFilter;
use crate::work::{Budget, Exhausted};
use bitmaps::{BitmapError, DimensionCounts};
use collect::{Counted, TopHits};

/// One search: the words (if any), the filter, the order, the window and
/// the budget it must finish within.
pub struct SearchRequest<'a> {
    pub text: Option<&'a TextQuery>,
    pub filter: &'a ArticleFilter,
    pub order: HitOrder,
    pub after: Option<HitKey>,
    pub offset: usize,
    pub limit: usize,
    pub budget: &'a Budget,
}

pub struct SearchResult {
    pub hits: Vec<HitKey>,
    pub total: u64,
}

impl Dimension {
    /// The field counted for this dimension: for topics, regions, authors
    /// and types with `source_only`, only the values the source stated.
    pub(crate) fn counted(self, source_only: bool) -> Counted {
        match (self, source_only) {
            (Dimension::Topic, false) => Counted::Numeric("topic"),
            (Dimension::Topic, true) => Counted::Numeric("topic_source"),
            (Dimension::Region, false) => Counted::Numeric("region"),
            (Dimension::Region, true) => Counted::Numeric("region_source"),
            (Dimension::Author, false) => Counted::Numeric("author"),
            (Dimension::Author, true) => Counted::Numeric("author_source"),
            (Dimension::Type, false) => Counted::Numeric("type"),
            (Dimension::Type, true) => Counted::Numeric("type_source"),
            (Dimension::Publisher, _) => Counted::Numeric("publisher"),
            (Dimension::Series, _) => Counted::Numeric("series"),
            (Dimension::Language, _) => Counted::Language,
            (Dimension::Year, _) => Counted::Numeric("year"),
        }
    }

    /// Whether `filter` restricts this dimension by query parameters (the
    /// resource in a path stays applied, see `query::filter_clauses`).
    pub(crate) fn filtered_in(self, f: &ArticleFilter) -> bool {
        let chosen = |include: bool, exclude: bool| include || exclude;
        match self {
            Dimension::Topic => chosen(!f.topics.include.is_empty(), !f.topics.exclude.is_empty()),
            Dimension::Region => chosen(!f.regions.include.is_empty(), !f.regions.exclude.is_empty()),
            Dimension::Author => chosen(!f.authors.include.is_empty(), !f.authors.exclude.is_empty()),
            Dimension::Publisher => !f.publishers.is_empty(),
            Dimension::Series => !f.series.is_empty(),
            Dimension::Type => !f.types.is_empty(),
            Dimension::Language => !f.languages.is_empty(),
            Dimension::Year => f.published_from.is_some() || f.published_until.is_some(),
        }
    }
}

impl SearchIndex {
    /// The scored part of a search, analysed like the indexed text, for
    /// matching (its phrases stop when the budget runs out) or for naming
    /// the words to highlight.
    pub fn text_query(&self, text: &TextQuery, purpose: Purpose<'_>) -> Result<Box<dyn Query>, GrammarError> {
        let mut analyzer =
            self.index().tokenizers().get(tokenizer::STEMMED).ok_or_else(|| GrammarError("no analyzer".into()))?;
        query::text_query(&self.fields, &mut analyzer, text, purpose)
    }

    /// The words (built for `purpose`) restricted by the filter.
    fn full_query(
        &self,
        text: Option<&TextQuery>,
        filter: &ArticleFilter,
        purpose: Purpose<'_>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let scored = text.map(|t| self.text_query(t, purpose)).transpose()?;
        Ok(query::combine(scored, query::filter_clauses(&self.fields, filter, None)))
    }

    /// The hits in the window, and how many match in all. The total is
    /// counted by the selecting form of the query (a word is one posting
    /// list; alone and with nothing deleted, its document frequency).
    /// A search in a list order (not by relevance) is served from the
    /// bitmaps (see `bitmaps::sorted`).
    pub fn search(&self, searcher: &Searcher, req: &SearchRequest<'_>) -> Result<SearchResult, SearchError> {
        if req.order != HitOrder::Relevance {
            let weight = self.text_weight(searcher, req.text, req.budget)?;
            let keep = req.offset.saturating_add(req.limit);
            let after = req.after.as_ref();
            if let Some((mut hits, total)) = self.bitmaps.sorted_hits(
                searcher,
                words(req.text, weight.as_deref()),
                req.filter,
                req.order,
                after,
                keep,
                req.budget,
            )? {
                hits.drain(..req.offset.min(hits.len()));
                return Ok(SearchResult { hits, total });
            }
        }
        let total = self.full_query(req.text, req.filter, Purpose::Select(req.budget))?.count(searcher)? as u64;
        req.budget.check()?;
        let query = self.full_query(req.text, req.filter, Purpose::Match(req.budget))?;
        let keep = (req.offset + req.limit).min(total as usize);
        if keep <= req.offset {
            return Ok(SearchResult { hits: Vec::new(), total });
        }
        let collector = TopHits::new(req.order, req.after.clone(), keep, req.budget.clone());
        let mut hits = searcher.search(&*query, &collector)?;
        req.budget.check()?;
        hits.drain(..req.offset.min(hits.len()));
        Ok(SearchResult { hits, total })
    }

    /// The words' weight, for reading which documents they match.
    fn text_weight(
        &self,
        searcher: &Searcher,
        text: Option<&TextQuery>,
        budget: &Budget,
    ) -> Result<Option<Box<dyn Weight>>, SearchError> {
        let Some(text) = text else { return Ok(None) };
        let query = self.text_query(text, Purpose::Select(budget))?;
        Ok(Some(query.weight(EnableScoring::disabled_from_searcher(searcher))?))
    }

    /// For each dimension, how many matching articles carry each value.
    /// A dimension's own filter is left out of its counts (disjunctive
    /// faceting), so the counts show the alternatives to the current choice.
    pub fn facet_counts(
        &self,
        searcher: &Searcher,
        text: Option<&TextQuery>,
        filter: &ArticleFilter,
        dims: &[Dimension],
        budget: &Budget,
    ) -> Result<DimensionCounts, SearchError> {
        let weight = self.text_weight(searcher, text, budget)?;
        Ok(self.bitmaps.facet_counts(searcher, words(text, weight.as_deref()), filter, dims, budget)?)
    }

    /// Matching articles per year (`"year"`) or month (`"month"`).
    pub fn histogram(
        &self,
        searcher: &Searcher,
        text: Option<&TextQuery>,
        filter: &ArticleFilter,
        field: &'static str,
        budget: &Budget,
    ) -> Result<ValueCounts, SearchError> {
        let weight = self.text_weight(searcher, text, budget)?;
        Ok(self.bitmaps.histogram(searcher, words(text, weight.as_deref()), filter, field, budget)?)
    }

    /// How many articles match `filter` in `searcher`'s state, if its
    /// bitmaps are built (this never builds them).
    pub fn filter_total(&self, searcher: &Searcher, filter: &ArticleFilter) -> Result<Option<u64>, SearchError> {
        Ok(self.bitmaps.total(searcher, filter)?)
    }
}

/// The words and their weight together, if any.
fn words<'a>(text: Option<&'a TextQuery>, weight: Option<&'a dyn Weight>) -> Option<bitmaps::Words<'a>> {
    Some(bitmaps::Words { weight: weight?, query: text? })
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    Grammar(#[from] GrammarError),
    #[error("search: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search stopped: {0}")]
    Exhausted(#[from] Exhausted),
}

impl From<BitmapError> for SearchError {
    fn from(e: BitmapError) -> Self {
        match e {
            BitmapError::Tantivy(t) => SearchError::Tantivy(t),
            BitmapError::Exhausted(x) => SearchError::Exhausted(x),
        }
    }
}

impl From<SearchError> for crate::error::ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Grammar(g) => crate::error::ApiError::invalid(crate::error::InvalidParam::query("q", g.0)),
            SearchError::Tantivy(t) => crate::error::ApiError::Internal(format!("search: {t}")),
            SearchError::Exhausted(e) => e.into(),
        }
    }
}

impl From<IndexError> for crate::error::ApiError {
    fn from(e: IndexError) -> Self {
        crate::error::ApiError::Internal(e.to_string())
    }
}

impl SearchIndex {
    /// Ids of articles whose title has words starting with what `typed`
    /// says (every word but the last complete, the last a prefix), best
    /// first.
    pub fn suggest_titles(
        &self,
        searcher: &Searcher,
        typed: &str,
        limit: usize,
        budget: &Budget,
    ) -> Result<Vec<u64>, SearchError> {
        let Some(mut analyzer) = self.index().tokenizers().get(tokenizer::WORDS) else { return Ok(Vec::new()) };
        let mut words = Vec::new();
        analyzer.token_stream(typed).process(&mut |t| words.push(t.text.clone()));
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let terms = words.iter().map(|w| tantivy::Term::from_field_text(self.fields.title_words, w)).collect();
        let query = budgeted::Budgeted::wrap(Box::new(tantivy::query::PhrasePrefixQuery::new(terms)), budget);
        let collector = TopHits::new(HitOrder::Relevance, None, limit, budget.clone());
        let hits = searcher.search(&*query, &collector)?;
        budget.check()?;
        Ok(hits.into_iter().map(|h| h.id).collect())
    }
}
