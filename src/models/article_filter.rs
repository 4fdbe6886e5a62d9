//! `ArticleFilter`: what a list of articles is restricted to, with slugs
//! already resolved to ids. Built from the raw query values by `resolve`,
//! which names every value it cannot accept.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{in_list, DbConn};
use crate::domain::{ArticleType, Classification, DateBound, LanguageTag, Slug, SlugError};
use crate::error::{ApiError, InvalidParam};
use crate::models::ResourceKey;
use crate::schema::{authors, publishers, regions, series, topics};

/// Most values one filter parameter may list.
pub const MAX_FILTER_VALUES: usize = 50;
/// The longest value of one filter parameter, in bytes (50 slugs of up to
/// 79 characters; every filter at its longest still fits the 64 KiB an
/// HTTP request's target may have).
pub const MAX_FILTER_CHARS: usize = 4_000;

/// Values to keep (any of, OR), values every match must have (all of: the
/// resource in a path such as `/v1/topics/{slug}/articles`) and values to
/// drop (none of).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValueSet<T> {
    pub include: Vec<T>,
    pub require: Vec<T>,
    pub exclude: Vec<T>,
}

impl<T> Default for ValueSet<T> {
    fn default() -> Self {
        ValueSet { include: Vec::new(), require: Vec::new(), exclude: Vec::new() }
    }
}

impl<T> ValueSet<T> {
    /// The bytes each value holds, `each`, added up over the set's values.
    fn bytes(&self, each: impl Fn(&T) -> usize) -> usize {
        self.include.iter().chain(&self.require).chain(&self.exclude).map(each).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.require.is_empty() && self.exclude.is_empty()
    }

    /// The one value to keep, when there is exactly one.
    pub fn single(&self) -> Option<&T> {
        match self.include.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

pub type IdSet = ValueSet<i64>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ArticleFilter {
    pub topics: IdSet,
    /// Matches the regions' descendants too (through the closure rows).
    pub regions: IdSet,
    pub authors: IdSet,
    pub publishers: IdSet,
    pub series: IdSet,
    pub types: ValueSet<ArticleType>,
    pub languages: ValueSet<String>,
    /// Published at or after.
    pub published_from: Option<NaiveDateTime>,
    /// Published strictly before.
    pub published_until: Option<NaiveDateTime>,
    /// Last changed at or after (`updated_at`).
    pub updated_from: Option<NaiveDateTime>,
    /// Last changed strictly before.
    pub updated_until: Option<NaiveDateTime>,
    /// Topics, regions, authors and types match (and are counted) only
    /// where the source stated them (`classification=source`).
    pub source_only: bool,
}

impl ArticleFilter {
    /// Add `other`'s conditions to these (sets are concatenated; date
    /// bounds come from `other`).
    pub fn merge_from(&mut self, other: ArticleFilter) {
        fn join<T>(into: &mut ValueSet<T>, from: ValueSet<T>) {
            into.include.extend(from.include);
            into.require.extend(from.require);
            into.exclude.extend(from.exclude);
        }
        join(&mut self.topics, other.topics);
        join(&mut self.regions, other.regions);
        join(&mut self.authors, other.authors);
        join(&mut self.publishers, other.publishers);
        join(&mut self.series, other.series);
        join(&mut self.types, other.types);
        join(&mut self.languages, other.languages);
        self.published_from = other.published_from;
        self.published_until = other.published_until;
        self.updated_from = other.updated_from;
        self.updated_until = other.updated_until;
        self.source_only |= other.source_only;
    }

    /// Bytes the filter holds on the heap (for caches weighed in bytes).
    pub fn heap_bytes(&self) -> usize {
        let id = |_: &i64| std::mem::size_of::<i64>();
        [&self.topics, &self.regions, &self.authors, &self.publishers, &self.series]
            .iter()
            .map(|s| s.bytes(id))
            .sum::<usize>()
            + self.types.bytes(|_| std::mem::size_of::<ArticleType>())
            + self.languages.bytes(|l| std::mem::size_of::<String>() + l.len())
    }

    /// Whether a condition reads a column of the article row itself (not
    /// only the join tables).
    pub fn reads_article_row(&self) -> bool {
        !(self.publishers.is_empty()
            && self.series.is_empty()
            && self.types.is_empty()
            && self.languages.is_empty()
            && self.updated_from.is_none()
            && self.updated_until.is_none())
    }
}

/// The filter parameters as the client gave them.
#[derive(Debug, Clone, Default)]
pub struct RawArticleFilter {
    pub topic: Option<String>,
    pub region: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub series: Option<String>,
    pub article_type: Option<String>,
    pub language: Option<String>,
    pub published_after: Option<String>,
    pub published_before: Option<String>,
    pub updated_after: Option<String>,
    pub updated_before: Option<String>,
    pub classification: Option<Classification>,
}

/// Split `a,b,!c` into kept and dropped terms, each checked by `parse`.
fn split_terms<T>(
    name: &str,
    raw: Option<&str>,
    errors: &mut Vec<InvalidParam>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> ValueSet<T> {
    let mut set = ValueSet::default();
    let Some(raw) = raw else { return set };
    if raw.len() > MAX_FILTER_CHARS {
        errors.push(InvalidParam::query(name, format!("is longer than {MAX_FILTER_CHARS} characters")));
        return set;
    }
    let terms: Vec<&str> = raw.split(',').map(str::trim).collect();
    if terms.len() > MAX_FILTER_VALUES {
        errors.push(InvalidParam::query(name, format!("lists more than {MAX_FILTER_VALUES} values")));
        return set;
    }
    for term in terms {
        let (negated, word) = match term.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, term),
        };
        if word.is_empty() {
            errors.push(InvalidParam::query(name, "has an empty value; give values separated by single commas"));
            continue;
        }
        match parse(word) {
            Ok(value) if negated => set.exclude.push(value),
            Ok(value) => set.include.push(value),
            Err(reason) => errors.push(InvalidParam::query(name, reason)),
        }
    }
    set
}

/// A reference to a resource in a filter: its numeric id or its slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ref {
    Id(i64),
    Slug(String),
}

