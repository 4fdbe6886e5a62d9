//! A request's budget for heavy work: a deadline, and a flag that is set
//! when the client goes away (the handler's future is dropped). Collectors
//! and scorers check it as they go and stop early; the request then fails
//! with a 503 instead of returning a partial answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why heavy work stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exhausted {
    #[error("took longer than the deadline of {0:?}")]
    Deadline(Duration),
    #[error("the client went away")]
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Option<Instant>,
    limit: Duration,
    cancelled: Arc<AtomicBool>,
}

impl Budget {
    /// A budget of `limit` from now, and the guard that cancels it when
    /// dropped (keep it in the request's future; `disarm` it on success).
    pub fn new(limit: Duration) -> (Budget, CancelOnDrop) {
        let cancelled = Arc::new(AtomicBool::new(false));
        let budget = Budget { deadline: Instant::now().checked_add(limit), limit, cancelled: cancelled.clone() };
        (budget, CancelOnDrop(Some(cancelled)))
    }

    /// No deadline and nothing to cancel it (command-line tools, tests).
    pub fn unlimited() -> Budget {
        Budget { deadline: None, limit: Duration::MAX, cancelled: Arc::new(AtomicBool::new(false)) }
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Why the work must stop, if it must.
    pub fn check(&self) -> Result<(), Exhausted> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(Exhausted::Cancelled);
        }
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(Exhausted::Deadline(self.limit)),
            _ => Ok(()),
        }
    }

    pub fn exhausted(&self) -> bool {
        self.check().is_err()
    }

    /// A counter that looks at the budget only every `every` calls, for
    /// per-document loops.
    pub fn meter(&self, every: u32) -> Meter<'_> {
        Meter { budget: self, every: every.max(1), count: 0, stopped: false }
    }
}

/// See `Budget::meter`.
pub struct Meter<'a> {
    budget: &'a Budget,
    every: u32,
    count: u32,
    stopped: bool,
}

impl Meter<'_> {
    /// One more step: whether the work must stop (once true, stays true).
    pub fn stop(&mut self) -> bool {
        self.stop_after(1)
    }

    /// `n` more steps (a block of documents): whether the work must stop.
    pub fn stop_after(&mut self, n: u32) -> bool {
        if self.stopped {
            return true;
        }
        self.count = self.count.saturating_add(n);
        if self.count >= self.every {
            self.count = 0;
            self.stopped = self.budget.exhausted();
        }
        self.stopped
    }
}

/// Cancels its budget when dropped, unless disarmed.
#[derive(Debug)]
pub struct CancelOnDrop(Option<Arc<AtomicBool>>);

impl CancelOnDrop {
    /// The work finished; dropping the guard now cancels nothing.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(flag) = self.0.take() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

impl From<Exhausted> for crate::error::ApiError {
    fn from(e: Exhausted) -> Self {
        match e {
            Exhausted::Deadline(limit) => {
                crate::error::ApiError::DeadlineExceeded { limit_ms: limit.as_millis().min(u64::MAX as u128) as u64 }
            }
            Exhausted::Cancelled => crate::error::ApiError::ClientGone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_cancels_and_a_disarmed_one_does_not() {
        let (budget, guard) = Budget::new(Duration::from_secs(60));
        assert_eq!(budget.check(), Ok(()));
        drop(guard);
        assert_eq!(budget.check(), Err(Exhausted::Cancelled));
        let (budget, guard) = Budget::new(Duration::from_secs(60));
        guard.disarm();
        assert_eq!(budget.check(), Ok(()));
    }

    #[test]
    fn the_deadline_passes_and_the_meter_notices_it() {
        let (budget, _guard) = Budget::new(Duration::ZERO);
        assert_eq!(budget.check(), Err(Exhausted::Deadline(Duration::ZERO)));
        let mut meter = budget.meter(4);
        let stops: Vec<bool> = (0..6).map(|_| meter.stop()).collect();
        assert_eq!(stops, [false, false, false, true, true, true]);
        assert_eq!(Budget::unlimited().check(), Ok(()));
    }
}
