//! Agencies: the tree of provinces and communes (and districts, for records before the July 2025
//! reform) that every record belongs to.
//!
//! Reading: staff and service accounts read the agencies in their scope; citizens read the whole
//! directory, since they must choose where to submit and an office's name and code are public.
//! Writing: admins, within their subtree; only a system admin (no agency) creates a province.

pub mod access;
pub mod model;
pub mod public;
pub mod routes;
pub mod service;
pub mod store;
