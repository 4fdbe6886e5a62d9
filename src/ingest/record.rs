//! The import format: one JSON object per line, its `kind` saying what it
//! is. These types are also the write model: every write of the service
//! goes through them (see `writer`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    ArticleType, BodyStatus, ContributorRole, HttpUrl, Kind, LanguageTag, Moment, Provenance, RegionType, SeriesType,
    Slug, Text,
};

/// Names, titles and other one-line text.
pub type Line = Text<2_000>;
/// Descriptions, notes, citations.
pub type Prose = Text<100_000>;
/// Article bodies.
pub type Body = Text<4_000_000>;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublisherRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
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

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramRecord {
    pub name: Line,
    pub description: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// `phone`, `fax`, `email`, `twitter`, …
    pub kind: Line,
    pub value: Line,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub publisher: Slug,
    pub series_type: SeriesType,
    pub description: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub parent: Option<Slug>,
    pub region_type: RegionType,
    /// Whether a source defines the region and its place in the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<RegionProvenance>,
}

/// Provenance of a region: the entry itself (does any source name it?)
/// and its parent (does a source place it there?).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionProvenance {
    #[serde(default)]
    pub entry: Provenance,
    /// (Any mark, `source` too, needs a parent to mark.)
    pub parent: Option<Provenance>,
    pub note: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
    pub kind: Kind,
    pub slug: Slug,
    pub name: Line,
    pub description: Option<Prose>,
    /// Whether a source defines the topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<EntryProvenance>,
}

/// Provenance of a taxonomy entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryProvenance {
    #[serde(default)]
    pub entry: Provenance,
    pub note: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
    pub kind: Kind,
    pub slug: Slug,
    /// As published, keeping the source's name order ("SUGITA Hiroki").
    pub name: Line,
    pub family_name: Option<Line>,
    pub given_name: Option<Line>,
    pub bio: Option<Prose>,
    /// Whether the split into family and given name is the source's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<AuthorProvenance>,
}

/// Provenance of an author's facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorProvenance {
    /// (Any mark, `source` too, needs a split to mark.)
    pub name_parts: Option<Provenance>,
    pub note: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    /// The import line's `kind`; a write's path gives it instead.
    #[schema(ignore)]
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
    pub regions: Vec<TermLink>,
    #[serde(default)]
    pub topics: Vec<TermLink>,
    pub source: Option<SourceRecord>,
    pub translation: Option<TranslationRecord>,
    #[serde(default)]
    pub figures: Vec<FigureRecord>,
    #[serde(default)]
    pub references: Vec<ReferenceRecord>,
    /// Which of the article's facts and links were assigned editorially
    /// (every mark left out means `source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<ArticleProvenance>,
}

/// Provenance marks of an article: its inferable fields, and the default of
/// each list of links (a link's own mark wins), with a note of how the
/// editorial ones were assigned.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleProvenance {
    #[serde(rename = "type", default)]
    pub article_type: Provenance,
    /// (Any mark, `source` too, needs an original language to mark.)
    pub original_language: Option<Provenance>,
    pub topics: Option<Provenance>,
    pub regions: Option<Provenance>,
    pub authors: Option<Provenance>,
    pub note: Option<Prose>,
}

/// A topic or region of an article: its slug (given by the source, unless
/// the article's `provenance` says otherwise for the whole list), or the
/// slug with its own mark.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TermLink {
    Slug(Slug),
    Marked(MarkedLink),
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkedLink {
    pub slug: Slug,
    pub provenance: Option<Provenance>,
    pub provenance_note: Option<Prose>,
}

impl<'de> Deserialize<'de> for TermLink {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TermLink;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a slug, or an object with `slug`, `provenance` and `provenance_note`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TermLink, E> {
                Slug::parse(v).map(TermLink::Slug).map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<TermLink, A::Error> {
                MarkedLink::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(TermLink::Marked)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl TermLink {
    pub fn slug(&self) -> &Slug {
        match self {
            TermLink::Slug(slug) => slug,
            TermLink::Marked(m) => &m.slug,
        }
    }

    /// The link's mark: its own, else the list's default, else `source`.
    pub fn provenance(&self, list_default: Option<Provenance>) -> Provenance {
        let own = match self {
            TermLink::Slug(_) => None,
            TermLink::Marked(m) => m.provenance,
        };
        own.or(list_default).unwrap_or_default()
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            TermLink::Slug(_) => None,
            TermLink::Marked(m) => m.provenance_note.as_ref().map(|t| t.as_str()),
        }
    }
}

impl ArticleRecord {
    pub fn type_provenance(&self) -> Provenance {
        self.provenance.as_ref().map(|p| p.article_type).unwrap_or_default()
    }

    pub fn original_language_provenance(&self) -> Provenance {
        self.provenance.as_ref().and_then(|p| p.original_language).unwrap_or_default()
    }

    /// Whether the record marks its original language at all.
    pub fn marks_original_language(&self) -> bool {
        self.provenance.as_ref().is_some_and(|p| p.original_language.is_some())
    }

    pub fn topics_default(&self) -> Option<Provenance> {
        self.provenance.as_ref().and_then(|p| p.topics)
    }

