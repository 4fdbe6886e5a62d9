//! Where request work runs, and what bounds it.
//!
//! Two classes of work share the machine:
//!
//! - *cheap* work (lists without `q`, facets or histograms; single
//!   resources; health) runs on the blocking thread pool with a connection
//!   from the shared pool, held for well under a millisecond;
//! - *heavy* work (anything that reads the search index: searches, facets,
//!   histograms, suggestions) runs on its own small pool of threads
//!   (`HeavyPool`) with their own connections, at a lower CPU priority,
//!   behind a bounded queue, each request with a `Budget` (a deadline and a
//!   cancellation flag set when the client goes away).
//!
//! So heavy requests cannot take the connections, threads or CPU that cheap
//! ones need: when the heavy pool is saturated, heavy requests get a fast
//! 503 with `Retry-After` and everything else goes on answering.

pub mod budget;
pub mod heavy;

pub use budget::{Budget, CancelOnDrop, Exhausted};
pub use heavy::{HeavyOptions, HeavyPool, HeavyStats};

use crate::db::{DbConn, DbPool};
use crate::error::ApiError;

/// Run `f` with a connection of the shared pool, on the blocking thread
/// pool (cheap work). Waiting for a connection is bounded by the pool's
/// timeout; past it the answer is a 503 with `Retry-After`.
pub async fn cheap<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))?
}

/// Hand the memory a large build freed back to the system (glibc keeps
/// freed arenas otherwise: a server that built its index at start held
/// ~700 MiB it no longer used; each export's threads leave theirs too).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's own
    // arenas to the system; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Let the allocator keep at most `arenas` arenas (0: glibc's own limit,
/// eight per core). Each thread that finds the arenas busy gets one of its
/// own, which keeps freed memory apart from the others': with the server's
/// dozen threads that is several MiB for nothing on a small machine.
pub fn limit_malloc_arenas(arenas: u32) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if arenas > 0 {
        // SAFETY: mallopt only changes a setting of the allocator; called
        // before the server starts its threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas.min(i32::MAX as u32) as i32);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = arenas;
}
