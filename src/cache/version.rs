//! The data version: the sequence number of the latest change-log entry,
//! with the time of that change. Everything cached is keyed by it, so a
//! write anywhere (this process or an `import` run by another) retires
//! every cached answer; its time is the `Last-Modified` of every answer.
//!
//! Reading it costs a query, so it is re-read at most once per `ttl`; with
//! a zero ttl every request reads it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::{DbConn, DbPool};
use crate::schema::change_log;

/// A state of the data: the latest change applied, and when it was made
/// (`None` for an empty change log, or a change no longer in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub version: i64,
    pub at: Option<DateTime<Utc>>,
}

impl Snapshot {
    /// Not known (the database could not be read in time): never cached,
    /// never answered with 304.
    pub const UNKNOWN: Snapshot = Snapshot { version: -1, at: None };
}

pub struct DataVersion {
    current: RwLock<Snapshot>,
    /// How many times a read found the version lower than before (the
    /// database was replaced by an older copy): everything keyed by the
    /// numbers since then is wrong and must go (see `Caches::snapshot`).
    regressions: AtomicU64,
    /// When the snapshot was last read, in microseconds since `epoch`.
    read_at_us: AtomicU64,
    epoch: Instant,
    ttl: Duration,
    /// The latest version a write of this process committed: a snapshot
    /// older than it is read again, so a writer reads its own write.
    min_version: std::sync::atomic::AtomicI64,
}

/// `max(change_log.seq)`, 0 for an empty log.
pub fn read_version(conn: &mut DbConn) -> QueryResult<i64> {
    Ok(change_log::table.select(diesel::dsl::max(change_log::seq)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// The latest change and its time.
pub fn read_snapshot(conn: &mut DbConn) -> QueryResult<Snapshot> {
    let last: Option<(i64, NaiveDateTime)> = change_log::table
        .order(change_log::seq.desc())
        .select((change_log::seq, change_log::changed_at))
        .first(conn)
        .optional()?;
    Ok(match last {
        Some((version, at)) => Snapshot { version, at: Some(at.and_utc()) },
        None => Snapshot { version: 0, at: None },
    })
}

/// Change `version` and its time, for answers computed from an older state.
pub fn snapshot_at(conn: &mut DbConn, version: i64) -> QueryResult<Snapshot> {
    let at: Option<NaiveDateTime> =
        change_log::table.find(version).select(change_log::changed_at).first(conn).optional()?;
    Ok(Snapshot { version, at: at.map(|t| t.and_utc()) })
}

impl DataVersion {
    pub fn new(ttl: Duration) -> Self {
        DataVersion {
            current: RwLock::new(Snapshot::UNKNOWN),
            regressions: AtomicU64::new(0),
            read_at_us: AtomicU64::new(0),
            epoch: Instant::now(),
            ttl,
            min_version: std::sync::atomic::AtomicI64::new(0),
        }
    }

    fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    fn last(&self) -> Snapshot {
        self.current.read().map(|s| *s).unwrap_or(Snapshot::UNKNOWN)
    }

    /// A write of this process committed `version`: read the version again
    /// at the next request, so the writer reads its own write at once.
    pub fn wrote(&self, version: i64) {
        self.min_version.fetch_max(version, Ordering::AcqRel);
    }

    /// Forget the write of this process at `waited` (the latest when a
    /// read waited for it), keeping `have`: it was lost (acknowledged by a
    /// primary that failed before its replica had it), so no read should
    /// wait for it any more. A newer write made since is kept.
    pub fn forget_write(&self, waited: i64, have: i64) {
        let _ = self.min_version.compare_exchange(waited, have, Ordering::AcqRel, Ordering::Acquire);
    }

    /// The latest version a write of this process committed (0: none).
    pub fn written(&self) -> i64 {
        self.min_version.load(Ordering::Acquire)
    }

    /// The current snapshot, read from the database now if the last one
    /// read is older than `version` (a client asked for at least that
    /// version: `X-Min-Data-Version`). Unlike `wrote`, asking changes
    /// nothing for later requests, so a version that never comes cannot
    /// keep the caches off.
    /// `None` when the database could not be read (no free connection).
    pub fn at_least(&self, pool: &DbPool, version: i64) -> Option<Snapshot> {
        let last = self.current(pool);
        if last.version >= version {
            return Some(last);
        }
        let mut conn = pool.try_get()?;
        let read = read_snapshot(&mut conn).ok()?;
        let mut current = self.current.write().ok()?;
        if read.version > current.version {
            *current = read;
            self.read_at_us.store(self.now_us(), Ordering::Release);
        }
        Some(*current)
    }

    /// How many times the version was seen to go back.
    pub fn regressions(&self) -> u64 {
        self.regressions.load(Ordering::Acquire)
    }

    /// The current snapshot, re-read from the database when the last read
    /// is older than the ttl. Never waits for a connection: when the pool
    /// has none free, the last snapshot read serves — for up to ten ttls (at
    /// least a second); past that it is `UNKNOWN`, which callers must not
    /// cache or answer 304 under, so a busy pool cannot keep a write unseen.
    pub fn current(&self, pool: &DbPool) -> Snapshot {
        let now = self.now_us();
        let ttl = self.ttl.as_micros() as u64;
        let age = now.saturating_sub(self.read_at_us.load(Ordering::Acquire));
        let last = self.last();
        let stale = last.version < self.min_version.load(Ordering::Acquire);
        if age < ttl && last.version >= 0 && !stale {
            return last;
        }
        if let Some(mut conn) = pool.try_get() {
            if let Ok(read) = read_snapshot(&mut conn) {
                let Ok(mut current) = self.current.write() else { return Snapshot::UNKNOWN };
                if read.version >= current.version {
                    *current = read;
                } else if let Ok(again) = read_snapshot(&mut conn) {
                    // Either a read that raced a newer one, or the database
                    // went back in time; the store says which.
                    if again.version < current.version {
                        tracing::warn!(
                            before = current.version,
                            now = again.version,
                            "the data version went back (database restored?)"
                        );
                        self.regressions.fetch_add(1, Ordering::AcqRel);
                    }
                    *current = again;
                }
                self.read_at_us.store(now, Ordering::Release);
                return *current;
            }
        }
        if age > (10 * ttl).max(1_000_000) || stale {
            return Snapshot::UNKNOWN;
        }
        last
    }
}
