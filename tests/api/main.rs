//! Integration tests: the real application over a temporary SQLite file
//! holding the bundled seed corpus.

mod articles;
mod caching;
mod errors;
mod helpers;
mod import;
mod openapi;
mod query_plans;
mod server;
mod synthetic;
mod taxonomy;
