//! The one place where the corpus is written. Every insert, update and
//! change-log entry goes through `Writer::write`, inside the caller's
//! transaction, so derived stores (caches, the search index) can follow the
//! change log and nothing else.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{ChangeAction, Kind, TombstoneState};
use crate::ingest::record::{ArticleRecord, Record};
use crate::schema::{authors, change_log, publishers, regions, series, tombstones, topics};

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
    pub target: Target,
}

/// Which row a record is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The row with the record's slug, or a new one (the import).
    Slug,
    /// The row with this id, whatever its slug (a rename), or, when there
    /// is none, a new row with this id (an article republished).
    Id(i64),
}

impl Incoming {
    /// `line` is the record's text as it was read.
    pub fn from_line(record: Record, line: &str) -> Incoming {
        Incoming { record, fingerprint: fingerprint(line.as_bytes()), target: Target::Slug }
    }

    /// A record written through the API, to `target`: always applied. (Its
    /// slugs may name other resources than when the same text was stored
    /// — a topic renamed and its slug reused — so the same text is no
    /// proof that nothing changes; the fingerprint is made unique.)
    pub fn from_api(record: Record, target: Target) -> Incoming {
        let mut text = record_text(&record);
        text.push_str(&format!("\n{}", uuid::Builder::from_random_bytes(rand::random()).into_uuid()));
        Incoming { record, fingerprint: fingerprint(text.as_bytes()), target }
    }
}

fn fingerprint(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_owned()
}

fn record_text(record: &Record) -> String {
    let text = match record {
        Record::Publisher(r) => serde_json::to_string(r),
        Record::Series(r) => serde_json::to_string(r),
        Record::Region(r) => serde_json::to_string(r),
        Record::Topic(r) => serde_json::to_string(r),
        Record::Author(r) => serde_json::to_string(r),
        Record::Article(r) => serde_json::to_string(r),
    };
    text.unwrap_or_default()
}

/// A write session: slug → id maps for the references articles make, and
/// the region tree for the closure rows. Load it once, write many batches.
pub struct Writer {
    ids: HashMap<Kind, HashMap<String, i64>>,
    region_parent: HashMap<i64, Option<i64>>,
    now: NaiveDateTime,
    /// The API key making the writes (none for an import).
    key_id: Option<i64>,
    /// Per kind, the highest id a deleted resource had: new rows get ids
    /// above it, so no id is ever reused.
    id_floor: HashMap<Kind, i64>,
    /// The store had no article when this writer started (a first import):
    /// a new article's uid can be taken by no other article.
    into_empty: bool,
}

#[derive(Insertable)]
#[diesel(table_name = change_log, treat_none_as_default_value = false)]
struct ChangeValues {
    resource: Kind,
    resource_id: i64,
    action: ChangeAction,
    changed_at: NaiveDateTime,
    /// The slug the resource had when it changed.
    slug: String,
    key_id: Option<i64>,
    tombstone: Option<TombstoneState>,
}

/// SQLite binds at most 32766 values per statement; stay well below.
const ROWS_PER_INSERT: usize = 500;

macro_rules! insert_chunked {
    ($conn:expr, $table:path, $rows:expr) => {
        for chunk in $rows.chunks(ROWS_PER_INSERT) {
            $crate::on_backend!(&mut *$conn, |c| diesel::insert_into($table).values(chunk).execute(c))?;
        }
    };
}

/// Insert or update a taxonomy row, found by `$target`; `$values` is a
/// tuple of `column.eq(value)` assignments. Yields `(id, Outcome)`.
macro_rules! upsert {
    ($self:expr, $conn:expr, $kind:expr, $target:expr, $table:ident, $slug:expr, $hash:expr, $values:expr) => {{
        let found = $table::table.select(($table::id, $table::content_hash)).into_boxed();
        let existing: Option<(i64, String)> = match $target {
            Target::Slug => found.filter($table::slug.eq($slug)).first($conn).optional()?,
            Target::Id(id) => found.filter($table::id.eq(id)).first($conn).optional()?,
        };
        match existing {
            Some((id, old)) if old == $hash => (id, Outcome::Unchanged),
            Some((id, _)) => {
                diesel::update($table::table.find(id))
                    .set(($table::slug.eq($slug), $values, $table::content_hash.eq(&$hash)))
                    .execute($conn)?;
                (id, Outcome::Updated)
            }
            None => {
                let next: Option<i64> = $table::table.select(diesel::dsl::max($table::id)).first($conn)?;
                let id = match $target {
                    Target::Id(id) => id,
                    Target::Slug => $self.next_id($kind, next.unwrap_or(0)),
                };
                diesel::insert_into($table::table)
                    .values(($table::id.eq(id), $table::slug.eq($slug), $values, $table::content_hash.eq(&$hash)))
                    .execute($conn)?;
                (id, Outcome::Created)
            }
        }
    }};
}

