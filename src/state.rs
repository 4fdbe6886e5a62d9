//! The application state: everything a request may use, built once at
//! start-up and registered once (`web::Data<AppState>`).

use std::sync::Arc;
use std::time::Duration;

use crate::cache::{CacheSettings, Caches};
use crate::cursor::CursorCodec;
use crate::db::{self, Database, DbPool, PoolOptions};
use crate::limits::{RateLimitOptions, RateLimits};
use crate::models::server_key;
use crate::search::follower::Follower;
use crate::search::SearchIndex;
use crate::work::{HeavyOptions, HeavyPool};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How requests are served: caches, the heavy-work pool and its limits.
#[derive(Debug, Clone)]
pub struct ServingOptions {
    pub cache: CacheSettings,
    pub heavy: HeavyOptions,
    /// The longest a request's heavy work (search, facets, histogram,
    /// suggestions) may run before it is stopped with a 503.
    pub search_deadline: Duration,
    /// The longest a request waits for the search index to reflect the
    /// latest change before answering from the state it has.
    pub index_wait: Duration,
    /// Settings of the connections the heavy threads and the follower open.
    pub connections: PoolOptions,
    /// `scheme://host[/prefix]` absolute links start with; `None`: the
    /// request's own.
    pub public_url: Option<String>,
    pub writes: WriteOptions,
    /// Per-client rate limits on `/v1` (off by default).
    pub rate_limits: RateLimitOptions,
    pub exports: crate::services::exports::ExportOptions,
    /// The longest a read waits for the replica it reads to replay a
    /// version it must show (`X-Min-Data-Version`, or this node's own
    /// latest write).
    pub replica_wait: Duration,
}

/// Limits of the write endpoints.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Largest request body (then 413).
    pub max_body_bytes: usize,
    /// The longest a write queues behind others, and then waits for the
    /// database's write lock (another process importing), before a 503.
    pub wait: Duration,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { max_body_bytes: 8 << 20, wait: Duration::from_secs(5) }
    }
}

impl Default for ServingOptions {
    fn default() -> Self {
        ServingOptions {
            cache: CacheSettings::default(),
            heavy: HeavyOptions::default(),
            search_deadline: Duration::from_secs(3),
            index_wait: Duration::from_millis(500),
            connections: PoolOptions::default(),
            public_url: None,
            writes: WriteOptions::default(),
            rate_limits: RateLimitOptions::default(),
            exports: Default::default(),
            replica_wait: Duration::from_secs(1),
        }
    }
}

pub struct AppState {
    pub pool: DbPool,
    pub caches: Caches,
    pub search: Arc<SearchIndex>,
    pub follower: Follower,
    pub heavy: HeavyPool,
    pub cursors: CursorCodec,
    pub search_deadline: Duration,
    pub index_wait: Duration,
    pub public_url: Option<String>,
    pub writes: WriteOptions,
    /// Writes of this process queue here and are made one at a time by
    /// one thread, so none meets another's lock in the database.
    pub writer: crate::services::writes::worker::WriteWorker,
    /// API keys checked lately.
    pub keys: crate::http::auth::KeyCache,
    /// `None` when rate limits are off.
    pub rate_limits: Option<RateLimits>,
    /// Streams whole lists (CSV, NDJSON, citations).
    pub exporter: crate::services::exports::Exporter,
    /// Clients are told apart by the address a proxy forwards.
    pub trust_forwarded_for: bool,
    /// A small pool on the database writes go to, when reads come from a
    /// replica (`/healthz` compares the two; `http::consistency` asks it
    /// whether a version was ever written).
    pub primary: Option<DbPool>,
    pub replica_wait: Duration,
    /// Requests waiting for the replica (`http::consistency`), bounded.
    pub replica_waiters: tokio::sync::Semaphore,
}

impl AppState {
    /// Reads come from a replica of the database writes go to.
    pub fn replicated(&self) -> bool {
        self.primary.is_some()
    }

    /// The state for the database at `database` (already opened as `pool`
    /// and migrated) and its search index: starts the heavy threads and
    /// the index follower, each with its own connection.
    pub fn new(
        pool: DbPool,
        database: &Database,
        search: Arc<SearchIndex>,
        options: &ServingOptions,
    ) -> Result<AppState, BoxError> {
        let connections = options.connections;
        let key = server_key::get_or_create(&mut db::connect(&database.write, connections)?, "cursor")?;
        let reads = database.read.clone();
        let heavy = HeavyPool::start(options.heavy, move || db::connect(&reads, connections))?;
        // The follower reads little but the change log and the articles it
        // re-indexes: a small page cache is enough.
        let follower_connection = PoolOptions { cache_kib: 1024, ..connections };
        let reads = database.read.clone();
        let follower = Follower::start(
            search.clone(),
            db::connect(&database.read, follower_connection)?,
            move || db::connect(&reads, follower_connection),
            options.cache.version_ttl,
            options.heavy.nice,
        )?;
        // Writes run below requests' priority, above heavy work's.
        let writes = database.write.clone();
        let writer = crate::services::writes::worker::WriteWorker::start(
            move || db::connect(&writes, connections),
            (options.heavy.nice / 2).max(1),
        )?;
        Ok(AppState {
            pool,
            caches: Caches::new(&options.cache),
            search,
            follower,
            heavy,
            cursors: CursorCodec::new(key),
            search_deadline: options.search_deadline,
            index_wait: options.index_wait,
            public_url: options.public_url.clone(),
            writes: options.writes,
            writer,
            keys: Default::default(),
            rate_limits: RateLimits::new(&options.rate_limits),
            exporter: crate::services::exports::Exporter::new(
                database.read.clone(),
                connections,
                options.heavy.nice,
                options.exports,
            ),
            trust_forwarded_for: options.rate_limits.trust_forwarded_for,
            primary: match database.is_replicated() {
                true => Some(db::open_pool(
                    &database.write,
                    PoolOptions { max_size: 2, connection_timeout: Duration::from_millis(500), ..connections },
                )?),
                false => None,
            },
            replica_wait: options.replica_wait,
            replica_waiters: tokio::sync::Semaphore::new(crate::http::consistency::MAX_WAITING),
        })
    }
}
