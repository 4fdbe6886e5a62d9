//! Rate limits on `/v1` (the limiter is `crate::limits`): who the client
//! is, a 429 before any work once its quota is spent, and the
//! `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-
//! headers, structured-field form) on every answer, the 429 included:
//!
//! ```text
//! RateLimit-Policy: "anonymous";q=1200;w=60
//! RateLimit: "anonymous";r=1180;t=37
//! ```
//!
//! `/livez`, `/healthz`, `/openapi.json` and `/docs` are not limited. The
//! middleware runs outside the conditional-GET middleware (it sees the 304s
//! that one answers with, which cost less) and inside CORS (a 429 carries
//! the CORS fields too).

use std::net::{IpAddr, SocketAddr};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, ResponseError};

use crate::error::ApiError;
use crate::limits::{Client, Status};
use crate::state::AppState;

pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");

/// The API key a request was authenticated with (by its id), put in the
/// request's extensions by the authentication middleware, which runs
/// outside this one: the key's own quota applies instead of its address's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthenticatedKey(pub i64);

fn is_limited(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

/// `1.2.3.4`, `2001:db8::1`, or either with a port.
fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse().ok().or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// Whose quota `req` uses: its API key's, or else its address's (the one a
/// trusted proxy forwarded, when one is trusted and the header names an
/// address; the connection's otherwise).
pub fn client_of(req: &HttpRequest, trust_forwarded_for: bool) -> Client {
    if let Some(AuthenticatedKey(id)) = req.extensions().get::<AuthenticatedKey>().copied() {
        return Client::Key(id);
    }
    let forwarded =
        if trust_forwarded_for { req.connection_info().realip_remote_addr().and_then(parse_address) } else { None };
    forwarded.or_else(|| req.peer_addr().map(|a| a.ip())).map_or(Client::Unknown, Client::from_ip)
}

fn set_fields(headers: &mut HeaderMap, status: &Status<'_>) {
    let policy = status.policy;
    let fields = [
        (RATELIMIT_POLICY, format!("\"{}\";q={};w={}", policy.name, policy.quota, policy.window_secs)),
        (RATELIMIT, format!("\"{}\";r={};t={}", policy.name, status.remaining, status.reset_secs)),
    ];
    for (name, value) in fields {
        headers.insert(name, HeaderValue::try_from(value).expect("a policy name is ASCII"));
    }
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(limits) = state.as_ref().and_then(|s| s.rate_limits.as_ref()).filter(|_| is_limited(req.path())) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let client = client_of(req.request(), limits.trust_forwarded_for());
    let ticket = match limits.admit(client) {
        Ok(ticket) => ticket,
        Err(refused) => {
            let error = ApiError::RateLimited {
                retry_after: refused.reset_secs,
                policy: refused.policy.name,
                quota: refused.policy.quota,
                window_secs: refused.policy.window_secs,
            };
            let mut response = error.error_response();
            set_fields(response.headers_mut(), &refused);
            return Ok(req.into_response(response));
        }
    };
    let mut response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        // Only a body that failed to stream gets here: it is charged as a
        // full answer and goes on without the fields (the request is gone).
        Err(error) => {
            limits.settle(ticket, false);
            return Err(error);
        }
    };
    let status = limits.settle(ticket, response.status() == StatusCode::NOT_MODIFIED);
    set_fields(response.headers_mut(), &status);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn forwarded_addresses_count_only_when_trusted() {
        let peer: SocketAddr = "192.0.2.1:5000".parse().unwrap();
        let req = TestRequest::get().peer_addr(peer).insert_header(("X-Forwarded-For", "198.51.100.9, 192.0.2.1"));
        let req = req.to_srv_request();
        assert_eq!(client_of(req.request(), false), Client::from_ip("192.0.2.1".parse().unwrap()));
        assert_eq!(client_of(req.request(), true), Client::from_ip("198.51.100.9".parse().unwrap()));
        let forwarded = TestRequest::get().peer_addr(peer).insert_header(("Forwarded", "for=\"[2001:db8::7]:4711\""));
        assert_eq!(
            client_of(forwarded.to_srv_request().request(), true),
            Client::from_ip("2001:db8::7".parse().unwrap())
        );
        // A header that names no address: the connection's.
        let hidden = TestRequest::get().peer_addr(peer).insert_header(("Forwarded", "for=_hidden"));
        assert_eq!(client_of(hidden.to_srv_request().request(), true), Client::from_ip(peer.ip()));
        assert_eq!(client_of(TestRequest::get().to_srv_request().request(), true), Client::Unknown);
    }

    #[test]
    fn a_key_wins_over_the_address() {
        let req = TestRequest::get().peer_addr("192.0.2.1:5000".parse().unwrap()).to_srv_request();
        req.extensions_mut().insert(AuthenticatedKey(42));
        assert_eq!(client_of(req.request(), false), Client::Key(42));
    }

    #[test]
    fn only_v1_is_limited() {
        assert!(is_limited("/v1/articles") && is_limited("/v1"));
        for path in ["/livez", "/healthz", "/openapi.json", "/docs/", "/v10/x"] {
            assert!(!is_limited(path), "{path}");
        }
    }
}
