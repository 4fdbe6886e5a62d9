//! Integration tests: the real application over a temporary SQLite file
//! holding the bundled seed corpus.

mod articles;
mod errors;
mod helpers;
mod import;
mod openapi;
mod server;
mod taxonomy;
