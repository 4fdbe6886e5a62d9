//! Wire types: what the API's JSON looks like, below the routes so that the
//! listing core, the write path and the cards can build them.

pub mod articles;
pub mod authors;
pub mod changes;
pub mod detail;
pub mod health;
pub mod jsonfeed;
pub mod publishers;
pub mod refs;
pub mod regions;
pub mod series;
pub mod suggest;
pub mod topics;
