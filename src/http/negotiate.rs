//! Content negotiation, in one place for every route: the media types a
//! path's `GET` answers with come from the generated spec (see
//! `RouteTable`), the client's `Accept` picks one (RFC 9110 §12.5.1), and
//! nothing acceptable is a 406 listing what is offered. A `format` query
//! parameter, where a route takes one, overrides `Accept` (the handler reads
//! it), so it is never a 406.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};

use super::fallback::RouteTable;
use crate::error::ApiError;

/// The media type a request will be answered with, whether the route
/// offers others (then answers vary by `Accept`), and whether it is a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// What the route offers (shared with the route table), and which.
    offers: Arc<[String]>,
    chosen: usize,
    pub list: bool,
    /// The `style` the `Accept` range of the chosen type names
    /// (`text/x-bibliography; style=mla`): it selects the representation.
    pub style: Option<String>,
}

impl Negotiated {
    pub fn media_type(&self) -> &str {
        &self.offers[self.chosen]
    }

    /// The answer depends on `Accept` (the route offers more than one type).
    pub fn varies(&self) -> bool {
        self.offers.len() > 1
    }
}

/// Media types clients send for feeds in general; they stand for the first
/// XML feed type offered.
const XML_ALIASES: &[&str] = &["application/xml", "text/xml"];

/// One range of an `Accept` header with its weight.
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    q: f32,
}

fn ranges(accept: &str) -> Vec<Range<'_>> {
    accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let media = pieces.next()?.trim();
            let (kind, subtype) = media.split_once('/')?;
            let mut q = 1.0f32;
            for param in pieces {
                if let Some((name, value)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = value.trim().parse().ok().filter(|q: &f32| (0.0..=1.0).contains(q)).unwrap_or(0.0);
                    }
                }
            }
            Some(Range { kind: kind.trim(), subtype: subtype.trim(), q })
        })
        .collect()
}

/// The weight `accept` gives `offer`: that of the most specific range
/// matching it (0 when none does).
fn weight(ranges: &[Range<'_>], offer: &str, alias_of_xml: bool) -> f32 {
    let (kind, subtype) = offer.split_once('/').unwrap_or((offer, ""));
    let mut best: Option<(u8, f32)> = None;
    for r in ranges {
        let exact = r.kind.eq_ignore_ascii_case(kind) && r.subtype.eq_ignore_ascii_case(subtype);
        let alias =
            alias_of_xml && XML_ALIASES.iter().any(|a| a.eq_ignore_ascii_case(&format!("{}/{}", r.kind, r.subtype)));
        let specificity = if exact {
            3
        } else if alias {
            2
        } else if r.kind.eq_ignore_ascii_case(kind) && r.subtype == "*" {
            1
        } else if r.kind == "*" && r.subtype == "*" {
            0
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, r.q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// The value of parameter `name` on the range of `accept` that names
/// `media_type` exactly (`style` of `text/x-bibliography; style=mla`).
pub fn range_param(accept: &str, media_type: &str, name: &str) -> Option<String> {
    accept.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        if !pieces.next()?.trim().eq_ignore_ascii_case(media_type) {
            return None;
        }
        pieces.find_map(|param| {
            let (key, value) = param.split_once('=')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().trim_matches('"').to_owned())
        })
    })
}

/// The offer `accept` prefers (ties go to the earlier offer); `None` when
/// it accepts none. No `Accept` (or an empty one) accepts the first.
pub fn choose<'a>(accept: Option<&str>, offers: &'a [String]) -> Option<&'a str> {
    let accept = accept.map(str::trim).filter(|a| !a.is_empty());
    let Some(accept) = accept else { return offers.first().map(String::as_str) };
    let ranges = ranges(accept);
    let pick = |first_xml: Option<usize>| {
        let mut best: Option<(f32, &'a str)> = None;
        for (i, offer) in offers.iter().enumerate() {
            let q = weight(&ranges, offer, Some(i) == first_xml);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, offer.as_str()));
            }
        }
        best.map(|(_, offer)| offer)
    };
    // `application/xml` stands for a feed only when nothing else the
    // client accepts is offered (a browser's `*/*` still gets JSON).
    pick(None).or_else(|| pick(offers.iter().position(|o| o.ends_with("+xml"))))
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn negotiate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let route = match (req.method(), req.app_data::<web::Data<RouteTable>>()) {
        (&Method::GET, Some(table)) => table.offers(req.path()),
        _ => None,
    };
    let Some((offers, list)) = route.filter(|(o, _)| !o.is_empty()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let chosen = choose(accept, &offers).and_then(|media_type| offers.iter().position(|o| o == media_type));
    let has_format = || form_urlencoded::parse(req.query_string().as_bytes()).any(|(name, _)| name == "format");
    match chosen {
        Some(chosen) => {
            let style = accept.and_then(|a| range_param(a, &offers[chosen], "style"));
            req.extensions_mut().insert(Negotiated { offers, chosen, list, style });
        }
        None if has_format() => {
            req.extensions_mut().insert(Negotiated { offers, chosen: 0, list, style: None });
        }
        None => {
            let response = ApiError::NotAcceptable { available: offers.to_vec() }.error_response();
            return Ok(req.into_response(response).map_into_boxed_body());
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::choose;

    fn offers() -> Vec<String> {
        ["application/json", "application/rss+xml", "application/atom+xml", "application/feed+json"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn accept_picks_the_best_offer() {
        let o = offers();
        assert_eq!(choose(None, &o), Some("application/json"));
        assert_eq!(choose(Some("*/*"), &o), Some("application/json"));
        assert_eq!(choose(Some("application/atom+xml"), &o), Some("application/atom+xml"));
        assert_eq!(choose(Some("application/rss+xml, application/atom+xml;q=0.9"), &o), Some("application/rss+xml"));
        assert_eq!(
            choose(Some("application/atom+xml;q=0.5, application/feed+json"), &o),
            Some("application/feed+json")
        );
        assert_eq!(choose(Some("application/xml"), &o), Some("application/rss+xml"));
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(choose(Some(browser), &o), Some("application/json"));
        let reader = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8";
        assert_eq!(choose(Some(reader), &o), Some("application/rss+xml"));
        assert_eq!(choose(Some("application/*;q=0.5, application/json;q=0"), &o), Some("application/rss+xml"));
        assert_eq!(choose(Some("text/csv"), &o), None);
        assert_eq!(choose(Some("application/json;q=0"), &o), None);
        assert_eq!(choose(Some("garbage"), &o), None);
    }

    #[test]
    fn a_range_parameter_is_read_from_its_range_only() {
        use super::range_param;
        let accept = "application/json;q=0.1, text/x-bibliography; style=\"mla\"; q=0.9";
        assert_eq!(range_param(accept, "text/x-bibliography", "style").as_deref(), Some("mla"));
        assert_eq!(range_param(accept, "application/json", "style"), None);
        assert_eq!(range_param("text/x-bibliography", "text/x-bibliography", "style"), None);
    }
}
