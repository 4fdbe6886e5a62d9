//! The import format: one JSON object per line, its `kind` saying what it
//! is. These types are also the write model: every write of the service
//! goes through them (see `writer`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{
    ArticleType, BodyStatus, ContributorRole, HttpUrl, Kind, LanguageTag, Moment, RegionType, SeriesType, Slug, Text,
};

/// Names, titles and other one-line text.
pub type Line = Text<2_000>;
/// Descriptions, notes, citations.
pub type Prose = Text<100_000>;
/// Article bodies.
pub type Body = Text<4_000_000>;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherRecord {
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub short_name: Option<Line>,
    pub description: Option<Prose>,
    pub url: Option<HttpUrl>,
    #[serde(default, deserialize_with = "crate::domain::optional_day")]
    pub founded_on: Option<NaiveDate>,
    pub location: Option<Line>,
    pub tagline: Option<Prose>,
    pub tagline_attribution: Option<Line>,
    #[serde(default)]
    pub offices: Vec<Line>,
    #[serde(default)]
    pub programs: Vec<ProgramRecord>,
    #[serde(default)]
    pub contacts: Vec<ContactRecord>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramRecord {
    pub name: Line,
    pub description: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// `phone`, `fax`, `email`, `twitter`, …
    pub kind: Line,
    pub value: Line,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesRecord {
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub publisher: Slug,
    pub series_type: SeriesType,
    pub description: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRecord {
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub parent: Option<Slug>,
    pub region_type: RegionType,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TopicRecord {
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub description: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorRecord {
    pub kind: Kind,
    pub slug: Slug,
    /// As published, keeping the source's name order ("SUGITA Hiroki").
    pub name: Line,
    pub family_name: Option<Line>,
    pub given_name: Option<Line>,
    pub bio: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    pub kind: Kind,
    pub slug: Slug,
    pub title: Line,
    #[serde(default)]
    pub title_truncated: bool,
    pub subtitle: Option<Line>,
    pub summary: Option<Prose>,
    pub body: Option<Body>,
    pub body_status: Option<BodyStatus>,
    #[serde(rename = "type")]
    pub article_type: ArticleType,
    pub language: LanguageTag,
    pub published_at: Moment,
    pub updated_at: Option<Moment>,
    pub url: Option<HttpUrl>,
    pub publisher: Slug,
    pub series: Option<Slug>,
    #[serde(default)]
    pub authors: Vec<BylineRecord>,
    #[serde(default)]
    pub regions: Vec<Slug>,
    #[serde(default)]
    pub topics: Vec<Slug>,
    pub source: Option<SourceRecord>,
    pub translation: Option<TranslationRecord>,
    #[serde(default)]
    pub figures: Vec<FigureRecord>,
    #[serde(default)]
    pub references: Vec<ReferenceRecord>,
}

impl ArticleRecord {
    /// `body_status` as given, or implied by whether there is a body.
    pub fn effective_body_status(&self) -> BodyStatus {
        self.body_status.unwrap_or(if self.body.is_some() { BodyStatus::Full } else { BodyStatus::None })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BylineRecord {
    pub author: Slug,
    pub role: ContributorRole,
    /// Affiliation at the time of writing, as the byline gives it.
    pub affiliation: Option<Line>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub name: Line,
    pub url: Option<HttpUrl>,
    #[serde(default, deserialize_with = "crate::domain::optional_day")]
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationRecord {
    pub original_language: Option<LanguageTag>,
    pub original_title: Option<Line>,
    pub original_venue: Option<Line>,
    #[serde(default, deserialize_with = "crate::domain::optional_day")]
    pub original_published_on: Option<NaiveDate>,
    pub original_date_text: Option<Line>,
    pub note: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRecord {
    pub caption: Prose,
    pub credit: Option<Line>,
    pub after_paragraph: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRecord {
    pub citation: Prose,
    pub url: Option<HttpUrl>,
}

/// Any record.
#[derive(Debug, Clone)]
pub enum Record {
    Publisher(PublisherRecord),
    Series(SeriesRecord),
    Region(RegionRecord),
    Topic(TopicRecord),
    Author(AuthorRecord),
    Article(Box<ArticleRecord>),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Publisher(_) => Kind::Publisher,
            Record::Series(_) => Kind::Series,
            Record::Region(_) => Kind::Region,
            Record::Topic(_) => Kind::Topic,
            Record::Author(_) => Kind::Author,
            Record::Article(_) => Kind::Article,
        }
    }

    pub fn slug(&self) -> &Slug {
        match self {
            Record::Publisher(r) => &r.slug,
            Record::Series(r) => &r.slug,
            Record::Region(r) => &r.slug,
            Record::Topic(r) => &r.slug,
            Record::Author(r) => &r.slug,
            Record::Article(r) => &r.slug,
        }
    }
}

/// Just the `kind`, read first to pick the record type.
#[derive(Deserialize)]
struct KindOnly {
    kind: Kind,
}

/// A line's problem: where (a JSON path such as `authors[0].role`, empty
/// for the whole line) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn typed<T: serde::de::DeserializeOwned>(line: &str) -> Result<T, FieldError> {
    let mut de = serde_json::Deserializer::from_str(line);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let message = e.into_inner().to_string();
        // serde_json appends " at line 1 column N", which means nothing to a
        // reader who has the file's own line number.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        FieldError { field: if field == "." { String::new() } else { field }, message }
    })
}

/// Parse one line of an import file.
pub fn parse_line(line: &str) -> Result<Record, FieldError> {
    let KindOnly { kind } = typed(line).map_err(|e| {
        if e.field.is_empty() && e.message.contains("missing field `kind`") {
            FieldError { field: "kind".into(), message: "is missing; every line needs a `kind`".into() }
        } else {
            e
        }
    })?;
    Ok(match kind {
        Kind::Publisher => Record::Publisher(typed(line)?),
        Kind::Series => Record::Series(typed(line)?),
        Kind::Region => Record::Region(typed(line)?),
        Kind::Topic => Record::Topic(typed(line)?),
        Kind::Author => Record::Author(typed(line)?),
        Kind::Article => Record::Article(Box::new(typed(line)?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_at_fault() {
        let err = parse_line(r#"{"kind":"topic","slug":"Bad Slug","name":"x"}"#).unwrap_err();
        assert_eq!(err.field, "slug");
        let err = parse_line(r#"{"kind":"author","slug":"a","name":"A","nickname":"x"}"#).unwrap_err();
        assert!(err.message.contains("unknown field `nickname`"), "{err:?}");
        let err = parse_line(r#"{"kind":"poem"}"#).unwrap_err();
        assert_eq!(err.field, "kind");
        let err = parse_line(r#"{"slug":"a"}"#).unwrap_err();
        assert_eq!(err.field, "kind");
    }

    #[test]
    fn reads_an_article() {
        let line = r#"{"kind":"article","slug":"a","title":"T","type":"news","language":"en","published_at":"2021-01-02","publisher":"p","authors":[{"author":"x","role":"editor"}]}"#;
        match parse_line(line).unwrap() {
            Record::Article(a) => {
                assert_eq!(a.published_at.0.to_string(), "2021-01-02 00:00:00");
                assert_eq!(a.effective_body_status(), BodyStatus::None);
            }
            other => panic!("{other:?}"),
        }
        let bad = line.replace("\"editor\"", "\"boss\"");
        assert_eq!(parse_line(&bad).unwrap_err().field, "authors[0].role");
    }
}
