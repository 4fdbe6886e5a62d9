//! The change feed as JSON Feed 1.1: one item per change, linking to the
//! resource, with the change itself under the `_change` extension; the
//! feed's `next_url` walks on (and, at the end, is where to poll).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::changes_atom::{entry_id, verb, ChangeFeedLinks};
use super::jsonfeed::VERSION;
use crate::error::ApiError;
use crate::views::changes::{ChangePage, ChangeView};

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'static str,
    home_page_url: String,
    feed_url: &'a str,
    description: &'static str,
    next_url: &'a str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    url: String,
    title: String,
    content_text: String,
    date_published: DateTime<Utc>,
    tags: [&'static str; 2],
    #[serde(rename = "_change")]
    change: &'a ChangeView,
}

fn item<'a>(origin: &str, c: &'a ChangeView) -> Item<'a> {
    let name = c.slug.as_deref().unwrap_or("(no slug)");
    let url = format!("{origin}{}", c.url);
    let content_text = match c.action {
        crate::domain::ChangeAction::Upsert => {
            format!("Change {}: the {} {name} was {}; its state now is at {url}", c.seq, c.kind, verb(c))
        }
        crate::domain::ChangeAction::Delete => {
            format!("Change {}: the {} {name} was {}; {url} answers 410 Gone", c.seq, c.kind, verb(c))
        }
    };
    Item {
        id: entry_id(origin, c),
        title: format!("{} {name}: {}", c.kind, verb(c)),
        url,
        content_text,
        date_published: c.changed_at,
        tags: [c.kind.as_str(), c.action.as_str()],
        change: c,
    }
}

/// A page of the change feed as JSON Feed 1.1.
pub fn render(page: &ChangePage, links: &ChangeFeedLinks<'_>) -> Result<Vec<u8>, ApiError> {
    let feed = Feed {
        version: VERSION,
        title: "Changes to the Policy Commentary API's corpus",
        home_page_url: format!("{}/v1/changes", links.origin),
        feed_url: &links.self_url,
        description: "Every create, update and deletion, oldest first: follow next_url, and fetch each item's url \
                      for the resource as it is now.",
        next_url: &links.next_url,
        items: page.data.iter().map(|c| item(links.origin, c)).collect(),
    };
    serde_json::to_vec(&feed).map_err(|e| ApiError::Internal(format!("writing JSON Feed: {e}")))
}
