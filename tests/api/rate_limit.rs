//! Rate limits: off by default; when on, the `RateLimit-Policy` and
//! `RateLimit` fields on every `/v1` answer, a 429 problem once a client's
//! units are spent, one quota per address or API key, a 304 at half price.

use std::net::SocketAddr;

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{self, TestRequest};
use actix_web::{web, HttpMessage};
use commentary_api::http::rate_limit::AuthenticatedKey;
use commentary_api::limits::RateLimitOptions;
use commentary_api::startup;
use commentary_api::state::ServingOptions;

use crate::helpers::{open_seeded, spawn_app, spawn_app_with, state_with, temp_db, test_options, Reply, TestApp};

const A: &str = "192.0.2.1:40000";
const B: &str = "198.51.100.2:40000";

fn limited(anonymous: u32) -> ServingOptions {
    ServingOptions {
        rate_limits: RateLimitOptions { anonymous, window_secs: 60, ..RateLimitOptions::default() },
        ..test_options()
    }
}

fn from(peer: &str, uri: &str) -> TestRequest {
    TestRequest::get().uri(uri).peer_addr(peer.parse::<SocketAddr>().unwrap())
}

/// The `r` and `t` of the `RateLimit` field, checking its policy name.
fn rate_limit(reply: &Reply, policy: &str) -> (u32, u32) {
    let field = reply.header("ratelimit").unwrap_or_else(|| panic!("no RateLimit field: {:?}", reply.headers));
    let mut items = field.split(';');
    assert_eq!(items.next(), Some(format!("\"{policy}\"").as_str()), "{field}");
    let param = |name: &str| {
        field
            .split(';')
            .find_map(|p| p.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{field}"))
    };
    (param("r="), param("t="))
}

fn remaining(reply: &Reply) -> u32 {
    rate_limit(reply, "anonymous").0
}

impl<S, B> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    async fn get_from(&self, peer: &str, uri: &str) -> Reply {
        self.request(from(peer, uri).to_request()).await
    }
}

#[actix_web::test]
async fn off_by_default_no_fields_and_no_limit() {
    let app = spawn_app().await;
    for _ in 0..40 {
        let reply = app.get_from(A, "/v1/topics").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.header("ratelimit").is_none() && reply.header("ratelimit-policy").is_none());
    }
}

#[actix_web::test]
async fn every_v1_answer_says_the_policy_and_what_is_left() {
    let app = spawn_app_with(&limited(10)).await;
    let first = app.get_from(A, "/v1/topics").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("ratelimit-policy"), Some("\"anonymous\";q=10;w=60"));
    let (r, t) = rate_limit(&first, "anonymous");
    assert_eq!(r, 8, "a full answer takes 2 units");
    assert!((1..=60).contains(&t), "t={t}");
    assert_eq!(remaining(&app.get_from(A, "/v1/topics").await), 6);
    // Errors are answers too: they cost the same and carry the fields.
    let missing = app.get_from(A, "/v1/topics/no-such-topic").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(remaining(&missing), 4);
    let bad = app.get_from(A, "/v1/articles?per_page=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(remaining(&bad), 2);
}

