//! HTTP plumbing shared by every endpoint: strict query parsing, content
//! negotiation, conditional requests and the response cache, list headers,
//! the fallback for unknown paths and methods, HEAD support, rate limits.

pub mod auth;
pub mod conditional;
pub mod consistency;
pub mod export;
pub mod fallback;
pub mod head;
pub mod lists;
pub mod negotiate;
pub mod query;
pub mod rate_limit;

pub use query::{CheckedQuery, StrictQuery};
