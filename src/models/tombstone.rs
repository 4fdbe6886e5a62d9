//! What left the corpus: deleted resources (their ids never come back) and
//! unpublished articles (kept aside, record and slug, until republished).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{Kind, TombstoneState};
use crate::models::ResourceKey;
use crate::schema::tombstones;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tombstones, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg), treat_none_as_default_value = false)]
pub struct TombstoneRow {
    pub resource: Kind,
    pub resource_id: i64,
    pub slug: String,
    pub state: TombstoneState,
    /// An unpublished article's import record (JSON without `kind`).
    pub record: Option<String>,
    pub removed_at: NaiveDateTime,
    /// The change-log entry that removed it.
    pub seq: i64,
    /// An article's `uid`, never given to another.
    pub uid: Option<String>,
}

/// The tombstone `key` names (by id, or by the slug it had; the latest
/// when several resources had that slug).
pub fn find(conn: &mut DbConn, kind: Kind, key: &ResourceKey) -> QueryResult<Option<TombstoneRow>> {
    let q = tombstones::table.filter(tombstones::resource.eq(kind)).select(TombstoneRow::as_select());
    match key {
        ResourceKey::Id(id) => q.filter(tombstones::resource_id.eq(*id)).first(conn).optional(),
        ResourceKey::Slug(slug) => {
            q.filter(tombstones::slug.eq(slug)).order(tombstones::seq.desc()).first(conn).optional()
        }
        ResourceKey::Invalid(_) => Ok(None),
    }
}

/// The unpublished article holding `slug`, if any (its slug stays reserved).
pub fn unpublished_with_slug(conn: &mut DbConn, kind: Kind, slug: &str) -> QueryResult<Option<i64>> {
    tombstones::table
        .filter(tombstones::resource.eq(kind))
        .filter(tombstones::slug.eq(slug))
        .filter(tombstones::state.eq(TombstoneState::Unpublished))
        .select(tombstones::resource_id)
        .first(conn)
        .optional()
}

/// Write `row` in place of the tombstone of the same resource, if any.
pub fn put(conn: &mut DbConn, row: &TombstoneRow) -> QueryResult<()> {
    remove(conn, row.resource, row.resource_id)?;
    diesel::insert_into(tombstones::table).values(row).execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut DbConn, kind: Kind, id: i64) -> QueryResult<()> {
    diesel::delete(tombstones::table.filter(tombstones::resource.eq(kind)).filter(tombstones::resource_id.eq(id)))
        .execute(conn)?;
    Ok(())
}

/// The highest id a resource of `kind` ever had among the tombstones
/// (new ids start above it, so none is reused).
pub fn max_id(conn: &mut DbConn, kind: Kind) -> QueryResult<i64> {
    Ok(tombstones::table
        .filter(tombstones::resource.eq(kind))
        .select(diesel::dsl::max(tombstones::resource_id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}
