//! Under load: heavy requests (searches, facets, histograms, suggestions)
//! are admitted, bounded and cancellable, and never starve the cheap ones;
//! answers from a lagging search index are never served as current.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use actix_web::web;
use commentary_api::error::ApiError;
use commentary_api::http::conditional::representation_key;
use commentary_api::state::{AppState, ServingOptions};
use commentary_api::work::{Budget, HeavyOptions};
use commentary_api::{build_id, cache, startup};

use crate::helpers::{import_lines, open_seeded, spawn_app, spawn_app_with, state_with, temp_db, test_options};

/// Sleep on the test's runtime.
async fn pause(ms: u64) {
    actix_web::rt::time::sleep(Duration::from_millis(ms)).await;
}

/// The data version an ETag was made at (`W/"<version>-<hash>"`).
fn tag_version(etag: &str) -> i64 {
    etag.trim_start_matches("W/\"").split('-').next().unwrap().parse().unwrap()
}

/// A job that holds the (only) heavy thread until the sender is used.
async fn occupy_the_heavy_thread(
    state: &web::Data<AppState>,
) -> (std::sync::mpsc::Sender<()>, actix_web::rt::task::JoinHandle<Result<(), ApiError>>) {
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let blocking = state.clone();
    let blocker = actix_web::rt::spawn(async move {
        blocking
            .heavy
            .run(Budget::unlimited(), move |_, _| {
                let _ = wait.recv();
                Ok(())
            })
            .await
    });
    let started = Instant::now();
    while state.heavy.stats().running == 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "the blocker never ran");
        pause(5).await;
    }
    (release, blocker)
}

const HEAVY: &[&str] = &[
    "/v1/articles?q=korea",
    "/v1/articles?facets=topic",
    "/v1/articles?histogram=year",
    "/v1/topics/the-korean-peninsula/articles?q=dprk",
    "/v1/suggest?q=jap",
];

const CHEAP: &[&str] = &[
    "/v1/articles",
    "/v1/articles?topic=the-korean-peninsula&per_page=2",
    "/v1/articles/unchangeable-commitment",
    "/v1/authors",
    "/v1/regions/asia",
    "/healthz",
    "/livez",
];

#[actix_web::test]
async fn a_full_heavy_pool_refuses_heavy_requests_at_once_and_serves_everything_else() {
    let options =
        ServingOptions { heavy: HeavyOptions { threads: 1, queue: 0, ..HeavyOptions::default() }, ..test_options() };
    let app = spawn_app_with(&options).await;
    let cached = app.get("/v1/articles?q=japan").await;
    assert_eq!(cached.status, StatusCode::OK);

    let (release, blocker) = occupy_the_heavy_thread(&app.state).await;

    for uri in HEAVY {
        let before = Instant::now();
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {}", reply.body);
        assert!(before.elapsed() < Duration::from_secs(1), "{uri}: refused at once, not after a wait");
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.body["type"], "/problems/overloaded");
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert!(reply.header("etag").is_none());
    }
    for uri in CHEAP {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    }
    // An answer cached before is still served.
    let again = app.get("/v1/articles?q=japan").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.raw, cached.raw);
    let health = app.json("/healthz").await;
    assert_eq!(health["heavy"]["running"], 1);
    assert!(health["heavy"]["refused"].as_u64().unwrap() >= HEAVY.len() as u64, "{health}");

    release.send(()).unwrap();
    blocker.await.unwrap().unwrap();
    // (The freed thread takes a moment to be back at the queue.)
    for uri in HEAVY {
        let started = Instant::now();
        while app.get(uri).await.status != StatusCode::OK {
            assert!(started.elapsed() < Duration::from_secs(10), "{uri} once the pool is free");
            pause(10).await;
        }
    }
}

#[actix_web::test]
async fn heavy_work_past_its_deadline_is_a_503_and_cheap_work_has_none() {
    let options = ServingOptions { search_deadline: Duration::ZERO, ..test_options() };
    let app = spawn_app_with(&options).await;
    for uri in HEAVY {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {}", reply.body);
        assert_eq!(reply.body["type"], "/problems/deadline-exceeded");
        assert_eq!(reply.header("retry-after"), Some("5"));
    }
    for uri in CHEAP {
        assert_eq!(app.get(uri).await.status, StatusCode::OK, "{uri}");
    }
    let health = app.json("/healthz").await;
    assert!(health["heavy"]["timed_out"].as_u64().unwrap() >= HEAVY.len() as u64, "{health}");
}

