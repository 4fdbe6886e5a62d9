//! Regions: a tree (continents, countries …). Article counts include the
//! articles filed under descendants, as the `region` filter does.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::RegionType;
use crate::models::article::TermRef;
use crate::models::article_filter::Ref;
use crate::models::taxonomy::{count_map, TaxonomyQuery};
use crate::models::ResourceKey;
use crate::schema::{article_regions, regions};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = regions, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct RegionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub region_type: RegionType,
    pub provenance: crate::domain::Provenance,
    pub parent_provenance: crate::domain::Provenance,
    pub provenance_note: Option<String>,
}

/// Restrictions particular to region lists.
#[derive(Debug, Clone, Default)]
pub struct RegionFilter {
    /// `Some(None)`: top-level regions only; `Some(Some(id))`: children of id.
    pub parent: Option<Option<i64>>,
    pub region_type: Option<RegionType>,
}

pub fn article_counts(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q = article_regions::table
        .group_by(article_regions::region_id)
        .select((article_regions::region_id, count_star()))
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(crate::db::in_list(article_regions::region_id, ids));
    }
    Ok(count_map(q.load(conn)?))
}

pub fn list(
    conn: &mut DbConn,
    query: &TaxonomyQuery,
    filter: &RegionFilter,
) -> QueryResult<(Vec<(RegionRow, i64)>, i64)> {
    let base = || {
        let mut q = regions::table.into_boxed();
        match filter.parent {
            Some(Some(parent)) => q = q.filter(regions::parent_id.eq(parent)),
            Some(None) => q = q.filter(regions::parent_id.is_null()),
            None => {}
        }
        if let Some(t) = filter.region_type {
            q = q.filter(regions::region_type.eq(t));
        }
        q
    };
    crate::taxonomy_list!(conn, query, regions, RegionRow, base(), article_counts)
}

/// The id of the row a filter value names, if it exists.
pub fn find_ref(conn: &mut DbConn, r: &Ref) -> QueryResult<Option<i64>> {
    match r {
        Ref::Id(id) => regions::table.find(*id).select(regions::id).first(conn).optional(),
        Ref::Slug(slug) => regions::table.filter(regions::slug.eq(slug)).select(regions::id).first(conn).optional(),
    }
}

pub fn refs(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, TermRef>> {
    crate::refs_by_id!(conn, regions, ids)
}

/// A region with its place in the tree.
#[derive(Debug)]
pub struct RegionDetail {
    pub row: RegionRow,
    pub article_count: i64,
    /// From the root down to the parent.
    pub ancestors: Vec<TermRef>,
    pub children: Vec<TermRef>,
}

pub fn find(conn: &mut DbConn, key: &ResourceKey) -> QueryResult<Option<RegionDetail>> {
    let Some(row) = crate::find_by_key!(conn, key, regions, RegionRow)? else { return Ok(None) };
    let article_count = article_counts(conn, Some(&[row.id]))?.get(&row.id).copied().unwrap_or(0);
    let mut ancestors = Vec::new();
    let mut next = row.parent_id;
    while let Some(id) = next {
        // The write path rejects cycles; the bound guards against a damaged file.
        if ancestors.len() > 64 {
            break;
        }
        let (parent, grand): (TermRef, Option<i64>) = regions::table
            .find(id)
            .select(((regions::id, regions::slug, regions::name), regions::parent_id))
            .first(conn)?;
        ancestors.push(parent);
        next = grand;
    }
    ancestors.reverse();
    let children = regions::table
        .filter(regions::parent_id.eq(row.id))
        .order((regions::search_name, regions::id))
        .select((regions::id, regions::slug, regions::name))
        .load(conn)?;
    Ok(Some(RegionDetail { row, article_count, ancestors, children }))
}
