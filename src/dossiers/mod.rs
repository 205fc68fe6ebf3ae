//! Dossiers (hồ sơ TTHC): intake, the lifecycle under the one-stop rules, history, outbox
//! events, receipts and the public lookup.
//!
//! Decisions where the spec is silent:
//! - Citizens submit online only and may withdraw or supplement their own dossiers; officers
//!   record desk and postal intake and work dossiers of their agency; leaders read; service
//!   accounts and admins may do everything within their agencies, and alone may import history
//!   (`submitted_at`, `accepted_at`, `at`).
//! - Identity numbers and contacts are shown to the agency's staff and the applicant, not to
//!   service accounts, and never appear in outbox events or logs.
//! - When a requested supplement arrives after acceptance, `due_at` restarts with the full limit
//!   and `appointment_at` follows it unless an apology already set a new appointment.
//! - Concurrent writes to one dossier: the second answers 409 (a version check), never a lost
//!   update. Two requests racing with the same new `Idempotency-Key` may see the second answer
//!   409; its retry then replays the first response.

pub mod facts;
pub mod lifecycle;
pub mod model;
pub mod receipt;
pub mod routes;
pub mod service;
pub mod store;
