//! The citizen's own account: registration with a code sent to a phone or an email address,
//! activation, and password reset by the same code. Sign-in is `POST /auth/token` with the
//! phone or the address as `username`.
//!
//! - `codes`: the one-time codes and how they are kept (a keyed hash); `limits`: how often they
//!   may be asked for and tried; `model`: the bodies; `store`: the codes table; `service`: the
//!   use cases, each one transaction with the message that carries the code; `routes`: HTTP.

pub mod codes;
pub mod limits;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
