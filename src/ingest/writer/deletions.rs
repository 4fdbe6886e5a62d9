//! Removing a resource: refused while anything still refers to it; else
//! its rows go (an article's dependent rows with it, by cascade), a
//! tombstone keeps its id and slug, and the change log says `delete`.

use diesel::prelude::*;

use super::{ChangeValues, Writer};
use crate::db::DbConn;
use crate::domain::{ChangeAction, Kind, TombstoneState};
use crate::models::tombstone::{self, TombstoneRow};
use crate::schema::{
    article_authors, article_regions, article_topics, articles, authors, change_log, publishers, regions, series,
    topics,
};

/// Why a removal was refused.
#[derive(Debug)]
pub enum RemoveError {
    /// These still refer to it: (what, how many, one of them by slug).
    Referenced(Vec<(Kind, i64, String)>),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for RemoveError {
    fn from(e: diesel::result::Error) -> Self {
        RemoveError::Database(e)
    }
}

/// How many articles `ids` holds, and the slug of one.
fn articles_among(conn: &mut DbConn, ids: Vec<i64>) -> QueryResult<Option<(Kind, i64, String)>> {
    let Some(&first) = ids.first() else { return Ok(None) };
    let slug: String = articles::table.find(first).select(articles::slug).first(conn)?;
    Ok(Some((Kind::Article, ids.len() as i64, slug)))
}

/// What still refers to the `kind` resource `id`.
fn referrers(conn: &mut DbConn, kind: Kind, id: i64) -> QueryResult<Vec<(Kind, i64, String)>> {
    let mut found = Vec::new();
    let article_ids: Vec<i64> = match kind {
        Kind::Article => Vec::new(),
        Kind::Publisher => articles::table.filter(articles::publisher_id.eq(id)).select(articles::id).load(conn)?,
        Kind::Series => articles::table.filter(articles::series_id.eq(id)).select(articles::id).load(conn)?,
        Kind::Topic => article_topics::table
            .filter(article_topics::topic_id.eq(id))
            .select(article_topics::article_id)
            .load(conn)?,
        Kind::Author => article_authors::table
            .filter(article_authors::author_id.eq(id))
            .select(article_authors::article_id)
            .distinct()
            .load(conn)?,
        Kind::Region => article_regions::table
            .filter(article_regions::region_id.eq(id))
            .select(article_regions::article_id)
            .load(conn)?,
    };
    found.extend(articles_among(conn, article_ids)?);
    let (children, child_kind): (Vec<String>, Kind) = match kind {
        Kind::Publisher => {
            (series::table.filter(series::publisher_id.eq(id)).select(series::slug).load(conn)?, Kind::Series)
        }
        Kind::Region => {
            (regions::table.filter(regions::parent_id.eq(id)).select(regions::slug).load(conn)?, Kind::Region)
        }
        _ => (Vec::new(), kind),
    };
    if let Some(first) = children.first() {
        found.push((child_kind, children.len() as i64, first.clone()));
    }
    Ok(found)
}

impl Writer {
    /// Remove the `kind` resource `id`, whose slug is `slug`, leaving a
    /// tombstone in `state` (with the record of an unpublished article).
    /// Returns the change's sequence number. Run it in a transaction.
    pub fn remove(
        &mut self,
        conn: &mut DbConn,
        kind: Kind,
        id: i64,
        slug: &str,
        state: TombstoneState,
        record: Option<String>,
    ) -> Result<i64, RemoveError> {
        let refs = referrers(conn, kind, id)?;
        if !refs.is_empty() {
            return Err(RemoveError::Referenced(refs));
        }
        let uid: Option<String> = match kind {
            Kind::Article => articles::table.find(id).select(articles::uid).first(conn)?,
            _ => None,
        };
        match kind {
            Kind::Article => diesel::delete(articles::table.find(id)).execute(conn)?,
            Kind::Publisher => diesel::delete(publishers::table.find(id)).execute(conn)?,
            Kind::Series => diesel::delete(series::table.find(id)).execute(conn)?,
            Kind::Region => diesel::delete(regions::table.find(id)).execute(conn)?,
            Kind::Topic => diesel::delete(topics::table.find(id)).execute(conn)?,
            Kind::Author => diesel::delete(authors::table.find(id)).execute(conn)?,
        };
        if kind == Kind::Region {
            self.region_parent.remove(&id);
        }
        let change =
            ChangeValues { action: ChangeAction::Delete, tombstone: Some(state), ..self.change(kind, id, slug) };
        let seq: i64 =
            diesel::insert_into(change_log::table).values(&change).returning(change_log::seq).get_result(conn)?;
        tombstone::put(
            conn,
            &TombstoneRow {
                resource: kind,
                resource_id: id,
                slug: slug.to_owned(),
                state,
                record,
                removed_at: self.now,
                seq,
                uid,
            },
        )?;
        self.id_floor.entry(kind).and_modify(|m| *m = (*m).max(id)).or_insert(id);
        Ok(seq)
    }
}

impl Writer {
    /// Delete for good an article that was unpublished (it is out of the
    /// corpus already): its kept record goes, its slug is free again, and
    /// the change log says `delete` (`deleted`). Returns the change's
    /// sequence number.
    pub fn bury(&mut self, conn: &mut DbConn, stone: &TombstoneRow) -> QueryResult<i64> {
        let change = ChangeValues {
            action: ChangeAction::Delete,
            tombstone: Some(TombstoneState::Deleted),
            ..self.change(stone.resource, stone.resource_id, &stone.slug)
        };
        let seq: i64 =
            diesel::insert_into(change_log::table).values(&change).returning(change_log::seq).get_result(conn)?;
        tombstone::put(
            conn,
            &TombstoneRow { state: TombstoneState::Deleted, record: None, removed_at: self.now, seq, ..stone.clone() },
        )?;
        Ok(seq)
    }
}
