//! `spawn_app`: a fresh database (migrated, seeded) and the app over it.
//!
//! The backend is SQLite (a temporary file) unless `TEST_DATABASE_URL`
//! names a PostgreSQL server (`postgres://user@host:port/db`): then every
//! test gets a database of its own, created on that server. `.ci/run` runs
//! the suite once on each.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::{test, web};
use commentary_api::cache::CacheSettings;
use commentary_api::db::{Backend, Database, DbPool, Location, PoolOptions};
use commentary_api::startup;
use commentary_api::state::{AppState, ServingOptions};
use commentary_api::work::HeavyOptions;
use serde_json::Value;
use tempfile::TempDir;

pub struct TestApp<S> {
    service: S,
    pub db: Location,
    pub state: web::Data<AppState>,
    _dir: TempDir,
}

/// A response, with the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    /// Slugs of the `data` items of a list.
    pub fn slugs(&self) -> Vec<String> {
        self.body["data"].as_array().expect("a list").iter().map(|a| a["slug"].as_str().unwrap().to_owned()).collect()
    }

    pub fn total(&self) -> i64 {
        self.body["meta"]["total"].as_i64().expect("meta.total")
    }

    /// Names of the parameters a 400 problem lists.
    pub fn invalid_param_names(&self) -> Vec<String> {
        self.body["invalid_params"]
            .as_array()
            .map(|a| a.iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    }
}

/// The backend the suite runs on (`TEST_DATABASE_URL`).
pub fn backend() -> Backend {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// For a test of something only SQLite has (its files, its query plans):
/// true, with a note, when the suite runs on another backend.
pub fn sqlite_only(what: &str) -> bool {
    if backend() == Backend::Sqlite {
        return false;
    }
    eprintln!("skipped on {}: {what} (SQLite only)", backend().as_str());
    true
}

/// A new empty database: a SQLite file in a temporary folder, or a new
/// PostgreSQL database on the `TEST_DATABASE_URL` server (left there; CI
/// throws the whole server away).
pub fn temp_db() -> (TempDir, Location) {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Location::Postgres(create_pg_database(&url)),
        _ => Location::Sqlite(dir.path().join("test.sqlite")),
    };
    (dir, location)
}

fn create_pg_database(server: &str) -> String {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    );
    let mut admin = diesel::PgConnection::establish(server).expect("the TEST_DATABASE_URL server answers");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("a test database");
    let (base, _) = server.rsplit_once('/').expect("a database URL");
    format!("{base}/{name}")
}

pub fn open_seeded(db: &Location) -> DbPool {
    startup::open_store(db, PoolOptions { max_size: 4, ..PoolOptions::default() }, true).expect("store opens")
}

/// Caches on, but the data version read on every request, so that a test
/// sees its own writes at once, and page anchors every 3 rows, so that the
/// seed's short lists exercise them. Two heavy threads; a generous wait for
/// the index to catch up (tests expect their writes in the next answer).
pub fn test_options() -> ServingOptions {
    ServingOptions {
        cache: CacheSettings { version_ttl: std::time::Duration::ZERO, anchor_every: 3, ..CacheSettings::default() },
        heavy: HeavyOptions { threads: 2, ..HeavyOptions::default() },
        index_wait: std::time::Duration::from_secs(10),
        ..ServingOptions::default()
    }
}

pub fn test_state(pool: DbPool, db: &Location, index_dir: &Path) -> AppState {
    state_with(pool, db, index_dir, &test_options())
}

pub fn state_with(pool: DbPool, db: &Location, index_dir: &Path, options: &ServingOptions) -> AppState {
    let search = startup::open_search(index_dir, &pool, false).expect("search index opens");
    AppState::new(pool, &Database::from(db), search, options).expect("state")
}

pub async fn spawn_app(
) -> TestApp<impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>> {
    spawn_app_with(&test_options()).await
}

