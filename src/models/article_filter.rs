//! `ArticleFilter`: what a list of articles is restricted to, with slugs
//! already resolved to ids. Built from the raw query values by `resolve`,
//! which names every value it cannot accept.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{in_list, DbConn};
use crate::domain::{ArticleType, DateBound, LanguageTag, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::schema::{authors, publishers, regions, series, topics};

/// Most values one filter parameter may list.
pub const MAX_FILTER_VALUES: usize = 50;

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
    }

    /// Whether a condition reads a column of the article row itself (not
    /// only the join tables).
    pub fn reads_article_row(&self) -> bool {
        !(self.publishers.is_empty() && self.series.is_empty() && self.types.is_empty() && self.languages.is_empty())
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

fn parse_slug(word: &str) -> Result<String, String> {
    Slug::parse(word).map(Slug::into_string).map_err(|e| format!("`{word}` {e}"))
}

fn parse_language(word: &str) -> Result<String, String> {
    LanguageTag::parse(word).map(LanguageTag::into_string)
}

macro_rules! slug_ids {
    ($conn:expr, $table:ident, $slugs:expr) => {{
        let slugs: Vec<String> = $slugs;
        if slugs.is_empty() {
            HashMap::new()
        } else {
            $table::table
                .filter(in_list($table::slug, &slugs))
                .select(($table::slug, $table::id))
                .load::<(String, i64)>($conn)?
                .into_iter()
                .collect::<HashMap<String, i64>>()
        }
    }};
}

/// Turn slugs into ids, naming the unknown ones.
fn to_ids(
    name: &str,
    noun: &str,
    set: ValueSet<String>,
    known: &HashMap<String, i64>,
    errors: &mut Vec<InvalidParam>,
) -> IdSet {
    let mut lookup = |slugs: Vec<String>| -> Vec<i64> {
        slugs
            .into_iter()
            .filter_map(|slug| match known.get(&slug) {
                Some(id) => Some(*id),
                None => {
                    errors.push(InvalidParam::query(name, format!("no {noun} has the slug `{slug}`")));
                    None
                }
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

/// Check every value and resolve every slug; all problems are reported
/// together.
pub fn resolve(
    conn: &mut DbConn,
    raw: &RawArticleFilter,
    errors: &mut Vec<InvalidParam>,
) -> Result<ArticleFilter, ApiError> {
    let topic = split_terms("topic", raw.topic.as_deref(), errors, parse_slug);
    let region = split_terms("region", raw.region.as_deref(), errors, parse_slug);
    let author = split_terms("author", raw.author.as_deref(), errors, parse_slug);
    let publisher = split_terms("publisher", raw.publisher.as_deref(), errors, parse_slug);
    let series_set = split_terms("series", raw.series.as_deref(), errors, parse_slug);
    let types = split_terms("type", raw.article_type.as_deref(), errors, |w| {
        w.parse::<ArticleType>().map_err(|e| e.to_string())
    });
    let languages = split_terms("language", raw.language.as_deref(), errors, parse_language);
    let after = parse_bound("published_after", raw.published_after.as_deref(), errors);
    let before = parse_bound("published_before", raw.published_before.as_deref(), errors);

    let all = |s: &ValueSet<String>| s.include.iter().chain(s.exclude.iter()).cloned().collect::<Vec<_>>();
    let known_topics = slug_ids!(conn, topics, all(&topic));
    let known_regions = slug_ids!(conn, regions, all(&region));
    let known_authors = slug_ids!(conn, authors, all(&author));
    let known_publishers = slug_ids!(conn, publishers, all(&publisher));
    let known_series = slug_ids!(conn, series, all(&series_set));

    let filter = ArticleFilter {
        topics: to_ids("topic", "topic", topic, &known_topics, errors),
        regions: to_ids("region", "region", region, &known_regions, errors),
        authors: to_ids("author", "author", author, &known_authors, errors),
        publishers: to_ids("publisher", "publisher", publisher, &known_publishers, errors),
        series: to_ids("series", "series", series_set, &known_series, errors),
        types,
        languages,
        published_from: after.map(DateBound::start),
        published_until: before.map(DateBound::end_exclusive),
    };
    if let (Some(from), Some(until)) = (filter.published_from, filter.published_until) {
        if from >= until {
            errors.push(InvalidParam::query("published_before", "must not be earlier than published_after"));
        }
    }
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(ApiError::InvalidParams(std::mem::take(errors)))
    }
}
