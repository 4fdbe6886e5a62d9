//! Conditional GET (ETag / 304) and caches that follow the data version.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use commentary_api::db::{self, PoolOptions};
use commentary_api::ingest::lines::Source;
use commentary_api::ingest::{self, ImportOptions};

use crate::helpers::spawn_app;

#[actix_web::test]
async fn etag_and_304() {
    let app = spawn_app().await;
    let first = app.get("/v1/articles?topic=the-korean-peninsula").await;
    let etag = first.header("etag").expect("lists carry an ETag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(first.header("cache-control").unwrap().starts_with("public, max-age="));
    let again = app.get("/v1/articles?topic=the-korean-peninsula").await;
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_eq!(again.raw, first.raw, "the cached answer is the same bytes");
    assert_eq!(again.header("x-total-count"), Some("4"));

    let conditional = app
        .request(
            TestRequest::get()
                .uri("/v1/articles?topic=the-korean-peninsula")
                .insert_header(("If-None-Match", etag.clone()))
                .to_request(),
        )
        .await;
    assert_eq!(conditional.status, StatusCode::NOT_MODIFIED);
    assert!(conditional.raw.is_empty());
    assert_eq!(conditional.header("etag"), Some(etag.as_str()));

    let other = app.get("/v1/articles?topic=the-korean-peninsula&per_page=2").await;
    assert_ne!(other.header("etag"), Some(etag.as_str()), "another URI, another ETag");
    let stale = app
        .request(
            TestRequest::get()
                .uri("/v1/articles/unchangeable-commitment")
                .insert_header(("If-None-Match", "W/\"0-0\""))
                .to_request(),
        )
        .await;
    assert_eq!(stale.status, StatusCode::OK);
    // Errors are neither cached nor tagged.
    let bad = app.get("/v1/articles?per_page=0").await;
    assert!(bad.header("etag").is_none());
}

#[actix_web::test]
async fn a_write_retires_cached_answers_and_etags() {
    let app = spawn_app().await;
    let before = app.get("/v1/articles/unchangeable-commitment").await;
    assert_eq!(before.body["title"], "Unchangeable Commitment");
    let etag = before.header("etag").unwrap().to_owned();
    let total_before = app.get("/v1/articles?topic=belt-and-road-initiative").await.total();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fix.ndjson");
    std::fs::write(
        &file,
        concat!(
            r#"{"kind":"article","slug":"unchangeable-commitment","title":"Unchangeable Commitment, revised","type":"commentary","language":"en","published_at":"2020-02-19","publisher":"charhar-institute","topics":["belt-and-road-initiative"]}"#,
            "\n",
            r#"{"kind":"article","slug":"a-new-one","title":"A new one","type":"commentary","language":"en","published_at":"2024-01-01","publisher":"charhar-institute","topics":["belt-and-road-initiative"]}"#,
            "\n"
        ),
    )
    .unwrap();
    let mut conn = db::connect(&app.db, PoolOptions::default()).unwrap();
    ingest::import(&mut conn, &Source::File(file), &ImportOptions::default()).unwrap();

    let after = app.get("/v1/articles/unchangeable-commitment").await;
    assert_eq!(after.body["title"], "Unchangeable Commitment, revised");
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    let revalidated = app
        .request(
            TestRequest::get()
                .uri("/v1/articles/unchangeable-commitment")
                .insert_header(("If-None-Match", etag))
                .to_request(),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::OK, "the old ETag no longer matches");
    assert_eq!(
        app.get("/v1/articles?topic=belt-and-road-initiative").await.total(),
        total_before + 1,
        "cached totals retired"
    );
}

#[actix_web::test]
async fn if_none_match_star_is_304_only_where_there_is_something() {
    let app = spawn_app().await;
    let star = |uri: &str| TestRequest::get().uri(uri).insert_header(("If-None-Match", "*")).to_request();
    for _ in 0..2 {
        // Computed, then from the response cache.
        let reply = app.request(star("/v1/articles?topic=the-korean-peninsula")).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
        assert!(reply.header("etag").is_some());
    }
    let missing = app.request(star("/v1/articles/no-such-article")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app.request(star("/v1/articles?page=0")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
