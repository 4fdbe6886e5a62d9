//! Integration tests: the real application over a temporary SQLite file
//! holding the bundled seed corpus.

mod articles;
mod caching;
mod cards;
mod changes;
mod citations;
mod crash;
mod cursors;
mod errors;
mod exports;
mod facets;
mod feeds;
mod helpers;
mod hostile;
mod import;
mod load;
mod openapi;
mod provenance;
mod query_plans;
mod rate_limit;
mod replicas;
mod search;
mod search_index;
mod server;
mod synthetic;
mod taxonomy;
mod writes;
