//! Exports: every list as CSV and NDJSON, the whole result streamed, read
//! back with a CSV parser and serde and checked against the JSON pages of
//! the same list; parameters, headers and conditional requests; one data
//! version under a concurrent write; aborted, never truncated, on failure.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{spawn_app, spawn_synthetic_app, Reply};

/// Article lists of the seed corpus: filters, a search, scoped lists, sorts.
const ARTICLE_LISTS: &[&str] = &[
    "/v1/articles",
    "/v1/articles?topic=the-korean-peninsula",
    "/v1/articles?q=japan",
    "/v1/articles?sort=title&type=!news",
    "/v1/topics/the-korean-peninsula/articles?publisher=charhar-institute",
    "/v1/regions/asia/articles?sort=published_at",
    "/v1/authors/tokiwa-shin/articles",
    "/v1/publishers/jfir/articles",
    "/v1/series/jfir-commentary/articles",
];

const TABLE_LISTS: &[&str] =
    &["/v1/authors", "/v1/regions?sort=-article_count", "/v1/topics", "/v1/publishers", "/v1/series?q=jfir"];

fn with(uri: &str, param: &str) -> String {
    format!("{uri}{}{param}", if uri.contains('?') { '&' } else { '?' })
}

fn ndjson(reply: &Reply) -> Vec<Value> {
    let text = std::str::from_utf8(&reply.raw).expect("UTF-8");
    assert!(text.is_empty() || text.ends_with('\n'), "every line ends");
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// The CSV read back: its header and each row as (header → value).
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed record");
            assert_eq!(r.len(), headers.len(), "every row has every column");
            headers.iter().cloned().zip(r.iter().map(str::to_owned)).collect()
        })
        .collect();
    (headers, rows)
}

fn joined(values: &[Value], key: &str) -> String {
    values.iter().map(|v| v[key].as_str().unwrap_or("").replace('|', "¦")).collect::<Vec<_>>().join("|")
}

fn text(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_default()
}

#[actix_web::test]
async fn every_article_list_exports_its_whole_result_as_ndjson_and_csv() {
    let app = spawn_app().await;
    for list in ARTICLE_LISTS {
        let expected = app.all_items(list).await;
        assert!(!expected.is_empty(), "{list} has articles");

        let reply = app.get(&with(list, "format=ndjson")).await;
        assert_eq!(reply.status, StatusCode::OK, "{list}: {}", String::from_utf8_lossy(&reply.raw));
        assert_eq!(reply.content_type(), "application/x-ndjson");
        assert_eq!(reply.header("x-total-count"), Some(expected.len().to_string().as_str()));
        let disposition = reply.header("content-disposition").unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".ndjson\""),
            "{disposition}"
        );
        // Each line is exactly the JSON list item (highlights of a search included).
        assert_eq!(ndjson(&reply), expected, "{list}");

        let reply = app.get(&with(list, "format=csv")).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type(), "text/csv; charset=utf-8; header=present");
        let (headers, rows) = csv_rows(&reply.raw);
        assert!(!headers.contains(&"body".to_owned()));
        assert_eq!(headers.contains(&"score".to_owned()), list.contains("q="), "{list}");
        assert_eq!(rows.len(), expected.len(), "{list}");
        for (row, item) in rows.iter().zip(&expected) {
            assert_eq!(row["id"], item["id"].to_string());
            assert_eq!(row["slug"], text(&item["slug"]));
            assert_eq!(row["title"], text(&item["title"]));
            assert_eq!(row["summary"], text(&item["summary"]));
            assert_eq!(row["type"], text(&item["type"]));
            assert_eq!(row["published_at"], text(&item["published_at"]));
            assert_eq!(row["publisher"], text(&item["publisher"]["name"]));
            assert_eq!(row["series_slug"], text(&item["series"]["slug"]));
            let authors = item["authors"].as_array().unwrap();
            assert_eq!(row["author_slugs"], joined(authors, "slug"));
            assert_eq!(row["author_names"], joined(authors, "name"));
            assert_eq!(row["author_roles"], joined(authors, "role"));
            assert_eq!(row["author_affiliations"], joined(authors, "affiliation"));
            // The many-valued columns split back into as many values as the byline has.
            if !authors.is_empty() {
                assert_eq!(row["author_affiliations"].split('|').count(), authors.len());
            }
            assert_eq!(row["topic_slugs"], joined(item["topics"].as_array().unwrap(), "slug"));
            assert_eq!(row["regions"], joined(item["regions"].as_array().unwrap(), "name"));
            assert_eq!(row["original_language"], text(&item["translation"]["original_language"]));
            assert_eq!(row["translation_note"], text(&item["translation"]["note"]));
            assert_eq!(row["source_name"], text(&item["source"]["name"]));
            assert!(row["api_url"].ends_with(&format!("/v1/articles/{}", text(&item["slug"]))));
        }
    }
}

