//! What an author looks like on the wire.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Provenance;
use crate::models::author::{AffiliationRow, AuthorRow};

/// An author in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "slug": "sugita-hiroki", "name": "SUGITA Hiroki", "family_name": "SUGITA",
    "given_name": "Hiroki", "bio": null, "provenance": {"name_parts": "editorial", "note": null}, "article_count": 1}))]
pub struct AuthorView {
    pub id: i64,
    pub slug: String,
    /// As published, keeping the source's name order.
    pub name: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub bio: Option<String>,
    /// Whether the split into family and given name is the source's.
    pub provenance: AuthorProvenanceView,
    /// Articles the author contributed to, in any role.
    pub article_count: i64,
}

/// Who split the author's name into `family_name` and `given_name`:
/// `source`, `editorial`, or `null` when there is no split.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorProvenanceView {
    pub name_parts: Option<Provenance>,
    pub note: Option<String>,
}

impl AuthorView {
    pub fn new(row: AuthorRow, article_count: i64) -> Self {
        let split = row.family_name.is_some() || row.given_name.is_some();
        AuthorView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            family_name: row.family_name,
            given_name: row.given_name,
            bio: row.bio,
            provenance: AuthorProvenanceView {
                name_parts: split.then_some(row.name_parts_provenance),
                note: row.provenance_note,
            },
            article_count,
        }
    }
}

/// An affiliation bylines gave the author, and over which period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AffiliationView {
    #[schema(example = "Columnist, Kyodo News Agency")]
    pub affiliation: String,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// Articles whose byline gave this affiliation.
    pub article_count: i64,
}

impl AffiliationView {
    pub fn from_row(row: AffiliationRow) -> Option<Self> {
        Some(AffiliationView {
            affiliation: row.affiliation?,
            first_seen: row.first_seen.map(|t| t.and_utc()),
            last_seen: row.last_seen.map(|t| t.and_utc()),
            article_count: row.articles,
        })
    }
}

/// An author with the affiliations their bylines carried, latest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorDetail {
    #[serde(flatten)]
    pub author: AuthorView,
    pub affiliations: Vec<AffiliationView>,
}
