//! Rows and the queries that read them, one module per resource. SQL for a
//! resource lives only in its module.

pub mod api_key;
pub mod article;
pub mod article_card;
pub mod article_filter;
pub mod article_list;
pub mod author;
pub mod change;
pub mod key;
pub mod publisher;
pub mod region;
pub mod series;
pub mod server_key;
pub mod taxonomy;
pub mod tombstone;
pub mod topic;

pub use key::ResourceKey;
