//! What a region looks like on the wire.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Provenance, RegionType};
use crate::models::article::TermRef;
use crate::models::region::RegionRow;
use crate::views::refs::ResourceRef;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 6, "slug": "japan", "name": "Japan", "region_type": "country",
    "parent": {"id": 3, "slug": "asia", "name": "Asia"},
    "provenance": {"entry": "editorial", "parent": "editorial", "note": null}, "article_count": 11}))]
pub struct RegionView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub region_type: RegionType,
    pub parent: Option<ResourceRef>,
    /// Whether a source defines the region, and places it under its parent.
    pub provenance: RegionProvenanceView,
    /// Articles filed under the region or any region beneath it.
    pub article_count: i64,
}

impl RegionView {
    pub fn new(row: RegionRow, parent: Option<&TermRef>, article_count: i64) -> Self {
        RegionView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            region_type: row.region_type,
            parent: parent.map(ResourceRef::from),
            provenance: RegionProvenanceView {
                entry: row.provenance,
                parent: row.parent_id.map(|_| row.parent_provenance),
                note: row.provenance_note,
            },
            article_count,
        }
    }
}

/// Whether a source defines a region (`entry`) and places it under its
/// parent (`parent`, `null` for a region at the top), or the corpus's
/// editors do (`editorial`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionProvenanceView {
    pub entry: Provenance,
    pub parent: Option<Provenance>,
    pub note: Option<String>,
}

/// A region with its place in the tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: RegionView,
    /// From the top of the tree down to the parent.
    pub ancestors: Vec<ResourceRef>,
    pub children: Vec<ResourceRef>,
}
