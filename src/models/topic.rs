//! Topics.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::models::taxonomy::{count_map, TaxonomyQuery};
use crate::models::ResourceKey;
use crate::schema::{article_topics, topics};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topics, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct TopicRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub provenance: crate::domain::Provenance,
    pub provenance_note: Option<String>,
}

/// Articles filed under each topic (all topics, or those in `ids`).
pub fn article_counts(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q = article_topics::table
        .group_by(article_topics::topic_id)
        .select((article_topics::topic_id, count_star()))
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(crate::db::in_list(article_topics::topic_id, ids));
    }
    Ok(count_map(q.load(conn)?))
}

pub fn list(conn: &mut DbConn, query: &TaxonomyQuery) -> QueryResult<(Vec<(TopicRow, i64)>, i64)> {
    crate::taxonomy_list!(conn, query, topics, TopicRow, topics::table.into_boxed(), article_counts)
}

pub fn find(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<(TopicRow, i64)>> {
    let Some(row) = crate::find_by_key!(conn, key, topics, TopicRow)? else { return Ok(None) };
    let count = article_counts(conn, Some(&[row.id]))?.get(&row.id).copied().unwrap_or(0);
    Ok(Some((row, count)))
}

pub fn refs(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, crate::models::article::TermRef>> {
    crate::refs_by_id!(conn, topics, ids)
}
