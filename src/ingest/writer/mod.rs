//! The one place where the corpus is written. Every insert, update and
//! change-log entry goes through `Writer::write`, inside the caller's
//! transaction, so derived stores (caches, the search index) can follow the
//! change log and nothing else.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ChangeAction, Kind};
use crate::ingest::record::{ArticleRecord, Record};
use crate::schema::{authors, change_log, publishers, regions, series, topics};

/// What one write did, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub by_kind: HashMap<Kind, Tally>,
}

impl WriteReport {
    fn note(&mut self, kind: Kind, outcome: Outcome) {
        let t = self.by_kind.entry(kind).or_default();
        match outcome {
            Outcome::Created => t.created += 1,
            Outcome::Updated => t.updated += 1,
            Outcome::Unchanged => t.unchanged += 1,
        }
    }

    pub fn merge(&mut self, other: WriteReport) {
        for (kind, t) in other.by_kind {
            let mine = self.by_kind.entry(kind).or_default();
            mine.created += t.created;
            mine.updated += t.updated;
            mine.unchanged += t.unchanged;
        }
    }

    pub fn changed(&self) -> u64 {
        self.by_kind.values().map(|t| t.created + t.updated).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A record to write, with the fingerprint of its source text: a record
/// whose fingerprint is already stored is left alone.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub record: Record,
    pub fingerprint: String,
}

impl Incoming {
    /// `line` is the record's text as it was read.
    pub fn from_line(record: Record, line: &str) -> Incoming {
        Incoming { record, fingerprint: blake3::hash(line.as_bytes()).to_hex()[..32].to_owned() }
    }
}

/// A write session: slug → id maps for the references articles make, and
/// the region tree for the closure rows. Load it once, write many batches.
pub struct Writer {
    ids: HashMap<Kind, HashMap<String, i64>>,
    region_parent: HashMap<i64, Option<i64>>,
    now: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = change_log)]
struct ChangeValues {
    resource: Kind,
    resource_id: i64,
    action: ChangeAction,
    changed_at: NaiveDateTime,
    /// The slug the resource had when it changed.
    slug: String,
}

/// SQLite binds at most 32766 values per statement; stay well below.
const ROWS_PER_INSERT: usize = 500;

macro_rules! insert_chunked {
    ($conn:expr, $table:path, $rows:expr) => {
        for chunk in $rows.chunks(ROWS_PER_INSERT) {
            diesel::insert_into($table).values(chunk).execute($conn)?;
        }
    };
}

/// Insert or update a taxonomy row by slug; `$values` is a tuple of
/// `column.eq(value)` assignments. Yields `(id, Outcome)`.
macro_rules! upsert_by_slug {
    ($conn:expr, $table:ident, $slug:expr, $hash:expr, $values:expr) => {{
        let existing: Option<(i64, String)> = $table::table
            .filter($table::slug.eq($slug))
            .select(($table::id, $table::content_hash))
            .first($conn)
            .optional()?;
        match existing {
            Some((id, old)) if old == $hash => (id, Outcome::Unchanged),
            Some((id, _)) => {
                diesel::update($table::table.find(id))
                    .set(($values, $table::content_hash.eq(&$hash)))
                    .execute($conn)?;
                (id, Outcome::Updated)
            }
            None => {
                let id = diesel::insert_into($table::table)
                    .values(($table::slug.eq($slug), $values, $table::content_hash.eq(&$hash)))
                    .returning($table::id)
                    .get_result::<i64>($conn)?;
                (id, Outcome::Created)
            }
        }
    }};
}

// The macros above are defined before the modules that use them.
mod article_batch;
mod region_tree;
mod rows;
mod taxonomy;

impl Writer {
    /// Read the slug maps and the region tree.
    pub fn load(conn: &mut DbConn) -> QueryResult<Writer> {
        let mut ids = HashMap::new();
        ids.insert(
            Kind::Publisher,
            publishers::table.select((publishers::slug, publishers::id)).load(conn)?.into_iter().collect(),
        );
        ids.insert(Kind::Series, series::table.select((series::slug, series::id)).load(conn)?.into_iter().collect());
        ids.insert(Kind::Region, regions::table.select((regions::slug, regions::id)).load(conn)?.into_iter().collect());
        ids.insert(Kind::Topic, topics::table.select((topics::slug, topics::id)).load(conn)?.into_iter().collect());
        ids.insert(Kind::Author, authors::table.select((authors::slug, authors::id)).load(conn)?.into_iter().collect());
        let region_parent = regions::table.select((regions::id, regions::parent_id)).load(conn)?.into_iter().collect();
        Ok(Writer { ids, region_parent, now: Utc::now().naive_utc() })
    }

    fn id(&self, kind: Kind, slug: &crate::domain::Slug) -> QueryResult<i64> {
        self.ids.get(&kind).and_then(|m| m.get(slug.as_str())).copied().ok_or_else(|| {
            // Validation resolves every reference first; reaching this is a bug.
            diesel::result::Error::QueryBuilderError(format!("unresolved {} `{slug}`", kind.as_str()).into())
        })
    }

    fn remember(&mut self, kind: Kind, slug: &crate::domain::Slug, id: i64) {
        self.ids.entry(kind).or_default().insert(slug.as_str().to_owned(), id);
    }

    /// Write `records` (in file order). Run it inside a transaction.
    pub fn write(&mut self, conn: &mut DbConn, records: &[Incoming]) -> QueryResult<WriteReport> {
        let mut report = WriteReport::default();
        let mut changes = Vec::new();
        // Rows updated in place, whose articles' stored list items may show
        // them (a row created now is shown by no stored item yet).
        let mut updated = Vec::new();
        let mut pending_articles: Vec<(&ArticleRecord, &str)> = Vec::new();
        for Incoming { record, fingerprint } in records {
            let hash = fingerprint.as_str();
            if let Record::Article(a) = record {
                pending_articles.push((a, hash));
                continue;
            }
            // Keep file order: articles before this record may not depend on it,
            // but later ones may, so flush what is pending first.
            self.write_articles(conn, &pending_articles, &mut report, &mut changes)?;
            pending_articles.clear();
            let (id, outcome) = match record {
                Record::Publisher(r) => self.write_publisher(conn, r, hash)?,
                Record::Series(r) => self.write_series(conn, r, hash)?,
                Record::Region(r) => self.write_region(conn, r, hash, &mut report, &mut changes)?,
                Record::Topic(r) => self.write_topic(conn, r, hash)?,
                Record::Author(r) => self.write_author(conn, r, hash)?,
                Record::Article(_) => unreachable!("articles are batched above"),
            };
            self.remember(record.kind(), record.slug(), id);
            report.note(record.kind(), outcome);
            if outcome != Outcome::Unchanged {
                changes.push(self.change(record.kind(), id, record.slug().as_str()));
            }
            if outcome == Outcome::Updated {
                updated.push((record.kind(), id));
            }
        }
        self.write_articles(conn, &pending_articles, &mut report, &mut changes)?;
        let articles = changes.iter().filter(|c| c.resource == Kind::Article).map(|c| (Kind::Article, c.resource_id));
        crate::cards::refresh_after(conn, articles.chain(updated))?;
        insert_chunked!(conn, change_log::table, changes);
        Ok(report)
    }

    fn change(&self, resource: Kind, id: i64, slug: &str) -> ChangeValues {
        ChangeValues {
            resource,
            resource_id: id,
            action: ChangeAction::Upsert,
            changed_at: self.now,
            slug: slug.to_owned(),
        }
    }
}
