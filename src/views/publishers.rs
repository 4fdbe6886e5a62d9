//! What a publisher looks like on the wire.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::UnitType;
use crate::models::publisher::PublisherRow;
use crate::views::refs::ResourceRef;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 2, "slug": "jfir", "name": "The Japan Forum on International Relations", "short_name": "JFIR",
    "description": "The Japan Forum on International Relations(JFIR) is a private, non-profit, …", "url": null,
    "founded_on": "1987-03-12", "location": "Tokyo", "tagline": null, "tagline_attribution": null, "article_count": 6}))]
pub struct PublisherView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub location: Option<String>,
    /// A motto or quotation the publisher shows, with whom it is from.
    pub tagline: Option<String>,
    pub tagline_attribution: Option<String>,
    pub article_count: i64,
}

impl PublisherView {
    pub fn new(row: PublisherRow, article_count: i64) -> Self {
        PublisherView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            short_name: row.short_name,
            description: row.description,
            url: row.url,
            founded_on: row.founded_on,
            location: row.location,
            tagline: row.tagline,
            tagline_attribution: row.tagline_attribution,
            article_count,
        }
    }
}

/// An office or a programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    pub unit_type: UnitType,
    pub name: String,
    pub description: Option<String>,
}

/// A way to reach the publisher, as its page gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"kind": "twitter", "value": "@CharharINST"}))]
pub struct ContactView {
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublisherDetail {
    #[serde(flatten)]
    pub publisher: PublisherView,
    /// Offices and programmes, in the order the publisher lists them.
    pub units: Vec<UnitView>,
    pub contacts: Vec<ContactView>,
    pub series: Vec<ResourceRef>,
}
