//! The store: connections to SQLite or PostgreSQL, the pool, per-connection
//! settings, transactions and embedded migrations. Everything specific to
//! one backend lives in this folder.

mod bulk;
mod connection;
mod explain;
pub mod functions;
mod in_list;
mod pool;
pub mod replica;
mod transaction;

pub use bulk::{begin_bulk_writes, defer_secondary_indexes, finish_bulk_writes, rebuild_deferred_indexes, BulkWrites};
pub use connection::{Backend, Database, DbConn, Location, MultiBackend};
pub use explain::query_plan;
pub use in_list::{in_list, not_in_list, InList};
pub use pool::{checkpoint, connect, open_pool, DbPool, Manager, PoolOptions};
pub use transaction::{refuse_writes, snapshot_transaction, write_transaction, MIGRATION_LOCK_KEY, WRITE_LOCK_KEY};

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Apply every pending migration, then rebuild indexes an interrupted
/// import left dropped; returns how many migrations ran. On PostgreSQL the
/// migrations run under an advisory lock, so that nodes starting together
/// migrate one after the other.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.len(),
        DbConn::Pg(c) => {
            use diesel::connection::SimpleConnection;
            use diesel::RunQueryDsl;
            // Wait as long as another node's migrations take (not the
            // connection's lock timeout), then restore that timeout.
            let before: Setting = diesel::sql_query("SELECT current_setting('lock_timeout') AS value").get_result(c)?;
            c.batch_execute("SET lock_timeout = 0")?;
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(c)?;
            let applied = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len());
            let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(c);
            let restored = diesel::sql_query("SELECT set_config('lock_timeout', $1, false)")
                .bind::<diesel::sql_types::Text, _>(&before.value)
                .execute(c);
            let applied = applied?;
            unlocked?;
            restored?;
            applied
        }
    };
    let rebuilt = write_transaction(conn, rebuild_deferred_indexes)?;
    if rebuilt > 0 {
        tracing::warn!(rebuilt, "rebuilt indexes left dropped by an interrupted import");
    }
    Ok(applied)
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}
