//! Time as the application stores it.
//!
//! PostgreSQL keeps microseconds and SQLite whatever text it is given, so instants are truncated
//! to microseconds before they are stored: what a write returns equals what a later read returns
//! (ETags depend on it).

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn to_db(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.trunc_subsecs(6).naive_utc()
}

pub fn from_db(stored: NaiveDateTime) -> DateTime<Utc> {
    stored.and_utc()
}
