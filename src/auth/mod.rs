//! Who calls, and what they may see.
//!
//! - Access tokens are short-lived HS256 JWTs (`iss`, `aud`, `exp`, `nbf`, `iat`, `jti`), decoded
//!   with the algorithm pinned. They are stateless: a deactivated user's token works until it
//!   expires (at most `MOTCUA_ACCESS_TOKEN_TTL_SECS`), but it can no longer be refreshed.
//! - Refresh tokens are opaque, stored as SHA-256 hashes, rotated on every use; presenting a spent
//!   one revokes its whole family (RFC 6819 §5.2.2.3).
//! - Service accounts of portal adapters use the `client_credentials` grant; their tokens carry
//!   the agencies they are bound to.
//! - Every handler declares an [`caller::Authorized`] extractor naming the roles it admits; data
//!   outside the caller's [`scope::Scope`] answers 404, so ids cannot be probed.

pub mod caller;
pub mod password;
pub mod role;
pub mod routes;
pub mod scope;
pub mod store;
pub mod throttle;
pub mod tokens;
