//! Small wire types shared by several resources.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::models::article::TermRef;

/// A related resource, named.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 3, "slug": "the-korean-peninsula", "name": "The Korean Peninsula"}))]
pub struct ResourceRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl From<TermRef> for ResourceRef {
    fn from(t: TermRef) -> Self {
        ResourceRef { id: t.id, slug: t.slug, name: t.name }
    }
}

impl From<&TermRef> for ResourceRef {
    fn from(t: &TermRef) -> Self {
        ResourceRef { id: t.id, slug: t.slug.clone(), name: t.name.clone() }
    }
}
