//! The background catch-up: one thread that keeps the index in step with
//! the store, so that no request ever indexes (or waits on the index
//! writer) itself.
//!
//! It looks at the store's data version every `interval`, or at once when
//! nudged (a request saw a newer version than the index has), and applies
//! what changed (`SearchIndex::reconcile`, which also rebuilds an index
//! found ahead of its store). Requests answer from the index state they
//! find, labelled with its sequence number (see `cache::responses`), after
//! waiting briefly for it to catch up (`SearchIndex::wait_for`).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::SearchIndex;
use diesel::r2d2::R2D2Connection;

use crate::db::DbConn;
use crate::state::BoxError;
use crate::work::heavy::lower_priority;

#[derive(Default)]
struct State {
    stop: bool,
    nudged: bool,
    paused: usize,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

/// The running catch-up thread; stops when dropped.
pub struct Follower {
    shared: Arc<Shared>,
}

/// While alive, the follower applies nothing (see `Follower::pause`).
pub struct Paused {
    shared: Arc<Shared>,
}

impl Follower {
    /// Start following on `conn`, its own connection; `connect` opens
    /// another should that one fail (a restarted database server).
    pub fn start<F>(
        index: Arc<SearchIndex>,
        conn: DbConn,
        connect: F,
        interval: Duration,
        nice: i32,
    ) -> std::io::Result<Follower>
    where
        F: Fn() -> Result<DbConn, BoxError> + Send + 'static,
    {
        let shared = Arc::new(Shared::default());
        let thread_shared = shared.clone();
        let interval = interval.max(Duration::from_millis(10));
        std::thread::Builder::new()
            .name("index-follower".into())
            .spawn(move || follow(&index, conn, connect, &thread_shared, interval, nice))?;
        Ok(Follower { shared })
    }

    /// Look at the store now rather than at the next tick.
    pub fn nudge(&self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.nudged = true;
            self.shared.wake.notify_all();
        }
    }

    /// Stop applying changes until the guard is dropped (maintenance, and
    /// tests that need the index to lag behind the store on purpose).
    pub fn pause(&self) -> Paused {
        if let Ok(mut state) = self.shared.state.lock() {
            state.paused += 1;
        }
        Paused { shared: self.shared.clone() }
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.paused = state.paused.saturating_sub(1);
            state.nudged = true;
            self.shared.wake.notify_all();
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.stop = true;
            self.shared.wake.notify_all();
        }
    }
}

fn follow(
    index: &SearchIndex,
    conn: DbConn,
    connect: impl Fn() -> Result<DbConn, BoxError>,
    shared: &Shared,
    interval: Duration,
    nice: i32,
) {
    lower_priority(nice);
    let mut conn = Some(conn);
    loop {
        {
            let Ok(mut state) = shared.state.lock() else { return };
            if !state.nudged && !state.stop {
                state = match shared.wake.wait_timeout(state, interval) {
                    Ok((state, _)) => state,
                    Err(_) => return,
                };
            }
            if state.stop {
                return;
            }
            state.nudged = false;
            if state.paused > 0 {
                continue;
            }
        }
        if conn.is_none() {
            match connect() {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    tracing::warn!(error = %e, "the search index follower cannot reach the database; retrying");
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let outcome = index.reconcile(c, None);
        // The server's connections leave WAL checkpoints to this thread.
        if let Err(e) = crate::db::checkpoint(c) {
            tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
        }
        if outcome.is_err() && (c.is_broken() || c.ping().is_err()) {
            conn = None;
        }
        match outcome {
            // Under a stream of writes, gather them: one commit per
            // `COMMIT_GAP` at most (a commit costs far more than indexing
            // one article), so a change is searchable within about that.
            Ok(n) if n > 0 => {
                let Ok(state) = shared.state.lock() else { return };
                if !state.stop {
                    let _ = shared.wake.wait_timeout_while(state, COMMIT_GAP, |s| !s.stop);
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "search index catch-up failed; retrying"),
        }
    }
}

/// The shortest time between two catch-ups that found changes.
pub const COMMIT_GAP: Duration = Duration::from_millis(500);
