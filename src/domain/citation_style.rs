//! The citation styles formatted bibliographies come in.

use serde::Deserialize;
use utoipa::ToSchema;

/// A citation style of the formatted bibliographies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CitationStyle {
    /// APA 7th edition.
    Apa,
    /// Chicago Manual of Style (author-date).
    ChicagoAuthorDate,
    /// MLA 9th edition.
    Mla,
    /// Harvard (Cite Them Right).
    Harvard,
}

impl CitationStyle {
    pub const ALL: [CitationStyle; 4] =
        [CitationStyle::Apa, CitationStyle::ChicagoAuthorDate, CitationStyle::Mla, CitationStyle::Harvard];

    pub fn name(self) -> &'static str {
        match self {
            CitationStyle::Apa => "apa",
            CitationStyle::ChicagoAuthorDate => "chicago-author-date",
            CitationStyle::Mla => "mla",
            CitationStyle::Harvard => "harvard",
        }
    }

    pub fn parse(name: &str) -> Option<CitationStyle> {
        CitationStyle::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl std::str::FromStr for CitationStyle {
    type Err = UnknownStyle;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CitationStyle::parse(s).ok_or_else(|| UnknownStyle(s.to_owned()))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown citation style `{0}` (one of apa, chicago-author-date, mla, harvard)")]
pub struct UnknownStyle(pub String);
