//! HTTP plumbing shared by every endpoint: strict query parsing, the
//! fallback for unknown paths and methods, HEAD support.

pub mod fallback;
pub mod head;
pub mod query;

pub use query::{CheckedQuery, StrictQuery};
