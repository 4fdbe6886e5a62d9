//! Who is calling: a `Authorization: Bearer <token>` is checked once per
//! request (answers cached for a few seconds, so a revoked key stops within
//! `KEY_CACHE_TTL`) and the verified key put in the request's extensions,
//! for the rate limits and for the writes that require it. Reads stay open:
//! a read with no key, or a wrong one, is served as anonymous. A token is
//! never read from the query string.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use quick_cache::sync::Cache;

use crate::error::ApiError;
use crate::http::rate_limit::AuthenticatedKey;
use crate::models::api_key::{self, VerifiedKey};
use crate::state::AppState;

/// How long a key's check is trusted (and so the longest a revoked key
/// keeps working).
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Checked tokens, by the hash of the token.
pub struct KeyCache {
    checked: Cache<[u8; 32], (Option<VerifiedKey>, Instant)>,
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache { checked: Cache::new(10_000) }
    }
}

/// What the request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    /// A token that is not a live key.
    BadToken,
    /// A token that could not be checked now (the database was busy).
    Unverified,
    Key(VerifiedKey),
}

/// The bearer token of `Authorization`, if that is what it holds.
fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn identify_caller(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let caller = match (bearer(&req), req.app_data::<web::Data<AppState>>().cloned()) {
        (Some(token), Some(state)) => check(&state, token).await,
        (Some(_), None) => Caller::BadToken,
        (None, _) => {
            if req.headers().contains_key(AUTHORIZATION) {
                Caller::BadToken
            } else {
                Caller::Anonymous
            }
        }
    };
    if let Caller::Key(key) = caller {
        // Its own rate limit (see `rate_limit`).
        req.extensions_mut().insert(AuthenticatedKey(key.id));
    }
    req.extensions_mut().insert(caller);
    next.call(req).await
}

async fn check(state: &web::Data<AppState>, token: String) -> Caller {
    let hash = *blake3::hash(token.as_bytes()).as_bytes();
    if let Some((key, at)) = state.keys.checked.get(&hash) {
        if at.elapsed() < KEY_CACHE_TTL {
            return key.map_or(Caller::BadToken, Caller::Key);
        }
    }
    let found = crate::work::cheap(&state.pool, move |conn| Ok(api_key::verify(conn, &token)?)).await;
    match found {
        Ok(key) => {
            state.keys.checked.insert(hash, (key, Instant::now()));
            key.map_or(Caller::BadToken, Caller::Key)
        }
        // Not known now (the database is busy): not cached, not trusted,
        // and not called wrong either (a write is told to retry).
        Err(_) => Caller::Unverified,
    }
}

/// The key a write needs: 401 without a live one.
pub fn require_key(req: &HttpRequest) -> Result<VerifiedKey, ApiError> {
    match req.extensions().get::<Caller>().copied().unwrap_or(Caller::Anonymous) {
        Caller::Key(key) => Ok(key),
        Caller::Anonymous => {
            Err(ApiError::Unauthorized { reason: "This request needs an API key", token_given: false })
        }
        Caller::Unverified => Err(ApiError::Unavailable("the API key could not be checked now".into())),
        Caller::BadToken => Err(ApiError::Unauthorized {
            reason: "The API key given is unknown or revoked, or the Authorization header is not `Bearer <token>`",
            token_given: true,
        }),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;
    use actix_web::HttpMessage;

    use super::{require_key, Caller};
    use crate::domain::KeyScope;
    use crate::error::ApiError;
    use crate::models::api_key::VerifiedKey;

    fn with(caller: Option<Caller>) -> Result<VerifiedKey, ApiError> {
        let req = TestRequest::default().to_http_request();
        if let Some(caller) = caller {
            req.extensions_mut().insert(caller);
        }
        require_key(&req)
    }

    #[test]
    fn a_write_needs_a_verified_key_and_an_unchecked_one_is_told_to_retry() {
        let key = VerifiedKey { id: 3, scope: KeyScope::Write };
        assert_eq!(with(Some(Caller::Key(key))).unwrap(), key);
        assert!(matches!(with(None), Err(ApiError::Unauthorized { token_given: false, .. })));
        assert!(matches!(with(Some(Caller::Anonymous)), Err(ApiError::Unauthorized { token_given: false, .. })));
        assert!(matches!(with(Some(Caller::BadToken)), Err(ApiError::Unauthorized { token_given: true, .. })));
        // The database could not check it: a 503 with Retry-After, not a 401.
        let busy = with(Some(Caller::Unverified)).unwrap_err();
        assert!(matches!(busy, ApiError::Unavailable(_)));
        assert_eq!(busy.retry_after(), Some(1));
    }
}
