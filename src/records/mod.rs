//! What several slices write, below them: the outbox of events for adapters and the history of
//! every step. Every slice writes here inside its own transaction; nothing here imports a slice.

pub mod history;
pub mod outbox;
