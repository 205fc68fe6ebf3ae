//! What several slices write, below them: the outbox of events for adapters. Every slice
//! writes here inside its own transaction; nothing here imports a slice.

pub mod outbox;
