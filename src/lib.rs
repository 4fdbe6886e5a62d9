//! A JSON REST API for policy-commentary data. `main.rs` only dispatches;
//! everything lives here so the tests can use it.

pub mod build_id;
pub mod cache;
pub mod cards;
pub mod commands;
pub mod config;
pub mod cursor;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod ingest;
pub mod limits;
pub mod listing;
pub mod models;
pub mod openapi;
pub mod pagination;
pub mod render;
pub mod routes;
pub mod schema;
pub mod search;
pub mod startup;
pub mod state;
pub mod synthetic;
pub mod telemetry;
pub mod views;
pub mod work;
