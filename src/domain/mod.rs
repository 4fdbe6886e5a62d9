//! Validated values shared by the import path and the HTTP layer: the
//! vocabularies stored as text (article types, roles, …), slugs, date bounds
//! and name folding. Raw input becomes one of these at the edge.

mod citation_style;
mod date_bound;
mod folding;
mod kind;
mod schemas;
mod slug;
mod uid;
mod values;
mod vocab;

pub use citation_style::{CitationStyle, UnknownStyle};
pub use date_bound::{optional_day, parse_date_or_datetime, parse_day, DateBound};
pub use folding::fold;
pub use kind::Kind;
pub use slug::{Slug, SlugError, SLUG_PATTERN};
pub use uid::article_uid;
pub use values::{HttpUrl, LanguageTag, Moment, Text};
pub use vocab::{
    ArticleType, BodyStatus, ChangeAction, Classification, ContributorRole, KeyScope, Provenance, RegionType,
    SeriesType, TombstoneState, UnitType, UnknownWord,
};
