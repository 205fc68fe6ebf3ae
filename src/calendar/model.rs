use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::working_time::{Interval, ScheduleError, WeeklySchedule};
use crate::db::schema::calendar_days;
use crate::enums::text_enum;
use crate::error::ApiError;
use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (ngày lễ, Tết): nobody works.
    Holiday,
    /// A compensatory day off (nghỉ bù): nobody works.
    Compensatory,
    /// A weekend date declared a working day (làm bù), with the default office hours.
    MakeUpWorkday,
}

text_enum!(DayKind { Holiday => "holiday", Compensatory => "compensatory", MakeUpWorkday => "make_up_workday" });

impl DayKind {
    pub fn is_day_off(self) -> bool {
        !matches!(self, Self::MakeUpWorkday)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_days)]
pub struct CalendarDayRow {
    pub id: String,
    pub agency_id: Option<String>,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub source: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDay {
    pub id: String,
    /// Null for a national day.
    pub agency_id: Option<String>,
    #[schema(example = "2025-01-27")]
    pub date: NaiveDate,
    pub kind: DayKind,
    #[schema(example = "Tết Nguyên đán")]
    pub name: String,
    /// The announcement it comes from.
    #[schema(example = "Thông báo 6150/TB-LĐTBXH")]
    pub source: Option<String>,
}

impl TryFrom<CalendarDayRow> for CalendarDay {
    type Error = anyhow::Error;
    fn try_from(row: CalendarDayRow) -> anyhow::Result<Self> {
        Ok(Self {
            kind: DayKind::from_db(&row.kind)?,
            id: row.id,
            agency_id: row.agency_id,
            date: row.day,
            name: row.name,
            source: row.source,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DaysOff {
    pub year: i32,
    /// National days, and those of the agency asked for and of the agencies above it.
    pub items: Vec<CalendarDay>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-02-16", "kind": "holiday", "name": "Tết Nguyên đán", "source": "Thông báo 9441/TB-BNV"}))]
pub struct NewCalendarDay {
    #[validate(custom(function = "crate::clock::validate_date"))]
    pub date: NaiveDate,
    pub kind: DayKind,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub name: String,
    /// Absent: a national day (system administrators only).
    pub agency_id: Option<String>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 500), custom(function = "crate::text::single_line"))]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysOffQuery {
    /// Calendar year (default: the current year in Vietnam).
    pub year: Option<i32>,
    /// Include the days of this agency and of those above it.
    pub agency_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// When the clock starts, RFC 3339 (encode `+` as `%2B`, or use `Z`).
    #[param(value_type = String, format = DateTime, example = "2024-01-05T16:00:00+07:00")]
    #[serde(deserialize_with = "crate::http::extract::lenient_instant")]
    pub start: DateTime<Utc>,
    /// Processing time in working days (8 working hours each).
    pub working_days: Option<i64>,
    /// Processing time in working hours.
    pub working_hours: Option<i64>,
    /// Use this agency's calendar (default: the national one).
    pub agency_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DuePreview {
    pub start: DateTime<Utc>,
    /// The processing time, in working minutes.
    pub working_minutes: i64,
    pub due_at: DateTime<Utc>,
    pub agency_id: Option<String>,
}

/// One working interval, local time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    #[schema(value_type = String, example = "07:30")]
    #[serde(with = "hh_mm")]
    pub start: NaiveTime,
    #[schema(value_type = String, example = "11:30")]
    #[serde(with = "hh_mm")]
    pub end: NaiveTime,
}

mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| D::Error::custom(crate::http::extract::EXPECTED_TIME.en))
    }
}

/// Office hours for each day of the week; an absent day is closed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "monday": [{"start": "07:30", "end": "11:30"}, {"start": "13:30", "end": "17:30"}],
    "saturday": [{"start": "07:30", "end": "11:30"}]
}))]
pub struct Week {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tuesday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wednesday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thursday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub friday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saturday: Vec<TimeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sunday: Vec<TimeRange>,
}

const DAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn minutes(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.hour() * 60 + t.minute()
}

fn time_of(minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or(NaiveTime::MIN)
}

/// A schedule's error in both languages.
fn schedule_error_text(error: &ScheduleError) -> Text {
    let vi = match error {
        ScheduleError::BadInterval => "Mỗi khoảng giờ phải kết thúc sau khi bắt đầu và nằm trong ngày",
        ScheduleError::Overlap => "Các khoảng giờ phải theo thứ tự và không chồng lên nhau",
        ScheduleError::Empty => "Tuần không có thời gian làm việc nào",
    };
    Text::new(vi, error.to_string())
}

impl Week {
    fn days(&self) -> [&Vec<TimeRange>; 7] {
        [
            &self.monday,
            &self.tuesday,
            &self.wednesday,
            &self.thursday,
            &self.friday,
            &self.saturday,
            &self.sunday,
        ]
    }

    /// The checked schedule, or a 422 naming the day at fault.
    pub fn to_schedule(&self) -> Result<WeeklySchedule, ApiError> {
        let mut days: [Vec<Interval>; 7] = Default::default();
        for (i, ranges) in self.days().into_iter().enumerate() {
            days[i] =
                ranges.iter().map(|r| Interval { start: minutes(r.start), end: minutes(r.end) }).collect();
            let mut single: [Vec<Interval>; 7] = Default::default();
            single[i] = days[i].clone();
            match WeeklySchedule::new(single) {
                Ok(_) | Err(ScheduleError::Empty) => {}
                Err(e) => {
                    return Err(ApiError::invalid_field(DAY_NAMES[i], schedule_error_text(&e)));
                }
            }
        }
        WeeklySchedule::new(days).map_err(|e| ApiError::invalid_field("week", schedule_error_text(&e)))
    }

    pub fn from_schedule(schedule: &WeeklySchedule) -> Self {
        let ranges = |intervals: &Vec<Interval>| -> Vec<TimeRange> {
            intervals.iter().map(|i| TimeRange { start: time_of(i.start), end: time_of(i.end) }).collect()
        };
        let d = schedule.days();
        Self {
            monday: ranges(&d[0]),
            tuesday: ranges(&d[1]),
            wednesday: ranges(&d[2]),
            thursday: ranges(&d[3]),
            friday: ranges(&d[4]),
            saturday: ranges(&d[5]),
            sunday: ranges(&d[6]),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencySchedule {
    pub agency_id: String,
    /// The agency whose schedule applies (this one or one above it); null for the default.
    pub defined_by: Option<String>,
    pub week: Week,
}
