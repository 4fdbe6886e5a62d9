//! An r2d2 pool of SQLite connections, each set up the same way: WAL journal,
//! enforced foreign keys, a busy timeout and a bounded page cache.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{Connection, SqliteConnection};

pub type DbConn = SqliteConnection;
pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;

#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: u32,
    pub busy_timeout: Duration,
    /// SQLite page cache per connection, in KiB.
    pub cache_kib: u32,
    /// The longest `get` waits for a free connection.
    pub connection_timeout: Duration,
    /// Leave WAL checkpoints to a background thread (`checkpoint`) instead
    /// of the connection whose commit fills the WAL (but for a backstop of
    /// 100,000 pages, ~400 MiB, should they stall): the server does, so that
    /// no write request pays for a checkpoint's fsync.
    pub background_checkpoints: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            busy_timeout: Duration::from_secs(5),
            cache_kib: 8 * 1024,
            connection_timeout: Duration::from_secs(1),
            background_checkpoints: false,
        }
    }
}

#[derive(Debug)]
struct ConnectionSetup {
    busy_timeout_ms: u128,
    cache_kib: u32,
    /// `PRAGMA wal_autocheckpoint` (0: none, see `background_checkpoints`).
    autocheckpoint_pages: u32,
}

impl ConnectionSetup {
    fn new(options: &PoolOptions) -> Self {
        ConnectionSetup {
            busy_timeout_ms: options.busy_timeout.as_millis(),
            cache_kib: options.cache_kib,
            // A large backstop, should the background checkpoints stall
            // (the follower paused, or busy with a long catch-up).
            autocheckpoint_pages: if options.background_checkpoints { 100_000 } else { 1000 },
        }
    }
}

/// Copy what the WAL holds into the database file as far as readers allow,
/// without waiting for any (`PRAGMA wal_checkpoint(PASSIVE)`).
pub fn checkpoint(conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")
}

impl ConnectionSetup {
    fn apply(&self, conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {};
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -{};
             PRAGMA temp_store = MEMORY;
             PRAGMA wal_autocheckpoint = {};",
            self.busy_timeout_ms, self.cache_kib, self.autocheckpoint_pages
        ))
    }
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn database_url(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn ensure_parent_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// Open a pool on the SQLite file at `path`, creating the file (and its
/// folder) when missing.
pub fn open_pool(path: &Path, options: PoolOptions) -> Result<DbPool, Box<dyn std::error::Error + Send + Sync>> {
    // Switch the file to WAL once, before the pool opens connections in
    // parallel (the switch needs an exclusive lock; later ones are no-ops).
    drop(connect(path, options)?);
    let manager = ConnectionManager::<SqliteConnection>::new(database_url(path));
    let pool = Pool::builder()
        .max_size(options.max_size)
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(ConnectionSetup::new(&options)))
        .build(manager)?;
    Ok(pool)
}

/// One connection outside the pool (command-line tools), set up like the
/// pooled ones.
pub fn connect(
    path: &Path,
    options: PoolOptions,
) -> Result<SqliteConnection, Box<dyn std::error::Error + Send + Sync>> {
    ensure_parent_dir(path)?;
    let mut conn = SqliteConnection::establish(&database_url(path))?;
    ConnectionSetup::new(&options).apply(&mut conn)?;
    Ok(conn)
}

/// Settings for a long run of large writes (an import): checkpoint the WAL
/// every `checkpoint_pages` pages instead of every 1000 (each checkpoint
/// syncs the database file, which dominated import time), and a larger page
/// cache. Returns what `finish_bulk_writes` restores: the connection may be
/// a pooled one, whose cache must go back to its budget.
pub fn begin_bulk_writes(conn: &mut SqliteConnection, checkpoint_pages: u32) -> diesel::QueryResult<BulkWrites> {
    use diesel::RunQueryDsl;
    let before: CacheSize = diesel::sql_query("PRAGMA cache_size").get_result(conn)?;
    conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {checkpoint_pages}; PRAGMA cache_size = -131072;"))?;
    Ok(BulkWrites { cache_size: before.cache_size })
}

/// The settings `begin_bulk_writes` changed.
#[derive(Debug, Clone, Copy)]
pub struct BulkWrites {
    cache_size: i64,
}

#[derive(diesel::QueryableByName)]
struct CacheSize {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    cache_size: i64,
}

/// Checkpoint and restore what `begin_bulk_writes` changed.
pub fn finish_bulk_writes(conn: &mut SqliteConnection, before: BulkWrites) -> diesel::QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_size = {};",
        before.cache_size
    ))
}

#[derive(diesel::QueryableByName)]
struct IndexSql {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql: String,
}

/// Drop the secondary indexes of `tables` (those declared with CREATE INDEX,
/// not primary keys or UNIQUE constraints), noting them in
/// `deferred_indexes`. Loading an empty table and then indexing it is much
/// faster than keeping every index up to date row by row. Run it in a
/// transaction.
pub fn defer_secondary_indexes(conn: &mut SqliteConnection, tables: &[&str]) -> diesel::QueryResult<usize> {
    use diesel::RunQueryDsl;
    let indexes: Vec<IndexSql> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN (SELECT value FROM json_each(?))",
    )
    .bind::<diesel::sql_types::Text, _>(serde_json::to_string(tables).expect("names serialise"))
    .load(conn)?;
    for index in &indexes {
        diesel::sql_query("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)")
            .bind::<diesel::sql_types::Text, _>(&index.name)
            .bind::<diesel::sql_types::Text, _>(&index.sql)
            .execute(conn)?;
        // The name comes from our own schema (sqlite_master), not from input.
        conn.batch_execute(&format!("DROP INDEX \"{}\"", index.name.replace('"', "\"\"")))?;
    }
    Ok(indexes.len())
}

/// Rebuild whatever `defer_secondary_indexes` dropped (after an import, or
/// at start-up after an import that was killed). Run it in a transaction.
pub fn rebuild_deferred_indexes(conn: &mut SqliteConnection) -> diesel::QueryResult<usize> {
    use diesel::RunQueryDsl;
    let pending: Vec<IndexSql> = diesel::sql_query("SELECT name, sql FROM deferred_indexes").load(conn)?;
    for index in &pending {
        conn.batch_execute(&index.sql)?;
    }
    diesel::sql_query("DELETE FROM deferred_indexes").execute(conn)?;
    Ok(pending.len())
}
