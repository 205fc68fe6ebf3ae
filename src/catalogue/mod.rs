//! The procedure catalogue (danh mục thủ tục hành chính).
//!
//! Everyone signed in reads it (it is published information). Admins write it: national entries
//! (no agency) a system administrator, an agency's entries an admin whose scope covers it.
//! Procedures are deactivated, never deleted: dossiers refer to them.
//!
//! Search folds Vietnamese text (`Hộ tịch` → `ho tich`, `đ` → `d`) into terms kept in
//! `procedure_terms`; each query word must prefix some term, through an index on both backends.

pub mod import;
pub mod model;
pub mod public;
pub mod routes;
pub mod search;
pub mod service;
pub mod store;