#[actix_web::test]
async fn the_seed_corpus_translations_and_bylines_survive_the_csv() {
    let app = spawn_app().await;
    let reply = app.get("/v1/articles?format=csv").await;
    let (_, rows) = csv_rows(&reply.raw);
    let translated: Vec<_> = rows.iter().filter(|r| !r["translation_note"].is_empty()).collect();
    assert!(!translated.is_empty(), "the seed has translations");
    assert!(translated.iter().all(|r| r["original_language"] == "ja" || !r["original_language"].is_empty()));
    assert!(rows.iter().any(|r| r["author_roles"].contains('|')), "a byline of several entries");
    assert!(rows.iter().any(|r| r["author_affiliations"].contains("JFIR")), "affiliations at the time");
}

#[actix_web::test]
async fn lists_of_authors_regions_topics_publishers_and_series_export_too() {
    let app = spawn_app().await;
    for list in TABLE_LISTS {
        let expected = app.all_items(list).await;
        let reply = app.get(&with(list, "format=ndjson")).await;
        assert_eq!(reply.status, StatusCode::OK, "{list}");
        assert_eq!(ndjson(&reply), expected, "{list}");
        assert_eq!(reply.header("x-total-count"), Some(expected.len().to_string().as_str()));

        let reply = app.get(&with(list, "format=csv")).await;
        let (headers, rows) = csv_rows(&reply.raw);
        assert_eq!(rows.len(), expected.len(), "{list}");
        for (row, item) in rows.iter().zip(&expected) {
            for header in &headers {
                let value = item.get(header.as_str()).or_else(|| {
                    // Nested members are flattened with `_` (`parent_slug`).
                    header.split_once('_').and_then(|(a, b)| item.get(a).and_then(|v| v.get(b)))
                });
                let expected = match value {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                };
                assert_eq!(row[header], expected, "{list} {header}");
            }
        }
    }
    let reply = app.get_accepting("/v1/topics", "text/csv").await;
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8; header=present");
    let reply = app.get("/v1/regions?format=csv&page=2").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.invalid_param_names(), ["page"]);
    let reply = app.get("/v1/authors?limit=2").await;
    assert_eq!(reply.invalid_param_names(), ["limit"]);
    assert_eq!(app.get("/v1/topics?format=csv&limit=100000001").await.invalid_param_names(), ["limit"]);
    let reply = app.get("/v1/authors?format=ndjson&limit=2").await;
    assert_eq!(ndjson(&reply).len(), 2);
    let reply = app.get("/v1/regions?format=csv&parent=no-such-region").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn export_parameters_are_checked_and_honoured() {
    let app = spawn_app().await;
    for (uri, names) in [
        ("/v1/articles?format=csv&page=2", vec!["page"]),
        ("/v1/articles?format=ndjson&per_page=5&facets=topic&histogram=year", vec!["per_page", "facets", "histogram"]),
        ("/v1/articles?limit=5", vec!["limit"]),
        ("/v1/articles?format=ndjson&bom=true", vec!["bom"]),
        ("/v1/articles?format=csv&limit=0", vec!["limit"]),
        ("/v1/articles?format=csv&limit=100000001", vec!["limit"]),
        ("/v1/articles?format=csv&limit=18446744073709551616", vec!["limit"]),
        ("/v1/articles?format=csv&style=mla", vec!["style"]),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.invalid_param_names(), names, "{uri}");
    }
    assert_eq!(app.get("/v1/articles?format=csv&topic=no-such-topic").await.status, StatusCode::NOT_FOUND);

    let limited = app.get("/v1/articles?format=ndjson&limit=3").await;
    assert_eq!(ndjson(&limited).len(), 3);
    assert_eq!(limited.header("x-total-count"), Some("3"));

    let with_body = app.get("/v1/articles?format=csv&include=body&fields=title,authors&bom=true").await;
    assert!(with_body.raw.starts_with(b"\xEF\xBB\xBF"), "a byte order mark for Excel");
    let (headers, rows) = csv_rows(&with_body.raw[3..]);
    assert_eq!(headers, ["id", "title", "author_slugs", "author_names", "author_roles", "author_affiliations", "body"]);
    assert!(rows.iter().any(|r| r["body"].len() > 200), "bodies are exported");

    let fields = app.get("/v1/articles?format=ndjson&fields=title").await;
    assert!(ndjson(&fields).iter().all(|l| l.as_object().unwrap().len() == 2), "fields shape the lines");

    for accept in ["text/csv", "application/x-ndjson"] {
        let reply = app.get_accepting("/v1/articles", accept).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.content_type().starts_with(accept));
    }
}

