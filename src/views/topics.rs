//! What a topic looks like on the wire.

use serde::Serialize;
use utoipa::ToSchema;

use crate::models::topic::TopicRow;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "slug": "the-korean-peninsula", "name": "The Korean Peninsula", "description": null, "article_count": 4}))]
pub struct TopicView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub article_count: i64,
}

impl TopicView {
    pub fn new(row: TopicRow, article_count: i64) -> Self {
        TopicView { id: row.id, slug: row.slug, name: row.name, description: row.description, article_count }
    }
}
