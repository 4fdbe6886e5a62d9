//! A list request, checked: everything that can be checked without the
//! database is, so a malformed request is answered without taking a
//! connection.

use crate::cache::filters::FilterCache;
use crate::cursor::{self, CursorCodec};
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::models::article_filter::{self, ArticleFilter, ParsedFilter};
use crate::models::ResourceKey;
use crate::pagination::PageRequest;

use super::params::{ArticleListParams, HistogramInterval};
use super::shape::{self, Shape};
use super::slice::Slice;

/// Requires the resource in the path of a scoped list of every match;
/// answers false when it does not exist.
pub type ScopeFn = fn(&mut DbConn, &ResourceKey, &mut ArticleFilter) -> Result<bool, ApiError>;

/// The resource a scoped list (`/v1/topics/{id_or_slug}/articles` …)
/// belongs to.
pub struct Scope {
    pub resource: &'static str,
    pub key: ResourceKey,
    pub apply: ScopeFn,
}

pub struct ListRequest {
    pub scope: Option<Scope>,
    pub filter: ParsedFilter,
    pub shape: Shape,
    pub window: PageRequest,
    pub histogram: Option<HistogramInterval>,
    /// Identifies the list a cursor belongs to.
    pub fingerprint: String,
    /// `q` as given (for the list's description).
    pub q: Option<String>,
    /// Describe the list in words (feeds title themselves with it).
    pub describe: bool,
}

impl ListRequest {
    /// Check `params` (given at `path`), adding to the `problems` the
    /// query parser found; any problem is a 400 naming each.
    pub fn parse(
        path: &str,
        params: &ArticleListParams,
        problems: Vec<InvalidParam>,
        scope: Option<Scope>,
        cursors: &CursorCodec,
    ) -> Result<ListRequest, ApiError> {
        let mut errors = problems;
        let fingerprint = cursor::fingerprint(path, &params.defining());
        let window = params.window(&mut errors);
        let shape = shape::check(params, cursors, &fingerprint, &mut errors);
        let filter = article_filter::parse(&params.raw_filter(), &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::InvalidParams(errors));
        }
        Ok(ListRequest {
            scope,
            filter,
            shape,
            window,
            histogram: params.histogram,
            fingerprint,
            q: params.q.clone(),
            describe: false,
        })
    }

    /// The list in words, when asked for.
    pub fn describe(&self, conn: &mut DbConn, filter: &ArticleFilter) -> Result<Option<Slice>, ApiError> {
        if !self.describe {
            return Ok(None);
        }
        super::slice::describe(conn, filter, &self.shape, self.q.as_deref()).map(Some)
    }

    /// Whether answering needs the search index (heavy work).
    pub fn uses_index(&self) -> bool {
        // Only the index tells links the source stated from the others.
        self.shape.text.is_some()
            || !self.shape.facets.is_empty()
            || self.histogram.is_some()
            || self.filter.source_only()
    }

    /// The filter with every reference looked up and the path's resource
    /// required, at data version `version` (kept in `filters` for the
    /// requests that follow): 404 when either names something that does
    /// not exist.
    pub fn resolve(&self, conn: &mut DbConn, filters: &FilterCache, version: i64) -> Result<ArticleFilter, ApiError> {
        let scope = self.scope.as_ref().map(|s| (s.resource, s.key.clone()));
        filters.get_or_resolve((scope, self.filter.clone(), version), || self.look_up(conn))
    }

    fn look_up(&self, conn: &mut DbConn) -> Result<ArticleFilter, ApiError> {
        let mut filter = ArticleFilter::default();
        if let Some(Scope { resource, key, apply }) = &self.scope {
            if !apply(conn, key, &mut filter)? {
                return Err(ApiError::not_found(resource, key.as_text()));
            }
        }
        filter.merge_from(article_filter::resolve(conn, &self.filter)?);
        Ok(filter)
    }
}
