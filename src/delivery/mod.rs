//! What every outgoing delivery shares, whatever it carries (webhook events, SMS): how a request
//! is signed for its receiver, and when a failed one is tried again.

pub mod retry;
pub mod signature;
