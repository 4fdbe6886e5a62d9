//! CSV exports (RFC 4180, UTF-8, a header row, CRLF line ends), written
//! with the `csv` crate.
//!
//! An article list has one stable set of columns (`ARTICLE_COLUMNS`, in
//! order); `fields` keeps the columns of the fields it names, `include=body`
//! adds `body`, and a search adds `score`. Many-valued fields (the byline,
//! topics, regions) are parallel columns whose values are joined with
//! `MULTI_SEPARATOR` (`|`): `author_names`, `author_roles` and
//! `author_affiliations` hold one value per byline entry, in byline order,
//! so splitting each on `|` lines them up. A `|` inside a value is written
//! as `MULTI_SEPARATOR_STANDIN` (`¦`), so a split never cuts a value (the
//! NDJSON export carries every value exactly).
//!
//! Lists of authors, regions, topics, publishers and series have their own
//! columns (`TableColumns`): their JSON items flattened, nested members
//! joined with `_` (`parent_slug`, `provenance_entry`).

use std::borrow::Cow;

use serde::Serialize;

use super::item::{Classified, Item, Person};
use crate::error::ApiError;
use crate::views::articles::FieldMask;

/// Joins the values of a many-valued column.
pub const MULTI_SEPARATOR: char = '|';
/// Stands for a `MULTI_SEPARATOR` inside a value.
pub const MULTI_SEPARATOR_STANDIN: char = '¦';

/// UTF-8 byte order mark (`bom=true`), for Excel.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One column of the article CSV: its header, the item field it shows
/// (`fields` keeps it when it names that field) and its value.
struct Column {
    name: &'static str,
    field: &'static str,
    value: for<'b> fn(&'b Item<'b>, &str) -> Option<Cow<'b, str>>,
}

fn text<'b>(t: &'b Option<Cow<'_, str>>) -> Option<Cow<'b, str>> {
    t.as_deref().map(Cow::Borrowed)
}

fn owned<'b>(t: String) -> Option<Cow<'b, str>> {
    Some(Cow::Owned(t))
}

fn borrowed(t: &str) -> Option<Cow<'_, str>> {
    Some(Cow::Borrowed(t))
}

fn time<'b>(t: chrono::DateTime<chrono::Utc>) -> Option<Cow<'b, str>> {
    owned(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn day<'b>(d: chrono::NaiveDate) -> Option<Cow<'b, str>> {
    owned(d.to_string())
}

fn joined<'a, 'b, T: 'a>(
    values: impl IntoIterator<Item = &'a T>,
    part: impl Fn(&T) -> Option<&str>,
) -> Option<Cow<'b, str>> {
    let mut out = String::new();
    for (n, value) in values.into_iter().enumerate() {
        if n > 0 {
            out.push(MULTI_SEPARATOR);
        }
        match part(value) {
            Some(part) if part.contains(MULTI_SEPARATOR) => {
                out.push_str(&part.replace(MULTI_SEPARATOR, MULTI_SEPARATOR_STANDIN.encode_utf8(&mut [0; 4])))
            }
            Some(part) => out.push_str(part),
            None => {}
        }
    }
    Some(Cow::Owned(out))
}

macro_rules! col {
    ($name:literal, $field:literal, |$item:ident, $origin:ident| $value:expr) => {
        Column { name: $name, field: $field, value: |$item, $origin| $value }
    };
}

