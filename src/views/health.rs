//! What `/healthz` and `/livez` answer.

use serde::Serialize;
use utoipa::ToSchema;

use crate::work::HeavyStats;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "backend": "postgres", "data_version": 93,
    "write_version": 94, "replica_lag_ms": 0.8, "search_index_version": 93,
    "build": "3f2a9c81d04b7e65", "heavy": {"threads": 2, "queue_capacity": 64, "queued": 0, "running": 1,
    "completed": 5210, "refused": 12, "timed_out": 0, "cancelled": 3, "failed": 0}}))]
pub struct Health {
    pub status: String,
    pub database: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Sequence number of the latest change to the data this node reads.
    pub data_version: i64,
    /// When the node reads a replica: the latest change on the database
    /// writes go to (`null` when it cannot be reached, or the node reads
    /// the database it writes).
    pub write_version: Option<i64>,
    /// When the node reads a PostgreSQL hot standby: milliseconds since the
    /// last change it replayed while it has more received to replay (0
    /// when it has replayed all it received); `null` on a primary or SQLite.
    pub replica_lag_ms: Option<f64>,
    /// The change the search index reflects (it follows `data_version`
    /// in the background).
    pub search_index_version: i64,
    /// Identity of the running build (part of every ETag).
    pub build: String,
    /// The pool that runs searches, facets, histograms and suggestions.
    pub heavy: HeavyStats,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Liveness {
    pub status: String,
}
