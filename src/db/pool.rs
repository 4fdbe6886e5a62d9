//! An r2d2 pool of connections to one database, each set up the same way.
//! SQLite: WAL journal, enforced foreign keys, a busy timeout and a bounded
//! page cache. PostgreSQL: a name in `pg_stat_activity`, and a lock timeout
//! like SQLite's busy timeout.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, R2D2Connection};
use diesel::{Connection, SqliteConnection};

use super::{DbConn, Location};

pub type DbPool = Pool<Manager>;

/// Opens connections to one `Location` (r2d2's manager).
#[derive(Debug)]
pub struct Manager {
    location: Location,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        establish(&self.location).map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

fn establish(location: &Location) -> diesel::ConnectionResult<DbConn> {
    match location {
        Location::Sqlite(path) => Ok(DbConn::Sqlite(SqliteConnection::establish(&path.to_string_lossy())?)),
        Location::Postgres(url) => Ok(DbConn::Pg(PgConnection::establish(&with_connection_defaults(url))?)),
    }
}

/// libpq settings a URL does not give, so that a server that stops
/// answering (a lost host, not a refused connection) is noticed in seconds
/// rather than after the system's TCP timeouts (minutes): the writer and
/// requests then get a 503 and the connection is replaced.
const PG_DEFAULTS: [(&str, &str); 6] = [
    ("connect_timeout", "5"),
    ("keepalives", "1"),
    ("keepalives_idle", "10"),
    ("keepalives_interval", "5"),
    ("keepalives_count", "3"),
    ("tcp_user_timeout", "15000"),
];

fn with_connection_defaults(url: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let given: Vec<&str> = query.split('&').filter_map(|pair| pair.split('=').next()).collect();
    let mut out = url.to_owned();
    for (key, value) in PG_DEFAULTS {
        if !given.contains(&key) {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(key);
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_get_timeouts_they_do_not_set() {
        let url = super::with_connection_defaults("postgres://u@h/db?connect_timeout=30");
        assert!(url.starts_with("postgres://u@h/db?connect_timeout=30&keepalives=1&"), "{url}");
        assert!(url.ends_with("&tcp_user_timeout=15000"), "{url}");
        assert_eq!(url.matches("connect_timeout").count(), 1);
        let url = super::with_connection_defaults("postgres://u@h/db");
        assert!(url.starts_with("postgres://u@h/db?connect_timeout=5&"), "{url}");
    }
}

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
/// without waiting for any (`PRAGMA wal_checkpoint(PASSIVE)`). PostgreSQL
/// checkpoints by itself.
pub fn checkpoint(conn: &mut DbConn) -> diesel::QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);"),
        DbConn::Pg(_) => Ok(()),
    }
}

impl ConnectionSetup {
    fn apply(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        match conn {
            DbConn::Sqlite(c) => self.apply_sqlite(c),
            // The busy timeout's counterpart: a statement waiting that long
            // for a lock fails (and is answered 503) rather than queueing.
            DbConn::Pg(c) => c.batch_execute(&format!(
                "SET application_name = 'commentary-api'; SET lock_timeout = {};",
                self.busy_timeout_ms
            )),
        }
    }

    fn apply_sqlite(&self, conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
        conn.batch_execute(&format!("PRAGMA busy_timeout = {};", self.busy_timeout_ms))?;
        // A first import may be writing the file with a rollback journal
        // (see `bulk`): the switch is then refused at once, and this
        // connection works in the file's mode until the import switches it
        // back to WAL (which every open connection then follows).
        if let Err(e) = conn.batch_execute("PRAGMA journal_mode = WAL;") {
            if !is_locked(&e) {
                return Err(e);
            }
            tracing::info!("the database is being imported into; WAL mode comes back when the import ends");
        }
        conn.batch_execute(&format!(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -{};
             PRAGMA temp_store = MEMORY;
             PRAGMA wal_autocheckpoint = {};",
            self.cache_kib, self.autocheckpoint_pages
        ))
    }
}

/// SQLite's "database is locked" (or busy).
fn is_locked(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("locked") || info.message().contains("busy"))
}

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        self.apply(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn ensure_parent_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// Open a pool on the database at `location`, creating a SQLite file (and
/// its folder) when missing.
pub fn open_pool(
    location: &Location,
    options: PoolOptions,
) -> Result<DbPool, Box<dyn std::error::Error + Send + Sync>> {
    // Switch the file to WAL once, before the pool opens connections in
    // parallel (the switch needs an exclusive lock; later ones are no-ops).
    drop(connect(location, options)?);
    let manager = Manager { location: location.clone() };
    let pool = Pool::builder()
        .max_size(options.max_size)
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(ConnectionSetup::new(&options)))
        .build(manager)?;
    Ok(pool)
}

/// One connection outside the pool (command-line tools), set up like the
/// pooled ones.
pub fn connect(location: &Location, options: PoolOptions) -> Result<DbConn, Box<dyn std::error::Error + Send + Sync>> {
    if let Some(path) = location.sqlite_path() {
        ensure_parent_dir(path)?;
    }
    let mut conn = establish(location)?;
    ConnectionSetup::new(&options).apply(&mut conn)?;
    Ok(conn)
}