/// Every column an article CSV may have, in order.
const ARTICLE_COLUMNS: &[Column] = &[
    col!("id", "id", |i, _o| owned(i.id.to_string())),
    col!("uid", "uid", |i, _o| text(&i.uid)),
    col!("slug", "slug", |i, _o| borrowed(&i.slug)),
    col!("title", "title", |i, _o| borrowed(&i.title)),
    col!("title_truncated", "title_truncated", |i, _o| i.title_truncated.and_then(|t| borrowed(if t {
        "true"
    } else {
        "false"
    }))),
    col!("subtitle", "subtitle", |i, _o| text(&i.subtitle)),
    col!("summary", "summary", |i, _o| text(&i.summary)),
    col!("type", "type", |i, _o| borrowed(i.article_type.as_str())),
    col!("language", "language", |i, _o| borrowed(&i.language)),
    col!("published_at", "published_at", |i, _o| time(i.published_at)),
    col!("updated_at", "updated_at", |i, _o| time(i.updated_at)),
    col!("url", "url", |i, _o| text(&i.url)),
    col!("api_url", "slug", |i, o| owned(format!("{o}/v1/articles/{}", i.slug))),
    col!("body_status", "body_status", |i, _o| i.body_status.and_then(|s| borrowed(s.as_str()))),
    col!("publisher_slug", "publisher", |i, _o| borrowed(&i.publisher.slug)),
    col!("publisher", "publisher", |i, _o| borrowed(&i.publisher.name)),
    col!("series_slug", "series", |i, _o| i.series.as_ref().and_then(|s| borrowed(&s.slug))),
    col!("series", "series", |i, _o| i.series.as_ref().and_then(|s| borrowed(&s.name))),
    col!("author_slugs", "authors", |i, _o| joined(&i.authors, |p: &Person| Some(p.slug.as_ref()))),
    col!("author_names", "authors", |i, _o| joined(&i.authors, |p: &Person| Some(p.name.as_ref()))),
    col!("author_roles", "authors", |i, _o| joined(&i.authors, |p: &Person| Some(p.role.as_str()))),
    col!("author_affiliations", "authors", |i, _o| joined(&i.authors, |p: &Person| p.affiliation.as_deref())),
    col!("topic_slugs", "topics", |i, _o| joined(&i.topics, |t: &Classified| Some(t.slug.as_ref()))),
    col!("topics", "topics", |i, _o| joined(&i.topics, |t: &Classified| Some(t.name.as_ref()))),
    col!("region_slugs", "regions", |i, _o| joined(&i.regions, |t: &Classified| Some(t.slug.as_ref()))),
    col!("regions", "regions", |i, _o| joined(&i.regions, |t: &Classified| Some(t.name.as_ref()))),
    col!("source_name", "source", |i, _o| i.source.as_ref().and_then(|s| borrowed(&s.name))),
    col!("source_url", "source", |i, _o| i.source.as_ref().and_then(|s| text(&s.url))),
    col!("source_published_on", "source", |i, _o| i.source.as_ref().and_then(|s| s.published_on).and_then(day)),
    col!("original_language", "translation", |i, _o| i.translation.as_ref().and_then(|t| text(&t.original_language))),
    col!("original_title", "translation", |i, _o| i.translation.as_ref().and_then(|t| text(&t.original_title))),
    col!("original_venue", "translation", |i, _o| i.translation.as_ref().and_then(|t| text(&t.original_venue))),
    col!("original_published_on", "translation", |i, _o| i
        .translation
        .as_ref()
        .and_then(|t| t.original_published_on)
        .and_then(day)),
    col!("translation_note", "translation", |i, _o| i.translation.as_ref().and_then(|t| text(&t.note))),
    col!("body", "body", |i, _o| text(&i.body)),
    col!("score", "score", |i, _o| i.score.and_then(|s| owned(s.to_string()))),
];

/// The headers of the article CSV, in order (for the documentation).
pub fn article_headers() -> Vec<(&'static str, &'static str)> {
    ARTICLE_COLUMNS.iter().map(|c| (c.name, c.field)).collect()
}

/// An article CSV being written.
pub struct ArticleCsv {
    columns: Vec<&'static Column>,
    writer: csv::Writer<Vec<u8>>,
    origin: String,
}

fn csv_error(e: csv::Error) -> ApiError {
    ApiError::Internal(format!("CSV: {e}"))
}

fn writer(bom: bool) -> csv::Writer<Vec<u8>> {
    let start = if bom { BOM.to_vec() } else { Vec::new() };
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(start)
}

/// Move what `writer` holds to `out`, leaving it empty.
fn drain(writer: &mut csv::Writer<Vec<u8>>, out: &mut Vec<u8>) -> Result<(), ApiError> {
    let full = std::mem::replace(writer, self::writer(false));
    let mut bytes = full.into_inner().map_err(|e| ApiError::Internal(format!("CSV: {}", e.error())))?;
    out.append(&mut bytes);
    Ok(())
}

impl ArticleCsv {
    /// The columns of the fields in `mask` (`score` only on searches), the
    /// header row written.
    pub fn new(mask: FieldMask, search: bool, bom: bool, origin: &str) -> Result<ArticleCsv, ApiError> {
        let columns: Vec<&Column> = ARTICLE_COLUMNS
            .iter()
            .filter(|c| mask.has(c.field) && (c.field != "score" || search) && c.field != "highlights")
            .collect();
        let mut writer = writer(bom);
        writer.write_record(columns.iter().map(|c| c.name)).map_err(csv_error)?;
        Ok(ArticleCsv { columns, writer, origin: origin.to_owned() })
    }

    /// Write one item, read from its JSON (a stored card or a built item).
    pub fn item(&mut self, json: &str) -> Result<(), ApiError> {
        let item = Item::parse(json).map_err(|e| ApiError::Internal(format!("CSV: a list item does not read: {e}")))?;
        let origin = self.origin.as_str();
        let cells: Vec<Cow<'_, str>> =
            self.columns.iter().map(|c| (c.value)(&item, origin).unwrap_or_default()).collect();
        self.writer.write_record(cells.iter().map(|c| c.as_bytes())).map_err(csv_error)
    }

    /// Move the bytes written so far to `out`.
    pub fn drain_into(&mut self, out: &mut Vec<u8>) -> Result<(), ApiError> {
        drain(&mut self.writer, out)
    }
}

/// The columns of a list of authors, regions … : JSON paths of its items
/// (`/` between levels), in order. A test ties each set to the item's
/// schema in the spec.
pub struct TableColumns(pub &'static [&'static str]);

