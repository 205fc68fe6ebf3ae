//! Which feedback a list request asks for: its filters and the caller's scope (a citizen's own,
//! or the agencies in the caller's scope).

use chrono::NaiveDateTime;

use super::lifecycle::FeedbackStatus;
use super::model::{FeedbackQuery, FeedbackRow};
use super::store::{self, ListFilter};
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;

/// A page of the feedback the caller may see that matches the query, newest first.
#[tracing::instrument(skip_all, fields(caller = ?caller.id))]
pub fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    query: FeedbackQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<FeedbackRow>, ApiError> {
    let mut filter = ListFilter {
        status: query.status.map(FeedbackStatus::as_str),
        channel: query.channel.map(|c| c.as_str()),
        agency_id: query.agency_id,
        from: query.received_from.map(clock::to_db),
        to: query.received_to.map(clock::to_db),
        overdue: query.overdue.map(|o| (o, clock::to_db(clock::now()))),
        ..Default::default()
    };
    if caller.role == Role::Citizen {
        filter.owner_id = Some(caller.id.clone());
    } else {
        filter.agency_ids = agencies::ids_in_scope(conn, &caller.scope())?;
    }
    Ok(store::list(conn, &filter, after, limit)?)
}
