//! The buckets counters are kept in: a day, a month, a year.

use chrono::{Datelike, NaiveDate};

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    let first = month_of(day);
    first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
}

/// The grains counters are kept at, finest first: a day, a month, a year (buckets are their first
/// days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grain {
    Day,
    Month,
    Year,
}

impl Grain {
    pub const ALL: [Grain; 3] = [Grain::Day, Grain::Month, Grain::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Month => "month",
            Grain::Year => "year",
        }
    }

    /// The bucket `day` falls in.
    pub fn bucket(self, day: NaiveDate) -> NaiveDate {
        match self {
            Grain::Day => day,
            Grain::Month => month_of(day),
            Grain::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
        }
    }

    /// The last day of the bucket starting on `first`.
    pub fn last_day(self, first: NaiveDate) -> NaiveDate {
        match self {
            Grain::Day => first,
            Grain::Month => last_day_of_month(first),
            Grain::Year => NaiveDate::from_ymd_opt(first.year(), 12, 31).unwrap_or(first),
        }
    }
}
