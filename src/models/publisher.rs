//! Publishers (think tanks), with the offices, programmes and contacts
//! their pages list.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::UnitType;
use crate::models::article::TermRef;
use crate::models::article_filter::Ref;
use crate::models::taxonomy::{count_map, TaxonomyQuery};
use crate::models::ResourceKey;
use crate::schema::{articles, publisher_contacts, publisher_units, publishers, series};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = publishers, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct PublisherRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub location: Option<String>,
    pub tagline: Option<String>,
    pub tagline_attribution: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = publisher_units, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct UnitRow {
    pub unit_type: UnitType,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = publisher_contacts, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ContactRow {
    pub kind: String,
    pub value: String,
}

pub fn article_counts(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q =
        articles::table.group_by(articles::publisher_id).select((articles::publisher_id, count_star())).into_boxed();
    if let Some(ids) = ids {
        q = q.filter(crate::db::in_list(articles::publisher_id, ids));
    }
    Ok(count_map(q.load(conn)?))
}

pub fn list(conn: &mut DbConn, query: &TaxonomyQuery) -> QueryResult<(Vec<(PublisherRow, i64)>, i64)> {
    crate::taxonomy_list!(conn, query, publishers, PublisherRow, publishers::table.into_boxed(), article_counts)
}

/// The id of the row a filter value names, if it exists.
pub fn find_ref(conn: &mut DbConn, r: &Ref) -> QueryResult<Option<i64>> {
    match r {
        Ref::Id(id) => publishers::table.find(*id).select(publishers::id).first(conn).optional(),
        Ref::Slug(slug) => {
            publishers::table.filter(publishers::slug.eq(slug)).select(publishers::id).first(conn).optional()
        }
    }
}

pub fn refs(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, TermRef>> {
    crate::refs_by_id!(conn, publishers, ids)
}

#[derive(Debug)]
pub struct PublisherDetail {
    pub row: PublisherRow,
    pub article_count: i64,
    pub units: Vec<UnitRow>,
    pub contacts: Vec<ContactRow>,
    pub series: Vec<TermRef>,
}

pub fn find(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<PublisherDetail>> {
    let Some(row) = crate::find_by_key!(conn, key, publishers, PublisherRow)? else { return Ok(None) };
    let article_count = article_counts(conn, Some(&[row.id]))?.get(&row.id).copied().unwrap_or(0);
    let units = publisher_units::table
        .filter(publisher_units::publisher_id.eq(row.id))
        .order(publisher_units::position)
        .select(UnitRow::as_select())
        .load(conn)?;
    let contacts = publisher_contacts::table
        .filter(publisher_contacts::publisher_id.eq(row.id))
        .order(publisher_contacts::position)
        .select(ContactRow::as_select())
        .load(conn)?;
    let series = series::table
        .filter(series::publisher_id.eq(row.id))
        .order((series::search_name, series::id))
        .select((series::id, series::slug, series::name))
        .load(conn)?;
    Ok(Some(PublisherDetail { row, article_count, units, contacts, series }))
}

/// The `location` of each of `ids` that exists.
pub fn locations(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Option<String>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(publishers::table
        .filter(crate::db::in_list(publishers::id, ids))
        .select((publishers::id, publishers::location))
        .load::<(i64, Option<String>)>(conn)?
        .into_iter()
        .collect())
}