impl Ref {
    /// Digits are an id; otherwise the value must be shaped like a slug
    /// (lowercase ASCII words joined by hyphens). Whether it exists is
    /// decided later; a value shaped right that no row can have (an id
    /// beyond i64, an overlong slug) is unknown, not malformed.
    pub fn parse(word: &str) -> Result<Ref, String> {
        match ResourceKey::parse(word) {
            ResourceKey::Id(id) => Ok(Ref::Id(id)),
            ResourceKey::Slug(slug) => Ok(Ref::Slug(slug)),
            ResourceKey::Invalid(raw) => match Slug::parse(&raw) {
                Err(SlugError::TooLong | SlugError::AllDigits) => Ok(Ref::Slug(raw)),
                Err(SlugError::Empty) => Err("must not be empty".to_owned()),
                _ => {
                    Err(format!("`{raw}` is neither an id nor a slug (lowercase ASCII words joined by single hyphens)"))
                }
            },
        }
    }

    /// The optional single-reference parameter `name`, its problem (if
    /// malformed) added to `errors`.
    pub fn param(name: &str, raw: Option<&str>, errors: &mut Vec<InvalidParam>) -> Option<Ref> {
        raw.and_then(|word| Ref::parse(word).map_err(|reason| errors.push(InvalidParam::query(name, reason))).ok())
    }

    pub fn text(&self) -> String {
        match self {
            Ref::Id(id) => id.to_string(),
            Ref::Slug(s) => s.clone(),
        }
    }
}

fn parse_language(word: &str) -> Result<String, String> {
    LanguageTag::parse(word).map(LanguageTag::into_string)
}

/// `(id, slug)` of the rows of `$table` that `$refs` name.
macro_rules! lookup_refs {
    ($conn:expr, $table:ident, $refs:expr) => {{
        let refs: Vec<&Ref> = $refs;
        let ids: Vec<i64> = refs.iter().filter_map(|r| if let Ref::Id(id) = r { Some(*id) } else { None }).collect();
        let slugs: Vec<&str> =
            refs.iter().filter_map(|r| if let Ref::Slug(s) = r { Some(s.as_str()) } else { None }).collect();
        if refs.is_empty() {
            Vec::new()
        } else {
            $table::table
                .filter(in_list($table::slug, &slugs).or(in_list($table::id, &ids)))
                .select(($table::id, $table::slug))
                .load::<(i64, String)>($conn)?
        }
    }};
}

/// Turn references into ids; the unknown ones are named in `unknown`.
fn to_ids(
    name: &str,
    noun: &str,
    set: ValueSet<Ref>,
    known: &[(i64, String)],
    unknown: &mut Vec<InvalidParam>,
) -> IdSet {
    let mut lookup = |refs: Vec<Ref>| -> Vec<i64> {
        refs.into_iter()
            .filter_map(|r| {
                let found = known.iter().find(|(id, slug)| match &r {
                    Ref::Id(want) => want == id,
                    Ref::Slug(want) => want == slug,
                });
                if found.is_none() {
                    unknown.push(InvalidParam::query(name, format!("no {noun} has the id or slug `{}`", r.text())));
                }
                found.map(|(id, _)| *id)
            })
            .collect()
    };
    IdSet { include: lookup(set.include), require: Vec::new(), exclude: lookup(set.exclude) }
}

fn parse_bound(name: &str, raw: Option<&str>, errors: &mut Vec<InvalidParam>) -> Option<DateBound> {
    let raw = raw?;
    match DateBound::parse(raw) {
        Ok(bound) => Some(bound),
        Err(reason) => {
            errors.push(InvalidParam::query(name, reason));
            None
        }
    }
}

