//! HTTP plumbing shared by every slice: strict extractors whose failures are problem documents,
//! the 404/405 fallback, the language of problem documents, the request id, and the caching of
//! public answers.

pub mod cache;
pub mod client;
pub mod csv;
pub mod download;
pub mod etag;
pub mod extract;
pub mod fallback;
pub mod form;
pub mod guard;
pub mod idempotency;
pub mod language;
pub mod pagination;
pub mod request_id;
pub mod responses;
