//! What a region looks like on the wire.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::RegionType;
use crate::models::article::TermRef;
use crate::models::region::RegionRow;
use crate::views::refs::ResourceRef;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 6, "slug": "japan", "name": "Japan", "region_type": "country",
    "parent": {"id": 3, "slug": "asia", "name": "Asia"}, "article_count": 11}))]
pub struct RegionView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub region_type: RegionType,
    pub parent: Option<ResourceRef>,
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
            article_count,
        }
    }
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