#[actix_web::test]
async fn a_client_that_hangs_up_cancels_its_heavy_work() {
    let (dir, path) = temp_db();
    let pool = open_seeded(&path);
    let options =
        ServingOptions { heavy: HeavyOptions { threads: 1, queue: 4, ..HeavyOptions::default() }, ..test_options() };
    let state = web::Data::new(state_with(pool, &path, &dir.path().join("index"), &options));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = startup::server(listener, state.clone(), Some(1)).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let (release, blocker) = occupy_the_heavy_thread(&state).await;
    // A search that must queue behind the blocker; its client hangs up.
    actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(b"GET /v1/articles?q=japan HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        drop(stream);
    })
    .await
    .unwrap();
    let queued_at = Instant::now();
    while state.heavy.stats().queued == 0 && queued_at.elapsed() < Duration::from_secs(5) {
        pause(5).await;
    }
    pause(300).await;
    release.send(()).unwrap();
    blocker.await.unwrap().unwrap();
    let started = Instant::now();
    while state.heavy.stats().cancelled == 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", state.heavy.stats());
        pause(10).await;
    }
    let stats = state.heavy.stats();
    assert_eq!((stats.cancelled, stats.completed), (1, 1), "the search never ran: {stats:?}");

    // A client that stays gets its answer.
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(b"GET /v1/articles?q=japan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    handle.stop(true).await;
}

fn zebra(slug: &str) -> String {
    serde_json::json!({"kind": "article", "slug": slug, "title": format!("Zebra {slug}"), "type": "news",
        "language": "en", "published_at": "2025-05-05", "publisher": "gmf", "topics": ["the-korean-peninsula"]})
    .to_string()
}

#[actix_web::test]
async fn an_answer_from_a_lagging_index_is_tagged_with_its_state_and_never_cached_as_current() {
    let options = ServingOptions { index_wait: Duration::from_millis(50), ..test_options() };
    let app = spawn_app_with(&options).await;
    let before = app.get("/v1/articles?q=zebra").await;
    assert_eq!(before.total(), 0);
    let old_tag = before.header("etag").unwrap().to_owned();
    let old = tag_version(&old_tag);

    // The index falls behind the store on purpose: a write lands while
    // the background catch-up is paused.
    let paused = app.state.follower.pause();
    import_lines(&app.db, &[zebra("zebra-one"), zebra("zebra-two")]);
    let current = app.json("/healthz").await["data_version"].as_i64().unwrap();
    assert!(current > old);

    for _ in 0..2 {
        // Twice: the second would come from the response cache if the
        // first had been kept as current.
        let stale = app.get("/v1/articles?q=zebra").await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(stale.total(), 0, "the index has not caught up");
        assert_eq!(stale.header("etag"), Some(old_tag.as_str()), "tagged with the state it was computed from");
        let revalidated = app
            .request(
                TestRequest::get()
                    .uri("/v1/articles?q=zebra")
                    .insert_header(("If-None-Match", old_tag.clone()))
                    .to_request(),
            )
            .await;
        assert_eq!(revalidated.status, StatusCode::OK, "an old state is never confirmed with 304");
    }
    // A list with facets comes wholly from the index state the facets
    // read, so they agree with its total.
    let faceted = app.json("/v1/articles?topic=the-korean-peninsula&facets=publisher&per_page=1").await;
    let sum: u64 =
        faceted["facets"]["publisher"].as_array().unwrap().iter().map(|v| v["count"].as_u64().unwrap()).sum();
    assert_eq!(sum as i64, faceted["meta"]["total"].as_i64().unwrap(), "{faceted}");
    // The SQL list is current.
    assert_eq!(app.json("/v1/articles?topic=the-korean-peninsula&per_page=1").await["meta"]["total"], sum + 2);

    drop(paused);
    let started = Instant::now();
    while app.state.search.applied() < current {
        assert!(started.elapsed() < Duration::from_secs(10), "the index never caught up");
        pause(10).await;
    }
    let fresh = app.get("/v1/articles?q=zebra").await;
    assert_eq!(fresh.total(), 2);
    let new_tag = fresh.header("etag").unwrap().to_owned();
    assert_eq!(tag_version(&new_tag), current);
    let revalidated = app
        .request(TestRequest::get().uri("/v1/articles?q=zebra").insert_header(("If-None-Match", old_tag)).to_request())
        .await;
    assert_eq!(revalidated.status, StatusCode::OK);
    assert_eq!(revalidated.total(), 2);
    let faceted = app.json("/v1/articles?topic=the-korean-peninsula&facets=publisher&per_page=1").await;
    assert_eq!(faceted["meta"]["total"], sum + 2);
}

