//! What several slices write, below them: the outbox of events for adapters, the history of every
//! step, and the report's counters, kept in step with every dossier and survey write. Every slice
//! writes here inside its own transaction; nothing here imports a slice, so that the slices call
//! down, never up into `reports`.

pub mod counters;
pub mod history;
pub mod outbox;
