//! What a node can tell about the database it reads: on PostgreSQL, whether
//! it is a hot standby, and how far its replay is behind what it received.

use diesel::sql_types::{Bool, Double, Nullable};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use super::DbConn;

#[derive(Debug, Clone, Copy, PartialEq, QueryableByName)]
pub struct ReplicaStatus {
    /// A hot standby (reads only, replaying a primary's WAL).
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    /// Milliseconds since the last transaction replayed, while WAL received
    /// from the primary waits to be replayed; 0 when replay has caught up
    /// with what was received; `None` on a primary. When the primary is
    /// gone nothing more arrives, so the standby reports 0: the versions in
    /// `/healthz` tell how far behind the primary it is.
    #[diesel(sql_type = Nullable<Double>)]
    pub lag_ms: Option<f64>,
}

/// `None` on SQLite (no replicas).
pub fn status(conn: &mut DbConn) -> QueryResult<Option<ReplicaStatus>> {
    let DbConn::Pg(pg) = conn else { return Ok(None) };
    diesel::sql_query(
        "SELECT pg_is_in_recovery() AS in_recovery, \
         CASE WHEN NOT pg_is_in_recovery() THEN NULL \
              WHEN pg_last_wal_receive_lsn() IS NULL \
                OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 \
              ELSE COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000, 0) \
         END::float8 AS lag_ms",
    )
    .get_result(pg)
    .map(Some)
}
