//! Page parameters, the list envelope (`data`, `meta`, `links`), the links
//! between pages and the `Link` header value that mirrors them.

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
    pub fn new(at: &Location, window: PageRequest, total: i64, data: Vec<T>) -> Page<T> {
        let per_page = i64::from(window.per_page);
        let total_pages = (total + per_page - 1) / per_page;
        Page {
            data,
            meta: PageMeta { page: window.page, per_page: window.per_page, total, total_pages },
            links: PageLinks::numbered(at, i64::from(window.page), total_pages, None),
        }
    }
}

/// Where a list was asked for (its path and query string, as sent): what
/// links to its other pages are built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub query: String,
}

impl Location {
    /// The request's own path and query.
    pub fn here(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The path and query with `page` and `cursor` replaced (left out when
    /// `None`), every other parameter kept.
    pub fn url(&self, page: Option<i64>, cursor: Option<&str>) -> String {
        self.with(&[("page", page.map(|p| p.to_string())), ("cursor", cursor.map(str::to_owned))])
    }

    /// This location with each named parameter replaced by its value (left
    /// out when `None`), every other parameter kept.
    pub fn replacing(&self, replaced: &[(&str, Option<String>)]) -> Location {
        let url = self.with(replaced);
        let query = url.split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default();
        Location { path: self.path.clone(), query }
    }

    /// The path and query with each named parameter replaced by its value
    /// (left out when `None`), every other parameter kept.
    pub fn with(&self, replaced: &[(&str, Option<String>)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in form_urlencoded::parse(self.query.as_bytes()) {
            if !replaced.iter().any(|(n, _)| *n == name) {
                query.append_pair(&name, &value);
            }
        }
        for (name, value) in replaced {
            if let Some(v) = value {
                query.append_pair(name, v);
            }
        }
        let query = query.finish();
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query)
        }
    }
}

/// Where an article-list page sits, for its links.
#[derive(Debug, Clone, Copy)]
pub struct ListPosition<'a> {
    pub window: PageRequest,
    pub total_pages: i64,
    /// The request paged with `cursor` rather than `page`.
    pub cursor_mode: bool,
    pub next_cursor: Option<&'a str>,
    /// The page ended early (byte budget): the next one starts after it.
    pub truncated: bool,
}

impl PageLinks {
    /// The links of page `current` of `total_pages`. They stop at the
    /// deepest page a request may ask for (`MAX_PAGE`); past it, `next`
    /// follows `next_cursor` when the list has one.
    pub fn numbered(at: &Location, current: i64, total_pages: i64, next_cursor: Option<&str>) -> PageLinks {
        let last_page = total_pages.clamp(1, i64::from(MAX_PAGE));
        let link = |p: i64| at.url(Some(p), None);
        let next = if current < total_pages.min(last_page) {
            Some(link(current + 1))
        } else {
            next_cursor.map(|c| at.url(None, Some(c)))
        };
        PageLinks {
            self_: link(current),
            first: link(1),
            prev: (current > 1).then(|| link((current - 1).min(last_page))),
            next,
            last: link(last_page),
        }
    }

    /// The links of a page of an article list, paged by number or by cursor.
    pub fn for_list(at: &Location, p: ListPosition<'_>) -> PageLinks {
        let next_by_cursor = p.next_cursor.map(|c| at.url(None, Some(c)));
        if p.cursor_mode {
            return PageLinks {
                self_: at.here(),
                first: at.url(Some(1), None),
                prev: None,
                next: next_by_cursor,
                last: at.url(Some(p.total_pages.clamp(1, i64::from(MAX_PAGE))), None),
            };
        }
        let mut links = PageLinks::numbered(at, i64::from(p.window.page), p.total_pages, p.next_cursor);
        if p.truncated {
            links.next = next_by_cursor;
        }
        links
    }

    /// Every link made absolute against `base` (`scheme://host`).
    pub fn absolute(&self, base: &str) -> PageLinks {
        let abs = |l: &str| format!("{base}{l}");
        PageLinks {
            self_: abs(&self.self_),
            first: abs(&self.first),
            prev: self.prev.as_deref().map(abs),
            next: self.next.as_deref().map(abs),
            last: abs(&self.last),
        }
    }
}

/// The RFC 8288 `Link` header value for `links`.
pub fn link_header(links: &PageLinks) -> String {
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
