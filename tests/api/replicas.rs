//! Many nodes on one database: the data version every write answers, reads
//! that ask for at least a version (`X-Min-Data-Version`), `/healthz`'s
//! report of the backend and the replica, and a change log without gaps
//! under writers in several processes. Runs on the suite's backend
//! (`TEST_DATABASE_URL`); `bench/cluster.sh failover-test` runs a real
//! PostgreSQL primary and hot standby.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use actix_web::web;
use commentary_api::db::{Database, PoolOptions};
use commentary_api::domain::KeyScope;
use commentary_api::schema::change_log;
use commentary_api::startup;
use commentary_api::state::{AppState, ServingOptions};
use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{backend, open_seeded, spawn_app, temp_db, test_options};
use crate::writes::{mint, Call};

#[actix_web::test]
async fn a_write_answers_its_data_version_and_reads_can_ask_for_it() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let body = json!({"slug": "sanctions", "name": "Sanctions"});
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let version: i64 = reply.header("x-data-version").expect("X-Data-Version").parse().unwrap();
    let health = app.json("/healthz").await;
    assert_eq!(health["data_version"], version, "the version the write committed is the data's");
    assert_eq!(health["backend"], backend().as_str());
    assert!(health["replica_lag_ms"].is_null() && health["write_version"].is_null(), "{health}");

    // At or below the current version: answered as usual.
    for asked in [version, 0] {
        let req =
            TestRequest::get().uri("/v1/topics/sanctions").insert_header(("X-Min-Data-Version", asked.to_string()));
        assert_eq!(app.request(req.to_request()).await.status, StatusCode::OK);
    }
    // A version never written, on the one database there is: 412, naming the header.
    let req = TestRequest::get().uri("/v1/topics").insert_header(("X-Min-Data-Version", (version + 1).to_string()));
    let reply = app.request(req.to_request()).await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED, "{}", reply.body);
    assert_eq!(reply.body["type"], "/problems/version-not-reached");
    assert_eq!(reply.invalid_param_names(), ["X-Min-Data-Version"]);
    // The request's own mistakes come first: a bad parameter is a 400, an unknown resource a 404.
    let req = TestRequest::get()
        .uri("/v1/topics?sort=bogus")
        .insert_header(("X-Min-Data-Version", (version + 1).to_string()));
    let reply = app.request(req.to_request()).await;
    assert_eq!((reply.status, reply.invalid_param_names()), (StatusCode::BAD_REQUEST, vec!["sort".to_owned()]));
    let req = TestRequest::get()
        .uri("/v1/topics/no-such-topic")
        .insert_header(("X-Min-Data-Version", (version + 1).to_string()));
    assert_eq!(app.request(req.to_request()).await.status, StatusCode::NOT_FOUND);
    // A NUL character in any parameter: 400 on every backend (PostgreSQL cannot compare one).
    for uri in ["/v1/topics?q=a%00b", "/v1/suggest?q=%00x", "/v1/articles?q=x%00"] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}: {}", reply.body);
        assert_eq!(reply.invalid_param_names(), ["q"], "{uri}");
    }
    // Given twice: 400, naming the header.
    let req = TestRequest::get()
        .uri("/v1/topics")
        .append_header(("X-Min-Data-Version", "0"))
        .append_header(("X-Min-Data-Version", version.to_string()));
    let reply = app.request(req.to_request()).await;
    assert_eq!(
        (reply.status, reply.invalid_param_names()),
        (StatusCode::BAD_REQUEST, vec!["X-Min-Data-Version".to_owned()])
    );
    // Not a version: 400, naming the header.
    for bad in ["-1", "abc", "1.5", "99999999999999999999"] {
        let req = TestRequest::get().uri("/v1/topics").insert_header(("X-Min-Data-Version", bad));
        let reply = app.request(req.to_request()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}: {}", reply.body);
        assert_eq!(reply.invalid_param_names(), ["X-Min-Data-Version"], "{bad}");
    }
    // The caches never answer from before the version asked for: a second
    // node on the same database (its version read ages up to its ttl).
    let options = ServingOptions {
        cache: commentary_api::cache::CacheSettings { version_ttl: Duration::from_secs(3600), ..test_options().cache },
        ..test_options()
    };
    let dir = tempfile::tempdir().unwrap();
    let other =
        web::Data::new(crate::helpers::state_with(open_seeded(&app.db), &app.db, &dir.path().join("i"), &options));
    let node = actix_web::test::init_service(startup::app(other)).await;
    let first =
        actix_web::test::call_service(&node, TestRequest::get().uri("/v1/topics?per_page=100").to_request()).await;
    assert_eq!(first.status(), StatusCode::OK);
    let renamed = json!({"slug": "sanctions-regimes", "name": "Sanctions regimes"});
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&renamed)).await;
    let version: i64 = reply.header("x-data-version").unwrap().parse().unwrap();
    let req =
        TestRequest::get().uri("/v1/topics?per_page=100").insert_header(("X-Min-Data-Version", version.to_string()));
    let body: serde_json::Value = actix_web::test::call_and_read_body_json(&node, req.to_request()).await;
    let slugs: Vec<&str> = body["data"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"sanctions-regimes"), "the other node answers from the version asked for: {slugs:?}");
}

