//! Working time: due dates over an agency's calendar (calendar.md). Pure: no I/O, no clock.
//!
//! Instants are UTC; the calendar works in Vietnam's local time (UTC+7, no daylight saving).
//! Time inside a day is counted in nanoseconds so that an instant with seconds keeps them.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use crate::clock::vietnam;

const NANOS_PER_MINUTE: i64 = 60_000_000_000;
const NANOS_PER_DAY: i64 = 24 * 60 * NANOS_PER_MINUTE;
/// A working day is 8 working hours (calendar.md).
pub const MINUTES_PER_WORKING_DAY: i64 = 8 * 60;
/// Give up after this many consecutive days without any working time: only a calendar that
/// declares years of days off can get there.
const MAX_IDLE_DAYS: u32 = 3_660;

/// One working interval of a day, as minutes from midnight: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: u32,
    pub end: u32,
}

impl Interval {
    pub const fn new(start_h: u32, start_m: u32, end_h: u32, end_m: u32) -> Self {
        Self { start: start_h * 60 + start_m, end: end_h * 60 + end_m }
    }

    fn nanos(self) -> (i64, i64) {
        (i64::from(self.start) * NANOS_PER_MINUTE, i64::from(self.end) * NANOS_PER_MINUTE)
    }
}

/// The default office hours: 07:30–11:30 and 13:30–17:30.
pub const DEFAULT_DAY: [Interval; 2] = [Interval::new(7, 30, 11, 30), Interval::new(13, 30, 17, 30)];

/// Working intervals for each weekday, Monday first. Intervals are sorted and disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklySchedule {
    days: [Vec<Interval>; 7],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("an interval must end after it starts and lie within the day")]
    BadInterval,
    #[error("intervals must be in order and must not overlap")]
    Overlap,
    #[error("the week has no working time")]
    Empty,
}

impl Default for WeeklySchedule {
    /// Monday to Friday, default office hours.
    fn default() -> Self {
        let weekday = DEFAULT_DAY.to_vec();
        Self {
            days: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                vec![],
                vec![],
            ],
        }
    }
}

impl WeeklySchedule {
    /// Build from intervals per weekday (Monday first), checking them.
    pub fn new(days: [Vec<Interval>; 7]) -> Result<Self, ScheduleError> {
        for day in &days {
            let mut previous_end = 0;
            for interval in day {
                if interval.start >= interval.end || interval.end > 24 * 60 {
                    return Err(ScheduleError::BadInterval);
                }
                if interval.start < previous_end {
                    return Err(ScheduleError::Overlap);
                }
                previous_end = interval.end;
            }
        }
        if days.iter().all(Vec::is_empty) {
            return Err(ScheduleError::Empty);
        }
        Ok(Self { days })
    }

    pub fn days(&self) -> &[Vec<Interval>; 7] {
        &self.days
    }
}

/// An agency's calendar: its weekly schedule, the dates nobody works (holidays and
/// compensatory days) and the weekend dates declared working days (with the default hours).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    schedule: WeeklySchedule,
    days_off: HashSet<NaiveDate>,
    make_up_days: HashSet<NaiveDate>,
}

impl Calendar {
    pub fn new(
        schedule: WeeklySchedule,
        days_off: impl IntoIterator<Item = NaiveDate>,
        make_up_days: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Self {
            schedule,
            days_off: days_off.into_iter().collect(),
            make_up_days: make_up_days.into_iter().collect(),
        }
    }

    /// The working intervals of a local date. A day off wins over a make-up declaration.
    pub fn intervals(&self, date: NaiveDate) -> &[Interval] {
        if self.days_off.contains(&date) {
            &[]
        } else if self.make_up_days.contains(&date) {
            &DEFAULT_DAY
        } else {
            &self.schedule.days[date.weekday().num_days_from_monday() as usize]
        }
    }

    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        self.days_off.contains(&date)
    }
}

