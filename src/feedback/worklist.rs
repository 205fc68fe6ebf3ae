//! Feedback worklists: overdue, or due within N working hours of the agency's calendar.

use chrono::{DateTime, Duration, Utc};

use super::model::{FeedbackRow, FeedbackWorklistKind, FeedbackWorklistQuery};
use super::store;
use crate::agencies::access::worklist_agencies;
use crate::auth::caller::Caller;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{Calendar, add_working_time};
use crate::db::DbConnection;
use crate::error::ApiError;

/// The longest list.
const MAX_ITEMS: usize = 500;
/// How many open items are read at most.
const MAX_CANDIDATES: i64 = 20_000;

/// Whether feedback due at `due` falls within `hours` working hours of `now`, by the agency's
/// calendar (or plain hours if it has no working time).
pub fn due_soon(due: DateTime<Utc>, now: DateTime<Utc>, hours: i64, calendar: &Calendar) -> bool {
    let horizon = add_working_time(now, hours * 60, calendar).unwrap_or(now + Duration::hours(hours));
    due >= now && due <= horizon
}

/// The list for the caller's scope (or one agency in it), in the store's order.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, kind = ?query.kind))]
pub fn load(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    query: &FeedbackWorklistQuery,
    hours: i64,
    now: DateTime<Utc>,
) -> Result<Vec<FeedbackRow>, ApiError> {
    let agency_ids = worklist_agencies(conn, &caller.scope(), query.agency_id.as_deref())?;
    let mut items = Vec::new();
    for row in store::open(conn, agency_ids.as_deref(), MAX_CANDIDATES)? {
        let due = row.due_at.and_utc();
        let keep = match query.kind {
            FeedbackWorklistKind::Overdue => due < now,
            FeedbackWorklistKind::DueSoon => {
                due_soon(due, now, hours, &calendars.get(conn, Some(&row.agency_id))?.calendar)
            }
        };
        if keep {
            items.push(row);
        }
        if items.len() >= MAX_ITEMS {
            break;
        }
    }
    Ok(items)
}
