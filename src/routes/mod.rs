//! The HTTP endpoints, one module per resource: their query structs (which
//! are also the spec's parameter lists), wire types and handlers.

pub mod articles;
pub mod authors;
pub mod changes;
pub mod health;
pub mod publishers;
pub mod regions;
pub mod resource;
pub mod series;
pub mod suggest;
pub mod tables;
pub mod taxonomy_params;
pub mod topics;
pub mod writes;

/// Every `/v1` endpoint, for `utoipa_actix_web`'s scope so that each one
/// lands in the spec.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    articles::configure(cfg);
    authors::configure(cfg);
    changes::configure(cfg);
    regions::configure(cfg);
    topics::configure(cfg);
    publishers::configure(cfg);
    series::configure(cfg);
    suggest::configure(cfg);
    writes::configure(cfg);
}
