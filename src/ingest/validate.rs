//! The first pass of an import: every line parsed and checked, every
//! reference resolved against the lines before it and the database, before
//! anything is written.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::Kind;
use crate::domain::{BodyStatus, Slug};
use crate::ingest::record::{ArticleRecord, FieldError, Record};
use crate::schema::{authors, publishers, regions, series, tombstones, topics};

/// A problem with one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}, field `{}`: {}", self.line, self.field, self.message)
        }
    }
}

/// Where each slug was first defined in the file (line number), or that it
/// is already in the database (line 0).
pub struct Validator {
    defined: HashMap<Kind, HashMap<String, usize>>,
    /// Region parent links as they will be after the import.
    region_parent: HashMap<String, Option<String>>,
    pub errors: Vec<LineError>,
    pub max_errors: usize,
    pub records: u64,
    /// Checking one record of a write, not lines of a file.
    single: bool,
    /// Slugs unpublished articles keep (an import may not reuse them).
    reserved: HashSet<String>,
}

const IN_DATABASE: usize = 0;

/// Whether a row of `$table` has the slug.
macro_rules! exists {
    ($conn:expr, $table:ident, $slug:expr) => {
        diesel::select(diesel::dsl::exists($table::table.filter($table::slug.eq($slug)))).get_result::<bool>($conn)?
    };
}

impl Validator {
    pub fn load(conn: &mut DbConn, max_errors: usize) -> QueryResult<Validator> {
        let mut defined: HashMap<Kind, HashMap<String, usize>> = HashMap::new();
        let mut put = |kind: Kind, slugs: Vec<String>| {
            defined.insert(kind, slugs.into_iter().map(|s| (s, IN_DATABASE)).collect());
        };
        put(Kind::Publisher, publishers::table.select(publishers::slug).load(conn)?);
        put(Kind::Series, series::table.select(series::slug).load(conn)?);
        put(Kind::Region, regions::table.select(regions::slug).load(conn)?);
        put(Kind::Topic, topics::table.select(topics::slug).load(conn)?);
        put(Kind::Author, authors::table.select(authors::slug).load(conn)?);
        // Articles are referenced by nothing; only duplicates within the file matter.
        defined.insert(Kind::Article, HashMap::new());
        let parent_slugs: Vec<(String, Option<i64>, i64)> =
            regions::table.select((regions::slug, regions::parent_id, regions::id)).load(conn)?;
        let slug_of: HashMap<i64, String> = parent_slugs.iter().map(|(s, _, id)| (*id, s.clone())).collect();
        let region_parent = parent_slugs
            .iter()
            .map(|(slug, parent, _)| (slug.clone(), parent.and_then(|p| slug_of.get(&p).cloned())))
            .collect();
        let reserved = tombstones::table
            .filter(tombstones::resource.eq(Kind::Article))
            .filter(tombstones::state.eq(crate::domain::TombstoneState::Unpublished))
            .select(tombstones::slug)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        Ok(Validator { defined, region_parent, errors: Vec::new(), max_errors, records: 0, single: false, reserved })
    }

    /// For one record written through the API: only the slugs it refers to
    /// are read (and the region tree). `renaming`: the slug the resource
    /// has now, when the record gives it another.
    pub fn for_record(conn: &mut DbConn, record: &Record, renaming: Option<&str>) -> QueryResult<Validator> {
        let mut defined: HashMap<Kind, HashMap<String, usize>> = HashMap::new();
        for (kind, slug) in crate::ingest::writer::references(record) {
            let exists = match kind {
                Kind::Publisher => exists!(conn, publishers, slug),
                Kind::Series => exists!(conn, series, slug),
                Kind::Topic => exists!(conn, topics, slug),
                Kind::Author => exists!(conn, authors, slug),
                Kind::Region => exists!(conn, regions, slug),
                Kind::Article => false,
            };
            if exists {
                defined.entry(kind).or_default().insert(slug.to_owned(), IN_DATABASE);
            }
        }
        let tree: Vec<(String, Option<i64>, i64)> =
            regions::table.select((regions::slug, regions::parent_id, regions::id)).load(conn)?;
        let slug_of: HashMap<i64, String> = tree.iter().map(|(s, _, id)| (*id, s.clone())).collect();
        let new_slug = record.slug().as_str();
        let renamed = |s: &String| match renaming {
            Some(old) if record.kind() == Kind::Region && s == old => new_slug.to_owned(),
            _ => s.clone(),
        };
        let region_parent = tree
            .iter()
            .map(|(slug, parent, _)| (renamed(slug), parent.and_then(|p| slug_of.get(&p)).map(renamed)))
            .collect();
        // A region may name any region as parent (the tree is small and read whole).
        defined.entry(Kind::Region).or_default().extend(tree.iter().map(|(s, _, _)| (renamed(s), IN_DATABASE)));
        // (The write path checks reserved slugs itself, with a 409.)
        let reserved = HashSet::new();
        Ok(Validator {
            defined,
            region_parent,
            errors: Vec::new(),
            max_errors: 100,
            records: 0,
            single: true,
            reserved,
        })
    }

    pub fn full(&self) -> bool {
        self.errors.len() >= self.max_errors
    }

