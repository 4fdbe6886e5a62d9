//! What a topic looks like on the wire.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Provenance;
use crate::models::topic::TopicRow;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "slug": "the-korean-peninsula", "name": "The Korean Peninsula", "description": null,
    "provenance": {"entry": "source", "note": null}, "article_count": 4}))]
pub struct TopicView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    /// Whether a publisher's own pages define this topic.
    pub provenance: EntryProvenanceView,
    pub article_count: i64,
}

/// Whether a taxonomy entry is defined by a source (`source`: a publisher
/// files pieces under it) or by the corpus's editors (`editorial`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryProvenanceView {
    pub entry: Provenance,
    pub note: Option<String>,
}

impl TopicView {
    pub fn new(row: TopicRow, article_count: i64) -> Self {
        TopicView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            provenance: EntryProvenanceView { entry: row.provenance, note: row.provenance_note },
            article_count,
        }
    }
}
