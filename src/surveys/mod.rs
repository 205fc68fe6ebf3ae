//! Satisfaction surveys: one per dossier, given by the citizen who owns it or recorded by an
//! officer from the desk's kiosk or a paper form; service accounts and admins may import them
//! with `submitted_at`. Any dossier of the caller's may be rated: kiosks ask at the desk, the
//! portal after the result, so the survey is not tied to a status.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;
