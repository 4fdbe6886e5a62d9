//! Building the application (routes, middleware, OpenAPI) and running the
//! server.

use std::net::TcpListener;
use std::path::Path;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};

use crate::http::auth::identify_caller;
use actix_web::{web, App, HttpResponse, HttpServer};
use diesel::prelude::*;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi as _;
use utoipa_actix_web::{scope, AppExt, UtoipaApp};
use utoipa_swagger_ui::SwaggerUi;

use crate::http::conditional::conditional_and_cached;
use crate::http::consistency::read_your_writes;
use crate::http::negotiate::negotiate;
use crate::http::rate_limit::{rate_limit, RATELIMIT, RATELIMIT_POLICY};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cache::version::read_version;
use crate::cards;
use crate::db::{self, Database, DbPool, Location, PoolOptions};
use crate::http::fallback::{self, RouteTable};
use crate::http::head::head_as_get;
use crate::ingest::lines::Source;
use crate::ingest::{self, ImportOptions};
use crate::openapi::ApiDoc;
use crate::routes;
use crate::schema::{articles, publishers};
use crate::search::{SearchIndex, WriterOptions};

/// The bundled seed corpus, loaded into an empty database on first start.
pub const SEED_CORPUS: &[u8] = include_bytes!("../seed/corpus.ndjson");

pub use crate::state::{AppState, BoxError};

/// The index with its serving writer, opened from a thread at the heavy
/// work's CPU priority: the writer's own threads (indexing, segment
/// merges) inherit it, so merging after writes yields to requests.
fn open_serving_index(dir: &Path) -> Result<SearchIndex, BoxError> {
    let nice = crate::work::HeavyOptions::default().nice;
    let opened = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::work::heavy::lower_priority(nice);
                SearchIndex::open(dir, WriterOptions::SERVING)
            })
            .join()
    });
    Ok(opened.map_err(|_| "opening the search index panicked")??)
}

/// Open the search index in `dir` and bring it up to date with the store
/// (building it on first start, with progress when stderr is a terminal).
pub fn open_search(dir: &Path, pool: &DbPool, progress: bool) -> Result<Arc<SearchIndex>, BoxError> {
    let mut conn = pool.get()?;
    let serving = open_serving_index(dir)?;
    let index = if (read_version(&mut conn)? - serving.applied()).abs() > 1_000 {
        // A large catch-up gets the building writer (more memory, two
        // threads); an index has one writer at a time.
        drop(serving);
        let building = SearchIndex::open(dir, WriterOptions::BUILDING)?;
        let bar = if progress { indexing_bar() } else { ProgressBar::hidden() };
        let n = building.reconcile(&mut conn, Some(&bar))?;
        bar.finish_and_clear();
        tracing::info!(articles = n, dir = %dir.display(), "search index built");
        drop(building);
        crate::work::release_freed_memory();
        open_serving_index(dir)?
    } else {
        serving
    };
    index.reconcile(&mut conn, None)?;
    Ok(Arc::new(index))
}

pub fn indexing_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} articles {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("indexing");
    bar
}

/// The application with every route, the spec it was built with, and the
/// middleware. Tests call this with their own state.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, mut api) =
        with_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi()).app_data(state)).split_for_parts();
    crate::openapi::finish(&mut api);
    let table = RouteTable::from_spec(&api, &["/openapi.json", "/docs", "/docs/{tail:.*}"]);
    app.app_data(web::Data::new(table))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        .route("/docs", web::get().to(docs_redirect))
        .default_service(web::to(fallback::no_match))
        .wrap(from_fn(conditional_and_cached))
        // Before the caches look: they key answers by the version it reached.
        .wrap(from_fn(read_your_writes))
        .wrap(from_fn(negotiate))
        .wrap(from_fn(head_as_get))
        // Outside the conditional-GET middleware (it sees the 304s that one
        // answers with) and inside CORS (a 429 carries the CORS fields).
        .wrap(from_fn(rate_limit))
        .wrap(Compress::default())
        .wrap(DefaultHeaders::new().add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")))
        .wrap(from_fn(identify_caller))
        .wrap(
            Cors::default()
                .allow_any_origin()
                .allowed_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::OPTIONS,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_any_header()
                .expose_headers([
                    header::LINK,
                    header::ETAG,
                    header::LOCATION,
                    header::RETRY_AFTER,
                    header::WWW_AUTHENTICATE,
                    header::HeaderName::from_static("x-total-count"),
                    header::HeaderName::from_static("idempotent-replayed"),
                    header::HeaderName::from_static("x-data-version"),
                    RATELIMIT,
                    RATELIMIT_POLICY,
                ])
                .max_age(86_400),
        )
        .wrap(TracingLogger::default())
}

