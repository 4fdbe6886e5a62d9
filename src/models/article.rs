//! Article rows and their relations, loaded for a whole page at once: the
//! number of queries is fixed, whatever the page size.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::functions::{octet_length, substr};
use crate::db::{in_list, DbConn};
use crate::domain::{ArticleType, BodyStatus, ContributorRole, Provenance};
use crate::models::ResourceKey;
use crate::schema::{
    article_authors, article_bodies, article_figures, article_references, article_regions, article_topics, articles,
    authors, publishers, regions, series, topics,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub publisher_id: i64,
    pub series_id: Option<i64>,
    pub article_type: ArticleType,
    pub language: String,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub body_status: BodyStatus,
    pub title_truncated: bool,
    pub title: String,
    pub subtitle: Option<String>,
    pub url: Option<String>,
    pub source_name: Option<String>,
    pub source_url: Option<String>,
    pub source_published_on: Option<NaiveDate>,
    pub original_language: Option<String>,
    pub original_title: Option<String>,
    pub original_venue: Option<String>,
    pub original_published_on: Option<NaiveDate>,
    pub original_date_text: Option<String>,
    pub translation_note: Option<String>,
    pub summary: Option<String>,
    pub uid: Option<String>,
    pub type_provenance: Provenance,
    pub original_language_provenance: Provenance,
    pub provenance_note: Option<String>,
}

/// `{id, slug, name}` of a related resource.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TermRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct Contributor {
    pub role: ContributorRole,
    pub affiliation: Option<String>,
    pub provenance: Provenance,
    pub provenance_note: Option<String>,
    pub author: TermRef,
}

