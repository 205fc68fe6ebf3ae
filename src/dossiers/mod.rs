//! Dossiers (hồ sơ TTHC): intake, the lifecycle under the one-stop rules, history, outbox
//! events, receipts and the public lookup (`lookup`: its second factor and throttle).
//!
//! The slice's layout, by use case:
//! - pure rules: `lifecycle` (the state machine), `intake` (what a new dossier may claim, its
//!   instants and its row), `steps` (a step's check and its record on the row), `list` (what a
//!   list request asks for), `worklist` (which open dossiers are on a worklist), `views` (what
//!   the API shows, to whom), `forms/` (the printable forms 01–05, one file each), `hops` (the
//!   chain of a joint processing), `holding` (who held it when, the desk included, and for how
//!   long in its own working time);
//! - `access`: who may see and do what; `service`: the use cases that need the database, each one
//!   transaction; `store`: the queries; `row`: the stored row; `model`: request types;
//! - `routes/`: HTTP in and out, one file per group of use cases;
//! - `files/`: the dossier's scans and result papers in the object store (its own layout).
//!
//! A new action: a variant of `lifecycle::Action` and `steps::Change`, its rule in `lifecycle`,
//! its record in `steps::apply`, and a three-line handler in `routes/steps.rs`.
//!
//! Decisions where the spec is silent:
//! - Citizens submit online only and may withdraw or supplement their own dossiers; officers
//!   record desk and postal intake and work dossiers of their agency; leaders read, and approve
//!   or send back the results proposed on their own agency's dossiers; service
//!   accounts and admins may do everything within their agencies, and alone may import history
//!   (`submitted_at`, `accepted_at`, `at`).
//! - Identity numbers and contacts are shown to the agency's staff and the applicant, to service
//!   accounts only if an administrator granted them `personal_data` and only in readings by id
//!   (each on the audit trail; `access::sees_personal_data`), and never appear in outbox events
//!   or logs.
//! - The leader's approval (`requires_approval`): the proposal is kept on the row apart from the
//!   result, so that nothing the report reads moves before the approval; the resolution is the
//!   approval's instant and the proposing officer answers for digitization (docs/lifecycle.md).
//! - When a requested supplement arrives after acceptance, `due_at` restarts with the full limit
//!   and `appointment_at` follows it unless an apology already set a new appointment.
//! - Concurrent writes to one dossier: the second answers 409 (a version check), never a lost
//!   update. Two requests racing with the same new `Idempotency-Key` may see the second answer
//!   409; its retry then replays the first response.

pub mod access;
pub mod event_data;
pub mod facts;
pub mod files;
#[cfg(test)]
mod fixtures;
pub mod forms;
pub mod holding;
pub mod hops;
pub mod intake;
pub mod lifecycle;
pub mod list;
pub mod lookup;
pub mod model;
pub mod notices;
pub mod routes;
pub mod row;
pub mod service;
pub mod steps;
pub mod store;
pub mod views;
pub mod worklist;
