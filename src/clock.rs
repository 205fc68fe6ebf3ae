//! Time as the application stores it.
//!
//! PostgreSQL keeps microseconds and SQLite whatever text it is given, so instants are truncated
//! to microseconds before they are stored: what a write returns equals what a later read returns
//! (ETags depend on it).

use std::cell::Cell;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use validator::ValidationError;

thread_local! {
    /// Set while `replay_at` runs on this thread.
    static REPLAYED: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
}

/// Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving): the time of every working day and
/// report day.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}

pub fn now() -> DateTime<Utc> {
    REPLAYED.with(Cell::get).unwrap_or_else(Utc::now).trunc_subsecs(6)
}

/// Run `f` with `now()` reading `instant` on this thread. The demo data set replays a past
/// half-year through the same code as live requests (officers act "now"), which is the point:
/// its dossiers are exactly what real use would have written. Never used while serving.
pub fn replay_at<T>(instant: DateTime<Utc>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<DateTime<Utc>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            REPLAYED.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(REPLAYED.with(|r| r.replace(Some(instant))));
    f()
}

pub fn to_db(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.trunc_subsecs(6).naive_utc()
}

pub fn from_db(stored: NaiveDateTime) -> DateTime<Utc> {
    stored.and_utc()
}

/// Years the service accepts. Both databases store far more, but PostgreSQL refuses dates
/// before 4713 BC that SQLite would keep: one range for both keeps their answers the same, and
/// no real dossier lies outside it.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

pub fn plausible_date(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

pub fn validate_date(date: &NaiveDate) -> Result<(), ValidationError> {
    if plausible_date(*date) { Ok(()) } else { Err(out_of_range()) }
}

pub fn validate_instant(instant: &DateTime<Utc>) -> Result<(), ValidationError> {
    if plausible_date(instant.date_naive()) { Ok(()) } else { Err(out_of_range()) }
}

fn out_of_range() -> ValidationError {
    crate::error::validation_error(
        crate::error::validation_codes::DATE_RANGE,
        &[("min", i64::from(*YEARS.start())), ("max", i64::from(*YEARS.end()))],
    )
}
