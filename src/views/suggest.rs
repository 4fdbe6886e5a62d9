//! What `/v1/suggest` answers.

use serde::Serialize;
use utoipa::ToSchema;

use crate::views::refs::ResourceRef;

/// An article suggested by its title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TitleSuggestion {
    pub id: i64,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestions {
    /// Articles whose title words start with what was typed, best match first.
    pub articles: Vec<TitleSuggestion>,
    /// Authors, topics and regions with a name word starting with it, A–Z.
    pub authors: Vec<ResourceRef>,
    pub topics: Vec<ResourceRef>,
    pub regions: Vec<ResourceRef>,
}