/// A topic or region an article is filed under, and who filed it there.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Classified {
    pub provenance: Provenance,
    pub provenance_note: Option<String>,
    pub term: TermRef,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = article_figures, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct FigureRow {
    pub caption: String,
    pub credit: Option<String>,
    pub after_paragraph: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = article_references, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ReferenceRow {
    pub citation: String,
    pub url: Option<String>,
}

/// Everything a list item shows besides its own row.
#[derive(Debug, Default)]
pub struct Relations {
    pub contributors: HashMap<i64, Vec<Contributor>>,
    pub regions: HashMap<i64, Vec<Classified>>,
    pub topics: HashMap<i64, Vec<Classified>>,
    pub publishers: HashMap<i64, TermRef>,
    pub series: HashMap<i64, TermRef>,
}

/// A page's rows with their relations, in the order asked for.
#[derive(Debug, Default)]
pub struct ArticleBatch {
    pub rows: Vec<ArticleRow>,
    pub relations: Relations,
}

/// The rows of `ids`, in the order of `ids` (missing ids are skipped).
pub fn rows_in_order(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ArticleRow>> {
    let mut by_id: HashMap<i64, ArticleRow> = articles::table
        .filter(in_list(articles::id, ids))
        .select(ArticleRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

pub fn load_batch(conn: &mut DbConn, ids: &[i64]) -> QueryResult<ArticleBatch> {
    if ids.is_empty() {
        return Ok(ArticleBatch::default());
    }
    let rows = rows_in_order(conn, ids)?;
    let relations = load_relations(conn, &rows)?;
    Ok(ArticleBatch { rows, relations })
}

/// The rows of `ids` without their relations, for items that show none
/// of them (see `FieldMask::shows_relations`).
pub fn load_rows(conn: &mut DbConn, ids: &[i64]) -> QueryResult<ArticleBatch> {
    if ids.is_empty() {
        return Ok(ArticleBatch::default());
    }
    Ok(ArticleBatch { rows: rows_in_order(conn, ids)?, relations: Relations::default() })
}

fn group<T>(pairs: Vec<(i64, T)>) -> HashMap<i64, Vec<T>> {
    let mut map: HashMap<i64, Vec<T>> = HashMap::new();
    for (article_id, item) in pairs {
        map.entry(article_id).or_default().push(item);
    }
    map
}

pub fn load_relations(conn: &mut DbConn, rows: &[ArticleRow]) -> QueryResult<Relations> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let contributors: Vec<(i64, Contributor)> = article_authors::table
        .inner_join(authors::table)
        .filter(in_list(article_authors::article_id, &ids))
        .order((article_authors::article_id, article_authors::position))
        .select((
            article_authors::article_id,
            (
                article_authors::role,
                article_authors::affiliation,
                article_authors::provenance,
                article_authors::provenance_note,
                (authors::id, authors::slug, authors::name),
            ),
        ))
        .load(conn)?;
    let regions: Vec<(i64, Classified)> = article_regions::table
        .inner_join(regions::table)
        .filter(in_list(article_regions::article_id, &ids))
        .filter(article_regions::is_direct.eq(true))
        .order((article_regions::article_id, article_regions::position))
        .select((
            article_regions::article_id,
            (
                article_regions::provenance,
                article_regions::provenance_note,
                (regions::id, regions::slug, regions::name),
            ),
        ))
        .load(conn)?;
    let topics: Vec<(i64, Classified)> = article_topics::table
        .inner_join(topics::table)
        .filter(in_list(article_topics::article_id, &ids))
        .order((article_topics::article_id, article_topics::position))
        .select((
            article_topics::article_id,
            (article_topics::provenance, article_topics::provenance_note, (topics::id, topics::slug, topics::name)),
        ))
        .load(conn)?;
    let publisher_ids: Vec<i64> = rows.iter().map(|r| r.publisher_id).collect();
    let publishers: Vec<TermRef> = publishers::table
        .filter(in_list(publishers::id, &publisher_ids))
        .select((publishers::id, publishers::slug, publishers::name))
        .load(conn)?;
    let series_ids: Vec<i64> = rows.iter().filter_map(|r| r.series_id).collect();
    let series: Vec<TermRef> = if series_ids.is_empty() {
        Vec::new()
    } else {
        series::table
            .filter(in_list(series::id, &series_ids))
            .select((series::id, series::slug, series::name))
            .load(conn)?
    };
    Ok(Relations {
        contributors: group(contributors),
        regions: group(regions),
        topics: group(topics),
        publishers: publishers.into_iter().map(|p| (p.id, p)).collect(),
        series: series.into_iter().map(|s| (s.id, s)).collect(),
    })
}

/// One article with everything the detail view shows.
#[derive(Debug)]
pub struct ArticleFull {
    pub batch: ArticleBatch,
    pub body: Option<String>,
    pub figures: Vec<FigureRow>,
    pub references: Vec<ReferenceRow>,
}

pub fn find_id(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<i64>> {
    match key {
        ResourceKey::Id(id) => articles::table.find(*id).select(articles::id).first(conn).optional(),
        ResourceKey::Slug(slug) => {
            articles::table.filter(articles::slug.eq(slug)).select(articles::id).first(conn).optional()
        }
        ResourceKey::Invalid(_) => Ok(None),
    }
}

pub fn load_full(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<ArticleFull>> {
    let Some(id) = find_id(conn, key)? else {
        return Ok(None);
    };
    let batch = load_batch(conn, &[id])?;
    let body = article_bodies::table.find(id).select(article_bodies::body).first(conn).optional()?;
    let figures = article_figures::table
        .filter(article_figures::article_id.eq(id))
        .order(article_figures::position)
        .select(FigureRow::as_select())
        .load(conn)?;
    let references = article_references::table
        .filter(article_references::article_id.eq(id))
        .order(article_references::position)
        .select(ReferenceRow::as_select())
        .load(conn)?;
    Ok(Some(ArticleFull { batch, body, figures, references }))
}

/// The bodies of `ids` that have one.
pub fn bodies(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(article_bodies::table
        .filter(in_list(article_bodies::article_id, ids))
        .select((article_bodies::article_id, article_bodies::body))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The size in bytes of the bodies of `ids` that have one, without
/// reading them.
pub fn body_sizes(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(article_bodies::table
        .filter(in_list(article_bodies::article_id, ids))
        .select((article_bodies::article_id, octet_length(article_bodies::body)))
        .load::<(i64, i32)>(conn)?
        .into_iter()
        .map(|(id, bytes)| (id, i64::from(bytes)))
        .collect())
}

/// The first `chars` characters of the bodies of `ids` that have one (for
/// snippets: a long body is never read whole for them).
pub fn body_openings(conn: &mut DbConn, ids: &[i64], chars: i32) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(article_bodies::table
        .filter(in_list(article_bodies::article_id, ids))
        .select((article_bodies::article_id, substr(article_bodies::body, 1, chars)))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The title and summary of each of `ids` (what search highlights mark).
pub fn headlines(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    articles::table
        .filter(in_list(articles::id, ids))
        .select((articles::id, articles::title, articles::summary))
        .load::<(i64, String, Option<String>)>(conn)
}

/// `(id, slug, title)` of `ids`, in the order of `ids`.
pub fn titles(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_id: HashMap<i64, (i64, String, String)> = articles::table
        .filter(in_list(articles::id, ids))
        .select((articles::id, articles::slug, articles::title))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|row| (row.0, row))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Give every article written before identifiers existed its `uid` (named
/// by its slug now: the closest to the one it was created with); a chunk
/// per transaction. Returns how many.
pub fn assign_missing_uids(conn: &mut DbConn) -> QueryResult<usize> {
    let mut assigned = 0;
    loop {
        let rows: Vec<(i64, String)> = articles::table
            .filter(articles::uid.is_null())
            .select((articles::id, articles::slug))
            .order(articles::id)
            .limit(1_000)
            .load(conn)?;
        if rows.is_empty() {
            return Ok(assigned);
        }
        crate::db::write_transaction(conn, |c| {
            for (id, slug) in &rows {
                diesel::update(articles::table.find(id))
                    .set(articles::uid.eq(crate::domain::article_uid(slug)))
                    .execute(c)?;
            }
            QueryResult::Ok(())
        })?;
        assigned += rows.len();
    }
}

/// Give article `id` back the `uid` it had (an article republished).
pub fn set_uid(conn: &mut DbConn, id: i64, uid: &str) -> QueryResult<()> {
    diesel::update(articles::table.find(id)).set(articles::uid.eq(uid)).execute(conn)?;
    Ok(())
}