#[actix_web::test]
async fn an_export_has_a_validator_and_answers_304() {
    let app = spawn_app().await;
    let first = app.get("/v1/articles?format=csv&topic=the-korean-peninsula").await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = app
        .request(
            TestRequest::get()
                .uri("/v1/articles?format=csv&topic=the-korean-peninsula")
                .insert_header(("If-None-Match", etag.as_str()))
                .to_request(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
    let other = app.get("/v1/articles?format=ndjson&topic=the-korean-peninsula").await;
    assert_ne!(other.header("etag"), Some(etag.as_str()), "each format is its own representation");
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[actix_web::test]
async fn a_long_export_shows_one_state_of_the_data_and_every_row_once() {
    let app = spawn_synthetic_app(3_000).await;
    let response = app.respond(TestRequest::get().uri("/v1/articles?format=csv").to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("x-total-count").unwrap(), "3000");
    // The export has started (its head is out; its thread is blocked on a
    // full queue). Now every article's title changes.
    let mut conn = commentary_api::db::connect(&app.db, Default::default()).unwrap();
    let change = match crate::helpers::backend() {
        commentary_api::db::Backend::Sqlite => {
            "UPDATE article_cards SET card = json_set(card, '$.title', 'CHANGED MID-EXPORT')"
        }
        commentary_api::db::Backend::Postgres => {
            "UPDATE article_cards SET card = jsonb_set(card::jsonb, '{title}', '\"CHANGED MID-EXPORT\"')::text"
        }
    };
    let changed = diesel::sql_query(change).execute(&mut conn).unwrap();
    assert_eq!(changed, 3_000);
    let count: Count =
        diesel::sql_query("SELECT count(*) AS n FROM article_cards WHERE card LIKE '%CHANGED MID-EXPORT%'")
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(count.n, 3_000, "the write is committed");
    // One client may stream two exports at once; a third waits its turn.
    let second = app.respond(TestRequest::get().uri("/v1/articles?format=ndjson").to_request()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let third = app.get("/v1/authors?format=csv").await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.body["type"], "/problems/too-many-exports");
    assert!(third.header("retry-after").is_some());
    drop(second);
    let body = actix_web::test::read_body(response).await;
    let (_, rows) = csv_rows(&body);
    assert_eq!(rows.len(), 3_000);
    assert!(rows.iter().all(|r| r["title"] != "CHANGED MID-EXPORT"), "the export reads the state it started in");
    let mut ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3_000, "every row exactly once");
    // And in the list's order: newest first.
    let dates: Vec<&str> = rows.iter().map(|r| r["published_at"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    // The next export sees the change.
    let after = app.get("/v1/articles?format=ndjson&limit=5").await;
    assert!(ndjson(&after).iter().all(|l| l["title"] == "CHANGED MID-EXPORT"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The raw bytes of one HTTP/1.1 exchange, read until the server closes.
fn raw_get(addr: SocketAddr, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    response
}

/// Whether a raw `/healthz` answer says the search index has caught up
/// with the database.
fn index_built(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some(body) = text.split("\r\n\r\n").nth(1) else { return false };
    let Ok(health) = serde_json::from_str::<serde_json::Value>(body) else { return false };
    health["data_version"].is_i64() && health["search_index_version"] == health["data_version"]
}

#[test]
fn an_export_that_fails_midway_is_aborted_not_ended_as_complete() {
    let (dir, db) = crate::helpers::temp_db();
    let file = dir.path().join("corpus.ndjson");
    let spec = commentary_api::synthetic::CorpusSpec { articles: 2_000, seed: 11, authors: 100 };
    commentary_api::synthetic::write_corpus(&spec, &mut std::fs::File::create(&file).unwrap()).unwrap();
    crate::helpers::import_file(&db, &file);
    // A damaged card far down the list: valid JSON, but not an article.
    let mut conn = commentary_api::db::connect(&db, Default::default()).unwrap();
    diesel::sql_query(
        "UPDATE article_cards SET card = '{\"id\": 0}' WHERE article_id = \
         (SELECT id FROM articles ORDER BY published_at ASC, id ASC LIMIT 1 OFFSET 100)",
    )
    .execute(&mut conn)
    .unwrap();
    drop(conn);
    let port = free_port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_commentary-api"))
        .args(["--database", &db.to_url(), "--port", &port.to_string(), "--workers", "1", "--no-seed"])
        .arg("--index-dir")
        .arg(dir.path().join("index"))
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "the server came up");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The server listens at once and builds its search index behind; that
    // build (a debug build, every body tokenised twice) would compete with
    // the exports for the two cores, and is not what is tested here.
    while !index_built(&raw_get(addr, "/healthz")) {
        assert!(started.elapsed() < Duration::from_secs(180), "the search index was built");
        std::thread::sleep(Duration::from_millis(200));
    }
    let complete = raw_get(addr, "/v1/articles?format=csv&limit=1000");
    let broken = raw_get(addr, "/v1/articles?format=csv");
    server.kill().unwrap();
    let _ = server.wait();

    let ends = |r: &[u8]| r.ends_with(b"\r\n0\r\n\r\n");
    assert!(complete.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&complete[..200]));
    assert!(ends(&complete), "a complete export ends its chunked body");
    assert!(broken.starts_with(b"HTTP/1.1 200"));
    assert!(broken.len() > 100_000, "the export streamed before it failed");
    assert!(!ends(&broken), "a failed export never ends as if complete");
}
