//! The change log read back: every create and update (and, with writes,
//! every deletion) in commit order, for the change feed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ChangeAction, Kind, TombstoneState};
use crate::schema::change_log;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = change_log, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ChangeRow {
    pub seq: i64,
    pub resource: Kind,
    pub resource_id: i64,
    pub action: ChangeAction,
    pub changed_at: NaiveDateTime,
    pub slug: Option<String>,
    /// For a `delete`: `deleted` or `unpublished`.
    pub tombstone: Option<TombstoneState>,
}

/// Up to `limit` entries after sequence number `since` and up to `until`,
/// oldest first, of the `kinds` given (all kinds when empty).
pub fn between(conn: &mut DbConn, since: i64, until: i64, kinds: &[Kind], limit: i64) -> QueryResult<Vec<ChangeRow>> {
    let mut q = change_log::table
        .filter(change_log::seq.gt(since).and(change_log::seq.le(until)))
        .order(change_log::seq.asc())
        .limit(limit)
        .select(ChangeRow::as_select())
        .into_boxed();
    if !kinds.is_empty() {
        q = q.filter(change_log::resource.eq_any(kinds.to_vec()));
    }
    q.load(conn)
}
