//! Complaints and feedback (phản ánh, kiến nghị — PAKN), Decree 20/2008/NĐ-CP as amended.
//!
//! Feedback is recorded from every channel, answered within the agency's limit (15 working days
//! unless the agency or one above it sets another), forwarded when it lies outside the agency's
//! competence (the new agency's clock starts at the forward), and its result published once
//! answered. Every step writes the row, a history row and an outbox event in one transaction.
//! Citizens may file feedback with any agency and read their own; the submitter's contacts are
//! shown to the agency's staff and the submitter only.

pub mod lifecycle;
pub mod list;
pub mod model;
pub mod public;
pub mod routes;
pub mod service;
pub mod store;
pub mod worklist;