fn to_local(instant: DateTime<Utc>) -> (NaiveDate, i64) {
    let local = instant.with_timezone(&vietnam()).naive_local();
    let time = local.time();
    let nanos = i64::from(time.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(time.nanosecond());
    (local.date(), nanos)
}

fn from_local(date: NaiveDate, nanos_of_day: i64) -> DateTime<Utc> {
    let midnight = NaiveDateTime::new(date, NaiveTime::MIN);
    let local = midnight + Duration::nanoseconds(nanos_of_day);
    vietnam().from_local_datetime(&local).single().expect("a fixed offset is unambiguous").with_timezone(&Utc)
}

/// The instant `minutes` of working time after `start`. Counting starts at the first working
/// instant at or after `start`; a result exactly at the end of an interval stays there (11:30,
/// not 13:30). Zero minutes gives that first working instant (an instant inside an interval or
/// at its end is already one). `None` only when the calendar has no working time for ten years.
pub fn add_working_time(start: DateTime<Utc>, minutes: i64, calendar: &Calendar) -> Option<DateTime<Utc>> {
    let mut remaining = minutes.max(0) * NANOS_PER_MINUTE;
    let (mut date, mut position) = to_local(start);
    let mut idle_days = 0;
    loop {
        let intervals = calendar.intervals(date);
        for interval in intervals {
            let (from, to) = interval.nanos();
            // `>`, not `>=`: the end of an interval still belongs to it (a zero amount stays).
            if position > to {
                continue;
            }
            let begin = position.max(from);
            let available = to - begin;
            if remaining <= available {
                return Some(from_local(date, begin + remaining));
            }
            remaining -= available;
        }
        idle_days = if intervals.is_empty() { idle_days + 1 } else { 0 };
        if idle_days > MAX_IDLE_DAYS {
            return None;
        }
        date = date.succ_opt()?;
        position = 0;
    }
}

/// `add_working_time` for a processing time in working days (8 hours each).
pub fn add_working_days(start: DateTime<Utc>, days: i64, calendar: &Calendar) -> Option<DateTime<Utc>> {
    add_working_time(start, days * MINUTES_PER_WORKING_DAY, calendar)
}

/// Working time between two instants (zero when `to` is not after `from`).
pub fn working_time_between(from: DateTime<Utc>, to: DateTime<Utc>, calendar: &Calendar) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let (mut date, mut position) = to_local(from);
    let (end_date, end_position) = to_local(to);
    let mut total: i64 = 0;
    while date <= end_date {
        let limit = if date == end_date { end_position } else { NANOS_PER_DAY };
        for interval in calendar.intervals(date) {
            let (start, end) = interval.nanos();
            let begin = start.max(position);
            let finish = end.min(limit);
            if finish > begin {
                total += finish - begin;
            }
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
        position = 0;
    }
    Duration::nanoseconds(total)
}

/// The last date on which a publication decision signed on `signed_on` may be posted: five
/// working days, not counting the signing day itself (Civil Code 2015 art. 147: a period in
/// days starts the day after the event).
pub fn posting_deadline(signed_on: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    let next_day = signed_on.succ_opt()?;
    let start = from_local(next_day, 0);
    add_working_days(start, 5, calendar).map(|due| due.with_timezone(&vietnam()).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        vietnam().with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Tết 2025: off Saturday 25 January to Sunday 2 February.
    fn calendar_2025() -> Calendar {
        let tet = (25..=31).map(|d| date(2025, 1, d)).chain([date(2025, 2, 1), date(2025, 2, 2)]);
        Calendar::new(WeeklySchedule::default(), tet, [])
    }

    #[test]
    fn friday_afternoon_plus_one_day_is_monday_same_hour() {
        let cal = Calendar::default();
        // Friday 5 January 2024, 16:00: 1.5 h on Friday, 4 h Monday morning, 2.5 h after lunch.
        assert_eq!(add_working_days(at(2024, 1, 5, 16, 0), 1, &cal), Some(at(2024, 1, 8, 16, 0)));
    }

    #[test]
    fn outside_hours_counting_starts_at_the_next_working_instant() {
        let cal = Calendar::default();
        assert_eq!(add_working_time(at(2024, 1, 8, 6, 0), 60, &cal), Some(at(2024, 1, 8, 8, 30)));
        assert_eq!(add_working_time(at(2024, 1, 8, 12, 0), 60, &cal), Some(at(2024, 1, 8, 14, 30)));
        assert_eq!(
            add_working_time(at(2024, 1, 6, 10, 0), 60, &cal),
            Some(at(2024, 1, 8, 8, 30)),
            "Saturday"
        );
        assert_eq!(add_working_time(at(2024, 1, 8, 20, 0), 8 * 60, &cal), Some(at(2024, 1, 9, 17, 30)));
    }

    #[test]
    fn zero_time_is_the_next_working_instant() {
        let cal = Calendar::default();
        assert_eq!(add_working_time(at(2024, 1, 6, 10, 0), 0, &cal), Some(at(2024, 1, 8, 7, 30)), "Saturday");
        assert_eq!(
            add_working_time(at(2024, 1, 8, 11, 30), 0, &cal),
            Some(at(2024, 1, 8, 11, 30)),
            "an interval end"
        );
        assert_eq!(add_working_time(at(2024, 1, 8, 12, 0), 0, &cal), Some(at(2024, 1, 8, 13, 30)), "lunch");
    }

    #[test]
    fn long_limits_still_have_a_due_date() {
        // 3650 working days is about fourteen years: far past any ten-year cut-off of days.
        let due = add_working_days(at(2024, 1, 8, 7, 30), 3650, &Calendar::default()).unwrap();
        assert!(due > at(2037, 1, 1, 0, 0), "{due}");
    }

    #[test]
    fn a_result_at_an_interval_end_stays_there() {
        let cal = Calendar::default();
        assert_eq!(add_working_time(at(2024, 1, 8, 7, 30), 4 * 60, &cal), Some(at(2024, 1, 8, 11, 30)));
        assert_eq!(add_working_days(at(2024, 1, 8, 7, 30), 1, &cal), Some(at(2024, 1, 8, 17, 30)));
    }

    #[test]
    fn tet_2025_is_skipped() {
        let cal = calendar_2025();
        // Accepted Friday 24 January 2025 at 10:00 with 1 working day: Tết runs to Sunday
        // 2 February, so the due instant is Monday 3 February, 10:00.
        assert_eq!(add_working_days(at(2025, 1, 24, 10, 0), 1, &cal), Some(at(2025, 2, 3, 10, 0)));
        assert_eq!(
            working_time_between(at(2025, 1, 24, 17, 30), at(2025, 2, 3, 7, 30), &cal),
            Duration::zero()
        );
    }

    #[test]
    fn make_up_saturdays_are_worked_with_default_hours() {
        // 2026: Friday 2 January off, made up on Saturday 10 January.
        let cal = Calendar::new(
            WeeklySchedule::default(),
            [date(2026, 1, 1), date(2026, 1, 2)],
            [date(2026, 1, 10)],
        );
        assert_eq!(add_working_days(at(2026, 1, 9, 9, 0), 1, &cal), Some(at(2026, 1, 10, 9, 0)));
        // Half an hour on 31 December, then nothing until Monday 5 January: 7.5 h more.
        assert_eq!(add_working_days(at(2025, 12, 31, 17, 0), 1, &cal), Some(at(2026, 1, 5, 17, 0)));
    }

    #[test]
    fn saturday_morning_schedules_count() {
        let mut days = WeeklySchedule::default().days().clone();
        days[5] = vec![Interval::new(7, 30, 11, 30)];
        let cal = Calendar::new(WeeklySchedule::new(days).unwrap(), [], []);
        // Friday 16:00 + 8 h: 1.5 h Friday, 4 h Saturday morning, 2.5 h Monday.
        assert_eq!(add_working_days(at(2024, 1, 5, 16, 0), 1, &cal), Some(at(2024, 1, 8, 10, 0)));
    }

    #[test]
    fn schedules_are_checked() {
        let mut days: [Vec<Interval>; 7] = Default::default();
        assert_eq!(WeeklySchedule::new(days.clone()), Err(ScheduleError::Empty));
        days[0] = vec![Interval::new(9, 0, 8, 0)];
        assert_eq!(WeeklySchedule::new(days.clone()), Err(ScheduleError::BadInterval));
        days[0] = vec![Interval::new(8, 0, 12, 0), Interval::new(11, 0, 13, 0)];
        assert_eq!(WeeklySchedule::new(days), Err(ScheduleError::Overlap));
    }

    #[test]
    fn posting_deadline_counts_five_working_days_after_signing() {
        let cal = Calendar::default();
        // Signed Wednesday 3 January 2024: Thursday, Friday, Monday, Tuesday, Wednesday 10th.
        assert_eq!(posting_deadline(date(2024, 1, 3), &cal), Some(date(2024, 1, 10)));
        // Signed Friday 24 January 2025 just before Tết: 3, 4, 5, 6, 7 February.
        assert_eq!(posting_deadline(date(2025, 1, 24), &calendar_2025()), Some(date(2025, 2, 7)));
    }

    /// A calendar with random days off and make-up days across 2024–2025.
    fn arb_calendar() -> impl Strategy<Value = Calendar> {
        let day = (0i64..730).prop_map(|n| date(2024, 1, 1) + Duration::days(n));
        (prop::collection::vec(day.clone(), 0..60), prop::collection::vec(day, 0..10), any::<bool>())
            .prop_map(|(off, make_up, saturdays)| {
                let mut days = WeeklySchedule::default().days().clone();
                if saturdays {
                    days[5] = vec![Interval::new(7, 30, 11, 30)];
                }
                Calendar::new(WeeklySchedule::new(days).unwrap(), off, make_up)
            })
    }

    fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
        // Any second in 2024, including nights, weekends and breaks.
        (0i64..366 * 86_400).prop_map(|s| at(2024, 1, 1, 0, 0) + Duration::seconds(s))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn monotone_in_the_amount(cal in arb_calendar(), start in arb_instant(), a in 0i64..20_000, b in 0i64..20_000) {
            let (small, large) = (a.min(b), a.max(b));
            prop_assert!(add_working_time(start, small, &cal).unwrap() <= add_working_time(start, large, &cal).unwrap());
        }

        #[test]
        fn additive(cal in arb_calendar(), start in arb_instant(), a in 0i64..10_000, b in 0i64..10_000) {
            let stepwise = add_working_time(add_working_time(start, a, &cal).unwrap(), b, &cal).unwrap();
            prop_assert_eq!(stepwise, add_working_time(start, a + b, &cal).unwrap());
        }

        #[test]
        fn lands_in_working_time_or_at_an_interval_end(cal in arb_calendar(), start in arb_instant(), minutes in 0i64..20_000) {
            let due = add_working_time(start, minutes, &cal).unwrap();
            let (day, nanos) = to_local(due);
            prop_assert!(!cal.is_day_off(day), "due on a day off: {}", day);
            let inside = cal.intervals(day).iter().any(|i| {
                let (s, e) = i.nanos();
                s <= nanos && nanos <= e
            });
            prop_assert!(inside, "due at {} is outside working time", due);
        }

        #[test]
        fn counts_exactly_the_working_time(cal in arb_calendar(), start in arb_instant(), minutes in 0i64..20_000) {
            let due = add_working_time(start, minutes, &cal).unwrap();
            prop_assert_eq!(working_time_between(start, due, &cal), Duration::minutes(minutes));
        }

        /// Days off are never counted: declaring one more day off never makes a due date
        /// earlier, and moves it whenever that day held some of the counted working time.
        #[test]
        fn days_off_are_never_counted(cal in arb_calendar(), start in arb_instant(), minutes in 1i64..20_000, extra in 0i64..60) {
            let due = add_working_time(start, minutes, &cal).unwrap();
            let (first, _) = to_local(start);
            let day = first + Duration::days(extra);
            let mut off: Vec<NaiveDate> = cal.days_off.iter().copied().collect();
            off.push(day);
            let more_off = Calendar::new(cal.schedule.clone(), off, cal.make_up_days.iter().copied());
            let later = add_working_time(start, minutes, &more_off).unwrap();
            prop_assert!(later >= due);
            let day_start = from_local(day, 0);
            let day_end = from_local(day, NANOS_PER_DAY);
            let counted_that_day = working_time_between(start.max(day_start), due.min(day_end).max(start.max(day_start)), &cal);
            if counted_that_day > Duration::zero() {
                prop_assert!(later > due, "a counted day became a day off but {} did not move", due);
            }
            prop_assert!(!more_off.is_day_off(to_local(later).0));
        }
    }
}
