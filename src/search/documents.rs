//! Building index documents from what SQLite holds: for a batch of article
//! ids, their text, dates and every filter dimension, in a fixed number of
//! queries.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::db::{in_list, DbConn};
use crate::domain::{ArticleType, Provenance};
use crate::schema::{article_authors, article_bodies, article_regions, article_topics, articles, regions};

/// The numeric code of an article type in the index (its position in the
/// vocabulary).
pub fn type_code(t: ArticleType) -> u64 {
    ArticleType::ALL.iter().position(|x| *x == t).unwrap_or(0) as u64
}

pub fn type_of_code(code: u64) -> Option<ArticleType> {
    ArticleType::ALL.get(code as usize).copied()
}

/// Months since year 0, the unit of the monthly histogram.
pub fn month_index(t: NaiveDateTime) -> u64 {
    (t.year().max(0) as u64) * 12 + u64::from(t.month0())
}

/// An article's text in every field that indexes it: each of title,
/// summary and body as words and as word pairs, all three in `any_text`,
/// and the title for type-ahead and sorting.
pub fn add_text(doc: &mut TantivyDocument, fields: &Fields, title: &str, summary: Option<&str>, body: Option<&str>) {
    doc.add_text(fields.title_words, title);
    doc.add_text(fields.title_sort, title);
    let parts = [(fields.title, fields.title_pairs, Some(title)), (fields.summary, fields.summary_pairs, summary)];
    for (words, pairs, text) in parts.into_iter().chain([(fields.body, fields.body_pairs, body)]) {
        let Some(text) = text else { continue };
        doc.add_text(words, text);
        doc.add_text(pairs, text);
        doc.add_text(fields.any_text, text);
    }
}

type Row =
    (i64, String, Option<String>, ArticleType, Provenance, String, NaiveDateTime, NaiveDateTime, i64, Option<i64>);

/// Each article's values of one dimension.
type Values = HashMap<i64, Vec<u64>>;

/// `(article, value, provenance)` rows as each article's values, and those
/// of them the source stated.
fn by_article(rows: Vec<(i64, i64, Provenance)>) -> (Values, Values) {
    let (mut all, mut stated): (Values, Values) = Default::default();
    for (article, value, provenance) in rows {
        all.entry(article).or_default().push(value as u64);
        if provenance.is_source() {
            stated.entry(article).or_default().push(value as u64);
        }
    }
    (all, stated)
}

/// Each article's regions (the closure rows: named and above), and the
/// regions the source stated with every region above them. A region the
/// article names itself keeps its own mark on its row (what readers see),
/// so the stated closure is worked out here from the tree: a piece the
/// source files under `china` is under `asia` by the source's word even
/// when an editor named `asia` too.
fn region_values(conn: &mut DbConn, rows: Vec<(i64, i64, bool, Provenance)>) -> QueryResult<(Values, Values)> {
    let parents: HashMap<i64, Option<i64>> = regions::table
        .select((regions::id, regions::parent_id))
        .load::<(i64, Option<i64>)>(conn)?
        .into_iter()
        .collect();
    let (mut all, mut stated): (Values, Values) = Default::default();
    for (article, region, is_direct, provenance) in rows {
        all.entry(article).or_default().push(region as u64);
        if !(is_direct && provenance.is_source()) {
            continue;
        }
        let values = stated.entry(article).or_default();
        let mut next = Some(region);
        // At most as many steps as there are regions (never loop on a damaged tree).
        for _ in 0..=parents.len() {
            let Some(id) = next else { break };
            if !values.contains(&(id as u64)) {
                values.push(id as u64);
            }
            next = parents.get(&id).copied().flatten();
        }
    }
    Ok((all, stated))
}

/// Index documents for `ids` (ids that no longer exist are skipped).
pub fn load(conn: &mut DbConn, fields: &Fields, ids: &[i64]) -> QueryResult<Vec<(i64, TantivyDocument)>> {
    let rows: Vec<Row> = articles::table
        .filter(in_list(articles::id, ids))
        .select((
            articles::id,
            articles::title,
            articles::summary,
            articles::article_type,
            articles::type_provenance,
            articles::language,
            articles::published_at,
            articles::updated_at,
            articles::publisher_id,
            articles::series_id,
        ))
        .load(conn)?;
    let mut bodies: HashMap<i64, String> = article_bodies::table
        .filter(in_list(article_bodies::article_id, ids))
        .select((article_bodies::article_id, article_bodies::body))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let authors = article_authors::table
        .filter(in_list(article_authors::article_id, ids))
        .select((article_authors::article_id, article_authors::author_id, article_authors::provenance))
        .load(conn)?;
    let authors = by_article(authors);
    let topics = article_topics::table
        .filter(in_list(article_topics::article_id, ids))
        .select((article_topics::article_id, article_topics::topic_id, article_topics::provenance))
        .load(conn)?;
    let topics = by_article(topics);
    let region_rows: Vec<(i64, i64, bool, Provenance)> = article_regions::table
        .filter(in_list(article_regions::article_id, ids))
        .select((
            article_regions::article_id,
            article_regions::region_id,
            article_regions::is_direct,
            article_regions::provenance,
        ))
        .load(conn)?;
    let regions = region_values(conn, region_rows)?;

    Ok(rows
        .into_iter()
        .map(|(id, title, summary, article_type, type_provenance, language, published, updated, publisher, series)| {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id as u64);
            add_text(&mut doc, fields, &title, summary.as_deref(), bodies.remove(&id).as_deref());
            doc.add_u64(fields.article_type, type_code(article_type));
            if type_provenance.is_source() {
                doc.add_u64(fields.type_source, type_code(article_type));
            }
            doc.add_text(fields.language, &language);
            doc.add_i64(fields.published, published.and_utc().timestamp());
            doc.add_i64(fields.updated, updated.and_utc().timestamp());
            doc.add_u64(fields.year, published.year().max(0) as u64);
            doc.add_u64(fields.month, month_index(published));
            doc.add_u64(fields.publisher, publisher as u64);
            if let Some(series) = series {
                doc.add_u64(fields.series, series as u64);
            }
            let linked = [
                (fields.author, &authors.0),
                (fields.author_source, &authors.1),
                (fields.topic, &topics.0),
                (fields.topic_source, &topics.1),
                (fields.region, &regions.0),
                (fields.region_source, &regions.1),
            ];
            for (field, map) in linked {
                for value in map.get(&id).into_iter().flatten() {
                    doc.add_u64(field, *value);
                }
            }
            (id, doc)
        })
        .collect())
}
