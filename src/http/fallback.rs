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

pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<Method>)>,
}

impl RouteTable {
    /// Every path of `spec`, plus the undocumented GET-only ones (the spec
    /// itself and the docs UI).
    pub fn from_spec(spec: &OpenApi, extra_get_paths: &[&str]) -> Self {
        let mut routes = Vec::new();
        for (path, item) in spec.paths.paths.iter() {
            let methods = declared_methods(item);
            routes.push((ResourceDef::new(path.as_str()), with_implied(methods)));
        }
        for path in extra_get_paths {
            routes.push((ResourceDef::new(*path), with_implied(vec![Method::GET])));
        }
        RouteTable { routes }
    }

    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.routes.iter().find(|(def, _)| def.is_match(path)).map(|(_, m)| m.as_slice())
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
