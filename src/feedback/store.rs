use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::FeedbackRow;
use crate::db::DbConnection;
use crate::db::filters::{narrow, newest_first};
use crate::db::schema::{feedback, feedback_limits};

pub fn insert(conn: &mut DbConnection, row: &FeedbackRow) -> QueryResult<()> {
    diesel::insert_into(feedback::table).values(row).execute(conn).map(|_| ())
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FeedbackRow>> {
    feedback::table.find(id).select(FeedbackRow::as_select()).first(conn).optional()
}

/// The feedback of the agency with this portal code, if any.
pub fn find_by_external_ref(
    conn: &mut DbConnection,
    agency_id: &str,
    external_ref: &str,
) -> QueryResult<Option<String>> {
    feedback::table
        .filter(feedback::agency_id.eq(agency_id))
        .filter(feedback::external_ref.eq(external_ref))
        .select(feedback::id)
        .first(conn)
        .optional()
}

/// Write the row if nobody changed it since `expected_version` (false otherwise: 409).
pub fn update(conn: &mut DbConnection, row: &FeedbackRow, expected_version: i64) -> QueryResult<bool> {
    let updated =
        diesel::update(feedback::table.find(&row.id).filter(feedback::version.eq(expected_version)))
            .set((
                feedback::agency_id.eq(&row.agency_id),
                feedback::status.eq(&row.status),
                feedback::due_at.eq(row.due_at),
                feedback::response.eq(&row.response),
                feedback::responded_at.eq(row.responded_at),
                feedback::rejected_at.eq(row.rejected_at),
                feedback::published_at.eq(row.published_at),
                feedback::forwarded_from.eq(&row.forwarded_from),
                feedback::last_step_at.eq(row.last_step_at),
                feedback::version.eq(row.version),
                feedback::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
    Ok(updated == 1)
}

/// The stored limits of the given agencies, as (agency id, working days).
pub fn limits_of(conn: &mut DbConnection, agencies: &[String]) -> QueryResult<Vec<(String, i64)>> {
    feedback_limits::table
        .filter(feedback_limits::agency_id.eq_any(agencies.to_vec()))
        .select((feedback_limits::agency_id, feedback_limits::working_days))
        .load(conn)
}

#[derive(Default)]
pub struct ListFilter {
    pub agency_ids: Option<Vec<String>>,
    pub owner_id: Option<String>,
    pub status: Option<&'static str>,
    pub channel: Option<&'static str>,
    pub agency_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub overdue: Option<(bool, NaiveDateTime)>,
}

const OPEN: [&str; 2] = ["received", "processing"];

/// Newest first by (received_at, id), after the cursor's position.
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<FeedbackRow>> {
    let mut query = feedback::table.select(FeedbackRow::as_select()).into_boxed();
    narrow!(query;
        feedback::agency_id => eq_any(filter.agency_ids.clone()),
        feedback::owner_id => eq(filter.owner_id.clone()),
        feedback::status => eq(filter.status),
        feedback::channel => eq(filter.channel),
        feedback::agency_id => eq(filter.agency_id.clone()),
        feedback::received_at => ge(filter.from),
        feedback::received_at => lt(filter.to),
    );
    match filter.overdue {
        Some((true, now)) => {
            query = query.filter(feedback::status.eq_any(OPEN)).filter(feedback::due_at.lt(now))
        }
        Some((false, now)) => {
            query = query.filter(feedback::status.ne_all(OPEN).or(feedback::due_at.ge(now)))
        }
        None => {}
    }
    newest_first!(query, feedback::received_at, feedback::id, after, limit).load(conn)
}

/// Open feedback of the given agencies, due first (for the worklists).
pub fn open(
    conn: &mut DbConnection,
    agency_ids: Option<&[String]>,
    limit: i64,
) -> QueryResult<Vec<FeedbackRow>> {
    let mut query =
        feedback::table.select(FeedbackRow::as_select()).filter(feedback::status.eq_any(OPEN)).into_boxed();
    if let Some(ids) = agency_ids {
        query = query.filter(feedback::agency_id.eq_any(ids.to_vec()));
    }
    query.order(feedback::due_at.asc()).limit(limit).load(conn)
}

/// Published feedback, newest publication first by (published_at, id), after the cursor's
/// position.
pub fn published(
    conn: &mut DbConnection,
    agency_id: Option<String>,
    procedure_id: Option<String>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<FeedbackRow>> {
    let mut query = feedback::table
        .select(FeedbackRow::as_select())
        .filter(feedback::published_at.is_not_null())
        .into_boxed();
    narrow!(query;
        feedback::agency_id => eq(agency_id),
        feedback::procedure_id => eq(procedure_id),
    );
    newest_first!(query, feedback::published_at, feedback::id, after, limit).load(conn)
}
