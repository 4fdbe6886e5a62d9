//! Bad requests get problem+json naming what was wrong; never a 500.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn every_bad_parameter_is_named_at_once() {
    let app = spawn_app().await;
    let reply = app
        .get("/v1/articles?page=0&per_page=1000&published_after=2021-13-45&sort=bogus&topic=no-such-topic&colour=red")
        .await;
    // Malformed values make it a 400, answered without looking anything up:
    // the unknown topic is not among them (it is a 404 once the rest is
    // well-formed).
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.body["status"], 400);
    assert_eq!(reply.body["type"], "/problems/invalid-parameters");
    let mut names = reply.invalid_param_names();
    names.sort();
    assert_eq!(names, ["colour", "page", "per_page", "published_after", "sort"]);
    let reasons = reply.body["invalid_params"].as_array().unwrap();
    let reason = |n: &str| reasons.iter().find(|p| p["name"] == n).unwrap()["reason"].as_str().unwrap().to_owned();
    assert_eq!(reason("per_page"), "must be at most 100");
    assert!(reason("sort").contains("-published_at"));
    assert!(reason("colour").starts_with("unknown parameter"));
    assert!(reasons.iter().all(|p| p["in"] == "query"));
    let unknown = app.get("/v1/articles?topic=no-such-topic,the-korean-peninsula,!nor-this").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["type"], "/problems/unknown-reference");
    assert_eq!(unknown.invalid_param_names(), ["topic", "topic"]);
}

#[actix_web::test]
async fn malformed_values() {
    let app = spawn_app().await;
    for (uri, param) in [
        ("/v1/articles?per_page=0", "per_page"),
        ("/v1/articles?page=abc", "page"),
        ("/v1/articles?page=-1", "page"),
        ("/v1/articles?page=99999999999", "page"),
        ("/v1/articles?topic=Not%20A%20Slug", "topic"),
        ("/v1/articles?topic=-a", "topic"),
        ("/v1/regions?parent=Asia", "parent"),
        ("/v1/regions?parent=", "parent"),
        ("/v1/series?publisher=", "publisher"),
        ("/v1/articles?topic=a,,b", "topic"),
        ("/v1/articles?topic=", "topic"),
        ("/v1/articles?type=essay", "type"),
        ("/v1/articles?language=english", "language"),
        ("/v1/articles?published_before=yesterday", "published_before"),
        ("/v1/articles?page=10001", "page"),
        ("/v1/articles?topic=a&topic=b", "topic"),
        ("/v1/authors?q=", "q"),
        ("/v1/authors?sort=age", "sort"),
        ("/v1/series?type=magazine", "type"),
        (
            "/v1/articles/japan-to-seek-greater-regional-autonomy-through-secret-meeting-with-dprk?fields=title",
            "fields",
        ),
        ("/healthz?verbose=1", "verbose"),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}: {}", reply.body);
        assert_eq!(reply.content_type(), "application/problem+json", "{uri}");
        let names = reply.invalid_param_names();
        assert!(!names.is_empty() && names.iter().all(|n| n == param), "{uri}: {names:?}");
    }
}

#[actix_web::test]
async fn well_formed_references_to_nothing_are_404_naming_each() {
    let app = spawn_app().await;
    for (uri, params) in [
        ("/v1/articles?topic=no-such-topic", vec!["topic"]),
        ("/v1/articles?topic=!no-such-topic&author=999999", vec!["topic", "author"]),
        ("/v1/articles?region=atlantis,asia", vec!["region"]),
        ("/v1/articles?series=0", vec!["series"]),
        ("/v1/topics/the-korean-peninsula/articles?publisher=nobody", vec!["publisher"]),
        ("/v1/regions?parent=atlantis", vec!["parent"]),
        ("/v1/series?publisher=9999", vec!["publisher"]),
        ("/v1/articles?author=99999999999999999999", vec!["author"]),
        ("/v1/regions?parent=99999999999999999999", vec!["parent"]),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {}", reply.body);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.body["type"], "/problems/unknown-reference");
        assert_eq!(reply.invalid_param_names(), params, "{uri}");
    }
    // Ids work wherever slugs do.
    let korea = app.json("/v1/topics/the-korean-peninsula").await;
    let by_id = app.get(&format!("/v1/articles?topic={}", korea["id"])).await;
    assert_eq!(by_id.total(), 4);
}

#[actix_web::test]
async fn an_empty_date_range_is_an_empty_list() {
    let app = spawn_app().await;
    let reply = app.get("/v1/articles?published_after=2022-01-01&published_before=2021-01-01").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.total(), 0);
    let far = app.get("/v1/articles?published_after=0000-01-01&published_before=9999-12-31T23:59:59Z").await;
    assert_eq!(far.total(), 37);
}

#[actix_web::test]
async fn unknown_routes_and_methods() {
    let app = spawn_app().await;
    let reply = app.get("/v1/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.body["title"], "Not Found");

    for uri in ["/v1/topics/x/articles", "/healthz", "/v1/changes"] {
        let reply = app.request(TestRequest::post().uri(uri).to_request()).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{uri}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"), "{uri}");
        assert_eq!(reply.content_type(), "application/problem+json");
    }
    // Collections take POST (writes), single resources PUT, PATCH and DELETE.
    let reply = app.request(TestRequest::put().uri("/v1/articles").to_request()).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
    let reply = app.request(TestRequest::post().uri("/v1/articles/some-slug").to_request()).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("allow"), Some("GET, PUT, DELETE, PATCH, HEAD, OPTIONS"));
    let reply = app.request(TestRequest::delete().uri("/v1/authors/tokiwa-shin/articles").to_request()).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    let options = app
        .request(TestRequest::default().method(actix_web::http::Method::OPTIONS).uri("/v1/articles").to_request())
        .await;
    assert_eq!(options.status, StatusCode::NO_CONTENT);
    assert_eq!(options.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
}

#[actix_web::test]
async fn hostile_bytes_never_cause_a_server_error() {
    let app = spawn_app().await;
    for uri in [
        "/v1/articles?topic=%FF%FE",
        "/v1/articles?%00=1",
        "/v1/articles?q=%22%29%3B--",
        "/v1/articles/%00",
        "/v1/articles/../../etc/passwd",
        "/v1/regions?parent=%E2%80%8B",
        "/v1/articles?sort=%F0%9F%98%80",
    ] {
        let reply = app.get(uri).await;
        assert!(reply.status.is_client_error(), "{uri}: {}", reply.status);
        assert_eq!(reply.content_type(), "application/problem+json", "{uri}");
    }
    // Free text is data, not SQL.
    let reply = app.get("/v1/authors?q=%27%20OR%201%3D1").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.total(), 0);
}

#[actix_web::test]
async fn cors_allows_any_origin_and_exposes_paging_headers() {
    let app = spawn_app().await;
    let reply = app
        .request(TestRequest::get().uri("/v1/articles").insert_header(("Origin", "https://example.org")).to_request())
        .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("https://example.org"));
    let exposed = reply.header("access-control-expose-headers").unwrap().to_lowercase();
    assert!(exposed.contains("link") && exposed.contains("x-total-count"), "{exposed}");
    let preflight = app
        .request(
            TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/v1/articles")
                .insert_header(("Origin", "https://example.org"))
                .insert_header(("Access-Control-Request-Method", "GET"))
                .to_request(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
}
