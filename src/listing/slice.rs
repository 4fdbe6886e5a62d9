//! What a list is, in words: the title and description a feed of it
//! carries ("Articles on The Korean Peninsula from the Charhar Institute").

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::domain::ArticleType;
use crate::error::ApiError;
use crate::models::article::TermRef;
use crate::models::article_filter::{ArticleFilter, IdSet};
use crate::models::{author, publisher, region, series, topic};

use super::params::ArticleSort;
use super::shape::Shape;

/// A list described for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub title: String,
    pub description: String,
    /// The one language every article of the list is in, when the filter
    /// says so.
    pub language: Option<String>,
}

/// "A, B or C".
fn either(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn named(ids: &[i64], refs: &HashMap<i64, TermRef>) -> Vec<String> {
    ids.iter().map(|id| refs.get(id).map_or_else(|| format!("#{id}"), |r| r.name.clone())).collect()
}

/// " on A or B, not on C" for one dimension: `require` values (the path's
/// resource) and `include` values are all wanted, `exclude` values not.
fn phrase(out: &mut String, preposition: &str, set: &IdSet, refs: &HashMap<i64, TermRef>) {
    for id in &set.require {
        out.push_str(&format!(" {preposition} {}", either(&named(&[*id], refs))));
    }
    if !set.include.is_empty() {
        out.push_str(&format!(" {preposition} {}", either(&named(&set.include, refs))));
    }
    if !set.exclude.is_empty() {
        out.push_str(&format!(", not {preposition} {}", either(&named(&set.exclude, refs))));
    }
}

fn all_ids(set: &IdSet) -> Vec<i64> {
    set.require.iter().chain(&set.include).chain(&set.exclude).copied().collect()
}

fn plural(t: ArticleType) -> &'static str {
    match t {
        ArticleType::Commentary => "Commentaries",
        ArticleType::News => "News",
        ArticleType::Analysis => "Analyses",
        ArticleType::Interview => "Interviews",
        ArticleType::Report => "Reports",
        ArticleType::Book => "Books",
        ArticleType::Newsletter => "Newsletters",
        ArticleType::PeriodicalIssue => "Periodical issues",
        ArticleType::Event => "Events",
    }
}

fn day(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// ", published 2021-01-01 to 2021-12-31" and the like (`until` is
/// exclusive; the phrase names the last day in the range).
fn dates(out: &mut String, verb: &str, from: Option<NaiveDateTime>, until: Option<NaiveDateTime>) {
    let last_day = |until: NaiveDateTime| day(until - chrono::Duration::seconds(1));
    match (from, until) {
        (Some(from), Some(until)) => out.push_str(&format!(", {verb} {} to {}", day(from), last_day(until))),
        (Some(from), None) => out.push_str(&format!(", {verb} since {}", day(from))),
        (None, Some(until)) => out.push_str(&format!(", {verb} until {}", last_day(until))),
        (None, None) => {}
    }
}

fn order(sort: ArticleSort) -> &'static str {
    match sort {
        ArticleSort::Relevance => "best match first",
        ArticleSort::PublishedDesc => "newest first",
        ArticleSort::PublishedAsc => "oldest first",
        ArticleSort::UpdatedDesc => "most recently updated first",
        ArticleSort::UpdatedAsc => "least recently updated first",
        ArticleSort::TitleAsc => "by title",
        ArticleSort::TitleDesc => "by title, Z to A",
    }
}

/// The title and description of the list `filter` and `shape` select.
pub fn describe(conn: &mut DbConn, filter: &ArticleFilter, shape: &Shape, q: Option<&str>) -> Result<Slice, ApiError> {
    let topics = topic::refs(conn, &all_ids(&filter.topics))?;
    let regions = region::refs(conn, &all_ids(&filter.regions))?;
    let authors = author::refs(conn, &all_ids(&filter.authors))?;
    let publishers = publisher::refs(conn, &all_ids(&filter.publishers))?;
    let series_refs = series::refs(conn, &all_ids(&filter.series))?;

    let mut title = match filter.types.include.as_slice() {
        [one] => plural(*one).to_owned(),
        _ => "Articles".to_owned(),
    };
    if let Some(q) = q {
        title.push_str(&format!(" matching “{}”", q.trim()));
    }
    phrase(&mut title, "on", &filter.topics, &topics);
    phrase(&mut title, "about", &filter.regions, &regions);
    phrase(&mut title, "by", &filter.authors, &authors);
    phrase(&mut title, "from", &filter.publishers, &publishers);
    phrase(&mut title, "in", &filter.series, &series_refs);
    dates(&mut title, "published", filter.published_from, filter.published_until);
    dates(&mut title, "updated", filter.updated_from, filter.updated_until);
    let language = match filter.languages.include.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let mut notes = Vec::new();
    if let Some(tag) = &language {
        notes.push(format!("in the language `{tag}`"));
    }
    if filter.types.include.len() > 1 || !filter.types.exclude.is_empty() {
        let kinds: Vec<&str> = filter.types.include.iter().map(|t| t.as_str()).collect();
        let not: Vec<&str> = filter.types.exclude.iter().map(|t| t.as_str()).collect();
        if !kinds.is_empty() {
            notes.push(format!("of type {}", kinds.join(", ")));
        }
        if !not.is_empty() {
            notes.push(format!("not of type {}", not.join(", ")));
        }
    }
    if filter.source_only {
        notes.push("classified as the sources state it, not as the corpus's editors assigned it".to_owned());
    }
    let mut description = title.clone();
    if !notes.is_empty() {
        description.push_str(&format!(" ({})", notes.join("; ")));
    }
    description.push_str(&format!(", {}, from the Policy Commentary API.", order(shape.sort)));
    Ok(Slice { title, description, language })
}

#[cfg(test)]
mod tests {
    use super::either;

    #[test]
    fn names_join_with_or() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(either(&names(&["A"])), "A");
        assert_eq!(either(&names(&["A", "B"])), "A or B");
        assert_eq!(either(&names(&["A", "B", "C"])), "A, B or C");
    }
}
