//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), with this API's
//! extension objects (`_commentary`) carrying what the format has no field
//! for: byline roles and affiliations, publisher, series, source,
//! translation, paging.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::ArticleType;
use crate::views::articles::{ContributorView, SourceView, TranslationView};
use crate::views::refs::{ClassifiedRef, ResourceRef};

/// A list of articles as a JSON Feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFeed {
    /// Always `https://jsonfeed.org/version/1.1`.
    pub version: String,
    pub title: String,
    /// The same list as JSON.
    pub home_page_url: String,
    /// This page, exactly as asked for.
    pub feed_url: String,
    pub description: String,
    /// The next page (RFC 5005 paging in JSON Feed's own terms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub items: Vec<JsonFeedItem>,
    #[serde(rename = "_commentary")]
    pub extension: JsonFeedExtension,
}

/// What JSON Feed has no field for, at feed level.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFeedExtension {
    /// Where the extension is documented: this API's docs.
    pub about: String,
    pub generator: String,
    pub updated: DateTime<Utc>,
    /// Articles in the whole list.
    pub total: i64,
    pub first_url: String,
    pub last_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFeedAuthor {
    pub name: String,
    pub url: String,
}

/// One article.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFeedItem {
    /// `urn:uuid:…`: the same as in the RSS and Atom feeds, kept through edits.
    pub id: String,
    /// The article's page on its publisher's site when known, else its page in this API.
    pub url: String,
    pub title: String,
    /// The summary (or with `content=full` the body) as HTML paragraphs, then the attribution.
    pub content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub date_published: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
    /// The byline's authors (every role, with affiliations, is in `_commentary.byline`).
    pub authors: Vec<JsonFeedAuthor>,
    /// Topic and region names.
    pub tags: Vec<String>,
    pub language: String,
    #[serde(rename = "_commentary")]
    pub extension: JsonFeedItemExtension,
}

/// What JSON Feed has no field for, per article.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFeedItemExtension {
    pub article_id: i64,
    /// The article in this API.
    pub api_url: String,
    #[serde(rename = "type")]
    pub article_type: ArticleType,
    pub byline: Vec<ContributorView>,
    pub topics: Vec<ClassifiedRef>,
    pub regions: Vec<ClassifiedRef>,
    pub publisher: ResourceRef,
    pub series: Option<ResourceRef>,
    pub source: Option<SourceView>,
    pub translation: Option<TranslationView>,
}
