//! The import format's lines as the generator writes them: serialise-only
//! mirrors of `ingest::record` that borrow their text, so that writing an
//! article copies none of it. The module's tests parse every generated line
//! back with `ingest::record::parse_line`, which keeps the two in step.

use std::io::{self, Write};

use serde::Serialize;

use crate::domain::Kind;
use crate::domain::{ArticleType, BodyStatus, ContributorRole, RegionType, SeriesType};

/// One line of NDJSON.
pub fn write_line(out: &mut impl Write, line: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
pub struct PublisherLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub founded_on: &'a str,
    pub location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tagline: Option<&'a str>,
    pub offices: &'a [&'a str],
    pub programs: Vec<ProgramLine<'a>>,
    pub contacts: Vec<ContactLine<'a>>,
}

#[derive(Serialize)]
pub struct ProgramLine<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ContactLine<'a> {
    pub kind: &'a str,
    pub value: &'a str,
}

#[derive(Serialize)]
pub struct SeriesLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub publisher: &'a str,
    pub series_type: SeriesType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct RegionLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<&'a str>,
    pub region_type: RegionType,
}

#[derive(Serialize)]
pub struct TopicLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct AuthorLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<&'a str>,
}

/// An article, its body last so that the metadata leads the line.
#[derive(Serialize)]
pub struct ArticleLine<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "is_false")]
    pub title_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<&'a str>,
    #[serde(rename = "type")]
    pub article_type: ArticleType,
    pub language: &'a str,
    pub published_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    pub publisher: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub authors: &'a [BylineLine<'a>],
    pub regions: &'a [&'a str],
    pub topics: &'a [&'a str],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLine<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<TranslationLine<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub figures: &'a [FigureLine<'a>],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub references: &'a [ReferenceLine<'a>],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_status: Option<BodyStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
}

#[derive(Serialize)]
pub struct BylineLine<'a> {
    pub author: &'a str,
    pub role: ContributorRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SourceLine<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<&'a str>,
}

#[derive(Serialize)]
pub struct TranslationLine<'a> {
    pub original_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_venue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_published_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

#[derive(Serialize)]
pub struct FigureLine<'a> {
    pub caption: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_paragraph: Option<u32>,
}

#[derive(Serialize)]
pub struct ReferenceLine<'a> {
    pub citation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}