// The macros above are defined before the modules that use them.
mod article_batch;
pub mod deletions;
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
        Writer::with_ids(conn, ids)
    }

    /// Read only the slugs `records` refer to, and the region tree: for a
    /// write of a few records (the API).
    pub fn for_records(conn: &mut DbConn, records: &[Incoming]) -> QueryResult<Writer> {
        let mut wanted: HashMap<Kind, Vec<&str>> = HashMap::new();
        for incoming in records {
            for (kind, slug) in references(&incoming.record) {
                wanted.entry(kind).or_default().push(slug);
            }
        }
        let get = |kind: Kind| wanted.get(&kind).cloned().unwrap_or_default();
        /// slug → id of the rows of `$table` with these slugs.
        macro_rules! ids_of {
            ($table:ident, $slugs:expr) => {
                $table::table
                    .filter($table::slug.eq_any($slugs))
                    .select(($table::slug, $table::id))
                    .load::<(String, i64)>(conn)?
                    .into_iter()
                    .collect::<HashMap<String, i64>>()
            };
        }
        let mut ids: HashMap<Kind, HashMap<String, i64>> = HashMap::new();
        ids.insert(Kind::Publisher, ids_of!(publishers, get(Kind::Publisher)));
        ids.insert(Kind::Series, ids_of!(series, get(Kind::Series)));
        ids.insert(Kind::Topic, ids_of!(topics, get(Kind::Topic)));
        ids.insert(Kind::Author, ids_of!(authors, get(Kind::Author)));
        // A region may name any region as parent: the tree is small, read whole.
        ids.insert(Kind::Region, regions::table.select((regions::slug, regions::id)).load(conn)?.into_iter().collect());
        Writer::with_ids(conn, ids)
    }

    fn with_ids(conn: &mut DbConn, ids: HashMap<Kind, HashMap<String, i64>>) -> QueryResult<Writer> {
        let region_parent = regions::table.select((regions::id, regions::parent_id)).load(conn)?.into_iter().collect();
        let floors: Vec<(Kind, Option<i64>)> = tombstones::table
            .group_by(tombstones::resource)
            .select((tombstones::resource, diesel::dsl::max(tombstones::resource_id)))
            .load(conn)?;
        let id_floor = floors.into_iter().filter_map(|(kind, max)| max.map(|m| (kind, m))).collect();
        Ok(Writer { ids, region_parent, now: Utc::now().naive_utc(), key_id: None, id_floor, into_empty: false })
    }

    /// For an import into a store with no article (its secondary indexes
    /// deferred): uids are checked against tombstones only.
    pub fn into_empty_store(mut self) -> Writer {
        self.into_empty = true;
        self
    }

    /// Record `key_id` as the maker of every change this writer logs.
    pub fn made_by(mut self, key_id: Option<i64>) -> Writer {
        self.key_id = key_id;
        self
    }

    /// The id of a new row of `kind`, given the table's highest.
    fn next_id(&self, kind: Kind, table_max: i64) -> i64 {
        table_max.max(self.id_floor.get(&kind).copied().unwrap_or(0)) + 1
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
        let mut pending_articles: Vec<(&ArticleRecord, &str, Target)> = Vec::new();
        for Incoming { record, fingerprint, target } in records {
            let hash = fingerprint.as_str();
            if let Record::Article(a) = record {
                pending_articles.push((a, hash, *target));
                continue;
            }
            // Keep file order: articles before this record may not depend on it,
            // but later ones may, so flush what is pending first.
            self.write_articles(conn, &pending_articles, &mut report, &mut changes)?;
            pending_articles.clear();
            let (id, outcome) = match record {
                Record::Publisher(r) => self.write_publisher(conn, r, hash, *target)?,
                Record::Series(r) => self.write_series(conn, r, hash, *target)?,
                Record::Region(r) => self.write_region(conn, r, hash, *target, &mut report, &mut changes)?,
                Record::Topic(r) => self.write_topic(conn, r, hash, *target)?,
                Record::Author(r) => self.write_author(conn, r, hash, *target)?,
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
            key_id: self.key_id,
            tombstone: None,
        }
    }
}

/// The (kind, slug) of every resource `record` refers to.
pub fn references(record: &Record) -> Vec<(Kind, &str)> {
    match record {
        Record::Series(s) => vec![(Kind::Publisher, s.publisher.as_str())],
        Record::Article(a) => {
            let mut refs = vec![(Kind::Publisher, a.publisher.as_str())];
            refs.extend(a.series.iter().map(|s| (Kind::Series, s.as_str())));
            refs.extend(a.authors.iter().map(|b| (Kind::Author, b.author.as_str())));
            refs.extend(a.topics.iter().map(|t| (Kind::Topic, t.slug().as_str())));
            refs
        }
        _ => Vec::new(),
    }
}