    pub fn regions_default(&self) -> Option<Provenance> {
        self.provenance.as_ref().and_then(|p| p.regions)
    }

    pub fn authors_default(&self) -> Option<Provenance> {
        self.provenance.as_ref().and_then(|p| p.authors)
    }

    pub fn provenance_note(&self) -> Option<&str> {
        self.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())
    }

    /// `body_status` as given, or implied by whether there is a body.
    pub fn effective_body_status(&self) -> BodyStatus {
        self.body_status.unwrap_or(if self.body.is_some() { BodyStatus::Full } else { BodyStatus::None })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BylineRecord {
    pub author: Slug,
    pub role: ContributorRole,
    /// Affiliation at the time of writing, as the byline gives it.
    pub affiliation: Option<Line>,
    /// Whether the source names this person in this role (else, e.g., a
    /// name read from a "Name:" prefix of the title).
    pub provenance: Option<Provenance>,
    pub provenance_note: Option<Prose>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub name: Line,
    pub url: Option<HttpUrl>,
    #[serde(default, deserialize_with = "crate::domain::optional_day")]
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
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

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureRecord {
    pub caption: Prose,
    pub credit: Option<Line>,
    pub after_paragraph: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
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

/// A step of the path to a value inside a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The path to the first string in `value` holding a NUL character
/// (U+0000). No text may hold one: PostgreSQL's text cannot store it, XML
/// cannot carry it, and no real page has one; it is refused on every
/// backend rather than stored on one and cut on another.
pub fn find_nul(value: &serde_json::Value) -> Option<Vec<Step>> {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains('\0') => Some(Vec::new()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            find_nul(v).map(|mut path| {
                path.insert(0, Step::Index(i));
                path
            })
        }),
        Value::Object(members) => members.iter().find_map(|(k, v)| {
            find_nul(v).map(|mut path| {
                path.insert(0, Step::Key(k.clone()));
                path
            })
        }),
        _ => None,
    }
}

/// What is said of a NUL character found in a text.
pub const NUL_MESSAGE: &str = "holds a NUL character (U+0000), which no text may hold";

/// `authors[0].name`, as import errors name fields.
pub fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Parse one line of an import file.
pub fn parse_line(line: &str) -> Result<Record, FieldError> {
    // JSON writes a NUL only as the escape `\u0000`: look closer only then.
    if line.contains("\\u0000") {
        if let Some(path) = serde_json::from_str(line).ok().as_ref().and_then(find_nul) {
            return Err(FieldError { field: dotted(&path), message: NUL_MESSAGE.into() });
        }
    }
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
    fn refuses_nul_characters_naming_the_field() {
        let line = r#"{"kind":"topic","slug":"a","name":"A\u0000B"}"#;
        let err = parse_line(line).unwrap_err();
        assert_eq!((err.field.as_str(), err.message.as_str()), ("name", NUL_MESSAGE));
        let line = r#"{"kind":"article","slug":"a","title":"T","type":"news","language":"en","published_at":"2021-01-02","publisher":"p","authors":[{"author":"x","affiliation":"\u0000"}]}"#;
        assert_eq!(parse_line(line).unwrap_err().field, "authors[0].affiliation");
        // An escaped backslash before `u0000` is no NUL.
        let line = r#"{"kind":"topic","slug":"a","name":"A\\u0000B"}"#;
        assert!(parse_line(line).is_ok());
    }

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

    #[test]
    fn reads_provenance_marks_and_their_defaults() {
        let line = r#"{"kind":"article","slug":"a","title":"T","type":"news","language":"en","published_at":"2021-01-02","publisher":"p",
            "topics":["x",{"slug":"y","provenance":"editorial","provenance_note":"by rule 3"}],"regions":["r",{"slug":"s","provenance":"source"}],
            "provenance":{"regions":"editorial","type":"editorial"}}"#;
        let Record::Article(a) = parse_line(line).unwrap() else { panic!() };
        assert_eq!(a.topics[0].provenance(a.topics_default()), Provenance::Source);
        assert_eq!(a.topics[1].provenance(a.topics_default()), Provenance::Editorial);
        assert_eq!(a.topics[1].note(), Some("by rule 3"));
        assert_eq!(a.regions[0].provenance(a.regions_default()), Provenance::Editorial);
        assert_eq!(a.regions[1].provenance(a.regions_default()), Provenance::Source);
        assert_eq!(a.type_provenance(), Provenance::Editorial);
        assert_eq!(a.original_language_provenance(), Provenance::Source);
        let bad = line.replace(r#""slug":"y""#, r#""slug":"Y""#);
        assert_eq!(parse_line(&bad).unwrap_err().field, "topics[1].slug");
        let bad = line.replace(r#""x","#, r#""X","#);
        let err = parse_line(&bad).unwrap_err();
        assert_eq!(err.field, "topics[0]", "{err:?}");
        let bad = line.replace(r#""provenance":"editorial","#, r#""provenance":"guessed","#);
        assert_eq!(parse_line(&bad).unwrap_err().field, "topics[1].provenance");
    }
}