/// Every documented endpoint.
fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(routes::health::healthz)
        .service(routes::health::livez)
        .service(scope::scope("/v1").configure(routes::configure))
}

/// `/docs` → `/docs/`, where the Swagger UI lives.
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = with_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    crate::openapi::finish(&mut api);
    api
}

/// The spec as the committed `openapi/openapi.json` holds it.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().expect("the spec serialises");
    json.push('\n');
    json
}

/// Open (creating if needed) and migrate the database; load the bundled
/// seed corpus when it holds nothing yet and `seed` is set.
pub fn open_store(location: &Location, options: PoolOptions, seed: bool) -> Result<DbPool, BoxError> {
    open_database(&Database::single(location.clone()), options, seed)
}

/// Prepare the database writes go to (migrations, stable identifiers,
/// list items, the seed), then open the pool reads use. With a replica to
/// read from, wait (up to `REPLICA_START_WAIT`) until it has replayed what
/// the preparation wrote, so the node starts on the current schema.
pub fn open_database(database: &Database, options: PoolOptions, seed: bool) -> Result<DbPool, BoxError> {
    if !database.is_replicated() {
        let pool = db::open_pool(&database.read, options)?;
        prepare(&mut *pool.get()?, &database.write, seed)?;
        return Ok(pool);
    }
    let written = {
        let mut conn = db::connect(&database.write, options)?;
        prepare(&mut conn, &database.write, seed)?;
        read_version(&mut conn)?
    };
    let pool = db::open_pool(&database.read, options)?;
    let started = std::time::Instant::now();
    loop {
        let replayed = pool.get().map_err(BoxError::from).and_then(|mut c| Ok(read_version(&mut c)?));
        match replayed {
            Ok(v) if v >= written => return Ok(pool),
            _ if started.elapsed() > REPLICA_START_WAIT => {
                return Err(format!(
                    "the read database {} has not replayed version {written} of {} after {:?}: is it a replica of it?",
                    database.read, database.write, REPLICA_START_WAIT
                )
                .into())
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// The longest a node waits at start for its replica to catch up.
const REPLICA_START_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

fn prepare(conn: &mut db::DbConn, location: &Location, seed: bool) -> Result<(), BoxError> {
    let applied = db::run_migrations(conn)?;
    if applied > 0 {
        tracing::info!(applied, database = %location, "migrations applied");
    }
    let uids = crate::models::article::assign_missing_uids(conn)?;
    if uids > 0 {
        tracing::info!(uids, "gave articles written before stable identifiers theirs");
    }
    let carded = cards::ensure_current(conn)?;
    if carded > 0 {
        tracing::info!(carded, "built the list items of articles stored without one");
    }
    let empty = publishers::table.count().get_result::<i64>(conn)? == 0
        && articles::table.count().get_result::<i64>(conn)? == 0;
    if seed && empty {
        let report = ingest::import(conn, &Source::Bytes(SEED_CORPUS), &ImportOptions::default())?;
        tracing::info!(records = report.records, "loaded the bundled seed corpus into the empty database");
    }
    Ok(())
}

/// A server on an already bound listener (port 0 in tests).
pub fn server(listener: TcpListener, state: web::Data<AppState>, workers: Option<usize>) -> std::io::Result<Server> {
    // Every blocking task waits for one of the pool's connections, so more
    // blocking threads than connections only add threads (and memory).
    let blocking = state.pool.max_size().max(1) as usize;
    let mut server = HttpServer::new(move || app(state.clone()))
        .shutdown_timeout(10)
        .worker_max_blocking_threads(blocking)
        // A client that closes its connection while its request is being
        // answered drops the request: its heavy work is cancelled.
        .h1_allow_half_closed(false);
    if let Some(n) = workers {
        server = server.workers(n);
    }
    // actix-web stops gracefully on SIGTERM and SIGINT: it stops accepting,
    // lets requests in flight finish (up to the shutdown timeout), then exits.
    Ok(server.listen(listener)?.run())
}
