//! Service accounts of portal adapters and other systems (`client_credentials` grant).
//!
//! An account is bound to one or more agencies; its tokens have the `integration` role and see
//! exactly those agencies. The client secret is shown once, when it is made, and stored as an
//! argon2id hash. An admin sees and manages the accounts whose agencies all lie in its scope.

pub mod model;
pub mod routes;
pub mod store;