#[actix_web::test]
async fn searches_during_an_import_never_see_a_state_under_another_states_tag() {
    let app = spawn_app().await;
    let lines: Vec<String> = (0..300).map(|i| zebra(&format!("zebra-{i}"))).collect();
    let db = app.db.clone();
    let import = std::thread::spawn(move || {
        for chunk in lines.chunks(30) {
            import_lines(&db, chunk);
        }
    });
    // Every answer is tagged with the state it came from; the same tag must
    // always mean the same answer.
    let mut seen: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    while !import.is_finished() {
        let reply = app.get("/v1/articles?q=zebra&per_page=1").await;
        assert_eq!(reply.status, StatusCode::OK);
        let tag = reply.header("etag").unwrap().to_owned();
        let total = reply.total();
        assert_eq!(*seen.entry(tag.clone()).or_insert(total), total, "{tag} tagged two different answers");
    }
    import.join().unwrap();
    let last = app.get("/v1/articles?q=zebra&per_page=1").await;
    assert_eq!(last.total(), 300);
    assert_eq!(tag_version(last.header("etag").unwrap()), app.json("/healthz").await["data_version"].as_i64().unwrap());
}

#[actix_web::test]
async fn etags_carry_the_build() {
    let app = spawn_app().await;
    let health = app.json("/healthz").await;
    assert_eq!(health["build"], build_id::build_id());
    let reply = app.get("/v1/articles?topic=the-korean-peninsula").await;
    let version = health["data_version"].as_i64().unwrap();
    let key =
        representation_key("application/json", "http://localhost:8080", "/v1/articles?topic=the-korean-peninsula");
    let expected = cache::responses::etag(build_id::build_id(), version, &key);
    assert_eq!(reply.header("etag"), expected.to_str().ok());
    let other_build = cache::responses::etag("another-build", version, &key);
    assert_ne!(reply.header("etag"), other_build.to_str().ok());
}

#[actix_web::test]
async fn an_index_ahead_of_its_restored_database_is_rebuilt() {
    if crate::helpers::sqlite_only("a database restored from a copy of its file") {
        return;
    }
    let (dir, path) = temp_db();
    let file = path.sqlite_path().unwrap().to_owned();
    let index_dir = dir.path().join("index");
    let backup = dir.path().join("backup.sqlite");
    {
        let pool = open_seeded(&path);
        startup::open_search(&index_dir, &pool, false).unwrap();
        let mut conn = pool.get().unwrap();
        diesel::RunQueryDsl::execute(
            diesel::sql_query("VACUUM INTO ?").bind::<diesel::sql_types::Text, _>(backup.to_str().unwrap()),
            &mut conn,
        )
        .unwrap();
    }
    import_lines(&path, &[zebra("zebra-one")]);
    {
        let pool = open_seeded(&path);
        let index = startup::open_search(&index_dir, &pool, false).unwrap();
        assert!(index.applied() > 0);
    }
    // The database goes back to the backup; the index stays ahead of it.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    std::fs::copy(&backup, &file).unwrap();
    let pool = open_seeded(&path);
    let state = web::Data::new(state_with(pool, &path, &index_dir, &test_options()));
    let stored = {
        let mut conn = state.pool.get().unwrap();
        commentary_api::cache::version::read_version(&mut conn).unwrap()
    };
    assert_eq!(state.search.applied(), stored, "rebuilt to the database's state");
    let app = actix_web::test::init_service(startup::app(state)).await;
    let reply = actix_web::test::call_and_read_body_json::<_, _, serde_json::Value>(
        &app,
        TestRequest::get().uri("/v1/articles?q=zebra").to_request(),
    )
    .await;
    assert_eq!(reply["meta"]["total"], 0, "nothing the restored database lacks is found");
}

#[actix_web::test]
async fn deep_page_anchors_are_bounded_in_bytes() {
    let mut options = test_options();
    options.cache.anchor_bytes = 4096;
    let app = spawn_app_with(&options).await;
    for topic in
        ["the-korean-peninsula", "belt-and-road-initiative", "!the-korean-peninsula", "!belt-and-road-initiative"]
    {
        for sort in ["title", "-title", "published_at"] {
            let reply = app.get(&format!("/v1/articles?sort={sort}&topic={topic}&per_page=1&page=4")).await;
            assert_eq!(reply.status, StatusCode::OK);
        }
    }
    let held = app.state.caches.anchors.weight();
    assert!(held > 0 && held <= 4096, "{held} bytes of anchors");
    assert!(app.state.caches.counts.weight() > 0);
}
