//! The heavy-work pool: a few threads, each with its own database
//! connection, taking jobs from a bounded queue.
//!
//! - Admission: a job that finds every thread busy and the queue full
//!   (`threads + queue` jobs accepted and not finished) is refused at once
//!   (`ApiError::Overloaded`, a 503 with `Retry-After`), so a burst of
//!   expensive requests cannot pile up behind each other or hold anything
//!   the cheap requests need.
//! - A job whose budget ran out while it waited (deadline passed, client
//!   gone) is dropped without running.
//! - The threads run at a lower CPU priority (a higher `nice`), so when the
//!   cores are busy the cheap requests' threads are scheduled first.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use utoipa::ToSchema;

use super::budget::Budget;
use crate::db::DbConn;
use crate::error::ApiError;

type Job = Box<dyn FnOnce(&mut DbConn) + Send>;
type Connect = dyn Fn() -> Result<DbConn, Box<dyn std::error::Error + Send + Sync>> + Send + Sync;

#[derive(Debug, Clone, Copy)]
pub struct HeavyOptions {
    /// Threads running heavy work at once.
    pub threads: usize,
    /// Jobs that may wait for a thread; more are refused.
    pub queue: usize,
    /// How much lower the threads' CPU priority is (`nice` increment, 0–19).
    pub nice: i32,
    /// `Retry-After` of a refusal, in seconds.
    pub retry_after_secs: u32,
}

impl Default for HeavyOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HeavyOptions { threads: cores, queue: 64, nice: 10, retry_after_secs: 1 }
    }
}

#[derive(Default)]
struct Counters {
    /// Jobs accepted and not yet finished (running or waiting): admission
    /// keeps it at most `threads + queue`.
    admitted: AtomicU64,
    queued: AtomicU64,
    running: AtomicU64,
    completed: AtomicU64,
    refused: AtomicU64,
    timed_out: AtomicU64,
    cancelled: AtomicU64,
    failed: AtomicU64,
}

/// What the heavy pool is doing and has done (served by `/healthz`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeavyStats {
    pub threads: usize,
    pub queue_capacity: usize,
    /// Jobs waiting for a thread now.
    pub queued: u64,
    /// Jobs running now.
    pub running: u64,
    /// Since start: jobs finished (successfully or with a client error),
    /// refused because the queue was full, stopped at their deadline,
    /// stopped because their client went away, and failed with a server
    /// error.
    pub completed: u64,
    pub refused: u64,
    pub timed_out: u64,
    pub cancelled: u64,
    pub failed: u64,
}

pub struct HeavyPool {
    sender: Sender<Job>,
    counters: Arc<Counters>,
    options: HeavyOptions,
}

impl HeavyPool {
    /// Start `options.threads` threads, each with a connection from
    /// `connect` (opened now, so a bad database fails at start-up).
    pub fn start(
        options: HeavyOptions,
        connect: impl Fn() -> Result<DbConn, Box<dyn std::error::Error + Send + Sync>> + Send + Sync + 'static,
    ) -> Result<HeavyPool, Box<dyn std::error::Error + Send + Sync>> {
        let options = HeavyOptions { threads: options.threads.max(1), ..options };
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let connect: Arc<Connect> = Arc::new(connect);
        for n in 0..options.threads {
            let conn = connect()?;
            let (receiver, connect) = (receiver.clone(), connect.clone());
            std::thread::Builder::new()
                .name(format!("heavy-{n}"))
                .spawn(move || work(conn, &*connect, &receiver, options.nice))?;
        }
        Ok(HeavyPool { sender, counters: Arc::new(Counters::default()), options })
    }

    /// Run `f` for a request, with a budget of `deadline` that is cancelled
    /// if the request's future is dropped (the client went away) before
    /// the work is done.
    pub async fn run_for_request<T, F>(&self, deadline: std::time::Duration, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, &Budget) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (budget, guard) = Budget::new(deadline);
        let result = self.run(budget, f).await;
        // Finished, either way: only a drop before this point cancels.
        guard.disarm();
        result
    }

    /// Run `f` on a heavy thread within `budget`. Refused at once when the
    /// queue is full; fails with the budget's reason when it ran out before
    /// or during the work (`f` checks it as it goes and returns
    /// `Exhausted` errors).
    pub async fn run<T, F>(&self, budget: Budget, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, &Budget) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let counters = self.counters.clone();
        let job: Job = Box::new(move |conn| {
            counters.queued.fetch_sub(1, Ordering::Relaxed);
            let result = match budget.check() {
                Err(e) => Err(ApiError::from(e)),
                Ok(()) => {
                    counters.running.fetch_add(1, Ordering::Relaxed);
                    let result = catch_unwind(AssertUnwindSafe(|| f(conn, &budget)))
                        .unwrap_or_else(|_| Err(ApiError::Internal("heavy work panicked".to_owned())));
                    counters.running.fetch_sub(1, Ordering::Relaxed);
                    result
                }
            };
            let counter = match &result {
                Err(ApiError::DeadlineExceeded { .. }) => &counters.timed_out,
                Err(ApiError::ClientGone) => &counters.cancelled,
                Err(ApiError::Internal(_)) => &counters.failed,
                _ => &counters.completed,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            // Free the slot before answering, so that a client told the
            // answer may send its next request into it.
            counters.admitted.fetch_sub(1, Ordering::AcqRel);
            let _ = reply.send(result);
        });
        let capacity = (self.options.threads + self.options.queue) as u64;
        if self.counters.admitted.fetch_add(1, Ordering::AcqRel) >= capacity {
            self.counters.admitted.fetch_sub(1, Ordering::AcqRel);
            self.counters.refused.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::Overloaded { retry_after: self.options.retry_after_secs });
        }
        self.counters.queued.fetch_add(1, Ordering::Relaxed);
        if self.sender.send(job).is_err() {
            self.counters.queued.fetch_sub(1, Ordering::Relaxed);
            self.counters.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(ApiError::Internal("the heavy pool has stopped".into()));
        }
        answer.await.map_err(|_| ApiError::Internal("a heavy job was dropped".into()))?
    }

    pub fn stats(&self) -> HeavyStats {
        let c = &self.counters;
        HeavyStats {
            threads: self.options.threads,
            queue_capacity: self.options.queue,
            queued: c.queued.load(Ordering::Relaxed),
            running: c.running.load(Ordering::Relaxed),
            completed: c.completed.load(Ordering::Relaxed),
            refused: c.refused.load(Ordering::Relaxed),
            timed_out: c.timed_out.load(Ordering::Relaxed),
            cancelled: c.cancelled.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
        }
    }
}

/// A heavy thread: take a job, run it, until the pool is dropped. A
/// connection found broken after a job (its database server restarted) is
/// replaced before the next one.
fn work(mut conn: DbConn, connect: &Connect, receiver: &Mutex<Receiver<Job>>, nice: i32) {
    use diesel::r2d2::R2D2Connection;
    lower_priority(nice);
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&mut conn),
            Err(_) => return, // the pool was dropped
        }
        if conn.is_broken() || conn.ping().is_err() {
            match connect() {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::warn!(error = %e, "a heavy thread cannot reconnect; retrying at its next job"),
            }
        }
    }
}

/// Make the calling thread yield the CPU to normal-priority threads.
pub fn lower_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    if nice > 0 {
        // SAFETY: plain system calls on the calling thread's own id.
        let result = unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, nice.min(19))
        };
        if result != 0 {
            tracing::debug!(nice, "could not lower the priority of a background thread");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}
