//! What answers when no handler matched: 405 with `Allow` when the path
//! exists under other methods, otherwise a problem+json 404. The table of
//! paths comes from the generated OpenAPI document, so it cannot drift from
//! the routes.

use actix_web::dev::ResourceDef;
use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::path::PathItem;
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

struct Route {
    def: ResourceDef,
    methods: Vec<Method>,
    /// The media types a `GET` answers 200 with, as the spec lists them
    /// (the first is the default).
    offers: std::sync::Arc<[String]>,
    /// A list (its answers carry `X-Total-Count`).
    list: bool,
}

pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// Every path of `spec`, plus the undocumented GET-only ones (the spec
    /// itself and the docs UI).
    pub fn from_spec(spec: &OpenApi, extra_get_paths: &[&str]) -> Self {
        let mut routes = Vec::new();
        for (path, item) in spec.paths.paths.iter() {
            let ok = item.get.as_ref().and_then(|op| op.responses.responses.get("200")).and_then(|r| match r {
                utoipa::openapi::RefOr::T(response) => Some(response),
                utoipa::openapi::RefOr::Ref(_) => None,
            });
            // `text/html` is only ever asked for with `format=html`: every
            // browser sends `Accept: text/html` first, and gets JSON.
            let offers: Vec<String> =
                ok.map(|r| r.content.keys().filter(|m| *m != "text/html").cloned().collect()).unwrap_or_default();
            let offers = offers.into();
            let list = ok.is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("x-total-count")));
            let methods = with_implied(declared_methods(item));
            routes.push(Route { def: ResourceDef::new(path.as_str()), methods, offers, list });
        }
        for path in extra_get_paths {
            let methods = with_implied(vec![Method::GET]);
            routes.push(Route { def: ResourceDef::new(*path), methods, offers: Vec::new().into(), list: false });
        }
        RouteTable { routes }
    }

    fn route(&self, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.def.is_match(path))
    }

    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.route(path).map(|r| r.methods.as_slice())
    }

    /// The media types `GET path` answers with (empty when the spec does
    /// not say: the docs UI), and whether it is a list.
    pub fn offers(&self, path: &str) -> Option<(std::sync::Arc<[String]>, bool)> {
        self.route(path).map(|r| (r.offers.clone(), r.list))
    }
}

/// GET implies HEAD (served by the `head` middleware) and every path
/// answers CORS preflight OPTIONS.
fn with_implied(mut methods: Vec<Method>) -> Vec<Method> {
    if methods.contains(&Method::GET) {
        methods.push(Method::HEAD);
    }
    methods.push(Method::OPTIONS);
    methods
}

fn declared_methods(item: &PathItem) -> Vec<Method> {
    [
        (&item.get, Method::GET),
        (&item.put, Method::PUT),
        (&item.post, Method::POST),
        (&item.delete, Method::DELETE),
        (&item.patch, Method::PATCH),
    ]
    .into_iter()
    .filter(|(op, _)| op.is_some())
    .map(|(_, m)| m)
    .collect()
}

/// The app's default service. A plain `OPTIONS` (not a CORS preflight,
/// which the CORS middleware answers) gets 204 with `Allow`.
pub async fn no_match(req: HttpRequest, table: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    match table.allowed(req.path()) {
        Some(allow) if req.method() == Method::OPTIONS => {
            let allow = allow.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
            Ok(HttpResponse::NoContent().insert_header((header::ALLOW, allow)).finish())
        }
        Some(allow) => Err(ApiError::MethodNotAllowed { allow: allow.to_vec() }),
        None => Err(ApiError::NoRoute),
    }
}
