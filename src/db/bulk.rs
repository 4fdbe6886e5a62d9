//! Settings for a long run of large writes (an import) on SQLite, and the
//! secondary indexes a first import builds after loading. Nothing here
//! does anything on PostgreSQL.

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::RunQueryDsl;

use super::DbConn;

/// Prepare `conn` for an import: checkpoint the WAL every
/// `checkpoint_pages` pages instead of every 1000 (each checkpoint syncs the
/// database file), and a larger page cache.
///
/// With `alone` (an import into an empty store), also leave WAL for a
/// rollback journal when no other connection has the file open. A rollback
/// journal keeps only the earlier content of pages a transaction changes,
/// and pages added past the file's end have none: loading into an empty
/// store then writes each page once, where the WAL writes it twice (to the
/// log, then to the file at the checkpoint) and syncs both. Meanwhile
/// `synchronous = FULL`, SQLite's durable setting for a rollback journal,
/// so each commit stays atomic and durable, power loss included. Other
/// connections read between commits, and a connection opened meanwhile
/// works in the file's mode (see `pool`). Should the import be killed, the
/// file goes back to WAL at the next open.
///
/// Returns what `finish_bulk_writes` restores (always call it, also after
/// an error): the connection may be a pooled one, whose cache must go back
/// to its budget.
pub fn begin_bulk_writes(conn: &mut DbConn, checkpoint_pages: u32, alone: bool) -> diesel::QueryResult<BulkWrites> {
    let DbConn::Sqlite(conn) = conn else { return Ok(BulkWrites { cache_size: 0, left_wal: false }) };
    let before: CacheSize = diesel::sql_query("PRAGMA cache_size").get_result(conn)?;
    let mut bulk = BulkWrites { cache_size: before.cache_size, left_wal: false };
    conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {checkpoint_pages}; PRAGMA cache_size = -131072;"))?;
    if alone {
        bulk.left_wal = leave_wal(conn)?;
    }
    Ok(bulk)
}

/// Switch to a rollback journal (with full syncs) if no other connection
/// is open; never waits for one (the busy timeout is zero meanwhile).
fn leave_wal(conn: &mut diesel::SqliteConnection) -> diesel::QueryResult<bool> {
    let timeout: Timeout = diesel::sql_query("PRAGMA busy_timeout").get_result(conn)?;
    conn.batch_execute("PRAGMA busy_timeout = 0")?;
    // Busy (another connection holds the file in WAL mode) is an error or
    // the old mode, depending on when SQLite notices; both mean "stay".
    let mode = diesel::sql_query("PRAGMA journal_mode = TRUNCATE").get_result::<JournalMode>(conn);
    let left = matches!(mode, Ok(m) if m.journal_mode.eq_ignore_ascii_case("truncate"));
    let restored = conn.batch_execute(&format!("PRAGMA busy_timeout = {}", timeout.timeout));
    if left {
        conn.batch_execute("PRAGMA synchronous = FULL")?;
    }
    restored?;
    Ok(left)
}

/// The settings `begin_bulk_writes` changed.
#[derive(Debug, Clone, Copy)]
pub struct BulkWrites {
    cache_size: i64,
    /// The connection left WAL for a rollback journal.
    pub left_wal: bool,
}

#[derive(diesel::QueryableByName)]
struct CacheSize {
    #[diesel(sql_type = BigInt)]
    cache_size: i64,
}

#[derive(diesel::QueryableByName)]
struct Timeout {
    #[diesel(sql_type = BigInt)]
    timeout: i64,
}

#[derive(diesel::QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

/// Restore what `begin_bulk_writes` changed, go back to WAL if it left it,
/// and checkpoint. Should the switch back fail (another connection busy),
/// the next connection to open the file makes it (see `pool`): that is
/// only logged.
pub fn finish_bulk_writes(conn: &mut DbConn, before: BulkWrites) -> diesel::QueryResult<()> {
    let DbConn::Sqlite(conn) = conn else { return Ok(()) };
    conn.batch_execute(&format!(
        "PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_size = {}; PRAGMA synchronous = NORMAL;",
        before.cache_size
    ))?;
    if before.left_wal {
        if let Err(e) = diesel::sql_query("PRAGMA journal_mode = WAL").get_result::<JournalMode>(conn) {
            tracing::warn!(error = %e, "could not switch back to WAL after the import; the next connection will");
            return Ok(());
        }
    }
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
}

#[derive(diesel::QueryableByName)]
struct IndexSql {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Drop the secondary indexes of `tables` (those declared with CREATE INDEX,
/// not primary keys or UNIQUE constraints), noting them in
/// `deferred_indexes`. Loading an empty table and then indexing it is much
/// faster than keeping every index up to date row by row. Run it in a
/// transaction. SQLite only: PostgreSQL keeps its indexes.
pub fn defer_secondary_indexes(conn: &mut DbConn, tables: &[&str]) -> diesel::QueryResult<usize> {
    let DbConn::Sqlite(conn) = conn else { return Ok(0) };
    let indexes: Vec<IndexSql> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN (SELECT value FROM json_each(?))",
    )
    .bind::<Text, _>(serde_json::to_string(tables).expect("names serialise"))
    .load(conn)?;
    for index in &indexes {
        diesel::sql_query("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)")
            .bind::<Text, _>(&index.name)
            .bind::<Text, _>(&index.sql)
            .execute(conn)?;
        // The name comes from our own schema (sqlite_master), not from input.
        conn.batch_execute(&format!("DROP INDEX \"{}\"", index.name.replace('"', "\"\"")))?;
    }
    Ok(indexes.len())
}

/// Rebuild whatever `defer_secondary_indexes` dropped (after an import, or
/// at start-up after an import that was killed). Run it in a transaction.
pub fn rebuild_deferred_indexes(conn: &mut DbConn) -> diesel::QueryResult<usize> {
    let DbConn::Sqlite(conn) = conn else { return Ok(0) };
    let pending: Vec<IndexSql> = diesel::sql_query("SELECT name, sql FROM deferred_indexes").load(conn)?;
    for index in &pending {
        conn.batch_execute(&index.sql)?;
    }
    diesel::sql_query("DELETE FROM deferred_indexes").execute(conn)?;
    Ok(pending.len())
}
