//! User accounts: staff of an agency, system administrators and citizens.
//!
//! Admins manage accounts within their scope; leaders and officers may read the accounts of
//! their scope (to assign work). Passwords are argon2id hashes, never returned, never logged.
//! Usernames are case-insensitive: stored trimmed and lower-cased. `GET /me` (`me`) shows any
//! caller, person or service account, its own account. An administrator may end every session
//! of an account (`sessions`).

pub mod me;
pub mod model;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod store;