/// The filter parameters checked for shape, references not yet looked up
/// (see `parse` and `resolve`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ParsedFilter {
    topic: ValueSet<Ref>,
    region: ValueSet<Ref>,
    author: ValueSet<Ref>,
    publisher: ValueSet<Ref>,
    series: ValueSet<Ref>,
    types: ValueSet<ArticleType>,
    languages: ValueSet<String>,
    after: Option<DateBound>,
    before: Option<DateBound>,
    updated_after: Option<DateBound>,
    updated_before: Option<DateBound>,
    source_only: bool,
}

impl ParsedFilter {
    /// Roughly what the filter holds on the heap (for bounding caches).
    pub fn heap_bytes(&self) -> usize {
        let reference = |r: &Ref| {
            std::mem::size_of::<Ref>()
                + match r {
                    Ref::Id(_) => 0,
                    Ref::Slug(s) => s.len(),
                }
        };
        [&self.topic, &self.region, &self.author, &self.publisher, &self.series]
            .iter()
            .map(|s| s.bytes(reference))
            .sum::<usize>()
            + self.types.bytes(|_| std::mem::size_of::<ArticleType>())
            + self.languages.bytes(|l| std::mem::size_of::<String>() + l.len())
    }

    /// Only links the source stated count (`classification=source`).
    pub fn source_only(&self) -> bool {
        self.source_only
    }
}

/// Check the shape of every value, without the database; each malformed
/// one is added to `errors`.
pub fn parse(raw: &RawArticleFilter, errors: &mut Vec<InvalidParam>) -> ParsedFilter {
    ParsedFilter {
        topic: split_terms("topic", raw.topic.as_deref(), errors, Ref::parse),
        region: split_terms("region", raw.region.as_deref(), errors, Ref::parse),
        author: split_terms("author", raw.author.as_deref(), errors, Ref::parse),
        publisher: split_terms("publisher", raw.publisher.as_deref(), errors, Ref::parse),
        series: split_terms("series", raw.series.as_deref(), errors, Ref::parse),
        types: split_terms("type", raw.article_type.as_deref(), errors, |w| {
            w.parse::<ArticleType>().map_err(|e| e.to_string())
        }),
        languages: split_terms("language", raw.language.as_deref(), errors, parse_language),
        after: parse_bound("published_after", raw.published_after.as_deref(), errors),
        before: parse_bound("published_before", raw.published_before.as_deref(), errors),
        updated_after: parse_bound("updated_after", raw.updated_after.as_deref(), errors),
        updated_before: parse_bound("updated_before", raw.updated_before.as_deref(), errors),
        source_only: raw.classification == Some(Classification::Source),
    }
}

/// Look up every reference of a parsed filter. Well-formed references to
/// nothing are a 404 (as the same resource named in a path would be),
/// every one of them listed.
pub fn resolve(conn: &mut DbConn, parsed: &ParsedFilter) -> Result<ArticleFilter, ApiError> {
    let ParsedFilter {
        topic,
        region,
        author,
        publisher,
        series: series_set,
        types,
        languages,
        after,
        before,
        updated_after,
        updated_before,
        source_only,
    } = parsed.clone();
    let all = |s: &ValueSet<Ref>| -> Vec<Ref> { s.include.iter().chain(s.exclude.iter()).cloned().collect() };
    let (t, r, a, p, s) = (all(&topic), all(&region), all(&author), all(&publisher), all(&series_set));
    let known_topics = lookup_refs!(conn, topics, t.iter().collect());
    let known_regions = lookup_refs!(conn, regions, r.iter().collect());
    let known_authors = lookup_refs!(conn, authors, a.iter().collect());
    let known_publishers = lookup_refs!(conn, publishers, p.iter().collect());
    let known_series = lookup_refs!(conn, series, s.iter().collect());

    let mut unknown = Vec::new();
    let filter = ArticleFilter {
        topics: to_ids("topic", "topic", topic, &known_topics, &mut unknown),
        regions: to_ids("region", "region", region, &known_regions, &mut unknown),
        authors: to_ids("author", "author", author, &known_authors, &mut unknown),
        publishers: to_ids("publisher", "publisher", publisher, &known_publishers, &mut unknown),
        series: to_ids("series", "series", series_set, &known_series, &mut unknown),
        types,
        languages,
        published_from: after.map(DateBound::start),
        published_until: before.map(DateBound::end_exclusive),
        updated_from: updated_after.map(DateBound::start),
        updated_until: updated_before.map(DateBound::end_exclusive),
        source_only,
    };
    if !unknown.is_empty() {
        return Err(ApiError::UnknownReferences(unknown));
    }
    Ok(filter)
}