/// `spawn_app` with other serving options; `state` hands back the state.
pub async fn spawn_app_with(
    options: &ServingOptions,
) -> TestApp<impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>> {
    let (dir, db) = temp_db();
    let pool = open_seeded(&db);
    let state = web::Data::new(state_with(pool, &db, &dir.path().join("index"), options));
    let service = test::init_service(startup::app(state.clone())).await;
    TestApp { service, db, state, _dir: dir }
}

/// An app over a generated corpus of `articles` (no seed), and the path
/// of its database.
pub async fn spawn_synthetic_app(
    articles: u64,
) -> TestApp<impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>> {
    let (dir, db) = temp_db();
    let file = dir.path().join("corpus.ndjson");
    let spec = commentary_api::synthetic::CorpusSpec { articles, seed: 7, authors: 120 };
    commentary_api::synthetic::write_corpus(&spec, &mut std::fs::File::create(&file).unwrap()).unwrap();
    import_file(&db, &file);
    let pool = startup::open_store(&db, PoolOptions { max_size: 4, ..PoolOptions::default() }, false).unwrap();
    let state = web::Data::new(test_state(pool, &db, &dir.path().join("index")));
    let service = test::init_service(startup::app(state.clone())).await;
    TestApp { service, db, state, _dir: dir }
}

/// Import an NDJSON file into the database at `db`.
pub fn import_file(db: &Location, file: &Path) {
    let mut conn = commentary_api::db::connect(db, PoolOptions::default()).unwrap();
    commentary_api::db::run_migrations(&mut conn).unwrap();
    let source = commentary_api::ingest::lines::Source::File(file.to_owned());
    commentary_api::ingest::import(&mut conn, &source, &Default::default()).unwrap();
}

/// Import NDJSON lines into the database at `db`.
pub fn import_lines(db: &Location, lines: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("more.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    import_file(db, &file);
}

impl<S, B> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// The response itself, its body not yet read (a streamed body streams
    /// as it is read).
    pub async fn respond(&self, req: Request) -> ServiceResponse<B> {
        test::call_service(&self.service, req).await
    }

    pub async fn request(&self, req: Request) -> Reply {
        let resp = test::call_service(&self.service, req).await;
        let status = resp.status();
        let headers = resp.headers().clone();
        let raw = test::read_body(resp).await.to_vec();
        let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        Reply { status, headers, body, raw }
    }

    /// GET with an `Accept` header.
    pub async fn get_accepting(&self, uri: &str, accept: &str) -> Reply {
        self.request(test::TestRequest::get().uri(uri).insert_header(("Accept", accept)).to_request()).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.request(test::TestRequest::get().uri(uri).to_request()).await
    }

    /// GET that must answer 200; returns the JSON body.
    pub async fn json(&self, uri: &str) -> Value {
        let reply = self.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {uri}: {}", reply.body);
        reply.body
    }

    /// Every item of a list, page by page (100 a page), following
    /// `links.next`.
    pub async fn all_items(&self, uri: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut next = Some(format!("{uri}{}per_page=100", if uri.contains('?') { '&' } else { '?' }));
        while let Some(uri) = next {
            let body = self.json(&uri).await;
            items.extend(body["data"].as_array().expect("a list").iter().cloned());
            next = body["links"]["next"].as_str().map(str::to_owned);
        }
        items
    }

    /// Every page of a list, following `links.next`.
    pub async fn all_slugs(&self, uri: &str) -> Vec<String> {
        let mut slugs = Vec::new();
        let mut next = Some(uri.to_owned());
        while let Some(uri) = next {
            let reply = self.get(&uri).await;
            assert_eq!(reply.status, StatusCode::OK, "GET {uri}: {}", reply.body);
            slugs.extend(reply.slugs());
            next = reply.body["links"]["next"].as_str().map(str::to_owned);
        }
        slugs
    }
}

/// The seed articles filed under `topic`, read from the seed file itself.
pub fn seed_articles_where(pred: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut slugs: Vec<String> = std::str::from_utf8(startup::SEED_CORPUS)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "article" && pred(v))
        .map(|v| v["slug"].as_str().unwrap().to_owned())
        .collect();
    slugs.sort();
    slugs
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
