//! Citing articles: what the citation renderers need beyond a list item
//! (authors' family and given names, the publisher's place, the article's
//! URL here, the access date), looked up a batch at a time, then the
//! items handed to the writer of the format. One article and a whole list
//! are cited by the same code.

use std::collections::{HashMap, HashSet};

use crate::db::DbConn;
use crate::domain::Kind;
use crate::error::ApiError;
use crate::models::ResourceKey;
use crate::models::{author, publisher};
use crate::render::cite::{self, Citable, CitationFormat, CitationWriter, NameParts};
use crate::render::item::Item;
use crate::services::writes;

pub struct Citer {
    writer: Box<dyn CitationWriter + Send>,
    /// Publishers' places, kept across batches (few publishers).
    places: HashMap<i64, Option<String>>,
    origin: String,
    accessed: chrono::NaiveDate,
}

impl Citer {
    /// Citations in `format`; links to the API start with `origin`.
    pub fn new(format: CitationFormat, origin: &str) -> Citer {
        Citer {
            writer: cite::writer(format),
            places: HashMap::new(),
            origin: origin.to_owned(),
            accessed: chrono::Utc::now().date_naive(),
        }
    }

    pub fn begin(&mut self, out: &mut Vec<u8>) {
        self.writer.begin(out);
    }

    pub fn end(&mut self, out: &mut Vec<u8>) {
        self.writer.end(out);
    }

    /// Cite the articles whose list items (or full records) are `jsons`,
    /// in order.
    pub fn items(&mut self, conn: &mut DbConn, jsons: &[&str], out: &mut Vec<u8>) -> Result<(), ApiError> {
        let items = jsons
            .iter()
            .map(|json| Item::parse(json))
            .collect::<Result<Vec<Item<'_>>, _>>()
            .map_err(|e| ApiError::Internal(format!("citation: a list item does not read: {e}")))?;
        let mut people = HashSet::new();
        for item in &items {
            people.extend(item.authors.iter().map(|p| p.id));
            people.extend(item.translation.iter().flat_map(|t| t.translators.iter().map(|p| p.id)));
        }
        let people: Vec<i64> = people.into_iter().collect();
        let names: HashMap<i64, NameParts> = author::name_parts(conn, &people)?
            .into_iter()
            .map(|(id, (family, given))| (id, NameParts { family, given }))
            .collect();
        let unknown: Vec<i64> =
            items.iter().map(|i| i.publisher.id).filter(|id| !self.places.contains_key(id)).collect();
        if !unknown.is_empty() {
            let found = publisher::locations(conn, &unknown)?;
            for id in unknown {
                self.places.insert(id, found.get(&id).cloned().flatten());
            }
        }
        for item in &items {
            let api_url = format!("{}/v1/articles/{}", self.origin, item.slug);
            let citable = Citable {
                item,
                names: &names,
                publisher_place: self.places.get(&item.publisher.id).and_then(|p| p.as_deref()),
                api_url: &api_url,
                accessed: self.accessed,
            };
            self.writer.item(&citable, out)?;
        }
        Ok(())
    }
}

/// The citation of one article (by id or slug) in `format`: 404 when
/// there is no such article, 410 when it was deleted or unpublished.
pub fn cite_one(
    conn: &mut DbConn,
    key: &ResourceKey,
    format: CitationFormat,
    origin: &str,
) -> Result<Vec<u8>, ApiError> {
    let detail = writes::live(conn, Kind::Article, key)?;
    let json = std::str::from_utf8(&detail.json).map_err(|e| ApiError::Internal(format!("an article's JSON: {e}")))?;
    let mut citer = Citer::new(format, origin);
    let mut out = Vec::new();
    citer.begin(&mut out);
    citer.items(conn, &[json], &mut out)?;
    citer.end(&mut out);
    Ok(out)
}
