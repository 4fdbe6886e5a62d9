//! What requests do beyond reading one list: the write path (`writes`).
//! Below the routes, above the models: the routes parse and render, the
//! services decide.

pub mod citations;
pub mod exports;
pub mod writes;
