//! Service accounts of portal adapters and other systems (`client_credentials` grant).
//!
//! An account is bound to one or more agencies; its tokens have the `integration` role and see
//! exactly those agencies. The client secret is shown once, when it is made, and stored as an
//! argon2id hash. An admin sees and manages the accounts whose agencies all lie in its scope.
//!
//! `personal_data`: an admin's grant to read applicants' identity numbers and contacts (an
//! adapter that forwards them to the national portal), false by default. Only where each reading
//! is on the audit trail (`dossiers::access::sees_personal_data`; not in lists). Granting and
//! withdrawing it have their own audit actions; the caller takes it from the account's current
//! state (`auth::accounts`), not from the token, so it holds at once for tokens already issued.

pub mod model;
pub mod routes;
pub mod store;