/// A node whose "replica" is another database, seeded the same, that the
/// primary then moves past: a stand-in for a standby that lags (a real one
/// runs in `bench/cluster.sh failover-test`).
#[actix_web::test]
async fn a_node_reading_a_lagging_replica_waits_then_503s_and_a_version_never_written_is_412() {
    let (dir, primary) = temp_db();
    let (_replica_dir, replica) = temp_db();
    drop(open_seeded(&replica));
    drop(open_seeded(&primary));
    let line = json!({"kind": "topic", "slug": "only-on-the-primary", "name": "Only on the primary"});
    crate::helpers::import_lines(&primary, &[line.to_string()]);
    let database = Database { read: replica.clone(), write: primary.clone() };
    assert!(database.is_replicated());
    let options = ServingOptions { replica_wait: Duration::from_millis(300), ..test_options() };
    let pool =
        startup::open_database(&Database::from(&replica), PoolOptions { max_size: 4, ..PoolOptions::default() }, true)
            .unwrap();
    let search = startup::open_search(&dir.path().join("index"), &pool, false).unwrap();
    let state = web::Data::new(AppState::new(pool, &database, search, &options).unwrap());
    let app = actix_web::test::init_service(startup::app(state)).await;
    let health: serde_json::Value =
        actix_web::test::call_and_read_body_json(&app, TestRequest::get().uri("/healthz").to_request()).await;
    let (read, written) = (health["data_version"].as_i64().unwrap(), health["write_version"].as_i64().unwrap());
    assert!(written > read, "the primary is ahead: {health}");
    // A version the primary has: wait for the replica, then 503 with Retry-After.
    let started = std::time::Instant::now();
    let req = TestRequest::get().uri("/v1/articles").insert_header(("X-Min-Data-Version", written.to_string()));
    let response = actix_web::test::call_service(&app, req.to_request()).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() >= Duration::from_millis(300), "it waited for the replica first");
    assert_eq!(response.headers().get("retry-after").unwrap(), "1");
    let body: serde_json::Value = actix_web::test::read_body_json(response).await;
    assert_eq!(body["type"], "/problems/version-not-reached");
    // A version not even the primary has: 412 at once.
    let started = std::time::Instant::now();
    let req = TestRequest::get().uri("/v1/articles").insert_header(("X-Min-Data-Version", (written + 5).to_string()));
    let response = actix_web::test::call_service(&app, req.to_request()).await;
    assert_eq!(response.status(), StatusCode::PRECONDITION_FAILED);
    assert!(started.elapsed() < Duration::from_millis(300), "no wait for what was never written");
    // What the replica has: answered.
    let req = TestRequest::get().uri("/v1/articles").insert_header(("X-Min-Data-Version", read.to_string()));
    assert_eq!(actix_web::test::call_service(&app, req.to_request()).await.status(), StatusCode::OK);
}

/// Writers in several processes (here: threads with connections of their
/// own) and a follower reading `seq > last` as it goes: the follower sees
/// every entry, none skipped by a number drawn early and committed late.
#[test]
fn the_change_log_has_no_gaps_a_follower_can_skip_under_concurrent_writers() {
    let (_dir, db) = temp_db();
    drop(open_seeded(&db));
    let done = Arc::new(AtomicBool::new(false));
    let follower = {
        let (db, done) = (db.clone(), done.clone());
        std::thread::spawn(move || {
            let mut conn = commentary_api::db::connect(&db, PoolOptions::default()).unwrap();
            let mut seen = BTreeSet::new();
            let mut last = 0i64;
            loop {
                let finished = done.load(Ordering::Acquire);
                let new: Vec<i64> = change_log::table
                    .filter(change_log::seq.gt(last))
                    .order(change_log::seq.asc())
                    .select(change_log::seq)
                    .load(&mut conn)
                    .unwrap();
                if let Some(max) = new.last() {
                    last = *max;
                }
                seen.extend(new);
                if finished {
                    return seen;
                }
            }
        })
    };
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let line =
                        json!({"kind": "topic", "slug": format!("topic-{w}-{i}"), "name": format!("Topic {w} {i}")});
                    crate::helpers::import_lines(&db, &[line.to_string()]);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::Release);
    let seen = follower.join().unwrap();
    let mut conn = commentary_api::db::connect(&db, PoolOptions::default()).unwrap();
    let all: BTreeSet<i64> =
        change_log::table.select(change_log::seq).load::<i64>(&mut conn).unwrap().into_iter().collect();
    assert!(all.len() >= 100, "every write logged: {}", all.len());
    let skipped: Vec<&i64> = all.difference(&seen).collect();
    assert!(skipped.is_empty(), "the follower skipped {skipped:?} on {}", backend().as_str());
}
