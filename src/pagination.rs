//! Page parameters, the list envelope (`data`, `meta`, `links`) and the
//! `Link` / `X-Total-Count` headers that mirror it.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::InvalidParam;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Deepest page reachable with `page`; deeper, a keyset cursor is cheaper.
pub const MAX_PAGE: u32 = 10_000;

/// A validated page window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub fn parse(page: Option<u32>, per_page: Option<u32>, errors: &mut Vec<InvalidParam>) -> PageRequest {
        let page = match page {
            Some(0) => {
                errors.push(InvalidParam::query("page", "must be at least 1"));
                1
            }
            Some(p) if p > MAX_PAGE => {
                errors.push(InvalidParam::query(
                    "page",
                    format!("must be at most {MAX_PAGE}; to go deeper, follow `cursor` (meta.next_cursor) instead"),
                ));
                1
            }
            Some(p) => p,
            None => 1,
        };
        let per_page = match per_page {
            Some(0) => {
                errors.push(InvalidParam::query("per_page", "must be at least 1"));
                DEFAULT_PER_PAGE
            }
            Some(n) if n > MAX_PER_PAGE => {
                errors.push(InvalidParam::query("per_page", format!("must be at most {MAX_PER_PAGE}")));
                DEFAULT_PER_PAGE
            }
            Some(n) => n,
            None => DEFAULT_PER_PAGE,
        };
        PageRequest { page, per_page }
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }
}

/// Where this page sits in the whole result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageMeta {
    #[schema(example = 1, minimum = 1)]
    pub page: u32,
    #[schema(example = 20, minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// Items matching the request, over all pages.
    #[schema(example = 37, minimum = 0)]
    pub total: i64,
    #[schema(example = 2, minimum = 0)]
    pub total_pages: i64,
}

/// Root-relative links to neighbouring pages; they keep every other
/// parameter of the request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageLinks {
    #[serde(rename = "self")]
    #[schema(example = "/v1/articles?topic=the-korean-peninsula&page=1")]
    pub self_: String,
    pub first: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: String,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
    pub links: PageLinks,
}

impl<T> Page<T> {
    pub fn new(req: &HttpRequest, window: PageRequest, total: i64, data: Vec<T>) -> Page<T> {
        let per_page = i64::from(window.per_page);
        let total_pages = (total + per_page - 1) / per_page;
        Page {
            data,
            meta: PageMeta { page: window.page, per_page: window.per_page, total, total_pages },
            links: PageLinks::numbered(req, i64::from(window.page), total_pages, None),
        }
    }
}

impl PageLinks {
    /// The links of page `current` of `total_pages`. They stop at the
    /// deepest page a request may ask for (`MAX_PAGE`); past it, `next`
    /// follows `next_cursor` when the list has one.
    pub fn numbered(req: &HttpRequest, current: i64, total_pages: i64, next_cursor: Option<&str>) -> PageLinks {
        let last_page = total_pages.clamp(1, i64::from(MAX_PAGE));
        let link = |p: i64| list_url(req, Some(p), None);
        let next = if current < total_pages.min(last_page) {
            Some(link(current + 1))
        } else {
            next_cursor.map(|c| list_url(req, None, Some(c)))
        };
        PageLinks {
            self_: link(current),
            first: link(1),
            prev: (current > 1).then(|| link((current - 1).min(last_page))),
            next,
            last: link(last_page),
        }
    }
}

impl<T: Serialize> Page<T> {
    /// The JSON body plus `X-Total-Count` and an RFC 8288 `Link` header.
    pub fn into_response(self) -> HttpResponse {
        list_response(self.meta.total, &self.links, &self)
    }
}

/// A list answer: `body` as JSON plus `X-Total-Count` and an RFC 8288
/// `Link` header built from `links`.
pub fn list_response(total: i64, links: &PageLinks, body: &impl Serialize) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header(("X-Total-Count", total.to_string()));
    if let Ok(value) = HeaderValue::from_str(&link_header(links)) {
        response.insert_header((header::LINK, value));
    }
    response.json(body)
}

/// The RFC 8288 `Link` header value for `links`.
fn link_header(links: &PageLinks) -> String {
    let mut parts = vec![format!("<{}>; rel=\"first\"", links.first)];
    if let Some(prev) = &links.prev {
        parts.push(format!("<{prev}>; rel=\"prev\""));
    }
    if let Some(next) = &links.next {
        parts.push(format!("<{next}>; rel=\"next\""));
    }
    parts.push(format!("<{}>; rel=\"last\"", links.last));
    parts.join(", ")
}

/// The request's path and query with `page` and `cursor` replaced (left
/// out when `None`).
pub fn list_url(req: &HttpRequest, page: Option<i64>, cursor: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if name != "page" && name != "cursor" {
            query.append_pair(&name, &value);
        }
    }
    if let Some(p) = page {
        query.append_pair("page", &p.to_string());
    }
    if let Some(c) = cursor {
        query.append_pair("cursor", c);
    }
    let query = query.finish();
    if query.is_empty() {
        req.path().to_owned()
    } else {
        format!("{}?{}", req.path(), query)
    }
}
