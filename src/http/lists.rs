//! The HTTP side of list answers: where a request was made (for links),
//! the origin absolute links start with, and the response with its `Link`
//! and `X-Total-Count` headers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::cache::Snapshot;
use crate::http::conditional::ComputedAt;
use crate::pagination::{link_header, Location, Page, PageLinks};
use crate::render::Rendered;

/// The request's path and query.
pub fn location(req: &HttpRequest) -> Location {
    Location { path: req.path().to_owned(), query: req.query_string().to_owned() }
}

/// `scheme://host` for absolute links: the configured public URL, else the
/// request's own (the response cache keys answers by it then, so one host's
/// links are never served to another).
pub fn origin(req: &HttpRequest, public_url: Option<&str>) -> String {
    match public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

fn with_list_headers(total: i64, links: &PageLinks) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response.insert_header(("X-Total-Count", total.to_string()));
    if let Ok(value) = HeaderValue::from_str(&link_header(links)) {
        response.insert_header((header::LINK, value));
    }
    response
}

/// A list of authors, topics … as JSON, with its headers.
pub fn json_page<T: Serialize>(page: &Page<T>) -> HttpResponse {
    with_list_headers(page.meta.total, &page.links).json(page)
}

/// A rendered article list with its headers; `computed_at` tells the
/// caches which state of the data it shows, when it is not the one the
/// request started with.
pub fn rendered(r: Rendered, computed_at: Option<Snapshot>) -> HttpResponse {
    let mut response = with_list_headers(r.total, &r.links)
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(r.content_type)))
        .body(r.body);
    if let Some(snapshot) = computed_at {
        response.extensions_mut().insert(ComputedAt(snapshot));
    }
    response
}
