//! Integration with the national and provincial portals and other systems: the outbox written
//! with every change, the ordered event feed that reads it, signed webhooks that push it, and the
//! portal's sync shape of a dossier.

pub mod dvcqg;
pub mod events;
pub mod outbox;
pub mod webhooks;
