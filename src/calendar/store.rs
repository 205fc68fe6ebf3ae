use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::CalendarDayRow;
use crate::db::DbConnection;
use crate::db::schema::{agency_schedules, calendar_days};

#[tracing::instrument(level = "debug", skip_all)]
pub fn insert_day(conn: &mut DbConnection, row: &CalendarDayRow) -> QueryResult<()> {
    diesel::insert_into(calendar_days::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(day_id = ?id))]
pub fn find_day(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CalendarDayRow>> {
    calendar_days::table.find(id).select(CalendarDayRow::as_select()).first(conn).optional()
}

/// Whether the scope (an agency, or national when `None`) already has a row for the date.
pub fn day_exists(conn: &mut DbConnection, agency_id: Option<&str>, day: NaiveDate) -> QueryResult<bool> {
    let query =
        calendar_days::table.filter(calendar_days::day.eq(day)).select(calendar_days::id).into_boxed();
    let query = match agency_id {
        Some(a) => query.filter(calendar_days::agency_id.eq(a.to_owned())),
        None => query.filter(calendar_days::agency_id.is_null()),
    };
    query.first::<String>(conn).optional().map(|found| found.is_some())
}

#[tracing::instrument(level = "debug", skip_all, fields(day_id = ?id))]
pub fn delete_day(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(calendar_days::table.find(id)).execute(conn)
}

/// National days and those of the given agencies, optionally within [from, to].
pub fn days_for(
    conn: &mut DbConnection,
    agencies: &[String],
    range: Option<(NaiveDate, NaiveDate)>,
) -> QueryResult<Vec<CalendarDayRow>> {
    let mut query = calendar_days::table
        .filter(calendar_days::agency_id.is_null().or(calendar_days::agency_id.eq_any(agencies.to_vec())))
        .select(CalendarDayRow::as_select())
        .into_boxed();
    if let Some((from, to)) = range {
        query = query.filter(calendar_days::day.ge(from)).filter(calendar_days::day.le(to));
    }
    query.order((calendar_days::day.asc(), calendar_days::id.asc())).load(conn)
}

/// The stored schedules of the given agencies, as (agency id, week JSON).
pub fn schedules_of(conn: &mut DbConnection, agencies: &[String]) -> QueryResult<Vec<(String, String)>> {
    agency_schedules::table
        .filter(agency_schedules::agency_id.eq_any(agencies.to_vec()))
        .select((agency_schedules::agency_id, agency_schedules::week))
        .load(conn)
}

/// Set an agency's schedule, replacing any (an upsert: concurrent writes never collide).
#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?agency_id))]
pub fn put_schedule(
    conn: &mut DbConnection,
    agency_id: &str,
    week: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::upsert_schedule(conn, agency_id, week, at)
}

#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?agency_id))]
pub fn delete_schedule(conn: &mut DbConnection, agency_id: &str) -> QueryResult<usize> {
    diesel::delete(agency_schedules::table.find(agency_id)).execute(conn)
}
