//! The one place where the corpus is written. Every insert, update and
//! change-log entry goes through `Writer::write`, inside the caller's
//! transaction, so derived stores (caches, the search index) can follow the
//! change log and nothing else.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{fold, Kind, Provenance};
use crate::ingest::record::{
    ArticleRecord, AuthorRecord, PublisherRecord, Record, RegionRecord, SeriesRecord, TopicRecord,
};
use crate::schema::{
    article_authors, article_bodies, article_figures, article_references, article_regions, article_topics, articles,
    authors, change_log, publisher_contacts, publisher_units, publishers, regions, series, topics,
};

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

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = articles, treat_none_as_null = true)]
struct ArticleValues<'a> {
    slug: &'a str,
    publisher_id: i64,
    series_id: Option<i64>,
    article_type: crate::domain::ArticleType,
    language: &'a str,
    published_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    body_status: crate::domain::BodyStatus,
    title_truncated: bool,
    title: &'a str,
    subtitle: Option<&'a str>,
    url: Option<String>,
    source_name: Option<&'a str>,
    source_url: Option<String>,
    source_published_on: Option<chrono::NaiveDate>,
    original_language: Option<&'a str>,
    original_title: Option<&'a str>,
    original_venue: Option<&'a str>,
    original_published_on: Option<chrono::NaiveDate>,
    original_date_text: Option<&'a str>,
    translation_note: Option<&'a str>,
    summary: Option<&'a str>,
    content_hash: String,
    type_provenance: Provenance,
    original_language_provenance: Provenance,
    provenance_note: Option<&'a str>,
    /// Set when the article is created, never changed.
    #[diesel(skip_update)]
    uid: String,
}

#[derive(Insertable)]
#[diesel(table_name = article_authors)]
struct BylineValues {
    article_id: i64,
    position: i32,
    author_id: i64,
    role: crate::domain::ContributorRole,
    affiliation: Option<String>,
    published_at: NaiveDateTime,
    provenance: Provenance,
    provenance_note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_topics)]
struct TopicLink {
    article_id: i64,
    topic_id: i64,
    position: i32,
    published_at: NaiveDateTime,
    provenance: Provenance,
    provenance_note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_regions)]
struct RegionLink {
    article_id: i64,
    region_id: i64,
    is_direct: bool,
    position: i32,
    published_at: NaiveDateTime,
    provenance: Provenance,
    provenance_note: Option<String>,
}

/// A region an article names, with its mark.
#[derive(Debug, Clone)]
struct DirectRegion {
    id: i64,
    provenance: Provenance,
    note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_bodies)]
struct BodyValues<'a> {
    article_id: i64,
    body: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = article_figures)]
struct FigureValues<'a> {
    article_id: i64,
    position: i32,
    caption: &'a str,
    credit: Option<&'a str>,
    after_paragraph: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = article_references)]
struct ReferenceValues<'a> {
    article_id: i64,
    position: i32,
    citation: &'a str,
    url: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = change_log)]
struct ChangeValues {
    resource: &'static str,
    resource_id: i64,
    action: &'static str,
    changed_at: NaiveDateTime,
}

