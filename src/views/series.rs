//! What a series looks like on the wire.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::SeriesType;
use crate::models::article::TermRef;
use crate::models::series::SeriesRow;
use crate::views::refs::ResourceRef;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "slug": "jfir-commentary", "name": "JFIR Commentary", "series_type": "commentary",
    "description": "\"JFIR Commentary\" introduces news analyses and opinions in Japan …",
    "publisher": {"id": 2, "slug": "jfir", "name": "The Japan Forum on International Relations"}, "article_count": 6}))]
pub struct SeriesView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub series_type: SeriesType,
    pub description: Option<String>,
    pub publisher: ResourceRef,
    pub article_count: i64,
}

impl SeriesView {
    pub fn new(row: SeriesRow, publisher: Option<&TermRef>, article_count: i64) -> Self {
        let publisher = publisher.map(ResourceRef::from).unwrap_or(ResourceRef {
            id: row.publisher_id,
            slug: String::new(),
            name: String::new(),
        });
        SeriesView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            series_type: row.series_type,
            description: row.description,
            publisher,
            article_count,
        }
    }
}
