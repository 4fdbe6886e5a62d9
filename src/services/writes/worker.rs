//! The one thread that makes every write of this process, on its own
//! connection and at a lower CPU priority than requests. Writes are one at
//! a time anyway (SQLite has one writer), so a queue in front of a single
//! thread costs them nothing, and while they run the reads keep the cores:
//! the scheduler favours the request threads over this one.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::{apply, WriteRequest, Written};
use diesel::r2d2::R2D2Connection;

use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::BoxError;
use crate::work::heavy::lower_priority;

/// Writes that may wait in the queue; more are refused at once (503).
pub const QUEUE: usize = 1024;

struct Job {
    request: WriteRequest,
    queued_at: Instant,
    /// Not started by then, the write is not made: 503.
    deadline: Instant,
    reply: oneshot::Sender<Result<Written, ApiError>>,
}

pub struct WriteWorker {
    jobs: SyncSender<Job>,
    /// Held by the thread while it writes; `pause` holds it to stop it.
    gate: Arc<Mutex<()>>,
}

impl WriteWorker {
    /// Start the thread, writing on connections `connect` opens, at
    /// `nice`. A connection that fails is replaced at the next write (a
    /// restarted PostgreSQL primary, or one a proxy moved).
    pub fn start<F>(connect: F, nice: i32) -> std::io::Result<WriteWorker>
    where
        F: Fn() -> Result<DbConn, BoxError> + Send + 'static,
    {
        let (jobs, queue) = sync_channel(QUEUE);
        let gate = Arc::new(Mutex::new(()));
        let thread_gate = gate.clone();
        std::thread::Builder::new().name("writer".into()).spawn(move || run(connect, &queue, &thread_gate, nice))?;
        Ok(WriteWorker { jobs, gate })
    }

    /// Queue `request` and wait for its answer; one that cannot start
    /// within `wait` is not made (503 `/problems/writes-busy`).
    pub async fn submit(&self, request: WriteRequest, wait: Duration) -> Result<Written, ApiError> {
        let (reply, answer) = oneshot::channel();
        let queued_at = Instant::now();
        let job = Job { request, queued_at, deadline: queued_at + wait, reply };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(ApiError::WritesBusy { waited_ms: 0 }),
            Err(TrySendError::Disconnected(_)) => return Err(ApiError::Internal("the writer thread stopped".into())),
        }
        answer.await.map_err(|_| ApiError::Internal("the writer thread dropped a write".into()))?
    }

    /// Hold every write back while the guard lives (tests of the queue).
    pub fn pause(&self) -> MutexGuard<'_, ()> {
        self.gate.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn run(connect: impl Fn() -> Result<DbConn, BoxError>, queue: &Receiver<Job>, gate: &Mutex<()>, nice: i32) {
    lower_priority(nice);
    let mut conn: Option<DbConn> = None;
    // Ends when the worker (the app state) is dropped.
    for job in queue.iter() {
        let turn = loop {
            match gate.try_lock() {
                Ok(turn) => break Some(turn),
                Err(_) if Instant::now() < job.deadline => std::thread::sleep(Duration::from_millis(1)),
                Err(_) => break None,
            }
        };
        let result = match turn {
            Some(_turn) if Instant::now() <= job.deadline => match connected(&mut conn, &connect) {
                Ok(c) => {
                    let result = apply(c, job.request);
                    if result.is_err() && (c.is_broken() || c.ping().is_err()) {
                        conn = None;
                    }
                    result
                }
                Err(e) => Err(e),
            },
            _ => Err(ApiError::WritesBusy { waited_ms: job.queued_at.elapsed().as_millis() as u64 }),
        };
        let _ = job.reply.send(result);
    }
}

/// The open connection, or a new one (a 503 when the database cannot be
/// reached).
fn connected<'c>(
    conn: &'c mut Option<DbConn>,
    connect: &impl Fn() -> Result<DbConn, BoxError>,
) -> Result<&'c mut DbConn, ApiError> {
    if conn.is_none() {
        *conn = Some(connect().map_err(|e| ApiError::Unavailable(format!("database: {e}")))?);
    }
    Ok(conn.as_mut().expect("just opened"))
}