/// Rows for the articles of one batch, inserted together.
#[derive(Default)]
struct ArticleChildren<'a> {
    bodies: Vec<BodyValues<'a>>,
    bylines: Vec<BylineValues>,
    topics: Vec<TopicLink>,
    regions: Vec<RegionLink>,
    figures: Vec<FigureValues<'a>>,
    references: Vec<ReferenceValues<'a>>,
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
            let (resource, (id, outcome)) = match record {
                Record::Publisher(r) => ("publisher", self.write_publisher(conn, r, hash)?),
                Record::Series(r) => ("series", self.write_series(conn, r, hash)?),
                Record::Region(r) => ("region", self.write_region(conn, r, hash, &mut report, &mut changes)?),
                Record::Topic(r) => ("topic", self.write_topic(conn, r, hash)?),
                Record::Author(r) => ("author", self.write_author(conn, r, hash)?),
                Record::Article(_) => unreachable!("articles are batched above"),
            };
            self.remember(record.kind(), record.slug(), id);
            report.note(record.kind(), outcome);
            if outcome != Outcome::Unchanged {
                changes.push(self.change(resource, id));
            }
            if outcome == Outcome::Updated {
                updated.push((record.kind(), id));
            }
        }
        self.write_articles(conn, &pending_articles, &mut report, &mut changes)?;
        let articles =
            changes.iter().filter(|c| c.resource == Kind::Article.as_str()).map(|c| (Kind::Article, c.resource_id));
        crate::cards::refresh_after(conn, articles.chain(updated))?;
        insert_chunked!(conn, change_log::table, changes);
        Ok(report)
    }

    fn change(&self, resource: &'static str, id: i64) -> ChangeValues {
        ChangeValues { resource, resource_id: id, action: "upsert", changed_at: self.now }
    }

    fn write_publisher(&mut self, conn: &mut DbConn, r: &PublisherRecord, hash: &str) -> QueryResult<(i64, Outcome)> {
        let (id, outcome) = upsert_by_slug!(
            conn,
            publishers,
            r.slug.as_str(),
            hash,
            (
                publishers::name.eq(r.name.as_str()),
                publishers::short_name.eq(r.short_name.as_ref().map(|t| t.as_str())),
                publishers::description.eq(r.description.as_ref().map(|t| t.as_str())),
                publishers::url.eq(r.url.clone().map(|u| u.into_string())),
                publishers::founded_on.eq(r.founded_on),
                publishers::location.eq(r.location.as_ref().map(|t| t.as_str())),
                publishers::tagline.eq(r.tagline.as_ref().map(|t| t.as_str())),
                publishers::tagline_attribution.eq(r.tagline_attribution.as_ref().map(|t| t.as_str())),
                publishers::search_name.eq(fold(r.name.as_str())),
            )
        );
        if outcome != Outcome::Unchanged {
            diesel::delete(publisher_units::table.filter(publisher_units::publisher_id.eq(id))).execute(conn)?;
            diesel::delete(publisher_contacts::table.filter(publisher_contacts::publisher_id.eq(id))).execute(conn)?;
            let offices = r.offices.iter().map(|o| (crate::domain::UnitType::Office, o.as_str(), None));
            let programs = r.programs.iter().map(|p| {
                (crate::domain::UnitType::Program, p.name.as_str(), p.description.as_ref().map(|d| d.as_str()))
            });
            let units: Vec<_> = offices
                .chain(programs)
                .enumerate()
                .map(|(i, (kind, name, description))| {
                    (
                        publisher_units::publisher_id.eq(id),
                        publisher_units::position.eq(i as i32),
                        publisher_units::unit_type.eq(kind),
                        publisher_units::name.eq(name),
                        publisher_units::description.eq(description),
                    )
                })
                .collect();
            insert_chunked!(conn, publisher_units::table, units);
            let contacts: Vec<_> = r
                .contacts
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        publisher_contacts::publisher_id.eq(id),
                        publisher_contacts::position.eq(i as i32),
                        publisher_contacts::kind.eq(c.kind.as_str()),
                        publisher_contacts::value.eq(c.value.as_str()),
                    )
                })
                .collect();
            insert_chunked!(conn, publisher_contacts::table, contacts);
        }
        Ok((id, outcome))
    }

    fn write_series(&mut self, conn: &mut DbConn, r: &SeriesRecord, hash: &str) -> QueryResult<(i64, Outcome)> {
        let publisher_id = self.id(Kind::Publisher, &r.publisher)?;
        Ok(upsert_by_slug!(
            conn,
            series,
            r.slug.as_str(),
            hash,
            (
                series::name.eq(r.name.as_str()),
                series::publisher_id.eq(publisher_id),
                series::series_type.eq(r.series_type),
                series::description.eq(r.description.as_ref().map(|t| t.as_str())),
                series::search_name.eq(fold(r.name.as_str())),
            )
        ))
    }

    fn write_topic(&mut self, conn: &mut DbConn, r: &TopicRecord, hash: &str) -> QueryResult<(i64, Outcome)> {
        Ok(upsert_by_slug!(
            conn,
            topics,
            r.slug.as_str(),
            hash,
            (
                topics::name.eq(r.name.as_str()),
                topics::description.eq(r.description.as_ref().map(|t| t.as_str())),
                topics::search_name.eq(fold(r.name.as_str())),
                topics::provenance.eq(r.provenance.as_ref().map(|p| p.entry).unwrap_or_default()),
                topics::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        ))
    }

    fn write_author(&mut self, conn: &mut DbConn, r: &AuthorRecord, hash: &str) -> QueryResult<(i64, Outcome)> {
        Ok(upsert_by_slug!(
            conn,
            authors,
            r.slug.as_str(),
            hash,
            (
                authors::name.eq(r.name.as_str()),
                authors::family_name.eq(r.family_name.as_ref().map(|t| t.as_str())),
                authors::given_name.eq(r.given_name.as_ref().map(|t| t.as_str())),
                authors::bio.eq(r.bio.as_ref().map(|t| t.as_str())),
                authors::search_name.eq(fold(r.name.as_str())),
                authors::name_parts_provenance.eq(r.provenance.as_ref().map(|p| p.name_parts).unwrap_or_default()),
                authors::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        ))
    }

    fn write_region(
        &mut self,
        conn: &mut DbConn,
        r: &RegionRecord,
        hash: &str,
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<(i64, Outcome)> {
        let parent_id = r.parent.as_ref().map(|p| self.id(Kind::Region, p)).transpose()?;
        let (id, outcome) = upsert_by_slug!(
            conn,
            regions,
            r.slug.as_str(),
            hash,
            (
                regions::name.eq(r.name.as_str()),
                regions::parent_id.eq(parent_id),
                regions::region_type.eq(r.region_type),
                regions::search_name.eq(fold(r.name.as_str())),
                regions::provenance.eq(r.provenance.as_ref().map(|p| p.entry).unwrap_or_default()),
                regions::parent_provenance.eq(r.provenance.as_ref().map(|p| p.parent).unwrap_or_default()),
                regions::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        );
        let old_parent = self.region_parent.insert(id, parent_id);
        if outcome == Outcome::Updated && old_parent != Some(parent_id) {
            self.rebuild_closure_under(conn, id, report, changes)?;
        }
        Ok((id, outcome))
    }

    /// `region` and its ancestors, nearest first.
    fn with_ancestors(&self, region: i64) -> Vec<i64> {
        let mut chain = vec![region];
        let mut next = self.region_parent.get(&region).copied().flatten();
        while let Some(id) = next {
            if chain.contains(&id) {
                break; // validation rejects cycles; never loop on a damaged tree
            }
            chain.push(id);
            next = self.region_parent.get(&id).copied().flatten();
        }
        chain
    }

    /// The closure rows of one article: its direct regions, then each one's
    /// ancestors not already present. An ancestor row is `source` when any
    /// direct region beneath it was given by the source.
    fn region_links(&self, article_id: i64, direct: &[DirectRegion], published_at: NaiveDateTime) -> Vec<RegionLink> {
        let mut position: HashMap<i64, usize> = HashMap::new();
        let mut links: Vec<RegionLink> = direct
            .iter()
            .enumerate()
            .map(|(i, region)| {
                position.insert(region.id, i);
                RegionLink {
                    article_id,
                    region_id: region.id,
                    is_direct: true,
                    position: i as i32,
                    published_at,
                    provenance: region.provenance,
                    provenance_note: region.note.clone(),
                }
            })
            .collect();
        let direct_count = links.len();
        for (i, region) in direct.iter().enumerate() {
            for ancestor in self.with_ancestors(region.id).into_iter().skip(1) {
                match position.get(&ancestor) {
                    Some(&at) => {
                        if at >= direct_count && region.provenance.is_source() {
                            links[at].provenance = Provenance::Source;
                        }
                    }
                    None => {
                        position.insert(ancestor, links.len());
                        links.push(RegionLink {
                            article_id,
                            region_id: ancestor,
                            is_direct: false,
                            position: i as i32,
                            published_at,
                            provenance: region.provenance,
                            provenance_note: None,
                        });
                    }
                }
            }
        }
        links
    }

    /// A region moved in the tree: recompute the closure rows of every
    /// article filed under it or its descendants, and log those articles.
    fn rebuild_closure_under(
        &mut self,
        conn: &mut DbConn,
        region: i64,
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<()> {
        let subtree: Vec<i64> =
            self.region_parent.keys().copied().filter(|&r| self.with_ancestors(r).contains(&region)).collect();
        let affected: Vec<i64> = article_regions::table
            .filter(article_regions::is_direct.eq(true))
            .filter(article_regions::region_id.eq_any(&subtree))
            .select(article_regions::article_id)
            .distinct()
            .load(conn)?;
        for article_id in affected {
            let direct: Vec<(i64, NaiveDateTime, Provenance, Option<String>)> = article_regions::table
                .filter(article_regions::article_id.eq(article_id))
                .filter(article_regions::is_direct.eq(true))
                .order(article_regions::position)
                .select((
                    article_regions::region_id,
                    article_regions::published_at,
                    article_regions::provenance,
                    article_regions::provenance_note,
                ))
                .load(conn)?;
            let Some(&(_, published_at, _, _)) = direct.first() else { continue };
            let regions: Vec<DirectRegion> =
                direct.into_iter().map(|(id, _, provenance, note)| DirectRegion { id, provenance, note }).collect();
            diesel::delete(article_regions::table.filter(article_regions::article_id.eq(article_id))).execute(conn)?;
            let links = self.region_links(article_id, &regions, published_at);
            insert_chunked!(conn, article_regions::table, links);
            report.note(Kind::Article, Outcome::Updated);
            changes.push(self.change("article", article_id));
        }
        Ok(())
    }

    fn write_articles(
        &mut self,
        conn: &mut DbConn,
        batch: &[(&ArticleRecord, &str)],
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let slugs: Vec<&str> = batch.iter().map(|(a, _)| a.slug.as_str()).collect();
        let existing: HashMap<String, (i64, String)> = articles::table
            .filter(articles::slug.eq_any(&slugs))
            .select((articles::slug, articles::id, articles::content_hash))
            .load::<(String, i64, String)>(conn)?
            .into_iter()
            .map(|(slug, id, hash)| (slug, (id, hash)))
            .collect();
        let mut children = ArticleChildren::default();
        let mut replaced: Vec<i64> = Vec::new();
        for &(a, hash) in batch {
            let values = self.article_values(a, hash.to_owned())?;
            let (id, outcome) = match existing.get(a.slug.as_str()) {
                Some((id, old)) if *old == hash => (*id, Outcome::Unchanged),
                Some((id, _)) => {
                    diesel::update(articles::table.find(*id)).set(&values).execute(conn)?;
                    replaced.push(*id);
                    (*id, Outcome::Updated)
                }
                None => {
                    let id = diesel::insert_into(articles::table)
                        .values(&values)
                        .returning(articles::id)
                        .get_result(conn)?;
                    (id, Outcome::Created)
                }
            };
            report.note(Kind::Article, outcome);
            if outcome != Outcome::Unchanged {
                self.collect_children(a, id, &mut children)?;
                changes.push(self.change("article", id));
            }
        }
        if !replaced.is_empty() {
            diesel::delete(article_bodies::table.filter(article_bodies::article_id.eq_any(&replaced))).execute(conn)?;
            diesel::delete(article_authors::table.filter(article_authors::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_topics::table.filter(article_topics::article_id.eq_any(&replaced))).execute(conn)?;
            diesel::delete(article_regions::table.filter(article_regions::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_figures::table.filter(article_figures::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_references::table.filter(article_references::article_id.eq_any(&replaced)))
                .execute(conn)?;
        }
        insert_chunked!(conn, article_bodies::table, children.bodies);
        insert_chunked!(conn, article_authors::table, children.bylines);
        insert_chunked!(conn, article_topics::table, children.topics);
        insert_chunked!(conn, article_regions::table, children.regions);
        insert_chunked!(conn, article_figures::table, children.figures);
        insert_chunked!(conn, article_references::table, children.references);
        Ok(())
    }

    fn article_values<'a>(&self, a: &'a ArticleRecord, content_hash: String) -> QueryResult<ArticleValues<'a>> {
        let translation = a.translation.as_ref();
        let source = a.source.as_ref();
        Ok(ArticleValues {
            slug: a.slug.as_str(),
            publisher_id: self.id(Kind::Publisher, &a.publisher)?,
            series_id: a.series.as_ref().map(|s| self.id(Kind::Series, s)).transpose()?,
            article_type: a.article_type,
            language: a.language.as_str(),
            published_at: a.published_at.0,
            updated_at: a.updated_at.map_or(a.published_at.0, |m| m.0),
            body_status: a.effective_body_status(),
            title_truncated: a.title_truncated,
            title: a.title.as_str(),
            subtitle: a.subtitle.as_ref().map(|t| t.as_str()),
            url: a.url.clone().map(|u| u.into_string()),
            source_name: source.map(|s| s.name.as_str()),
            source_url: source.and_then(|s| s.url.clone()).map(|u| u.into_string()),
            source_published_on: source.and_then(|s| s.published_on),
            original_language: translation.and_then(|t| t.original_language.as_ref()).map(|l| l.as_str()),
            original_title: translation.and_then(|t| t.original_title.as_ref()).map(|t| t.as_str()),
            original_venue: translation.and_then(|t| t.original_venue.as_ref()).map(|t| t.as_str()),
            original_published_on: translation.and_then(|t| t.original_published_on),
            original_date_text: translation.and_then(|t| t.original_date_text.as_ref()).map(|t| t.as_str()),
            translation_note: translation.and_then(|t| t.note.as_ref()).map(|t| t.as_str()),
            summary: a.summary.as_ref().map(|t| t.as_str()),
            content_hash,
            type_provenance: a.type_provenance(),
            original_language_provenance: a.original_language_provenance(),
            provenance_note: a.provenance_note(),
            uid: crate::domain::article_uid(a.slug.as_str()),
        })
    }

    fn collect_children<'a>(&self, a: &'a ArticleRecord, id: i64, out: &mut ArticleChildren<'a>) -> QueryResult<()> {
        let published_at = a.published_at.0;
        if let Some(body) = &a.body {
            out.bodies.push(BodyValues { article_id: id, body: body.as_str() });
        }
        for (i, b) in a.authors.iter().enumerate() {
            out.bylines.push(BylineValues {
                article_id: id,
                position: i as i32,
                author_id: self.id(Kind::Author, &b.author)?,
                role: b.role,
                affiliation: b.affiliation.as_ref().map(|t| t.as_str().to_owned()),
                published_at,
                provenance: b.provenance.or(a.authors_default()).unwrap_or_default(),
                provenance_note: b.provenance_note.as_ref().map(|t| t.as_str().to_owned()),
            });
        }
        for (i, t) in a.topics.iter().enumerate() {
            out.topics.push(TopicLink {
                article_id: id,
                topic_id: self.id(Kind::Topic, t.slug())?,
                position: i as i32,
                published_at,
                provenance: t.provenance(a.topics_default()),
                provenance_note: t.note().map(str::to_owned),
            });
        }
        let direct: Vec<DirectRegion> = a
            .regions
            .iter()
            .map(|r| {
                Ok(DirectRegion {
                    id: self.id(Kind::Region, r.slug())?,
                    provenance: r.provenance(a.regions_default()),
                    note: r.note().map(str::to_owned),
                })
            })
            .collect::<QueryResult<_>>()?;
        out.regions.extend(self.region_links(id, &direct, published_at));
        for (i, f) in a.figures.iter().enumerate() {
            out.figures.push(FigureValues {
                article_id: id,
                position: i as i32,
                caption: f.caption.as_str(),
                credit: f.credit.as_ref().map(|t| t.as_str()),
                after_paragraph: f.after_paragraph.map(|p| p as i32),
            });
        }
        for (i, r) in a.references.iter().enumerate() {
            out.references.push(ReferenceValues {
                article_id: id,
                position: i as i32,
                citation: r.citation.as_str(),
                url: r.url.clone().map(|u| u.into_string()),
            });
        }
        Ok(())
    }
}
