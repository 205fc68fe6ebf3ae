//! Officers' worklists: overdue, due within N working hours, or online dossiers unanswered more
//! than 8 working hours after submission (the seed's task 3); the leaders' list of results
//! proposed for their approval; the dossiers other agencies sent on to this one (liên thông). Candidates come from SQL; whether
//! one is on the list needs its agency's working time, so that test is made here, pure.

use chrono::{DateTime, Duration, Utc};

use super::lifecycle::Status;
use super::model::{ANSWER_WITHIN_MINUTES, WorklistKind, WorklistQuery};
use super::row::DossierRow;
use super::store;
use crate::agencies::access::worklist_agencies;
use crate::auth::caller::Caller;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{Calendar, add_working_time, working_time_between};
use crate::db::DbConnection;
use crate::enums::Channel;
use crate::error::ApiError;

/// The longest list.
const MAX_ITEMS: usize = 500;
/// How many candidates are read at most.
const MAX_CANDIDATES: i64 = 20_000;

/// The statuses a list's dossiers can be in.
pub fn statuses(kind: WorklistKind) -> &'static [Status] {
    match kind {
        WorklistKind::AwaitingAcceptance => &[Status::Submitted],
        WorklistKind::Overdue | WorklistKind::DueSoon => {
            &[Status::Processing, Status::SupplementRequested, Status::AwaitingApproval]
        }
        WorklistKind::AwaitingApproval => &[Status::AwaitingApproval],
        WorklistKind::Held => &[Status::Processing, Status::AwaitingApproval, Status::SupplementRequested],
    }
}

/// Whether a candidate belongs on the list at `now`; `hours` is the horizon of `due_soon`.
pub fn keep(
    kind: WorklistKind,
    row: &DossierRow,
    now: DateTime<Utc>,
    hours: i64,
    calendar: &Calendar,
) -> bool {
    let due = row.due_at.map(|d| d.and_utc());
    match kind {
        WorklistKind::Overdue => due.is_some_and(|d| d < now),
        WorklistKind::DueSoon => {
            let horizon = add_working_time(now, hours * 60, calendar).unwrap_or(now);
            due.is_some_and(|d| d >= now && d <= horizon)
        }
        // Answered once (a supplement request) and back: not awaiting a first answer.
        WorklistKind::AwaitingAcceptance => {
            row.first_response_at.is_none()
                && row.channel == Channel::Online.as_str()
                && working_time_between(row.submitted_at.and_utc(), now, calendar)
                    > Duration::minutes(ANSWER_WITHIN_MINUTES)
        }
        WorklistKind::AwaitingApproval | WorklistKind::Held => true,
    }
}

/// The list for the caller's scope (or one agency in it), most urgent first.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, kind = ?query.kind))]
pub fn load(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    query: &WorklistQuery,
    hours: i64,
    now: DateTime<Utc>,
) -> Result<Vec<DossierRow>, ApiError> {
    let agency_ids = worklist_agencies(conn, &caller.scope(), query.agency_id.as_deref())?;
    let statuses: Vec<&str> = statuses(query.kind).iter().map(|s| s.as_str()).collect();
    let held = query.kind == WorklistKind::Held;
    let candidates = store::open_dossiers(conn, agency_ids.as_deref(), &statuses, MAX_CANDIDATES, held)?;
    let mut items = Vec::new();
    for row in candidates {
        let calendar = calendars.get(conn, Some(&row.agency_id))?;
        if keep(query.kind, &row, now, hours, &calendar.calendar) {
            items.push(row);
        }
        if items.len() >= MAX_ITEMS {
            break;
        }
    }
    items.sort_by_key(|row| (row.due_at.unwrap_or(row.submitted_at), row.submitted_at));
    Ok(items)
}
