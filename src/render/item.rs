//! One article list item read back from its JSON (a stored card or an item
//! computed for the page), borrowing every string that needs no
//! unescaping: what the feeds, the CSV export and the citations read.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::views::articles::ListItem;

use crate::domain::{ArticleType, BodyStatus, ContributorRole, Provenance};

pub type Text<'a> = Cow<'a, str>;

/// A related resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Named<'a> {
    pub id: i64,
    #[serde(borrow)]
    pub slug: Text<'a>,
    #[serde(borrow)]
    pub name: Text<'a>,
}

/// A topic or region of the item, with who filed it there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Classified<'a> {
    pub id: i64,
    #[serde(borrow)]
    pub slug: Text<'a>,
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(default)]
    pub provenance: Provenance,
    #[serde(borrow, default)]
    pub provenance_note: Option<Text<'a>>,
}

/// A person of the byline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person<'a> {
    pub id: i64,
    #[serde(borrow)]
    pub slug: Text<'a>,
    #[serde(borrow)]
    pub name: Text<'a>,
    pub role: ContributorRole,
    #[serde(borrow, default)]
    pub affiliation: Option<Text<'a>>,
    #[serde(default)]
    pub provenance: Provenance,
    #[serde(borrow, default)]
    pub provenance_note: Option<Text<'a>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source<'a> {
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(borrow, default)]
    pub url: Option<Text<'a>>,
    #[serde(default)]
    pub published_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Translation<'a> {
    #[serde(borrow, default)]
    pub original_language: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub original_title: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub original_venue: Option<Text<'a>>,
    #[serde(default)]
    pub original_published_on: Option<chrono::NaiveDate>,
    #[serde(borrow, default)]
    pub original_date_text: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub note: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub translators: Vec<Person<'a>>,
}

/// One article as a list item carries it.
#[derive(Debug, Clone, Deserialize)]
pub struct Item<'a> {
    pub id: i64,
    #[serde(borrow, default)]
    pub uid: Option<Text<'a>>,
    #[serde(borrow)]
    pub slug: Text<'a>,
    #[serde(borrow)]
    pub title: Text<'a>,
    #[serde(default)]
    pub title_truncated: Option<bool>,
    #[serde(borrow, default)]
    pub subtitle: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub summary: Option<Text<'a>>,
    #[serde(rename = "type")]
    pub article_type: ArticleType,
    #[serde(borrow)]
    pub language: Text<'a>,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(borrow, default)]
    pub url: Option<Text<'a>>,
    #[serde(borrow)]
    pub publisher: Named<'a>,
    #[serde(borrow, default)]
    pub series: Option<Named<'a>>,
    #[serde(borrow, default)]
    pub authors: Vec<Person<'a>>,
    #[serde(borrow, default)]
    pub regions: Vec<Classified<'a>>,
    #[serde(borrow, default)]
    pub topics: Vec<Classified<'a>>,
    #[serde(borrow, default)]
    pub source: Option<Source<'a>>,
    #[serde(borrow, default)]
    pub translation: Option<Translation<'a>>,
    #[serde(default)]
    pub body_status: Option<BodyStatus>,
    #[serde(borrow, default)]
    pub body: Option<Text<'a>>,
    /// Relevance to `q`, on searches.
    #[serde(default)]
    pub score: Option<f32>,
}

impl<'a> Item<'a> {
    /// Read an item from its JSON.
    pub fn parse(json: &'a str) -> serde_json::Result<Item<'a>> {
        serde_json::from_str(json)
    }
}

/// The JSON of each item of a page: a stored card as it is, a computed item
/// serialised (what a feed reads is then the same either way).
pub fn item_texts(items: &[ListItem]) -> Result<Vec<Cow<'_, str>>, ApiError> {
    items
        .iter()
        .map(|item| match item {
            ListItem::Card(card) => Ok(Cow::Borrowed(card.get())),
            ListItem::Built(built) => serde_json::to_string(built)
                .map(Cow::Owned)
                .map_err(|e| ApiError::Internal(format!("a list item: {e}"))),
        })
        .collect()
}
