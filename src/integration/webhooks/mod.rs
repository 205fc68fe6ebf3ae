//! Webhooks: each subscription is the event feed pushed to a URL, signed, in order, with retries.
//!
//! - `patterns`, `target`: pure rules (what matches, which addresses are allowed), unit-tested
//!   alone; signing and the retry policy are `crate::delivery`'s, shared with SMS notifications.
//! - `store`: subscriptions, deliveries and attempts; `worker`: the delivery loop inside `serve`;
//!   `routes`: `/api/v1/webhooks`.
//!
//! A subscription starts at the newest event when it is made; events before it are in the feed.

pub mod model;
pub mod patterns;
pub mod routes;
pub mod store;
pub mod target;
pub mod worker;
