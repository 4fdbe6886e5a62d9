//! The store: connection pool, per-connection settings and embedded
//! migrations. Everything SQLite-specific lives in this folder.

mod explain;
pub mod functions;
mod in_list;
mod pool;

pub use explain::query_plan;
pub use in_list::{in_list, not_in_list, InList};
pub use pool::{
    begin_bulk_writes, checkpoint, connect, defer_secondary_indexes, finish_bulk_writes, open_pool,
    rebuild_deferred_indexes, BulkWrites, DbConn, DbPool, PoolOptions,
};

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Apply every pending migration, then rebuild indexes an interrupted
/// import left dropped; returns how many migrations ran.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let applied = conn.run_pending_migrations(MIGRATIONS)?.len();
    let rebuilt = conn.immediate_transaction(rebuild_deferred_indexes)?;
    if rebuilt > 0 {
        tracing::warn!(rebuilt, "rebuilt indexes left dropped by an interrupted import");
    }
    Ok(applied)
}