    fn error(&mut self, line: usize, field: impl Into<String>, message: impl Into<String>) {
        if !self.full() {
            self.errors.push(LineError { line, field: field.into(), message: message.into() });
        }
    }

    pub fn parse_error(&mut self, line: usize, e: FieldError) {
        self.error(line, e.field, e.message);
    }

    fn require(&mut self, line: usize, field: String, kind: Kind, slug: &Slug) {
        if !self.defined.get(&kind).is_some_and(|m| m.contains_key(slug.as_str())) {
            let message = if self.single {
                format!("no {} has the slug `{slug}`", kind.as_str())
            } else {
                format!("no {} `{slug}` is defined on an earlier line or in the database", kind.as_str())
            };
            self.error(line, field, message);
        }
    }

    /// Check one parsed record and note the slug it defines.
    pub fn check(&mut self, line: usize, record: &Record) {
        self.records += 1;
        match record {
            Record::Series(s) => self.require(line, "publisher".into(), Kind::Publisher, &s.publisher),
            Record::Region(r) => {
                if let Some(parent) = &r.parent {
                    self.require(line, "parent".into(), Kind::Region, parent);
                    if self.would_cycle(r.slug.as_str(), parent.as_str()) {
                        self.error(
                            line,
                            "parent",
                            format!("`{parent}` lies beneath `{}`; regions must form a tree", r.slug),
                        );
                    }
                }
                self.region_parent.insert(r.slug.as_str().to_owned(), r.parent.as_ref().map(|p| p.as_str().to_owned()));
                if r.parent.is_none() && r.provenance.as_ref().is_some_and(|p| p.parent.is_some()) {
                    self.error(line, "provenance.parent", "is marked but the region has no parent");
                }
            }
            Record::Author(a) => {
                let split = a.family_name.is_some() || a.given_name.is_some();
                if !split && a.provenance.as_ref().is_some_and(|p| p.name_parts.is_some()) {
                    self.error(line, "provenance.name_parts", "is marked but the author has no family or given name");
                }
            }
            Record::Article(a) => self.check_article(line, a),
            Record::Publisher(_) | Record::Topic(_) => {}
        }
        let kind = record.kind();
        let slug = record.slug().as_str().to_owned();
        match self.defined.entry(kind).or_default().get(&slug).copied() {
            Some(first) if first != IN_DATABASE => {
                self.error(line, "slug", format!("{} `{slug}` is already defined on line {first}", kind.as_str()))
            }
            _ => {
                self.defined.entry(kind).or_default().insert(slug, line);
            }
        }
    }

    fn would_cycle(&self, slug: &str, parent: &str) -> bool {
        let mut next = Some(parent.to_owned());
        let mut steps = 0;
        while let Some(current) = next {
            if current == slug || steps > 10_000 {
                return true;
            }
            next = self.region_parent.get(&current).cloned().flatten();
            steps += 1;
        }
        false
    }

    fn check_article(&mut self, line: usize, a: &ArticleRecord) {
        if self.reserved.contains(a.slug.as_str()) {
            self.error(
                line,
                "slug",
                format!("`{}` is kept by an unpublished article; republish or delete it first", a.slug),
            );
        }
        self.require(line, "publisher".into(), Kind::Publisher, &a.publisher);
        if let Some(s) = &a.series {
            self.require(line, "series".into(), Kind::Series, s);
        }
        let mut seen_authors = HashSet::new();
        for (i, b) in a.authors.iter().enumerate() {
            self.require(line, format!("authors[{i}].author"), Kind::Author, &b.author);
            if !seen_authors.insert(b.author.as_str()) {
                self.error(line, format!("authors[{i}].author"), format!("`{}` appears twice in the byline", b.author));
            }
        }
        for (field, kind, slugs) in [("regions", Kind::Region, &a.regions), ("topics", Kind::Topic, &a.topics)] {
            let mut seen = HashSet::new();
            for (i, link) in slugs.iter().enumerate() {
                let slug = link.slug();
                self.require(line, format!("{field}[{i}]"), kind, slug);
                if !seen.insert(slug.as_str()) {
                    self.error(line, format!("{field}[{i}]"), format!("`{slug}` is listed twice"));
                }
            }
        }
        match (a.effective_body_status(), &a.body) {
            (BodyStatus::None, Some(_)) => self.error(line, "body_status", "is `none` but the record has a body"),
            (BodyStatus::Full | BodyStatus::Cut, None) => {
                self.error(line, "body", "is missing but body_status says there is one")
            }
            _ => {}
        }
        let paragraphs = a.body.as_ref().map_or(0, |b| b.as_str().split("\n\n").count());
        for (i, f) in a.figures.iter().enumerate() {
            if f.after_paragraph.is_some_and(|p| p as usize > paragraphs) {
                self.error(
                    line,
                    format!("figures[{i}].after_paragraph"),
                    format!("the body has only {paragraphs} paragraphs"),
                );
            }
        }
        let original_language = a.translation.as_ref().and_then(|t| t.original_language.as_ref());
        if a.marks_original_language() && original_language.is_none() {
            self.error(line, "provenance.original_language", "is marked but the record has no original language");
        }
        if let Some(updated) = a.updated_at {
            if updated.0 < a.published_at.0 {
                self.error(line, "updated_at", "is earlier than published_at");
            }
        }
    }
}
