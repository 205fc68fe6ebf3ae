//! Who calls, and what they may see.
//!
//! - Access tokens are short-lived HS256 JWTs (`iss`, `aud`, `exp`, `nbf`, `iat`, `jti`, and for
//!   people `sid`, the session), decoded with the algorithm pinned and 30 s of leeway for clock
//!   skew. Each request also checks that the account is still active and still has the token's
//!   role and agency, and that a person's session is still open (`accounts`, cached for 30 s), so
//!   deactivating or demoting an account, logging out, a password change and an administrator's
//!   "end sessions" take effect at once, access tokens included.
//! - Refresh tokens are opaque, stored as SHA-256 hashes, rotated on every use; a sign-in's
//!   tokens are one family, which is its session. Presenting a spent one revokes its whole
//!   family (RFC 6819 §5.2.2.3).
//! - Failed sign-ins are throttled per account × address and per address, never per account
//!   alone, so nobody can lock a user out (`throttle`).
//! - Service accounts of portal adapters use the `client_credentials` grant; their tokens carry
//!   the agencies they are bound to.
//! - Every handler declares an [`caller::Authorized`] extractor naming the roles it admits; data
//!   outside the caller's [`scope::Scope`] answers 404, so ids cannot be probed.
//! - Auth sits below every slice: it reads the accounts it needs straight from their tables
//!   ([`directory`]) and imports no slice; `GET /me`, which shows the caller's agency, lives in
//!   `users`.

pub mod accounts;
pub mod caller;
pub mod directory;
pub mod grants;
pub mod password;
pub mod profile;
pub mod role;
pub mod routes;
pub mod scope;
pub mod store;
pub mod throttle;
pub mod tokens;
