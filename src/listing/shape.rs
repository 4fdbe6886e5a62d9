//! Checking the parameters that shape an article list rather than filter
//! it: fields, facets, histogram, cursor, and the search grammar.

use crate::cursor::{CursorCodec, CursorError, Position};
use crate::domain::Classification;
use crate::error::InvalidParam;
use crate::listing::params::{ArticleListParams, ArticleSort};
use crate::search::{grammar, Dimension, TextQuery};
use crate::views::articles::FieldMask;

pub const DEFAULT_FACET_SIZE: usize = 10;

/// Everything about a list request that is not its filter.
pub struct Shape {
    pub text: Option<TextQuery>,
    pub sort: ArticleSort,
    pub mask: FieldMask,
    pub facets: Vec<Dimension>,
    pub facet_size: usize,
    pub position: Option<Position>,
    /// Items in their default form (no `fields`, `include` or `content`):
    /// stored cards serve them (a search's score and highlights added).
    pub carded: bool,
}

impl Shape {
    /// Read whole items (CSV and citations show what they need of each,
    /// whatever `fields` says): the default fields, the body when asked
    /// for, never highlights.
    pub fn whole_items(&mut self) {
        let body = self.mask.has("body");
        let mut mask = FieldMask::default_fields().without("highlights");
        if body {
            mask = mask.with("body").unwrap_or(mask);
        }
        self.mask = mask;
        self.carded = !body;
    }

    /// Carded, and not a search: the stored cards are the items as they are.
    pub fn plain(&self) -> bool {
        self.carded && self.text.is_none()
    }
}

/// Whether `word` names a facet dimension.
#[cfg(test)]
pub(crate) fn is_facet(word: &str) -> bool {
    dimension(word).is_some()
}

fn dimension(word: &str) -> Option<Dimension> {
    Some(match word {
        "topic" => Dimension::Topic,
        "region" => Dimension::Region,
        "author" => Dimension::Author,
        "publisher" => Dimension::Publisher,
        "series" => Dimension::Series,
        "type" => Dimension::Type,
        "language" => Dimension::Language,
        "year" => Dimension::Year,
        _ => return None,
    })
}

/// The longest `fields` or `facets` value (each name at most once fits
/// many times over).
pub const MAX_LIST_PARAM_CHARS: usize = 1_000;

fn mask(params: &ArticleListParams, errors: &mut Vec<InvalidParam>) -> FieldMask {
    let mut mask = match params.fields.as_deref() {
        None => FieldMask::default_fields(),
        Some(list) if list.len() > MAX_LIST_PARAM_CHARS => {
            errors.push(InvalidParam::query("fields", format!("is longer than {MAX_LIST_PARAM_CHARS} characters")));
            FieldMask::default_fields()
        }
        Some(list) => {
            let mut mask = FieldMask::empty();
            for name in list.split(',') {
                match mask.with(name) {
                    Some(m) => mask = m,
                    None => errors
                        .push(InvalidParam::query("fields", format!("`{name}` is not a field of an article item"))),
                }
            }
            mask
        }
    };
    if params.content == Some(crate::listing::params::ItemContent::Full) {
        mask = mask.with("body").unwrap_or(mask);
    }
    if let Some(include) = params.include.as_deref() {
        for name in include.split(',') {
            match name {
                "body" => mask = mask.with("body").unwrap_or(mask),
                other => {
                    errors.push(InvalidParam::query("include", format!("`{other}` cannot be included; only `body`")))
                }
            }
        }
    }
    mask
}

/// Check the shaping parameters; `fingerprint` identifies the list a cursor
/// must belong to.
pub fn check(
    params: &ArticleListParams,
    codec: &CursorCodec,
    fingerprint: &str,
    errors: &mut Vec<InvalidParam>,
) -> Shape {
    let text = params.q.as_deref().and_then(|q| match grammar::parse(q) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(InvalidParam::query("q", e.0));
            None
        }
    });
    let sort = params.sort();
    let mut facets = Vec::new();
    if params.facets.as_ref().is_some_and(|f| f.len() > MAX_LIST_PARAM_CHARS) {
        errors.push(InvalidParam::query("facets", format!("is longer than {MAX_LIST_PARAM_CHARS} characters")));
    }
    for word in params
        .facets
        .as_deref()
        .filter(|f| f.len() <= MAX_LIST_PARAM_CHARS)
        .map(|f| f.split(',').collect::<Vec<_>>())
        .unwrap_or_default()
    {
        match dimension(word) {
            Some(d) if !facets.contains(&d) => facets.push(d),
            Some(_) => {}
            None => errors.push(InvalidParam::query("facets", format!("`{word}` is not a facet"))),
        }
    }
    let facet_size = match params.facet_size {
        Some(n @ 1..=100) => n as usize,
        Some(_) => {
            errors.push(InvalidParam::query("facet_size", "must be between 1 and 100"));
            DEFAULT_FACET_SIZE
        }
        None => DEFAULT_FACET_SIZE,
    };
    let position = params.cursor.as_deref().and_then(|c| {
        if params.page.is_some() {
            errors.push(InvalidParam::query("cursor", "give either `cursor` or `page`, not both"));
            return None;
        }
        let decoded = codec.decode(fingerprint, c).and_then(|p| {
            // A cursor of a search continues a list answered from the index
            // (a search, or a list of source-stated classifications), and
            // an SQL one a list answered by SQL.
            let from_index = params.q.is_some() || params.classification == Some(Classification::Source);
            let matches = matches!(p, Position::Search { .. }) == from_index;
            if matches {
                Ok(p)
            } else {
                Err(CursorError::Foreign)
            }
        });
        decoded.map_err(|e| errors.push(InvalidParam::query("cursor", e.to_string()))).ok()
    });
    let carded = params.fields.is_none() && params.include.is_none() && params.content.is_none();
    Shape { text, sort, mask: mask(params, errors), facets, facet_size, position, carded }
}
