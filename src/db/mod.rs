//! The store: connection pool, per-connection settings and embedded
//! migrations. Everything SQLite-specific lives in this folder.

mod pool;

pub use pool::{connect, open_pool, DbConn, DbPool, PoolOptions};

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Apply every pending migration; returns how many ran.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}
