//! Webhooks: each subscription is the event feed pushed to a URL, signed, in order, with retries.
//!
//! - `patterns`, `signature`, `retry`, `target`: pure rules (what matches, how to sign, when to
//!   retry, which addresses are allowed), unit-tested alone.
//! - `store`: subscriptions, deliveries and attempts; `worker`: the delivery loop inside `serve`;
//!   `routes`: `/api/v1/webhooks`.
//!
//! A subscription starts at the newest event when it is made; events before it are in the feed.

pub mod model;
pub mod patterns;
pub mod retry;
pub mod routes;
pub mod signature;
pub mod store;
pub mod target;
pub mod worker;
