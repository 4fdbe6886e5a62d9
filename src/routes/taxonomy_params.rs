//! Query parameters shared by the lists of authors, topics and publishers
//! (regions and series add their own filters to the same set).

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, InvalidParam};
use crate::listing::params::ListFormat;
use crate::models::taxonomy::{TaxonomyOrder, TaxonomyQuery};
use crate::pagination::PageRequest;

/// How to order a list of authors, regions, topics, publishers or series.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
pub enum TaxonomySort {
    /// By name, A to Z (case and accents ignored).
    #[default]
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    /// Most articles first.
    #[serde(rename = "-article_count")]
    ArticleCountDesc,
    #[serde(rename = "article_count")]
    ArticleCount,
}

impl From<TaxonomySort> for TaxonomyOrder {
    fn from(s: TaxonomySort) -> Self {
        match s {
            TaxonomySort::Name => TaxonomyOrder::NameAsc,
            TaxonomySort::NameDesc => TaxonomyOrder::NameDesc,
            TaxonomySort::ArticleCountDesc => TaxonomyOrder::CountDesc,
            TaxonomySort::ArticleCount => TaxonomyOrder::CountAsc,
        }
    }
}

/// The representation of a list of authors, regions, topics, publishers
/// or series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// A page: `{data, meta, links}`.
    Json,
    /// The whole list, streamed, as CSV (columns in the README).
    Csv,
    /// The whole list, streamed, one JSON item per line.
    Ndjson,
}

impl From<TableFormat> for ListFormat {
    fn from(f: TableFormat) -> ListFormat {
        match f {
            TableFormat::Json => ListFormat::Json,
            TableFormat::Csv => ListFormat::Csv,
            TableFormat::Ndjson => ListFormat::Ndjson,
        }
    }
}

pub const MAX_PREFIX_LEN: usize = 100;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaxonomyListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000, example = 1)]
    pub page: Option<u32>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<u32>,
    /// Name prefix: matches names that start with it or have a word that
    /// does (case- and accent-insensitive).
    #[param(min_length = 1, max_length = 100, pattern = "[^ \\t\\n\\r\\v\\f]", example = "sug")]
    pub q: Option<String>,
    /// Order of the list.
    #[param(inline)]
    pub sort: Option<TaxonomySort>,
    /// `json` (a page), or the whole list streamed as `csv` or `ndjson`
    /// (which take `limit` rather than `page`/`per_page`); wins over
    /// `Accept`.
    #[param(inline)]
    pub format: Option<TableFormat>,
    /// Exports only: at most this many items (default: all).
    #[param(minimum = 1, maximum = 100000000, example = 1000)]
    pub limit: Option<u64>,
    /// CSV only: start with a UTF-8 byte order mark (for Excel).
    pub bom: Option<bool>,
}

/// The whitespace a prefix may not consist of alone (the spec's `pattern`
/// for it is `PREFIX_PATTERN`). Other text that folds to nothing (a lone
/// combining mark, an ideographic space) is well-formed and matches no name.
const PREFIX_SPACE: &str = " \t\n\r\u{b}\u{c}";

/// The spec's `pattern` for a name prefix: at least one character besides
/// ASCII whitespace.
pub const PREFIX_PATTERN: &str = "[^ \\t\\n\\r\\v\\f]";

/// A typed prefix (`q` of name lists and of suggestions): not empty, not
/// only whitespace, at most `MAX_PREFIX_LEN` characters; problems go to
/// `errors`.
pub fn check_prefix(q: &str, errors: &mut Vec<InvalidParam>) -> Option<String> {
    if q.is_empty() {
        errors.push(InvalidParam::query("q", "must not be empty"));
        None
    } else if q.chars().count() > MAX_PREFIX_LEN {
        errors.push(InvalidParam::query("q", format!("must be at most {MAX_PREFIX_LEN} characters")));
        None
    } else if q.chars().all(|c| PREFIX_SPACE.contains(c)) {
        errors.push(InvalidParam::query("q", "must contain something besides whitespace"));
        None
    } else {
        Some(q.to_owned())
    }
}

/// Check the shared parameters; problems go to `errors`.
pub fn taxonomy_query(
    page: Option<u32>,
    per_page: Option<u32>,
    q: Option<&str>,
    sort: Option<TaxonomySort>,
    errors: &mut Vec<InvalidParam>,
) -> (TaxonomyQuery, PageRequest) {
    let window = PageRequest::parse(page, per_page, errors);
    let prefix = q.and_then(|q| check_prefix(q, errors));
    let query = TaxonomyQuery {
        prefix,
        order: sort.unwrap_or_default().into(),
        offset: window.offset(),
        limit: window.limit(),
    };
    (query, window)
}

impl TaxonomyListParams {
    /// Check the parameters; `errors` holds the problems found so far.
    pub fn parse(&self, mut errors: Vec<InvalidParam>) -> Result<(TaxonomyQuery, PageRequest), ApiError> {
        let parsed = taxonomy_query(self.page, self.per_page, self.q.as_deref(), self.sort, &mut errors);
        if errors.is_empty() {
            Ok(parsed)
        } else {
            Err(ApiError::InvalidParams(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::RefOr;

    fn q_pattern(params: Vec<utoipa::openapi::path::Parameter>) -> String {
        let q = params.into_iter().find(|p| p.name == "q").expect("q is declared");
        let Some(RefOr::T(Schema::Object(object))) = q.schema else { panic!("q has an inline schema") };
        object.pattern.expect("q has a pattern")
    }

    #[test]
    fn every_prefix_parameter_declares_the_prefix_pattern() {
        assert_eq!(q_pattern(TaxonomyListParams::into_params(|| None)), PREFIX_PATTERN);
        assert_eq!(q_pattern(crate::routes::regions::RegionListParams::into_params(|| None)), PREFIX_PATTERN);
        assert_eq!(q_pattern(crate::routes::series::SeriesListParams::into_params(|| None)), PREFIX_PATTERN);
        assert_eq!(q_pattern(crate::routes::suggest::SuggestParams::into_params(|| None)), PREFIX_PATTERN);
    }

    #[test]
    fn whitespace_alone_is_rejected_and_what_the_pattern_takes_is_accepted() {
        let pattern = regex::Regex::new(PREFIX_PATTERN).unwrap();
        for q in [" ", "\t\n", "\u{b}\u{c}\r", "a", " a ", "\u{301}", "\u{3000}", "\u{1c}"] {
            let mut errors = Vec::new();
            let accepted = check_prefix(q, &mut errors).is_some();
            assert_eq!(accepted, pattern.is_match(q), "{q:?}");
        }
    }
}
