//! The two kinds of transaction the service runs, written once for both
//! stores.
//!
//! A **write transaction** holds the store's single writer lock from its
//! first statement to its commit: SQLite's `BEGIN IMMEDIATE`, and on
//! PostgreSQL a transaction-level advisory lock taken first thing. Writes
//! are therefore serialised on both, in the same way: a write reads the
//! state it checks (preconditions, slugs) and writes knowing nothing else
//! changes in between. It also keeps the change log gap-free on
//! PostgreSQL: a sequence number is drawn at insert, not at commit, so two
//! overlapping writers could commit numbers out of order and a follower
//! reading `seq > last` would skip the late one. Under the lock the
//! transaction that draws a number commits (and becomes visible) before
//! the next writer draws its own.
//!
//! A **snapshot transaction** reads one state of the data for as long as
//! it lasts (exports): SQLite's deferred `BEGIN` (WAL readers see the
//! state at their first read), PostgreSQL's `REPEATABLE READ READ ONLY`.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error;
use diesel::Connection;

use super::DbConn;

/// The advisory lock every write transaction takes on PostgreSQL (an
/// arbitrary key: "commentary-api writes").
pub const WRITE_LOCK_KEY: i64 = 0x636f_6d6d_656e_7401;

/// The advisory lock migrations run under, so that nodes starting at once
/// migrate one at a time.
pub const MIGRATION_LOCK_KEY: i64 = 0x636f_6d6d_656e_7402;

/// Run `f` in a write transaction (see the module docs); commit when it
/// returns `Ok`, roll back otherwise.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<Error>,
{
    let begin = match conn {
        DbConn::Sqlite(_) => "BEGIN IMMEDIATE",
        DbConn::Pg(_) => "BEGIN",
    };
    run_in(conn, begin, |conn| {
        if let DbConn::Pg(pg) = conn {
            advisory_xact_lock(pg, WRITE_LOCK_KEY)?;
        }
        f(conn)
    })
}

/// Run `f` reading one state of the data, read-only.
pub fn snapshot_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<Error>,
{
    let begin = match conn {
        DbConn::Sqlite(_) => "BEGIN",
        DbConn::Pg(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    run_in(conn, begin, f)
}

fn run_in<T, E, F>(conn: &mut DbConn, begin: &str, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The error that made us roll back is the one to report; a
            // rollback that fails too leaves the connection broken, and
            // whoever holds it replaces it (`R2D2Connection::is_broken`).
            if let Err(rollback) = <DbConn as Connection>::TransactionManager::rollback_transaction(conn) {
                tracing::warn!(error = %rollback, "a rollback failed");
            }
            Err(e)
        }
    }
}

/// `pg_advisory_xact_lock(key)`: held until the transaction ends.
pub fn advisory_xact_lock(conn: &mut diesel::PgConnection, key: i64) -> Result<(), Error> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<diesel::sql_types::BigInt, _>(key).execute(conn)?;
    Ok(())
}

/// Make `conn` refuse every write from now on (a connection that only
/// reads, such as an export's).
pub fn refuse_writes(conn: &mut DbConn) -> Result<(), Error> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA query_only = 1"),
        DbConn::Pg(c) => c.batch_execute("SET default_transaction_read_only = on"),
    }
}
