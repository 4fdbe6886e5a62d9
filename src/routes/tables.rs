//! Lists of authors, regions, topics, publishers and series: a JSON page,
//! or the whole list streamed as CSV or NDJSON, both from the same rows.

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::error::{ApiError, InvalidParam};
use crate::http::negotiate::Negotiated;
use crate::http::{export, lists};
use crate::listing::params::ListFormat;
use crate::models::taxonomy::TaxonomyQuery;
use crate::pagination::{Page, PageRequest};
use crate::render::csv::TableColumns;
use crate::routes::taxonomy_params::TableFormat;
use crate::services::exports::{self, TableExportRequest, TableRows};
use crate::state::AppState;
use crate::work;

/// A checked list request.
pub struct TableRequest<V> {
    pub query: TaxonomyQuery,
    pub window: PageRequest,
    pub format: ListFormat,
    pub limit: Option<u64>,
    pub bom: bool,
    /// The rows of a window of the list, and its total.
    pub rows: TableRows<V>,
    pub columns: &'static TableColumns,
}

/// The answer a list request asks for (`format`, else `Accept`); the
/// problems of the parameters that depend on it go to `errors`.
pub fn format_of(
    req: &HttpRequest,
    format: Option<TableFormat>,
    paged: bool,
    limit: Option<u64>,
    bom: Option<bool>,
    errors: &mut Vec<InvalidParam>,
) -> ListFormat {
    let negotiated = req.extensions().get::<Negotiated>().and_then(|n| ListFormat::from_media_type(n.media_type()));
    let format = format.map(ListFormat::from).or(negotiated).unwrap_or(ListFormat::Json);
    if format.is_export() && paged {
        errors.push(InvalidParam::query(
            "page",
            "`page` and `per_page` do not apply to an export, which sends the whole list (cap it with `limit`)",
        ));
    }
    if !format.is_export() && limit.is_some() {
        errors.push(InvalidParam::query("limit", "applies only to exports (`format=csv` or `ndjson`)"));
    }
    crate::listing::export::check_limit(limit, errors);
    if bom.is_some() && format != ListFormat::Csv {
        errors.push(InvalidParam::query("bom", "applies only to `format=csv`"));
    }
    format
}

/// The parameters that define a list (for an export's file name).
fn defining(req: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(name, _)| !matches!(name.as_ref(), "format" | "limit" | "bom"))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// Answer `request`: a page as JSON, or the whole list streamed.
pub async fn answer<V: Serialize + Send + 'static>(
    req: &HttpRequest,
    state: web::Data<AppState>,
    request: TableRequest<V>,
) -> Result<HttpResponse, ApiError> {
    let TableRequest { query, window, format, limit, bom, mut rows, columns } = request;
    if format.is_export() {
        let export = TableExportRequest { query, rows, limit, format, columns, bom };
        let client = crate::http::rate_limit::client_of(req, state.trust_forwarded_for);
        let (head, body) = exports::table(state.into_inner(), client, export).await?;
        let pairs = defining(req);
        let defining: Vec<(&str, Option<&str>)> = pairs.iter().map(|(n, v)| (n.as_str(), Some(v.as_str()))).collect();
        let name = export::file_name(req.path(), &defining, format.extension());
        return Ok(export::response(head, body, format.content_type(), name));
    }
    let (data, total) = work::cheap(&state.pool, move |conn| rows(conn, &query)).await?;
    Ok(lists::json_page(&Page::new(&lists::location(req), window, total, data)))
}
