//! JSON Feed 1.1. The shape is `views::jsonfeed` (what the spec shows);
//! these borrowing twins write it without copying the entries' text (a
//! test reads every feed back into the view types, unknown fields refused).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::feed::{
    Classified, Entry, FeedMeta, Layout, Named, Person, Source, Translation, GENERATOR, GENERATOR_VERSION,
};
use super::html;
use crate::domain::ArticleType;
use crate::error::ApiError;

pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "_commentary")]
    extension: FeedExtension<'a>,
}

#[derive(Serialize)]
struct FeedExtension<'a> {
    about: String,
    generator: String,
    updated: DateTime<Utc>,
    total: i64,
    first_url: &'a str,
    last_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_url: Option<&'a str>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: DateTime<Utc>,
    date_modified: DateTime<Utc>,
    authors: Vec<Author<'a>>,
    tags: Vec<&'a str>,
    language: &'a str,
    #[serde(rename = "_commentary")]
    extension: ItemExtension<'a>,
}

#[derive(Serialize)]
struct ItemExtension<'a> {
    article_id: i64,
    api_url: &'a str,
    #[serde(rename = "type")]
    article_type: ArticleType,
    byline: &'a [Person<'a>],
    topics: &'a [Classified<'a>],
    regions: &'a [Classified<'a>],
    publisher: &'a Named<'a>,
    series: Option<&'a Named<'a>>,
    source: Option<&'a Source<'a>>,
    translation: Option<&'a Translation<'a>>,
}

fn item<'a>(e: &'a Entry<'a>, full: bool) -> Item<'a> {
    let it = &e.item;
    let mut content_html = String::with_capacity(1024);
    html::content_into(&mut content_html, e, full);
    Item {
        id: &e.guid,
        url: &e.link,
        title: &it.title,
        content_html,
        summary: it.summary.as_deref(),
        date_published: it.published_at,
        date_modified: it.updated_at,
        authors: it
            .authors
            .iter()
            .filter(|p| p.role.as_str() == "author")
            .map(|p| Author { name: &p.name, url: e.author_url(&p.slug) })
            .collect(),
        tags: it.topics.iter().chain(&it.regions).map(|t| t.name.as_ref()).collect(),
        language: &it.language,
        extension: ItemExtension {
            article_id: it.id,
            api_url: &e.api_url,
            article_type: it.article_type,
            byline: &it.authors,
            topics: &it.topics,
            regions: &it.regions,
            publisher: &it.publisher,
            series: it.series.as_ref(),
            source: it.source.as_ref(),
            translation: it.translation.as_ref(),
        },
    }
}

/// JSON Feed 1.1 (`feed::Layout`): the feed object with its `items`
/// last, so that entries can be written one by one into the array.
pub struct JsonFeed;

fn failed(e: serde_json::Error) -> ApiError {
    ApiError::Internal(format!("writing JSON Feed: {e}"))
}

impl Layout for JsonFeed {
    const SEPARATOR: &'static [u8] = b",";

    fn head(meta: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        let feed = Feed {
            version: VERSION,
            title: &meta.title,
            home_page_url: &meta.json_url,
            feed_url: &meta.self_url,
            description: &meta.description,
            next_url: meta.links.next.as_deref(),
            language: meta.language.as_deref(),
            extension: FeedExtension {
                about: format!("{}/docs/", meta.origin),
                generator: format!("{GENERATOR} {GENERATOR_VERSION}"),
                updated: meta.updated,
                total: meta.total,
                first_url: &meta.links.first,
                last_url: &meta.links.last,
                previous_url: meta.links.prev.as_deref(),
            },
        };
        serde_json::to_writer(&mut *out, &feed).map_err(failed)?;
        // Reopen the object for the items.
        if out.pop() != Some(b'}') {
            return Err(ApiError::Internal("writing JSON Feed: the feed is not an object".into()));
        }
        out.extend_from_slice(b",\"items\":[");
        Ok(())
    }

    fn entry(entry: &Entry<'_>, full: bool, out: &mut Vec<u8>) -> Result<(), ApiError> {
        serde_json::to_writer(out, &item(entry, full)).map_err(failed)
    }

    fn tail(_: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        out.extend_from_slice(b"]}");
        Ok(())
    }
}
