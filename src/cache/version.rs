//! The data version: the sequence number of the latest change-log entry.
//! Everything cached is keyed by it, so a write anywhere (this process or an
//! `import` run by another) retires every cached answer.
//!
//! Reading it costs a query, so it is re-read at most once per `ttl`; with
//! a zero ttl every request reads it.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::{DbConn, DbPool};
use crate::schema::change_log;

pub struct DataVersion {
    value: AtomicI64,
    /// How many times a read found the version lower than before (the
    /// database was replaced by an older copy): everything keyed by the
    /// numbers since then is wrong and must go (see `Caches::version`).
    regressions: AtomicU64,
    /// When `value` was last read, in microseconds since `epoch`.
    read_at_us: AtomicU64,
    epoch: Instant,
    ttl: Duration,
}

/// `max(change_log.seq)`, 0 for an empty log.
pub fn read_version(conn: &mut DbConn) -> QueryResult<i64> {
    Ok(change_log::table.select(diesel::dsl::max(change_log::seq)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

impl DataVersion {
    pub fn new(ttl: Duration) -> Self {
        DataVersion {
            value: AtomicI64::new(-1),
            regressions: AtomicU64::new(0),
            read_at_us: AtomicU64::new(0),
            epoch: Instant::now(),
            ttl,
        }
    }

    fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// How many times the version was seen to go back.
    pub fn regressions(&self) -> u64 {
        self.regressions.load(Ordering::Acquire)
    }

    /// The current version, re-read from the database when the last read
    /// is older than the ttl. Never waits for a connection: when the pool
    /// has none free, the last value read serves — for up to ten ttls (at
    /// least a second); past that it is -1, "unknown", which callers must
    /// not cache or answer 304 under, so a busy pool cannot keep a write
    /// unseen.
    pub fn current(&self, pool: &DbPool) -> i64 {
        let now = self.now_us();
        let ttl = self.ttl.as_micros() as u64;
        let age = now.saturating_sub(self.read_at_us.load(Ordering::Acquire));
        if age < ttl && self.value.load(Ordering::Acquire) >= 0 {
            return self.value.load(Ordering::Acquire);
        }
        if let Some(mut conn) = pool.try_get() {
            if let Ok(v) = read_version(&mut conn) {
                let before = self.value.fetch_max(v, Ordering::AcqRel);
                if v < before {
                    // Either a read that raced a newer one, or the database
                    // went back in time; ask the store which.
                    if let Ok(again) = read_version(&mut conn) {
                        if again < before {
                            tracing::warn!(before, now = again, "the data version went back (database restored?)");
                            self.value.store(again, Ordering::Release);
                            self.regressions.fetch_add(1, Ordering::AcqRel);
                        }
                    }
                }
                self.read_at_us.store(now, Ordering::Release);
                return self.value.load(Ordering::Acquire);
            }
        }
        if age > (10 * ttl).max(1_000_000) {
            return -1;
        }
        self.value.load(Ordering::Acquire)
    }
}