#[actix_web::test]
async fn a_spent_quota_is_a_429_problem_with_retry_after() {
    let app = spawn_app_with(&limited(4)).await;
    assert_eq!(remaining(&app.get_from(A, "/v1/topics").await), 2);
    assert_eq!(remaining(&app.get_from(A, "/v1/topics").await), 0);
    for _ in 0..2 {
        let refused =
            app.request(from(A, "/v1/topics").insert_header(("Origin", "https://example.org")).to_request()).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.content_type(), "application/problem+json");
        assert_eq!(refused.body["type"], "/problems/rate-limited");
        assert_eq!(refused.body["status"], 429);
        assert!(refused.body["detail"].as_str().unwrap().contains("4 units per 60 s"), "{}", refused.body);
        let retry_after: u32 = refused.header("retry-after").expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&retry_after));
        let (r, t) = rate_limit(&refused, "anonymous");
        assert_eq!(r, 0, "a refusal costs nothing, and there is nothing left");
        assert!(t <= retry_after, "Retry-After is not before the end of the window");
        assert_eq!(refused.header("ratelimit-policy"), Some("\"anonymous\";q=4;w=60"));
        assert_eq!(refused.header("cache-control"), Some("no-store"));
        assert_eq!(refused.header("access-control-allow-origin"), Some("https://example.org"), "CORS is outside");
        let exposed = refused.header("access-control-expose-headers").unwrap_or("").to_ascii_lowercase();
        assert!(exposed.contains("ratelimit-policy") && exposed.contains("retry-after"), "{exposed}");
    }
}

