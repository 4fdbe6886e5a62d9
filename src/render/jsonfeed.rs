//! JSON Feed 1.1.

use super::feed::{FeedEntry, FeedMeta, GENERATOR, GENERATOR_VERSION};
use super::html;
use crate::error::ApiError;
use crate::views::jsonfeed::{JsonFeed, JsonFeedAuthor, JsonFeedExtension, JsonFeedItem, JsonFeedItemExtension};

pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

fn item(e: &FeedEntry, full: bool) -> JsonFeedItem {
    JsonFeedItem {
        id: e.guid.clone(),
        url: e.link.clone(),
        title: e.title.clone(),
        content_html: html::content(e, full),
        summary: e.summary.clone(),
        date_published: e.published,
        date_modified: e.updated,
        authors: e
            .byline
            .iter()
            .filter(|p| p.role.as_str() == "author")
            .map(|p| JsonFeedAuthor { name: p.name.clone(), url: e.author_url(p) })
            .collect(),
        tags: e.topics.iter().chain(&e.regions).map(|t| t.name.clone()).collect(),
        language: e.language.clone(),
        extension: JsonFeedItemExtension {
            article_id: e.id,
            api_url: e.api_url.clone(),
            article_type: e.article_type,
            byline: e.byline.clone(),
            topics: e.topics.clone(),
            regions: e.regions.clone(),
            publisher: e.publisher.clone(),
            series: e.series.clone(),
            source: e.source.clone(),
            translation: e.translation.clone(),
        },
    }
}

/// The feed as JSON Feed 1.1.
pub fn render(meta: &FeedMeta, entries: &[FeedEntry]) -> Result<Vec<u8>, ApiError> {
    let feed = JsonFeed {
        version: VERSION.to_owned(),
        title: meta.title.clone(),
        home_page_url: meta.json_url.clone(),
        feed_url: meta.self_url.clone(),
        description: meta.description.clone(),
        next_url: meta.links.next.clone(),
        language: meta.language.clone(),
        items: entries.iter().map(|e| item(e, meta.full)).collect(),
        extension: JsonFeedExtension {
            about: format!("{}/docs/", meta.origin),
            generator: format!("{GENERATOR} {GENERATOR_VERSION}"),
            updated: meta.updated,
            total: meta.total,
            first_url: meta.links.first.clone(),
            last_url: meta.links.last.clone(),
            previous_url: meta.links.prev.clone(),
        },
    };
    serde_json::to_vec(&feed).map_err(|e| ApiError::Internal(format!("writing JSON Feed: {e}")))
}