pub const AUTHOR_COLUMNS: TableColumns = TableColumns(&[
    "id",
    "slug",
    "name",
    "family_name",
    "given_name",
    "bio",
    "provenance/name_parts",
    "provenance/note",
    "article_count",
]);
pub const REGION_COLUMNS: TableColumns = TableColumns(&[
    "id",
    "slug",
    "name",
    "region_type",
    "parent/id",
    "parent/slug",
    "parent/name",
    "provenance/entry",
    "provenance/parent",
    "provenance/note",
    "article_count",
]);
pub const TOPIC_COLUMNS: TableColumns =
    TableColumns(&["id", "slug", "name", "description", "provenance/entry", "provenance/note", "article_count"]);
pub const PUBLISHER_COLUMNS: TableColumns = TableColumns(&[
    "id",
    "slug",
    "name",
    "short_name",
    "description",
    "url",
    "founded_on",
    "location",
    "tagline",
    "tagline_attribution",
    "article_count",
]);
pub const SERIES_COLUMNS: TableColumns = TableColumns(&[
    "id",
    "slug",
    "name",
    "series_type",
    "description",
    "publisher/id",
    "publisher/slug",
    "publisher/name",
    "article_count",
]);

/// A CSV of JSON items with fixed columns.
pub struct TableCsv {
    columns: &'static [&'static str],
    writer: csv::Writer<Vec<u8>>,
}

impl TableCsv {
    pub fn new(columns: &TableColumns, bom: bool) -> Result<TableCsv, ApiError> {
        let mut writer = writer(bom);
        writer.write_record(columns.0.iter().map(|c| c.replace('/', "_"))).map_err(csv_error)?;
        Ok(TableCsv { columns: columns.0, writer })
    }

    pub fn row<T: Serialize>(&mut self, item: &T) -> Result<(), ApiError> {
        let value = serde_json::to_value(item).map_err(|e| ApiError::Internal(format!("CSV: {e}")))?;
        let cell = |path: &str| match value.pointer(&format!("/{path}")) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        self.writer.write_record(self.columns.iter().map(|c| cell(c))).map_err(csv_error)
    }

    pub fn drain_into(&mut self, out: &mut Vec<u8>) -> Result<(), ApiError> {
        drain(&mut self.writer, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(json: serde_json::Value) -> String {
        json.to_string()
    }

    fn sample() -> serde_json::Value {
        serde_json::json!({
            "id": 7, "uid": "u-7", "slug": "a-b", "title": "Quotes \" and, commas\nand lines",
            "type": "commentary", "language": "en",
            "published_at": "2021-06-19T00:00:00Z", "updated_at": "2021-06-20T00:00:00Z",
            "publisher": {"id": 1, "slug": "jfir", "name": "JFIR"},
            "authors": [
                {"id": 1, "slug": "tokiwa-shin", "name": "TOKIWA Shin", "role": "author", "affiliation": "Fellow, JFIR | Tokyo Shimbun"},
                {"id": 2, "slug": "x-y", "name": "X Y", "role": "translator", "affiliation": null}
            ],
            "topics": [{"id": 3, "slug": "t", "name": "T"}], "regions": [],
            "translation": {"original_language": "ja", "note": "Translated", "translators": []}
        })
    }

    fn read(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut reader = csv::Reader::from_reader(bytes);
        let headers = reader.headers().unwrap().clone();
        (headers, reader.records().map(Result::unwrap).collect())
    }

    #[test]
    fn articles_read_back_with_their_bylines_lined_up() {
        let mut csv = ArticleCsv::new(FieldMask::default_fields(), false, false, "https://api.example").unwrap();
        csv.item(&card(sample())).unwrap();
        let mut out = Vec::new();
        csv.drain_into(&mut out).unwrap();
        let (headers, rows) = read(&out);
        let get = |name: &str| rows[0].get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
        assert!(!headers.iter().any(|h| h == "body" || h == "score"));
        assert_eq!(get("title"), "Quotes \" and, commas\nand lines");
        assert_eq!(get("author_names"), "TOKIWA Shin|X Y");
        assert_eq!(get("author_roles"), "author|translator");
        assert_eq!(get("author_affiliations"), "Fellow, JFIR ¦ Tokyo Shimbun|");
        assert_eq!(get("api_url"), "https://api.example/v1/articles/a-b");
        assert_eq!(get("original_language"), "ja");
        assert_eq!(get("series"), "");
    }

    #[test]
    fn fields_keep_their_columns_and_a_bom_is_optional() {
        let mask = FieldMask::empty().with("title").unwrap().with("authors").unwrap();
        let mut csv = ArticleCsv::new(mask, true, true, "").unwrap();
        csv.item(&card(sample())).unwrap();
        let mut out = Vec::new();
        csv.drain_into(&mut out).unwrap();
        assert!(out.starts_with(BOM));
        let (headers, _) = read(&out[BOM.len()..]);
        let names: Vec<&str> = headers.iter().collect();
        assert_eq!(names, ["id", "title", "author_slugs", "author_names", "author_roles", "author_affiliations"]);
    }
}