#[actix_web::test]
async fn each_address_has_its_own_quota() {
    let app = spawn_app_with(&limited(2)).await;
    assert_eq!(app.get_from(A, "/v1/topics").await.status, StatusCode::OK);
    assert_eq!(app.get_from(A, "/v1/topics").await.status, StatusCode::TOO_MANY_REQUESTS);
    let other = app.get_from(B, "/v1/topics").await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(remaining(&other), 0);
    // Another port of the same address is the same client.
    assert_eq!(app.get_from("192.0.2.1:1", "/v1/topics").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[actix_web::test]
async fn a_304_costs_half_a_full_answer() {
    let app = spawn_app_with(&limited(20)).await;
    let uri = "/v1/articles?topic=the-korean-peninsula";
    let full = app.get_from(A, uri).await;
    assert_eq!(remaining(&full), 18);
    let etag = full.header("etag").unwrap().to_owned();
    let not_modified = app.request(from(A, uri).insert_header(("If-None-Match", etag.clone())).to_request()).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(remaining(&not_modified), 17, "a 304 takes 1 unit");
    // From the response cache: still a full answer, with this client's
    // numbers rather than the ones it was cached with.
    let cached = app.get_from(A, uri).await;
    assert_eq!(cached.raw, full.raw);
    assert_eq!(remaining(&cached), 15);
    let again = app.request(from(A, uri).insert_header(("If-None-Match", etag)).to_request()).await;
    assert_eq!(remaining(&again), 14);
}

#[actix_web::test]
async fn forwarded_addresses_count_only_when_trusted() {
    let forwarded = |app_peer: &str, client: &str| {
        from(app_peer, "/v1/topics").insert_header(("X-Forwarded-For", client.to_owned())).to_request()
    };
    let untrusted = spawn_app_with(&limited(2)).await;
    assert_eq!(untrusted.request(forwarded(A, "203.0.113.1")).await.status, StatusCode::OK);
    let refused = untrusted.request(forwarded(A, "203.0.113.2")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "the header is ignored: one connection address");

    let mut options = limited(2);
    options.rate_limits.trust_forwarded_for = true;
    let proxied = spawn_app_with(&options).await;
    assert_eq!(proxied.request(forwarded(A, "203.0.113.1")).await.status, StatusCode::OK);
    assert_eq!(proxied.request(forwarded(A, "203.0.113.2")).await.status, StatusCode::OK);
    assert_eq!(proxied.request(forwarded(A, "203.0.113.1")).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[actix_web::test]
async fn health_spec_and_docs_are_not_limited() {
    let app = spawn_app_with(&limited(2)).await;
    app.get_from(A, "/v1/topics").await;
    assert_eq!(app.get_from(A, "/v1/topics").await.status, StatusCode::TOO_MANY_REQUESTS);
    for uri in ["/livez", "/healthz", "/openapi.json", "/docs/", "/docs"] {
        for _ in 0..3 {
            let reply = app.get_from(A, uri).await;
            assert!(reply.status.is_success() || reply.status.is_redirection(), "{uri}: {}", reply.status);
            assert!(reply.header("ratelimit").is_none(), "{uri}");
        }
    }
}

/// Stands in for the authentication middleware: `X-Test-Key: 7` is API key 7.
async fn test_key(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let key = req.headers().get("x-test-key").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if let Some(id) = key {
        req.extensions_mut().insert(AuthenticatedKey(id));
    }
    next.call(req).await
}

#[actix_web::test]
async fn an_api_key_has_its_own_quota_and_policy() {
    let (dir, db) = temp_db();
    let mut options = limited(2);
    options.rate_limits.key = Some(6);
    let state = web::Data::new(state_with(open_seeded(&db), &db, &dir.path().join("index"), &options));
    let service = test::init_service(startup::app(state).wrap(from_fn(test_key))).await;
    let call = |req: Request| {
        let service = &service;
        async move {
            let response = test::call_service(service, req).await;
            let (status, headers) = (response.status(), response.headers().clone());
            Reply { status, headers, body: serde_json::Value::Null, raw: test::read_body(response).await.to_vec() }
        }
    };
    let with_key = |key: &str| from(A, "/v1/topics").insert_header(("X-Test-Key", key.to_owned())).to_request();

    assert_eq!(remaining(&call(from(A, "/v1/topics").to_request()).await), 0);
    assert_eq!(call(from(A, "/v1/topics").to_request()).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The same address with a key: the key's quota.
    let keyed = call(with_key("7")).await;
    assert_eq!(keyed.status, StatusCode::OK);
    assert_eq!(keyed.header("ratelimit-policy"), Some("\"key\";q=6;w=60"));
    assert_eq!(rate_limit(&keyed, "key").0, 4);
    assert_eq!(rate_limit(&call(with_key("7")).await, "key").0, 2);
    assert_eq!(rate_limit(&call(with_key("8")).await, "key").0, 4, "each key has its own");
    assert_eq!(rate_limit(&call(with_key("7")).await, "key").0, 0);
    let refused = call(with_key("7")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(rate_limit(&refused, "key").0, 0);
}

#[actix_web::test]
async fn the_spec_documents_the_fields_and_the_429_on_every_v1_operation() {
    let spec = spawn_app().await.json("/openapi.json").await;
    for header in ["RateLimit", "RateLimit-Policy"] {
        assert!(spec["components"]["headers"][header]["description"].is_string(), "{header}");
    }
    let limited = &spec["components"]["responses"]["RateLimited"];
    assert!(limited["headers"]["Retry-After"].is_object());
    assert!(limited["content"]["application/problem+json"].is_object());
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            if !path.starts_with("/v1/") {
                assert!(!responses.contains_key("429"), "{method} {path}");
                continue;
            }
            assert_eq!(responses["429"]["$ref"], "#/components/responses/RateLimited", "{method} {path}");
            for (status, response) in responses.iter().filter(|(s, _)| *s != "429") {
                for header in ["RateLimit", "RateLimit-Policy"] {
                    assert!(response["headers"][header].is_object(), "{method} {path} {status} {header}");
                }
            }
        }
    }
}

#[actix_web::test]
async fn a_real_api_key_gets_the_key_quota_and_a_bad_one_the_address_quota() {
    let app = spawn_app_with(&limited(4)).await;
    let token = crate::writes::mint(&app.db, commentary_api::domain::KeyScope::Write);
    let keyed = |t: &str| from(A, "/v1/topics").insert_header(("authorization", format!("Bearer {t}"))).to_request();
    let reply = app.request(keyed(&token)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let (r, _) = rate_limit(&reply, "key");
    assert_eq!(r, 40 - 2, "the key's own quota (10x the anonymous one by default)");
    // A wrong token counts against the address, like no token.
    let reply = app.request(keyed("cak_0123456789ab_wrong")).await;
    assert_eq!(reply.status, StatusCode::OK, "reads stay open");
    assert_eq!(remaining(&reply), 4 - 2);
}
