//! Authors (experts) and the affiliations their bylines carried.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::models::taxonomy::{count_map, TaxonomyQuery};
use crate::models::ResourceKey;
use crate::schema::{article_authors, authors};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = authors, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct AuthorRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub bio: Option<String>,
    pub name_parts_provenance: crate::domain::Provenance,
    pub provenance_note: Option<String>,
}

/// An affiliation as bylines gave it, and when.
#[derive(Debug, Clone, Queryable)]
pub struct AffiliationRow {
    pub affiliation: Option<String>,
    pub first_seen: Option<NaiveDateTime>,
    pub last_seen: Option<NaiveDateTime>,
    pub articles: i64,
}

/// Articles each author contributed to, in any role.
pub fn article_counts(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q = article_authors::table
        .group_by(article_authors::author_id)
        .select((article_authors::author_id, count_star()))
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(crate::db::in_list(article_authors::author_id, ids));
    }
    Ok(count_map(q.load(conn)?))
}

pub fn list(conn: &mut DbConn, query: &TaxonomyQuery) -> QueryResult<(Vec<(AuthorRow, i64)>, i64)> {
    crate::taxonomy_list!(conn, query, authors, AuthorRow, authors::table.into_boxed(), article_counts)
}

pub fn find(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<(AuthorRow, i64, Vec<AffiliationRow>)>> {
    let Some(row) = crate::find_by_key!(conn, key, authors, AuthorRow)? else { return Ok(None) };
    let count = article_counts(conn, Some(&[row.id]))?.get(&row.id).copied().unwrap_or(0);
    let affiliations = article_authors::table
        .filter(article_authors::author_id.eq(row.id))
        .filter(article_authors::affiliation.is_not_null())
        .group_by(article_authors::affiliation)
        .select((
            article_authors::affiliation,
            min(article_authors::published_at),
            max(article_authors::published_at),
            count_star(),
        ))
        .order((max(article_authors::published_at).desc(), article_authors::affiliation))
        .load(conn)?;
    Ok(Some((row, count, affiliations)))
}

pub fn refs(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, crate::models::article::TermRef>> {
    crate::refs_by_id!(conn, authors, ids)
}

/// An author's `(family_name, given_name)`.
pub type NameSplit = (Option<String>, Option<String>);

/// The name split of each of `ids` that exists.
pub fn name_parts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, NameSplit>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(authors::table
        .filter(crate::db::in_list(authors::id, ids))
        .select((authors::id, authors::family_name, authors::given_name))
        .load::<(i64, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, family, given)| (id, (family, given)))
        .collect())
}
