//! Small wire types shared by several resources.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Provenance;
use crate::models::article::{Classified, TermRef};

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

/// A topic or region an article is filed under, and who filed it there:
/// `source` when the publisher's page files it so, `editorial` when the
/// corpus's editors assigned it (with their note of how, if any).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 3, "slug": "the-korean-peninsula", "name": "The Korean Peninsula",
    "provenance": "source", "provenance_note": null}))]
pub struct ClassifiedRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub provenance: Provenance,
    pub provenance_note: Option<String>,
}

impl From<&Classified> for ClassifiedRef {
    fn from(c: &Classified) -> Self {
        ClassifiedRef {
            id: c.term.id,
            slug: c.term.slug.clone(),
            name: c.term.name.clone(),
            provenance: c.provenance,
            provenance_note: c.provenance_note.clone(),
        }
    }
}
