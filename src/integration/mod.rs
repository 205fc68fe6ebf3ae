//! Integration with the national and provincial portals and other systems: the ordered event
//! feed that reads the outbox (`records::outbox`), signed webhooks that push it, and the
//! portal's sync shape of a dossier.

pub mod dvcqg;
pub mod events;
pub mod webhooks;
