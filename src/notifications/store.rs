//! The notifications table: written inside the transaction of the change that causes them,
//! claimed and finished by the worker, listed and retried by administrators.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{NotificationRow, State};
use crate::db::DbConnection;
use crate::db::schema::notifications;

#[tracing::instrument(level = "debug", skip_all)]
pub fn insert(conn: &mut DbConnection, row: &NotificationRow) -> QueryResult<()> {
    diesel::insert_into(notifications::table).values(row).execute(conn).map(|_| ())
}

/// Pending notifications whose next attempt is due, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub fn due(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<NotificationRow>> {
    notifications::table
        .filter(notifications::state.eq(State::Pending.as_str()))
        .filter(notifications::next_attempt_at.le(now))
        .order((notifications::next_attempt_at.asc(), notifications::id.asc()))
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)
}

/// Take a due notification for one attempt: its next attempt moves to `until`, if nobody moved
/// it since it was read (a compare-and-set, so two workers never send one message at once).
/// A worker that dies mid-send leaves it to be tried again at `until`.
#[tracing::instrument(level = "debug", skip_all, fields(notification_id = ?row.id))]
pub fn claim(conn: &mut DbConnection, row: &NotificationRow, until: NaiveDateTime) -> QueryResult<bool> {
    let moved = diesel::update(
        notifications::table
            .find(&row.id)
            .filter(notifications::state.eq(State::Pending.as_str()))
            .filter(notifications::next_attempt_at.eq(row.next_attempt_at)),
    )
    .set(notifications::next_attempt_at.eq(until))
    .execute(conn)?;
    Ok(moved == 1)
}

/// How an attempt ended.
pub struct Attempted<'a> {
    pub state: State,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub error: Option<&'a str>,
    pub finished_at: Option<NaiveDateTime>,
}

#[tracing::instrument(level = "debug", skip_all, fields(notification_id = ?id))]
pub fn record_attempt(conn: &mut DbConnection, id: &str, attempt: Attempted) -> QueryResult<()> {
    diesel::update(notifications::table.find(id))
        .set((
            notifications::state.eq(attempt.state.as_str()),
            notifications::attempts.eq(attempt.attempts),
            notifications::next_attempt_at.eq(attempt.next_attempt_at),
            notifications::last_error.eq(attempt.error),
            notifications::finished_at.eq(attempt.finished_at),
        ))
        .execute(conn)
        .map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(notification_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<NotificationRow>> {
    notifications::table.find(id).select(NotificationRow::as_select()).first(conn).optional()
}

/// What a list asks for.
pub struct Filter<'a> {
    pub state: Option<State>,
    pub dossier_id: Option<&'a str>,
    /// Citizens: only their own.
    pub user_id: Option<&'a str>,
}

/// Newest first, from after `before` (a `(created_at, id)` position).
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .select(NotificationRow::as_select())
        .limit(limit)
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(notifications::state.eq(state.as_str()));
    }
    if let Some(dossier_id) = filter.dossier_id {
        query = query.filter(notifications::dossier_id.eq(dossier_id));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(notifications::user_id.eq(user_id));
    }
    if let Some((at, id)) = before {
        query = query.filter(
            notifications::created_at
                .lt(at)
                .or(notifications::created_at.eq(at).and(notifications::id.lt(id))),
        );
    }
    query.load(conn)
}

/// A dead notification back to pending, due now, with its attempts counted afresh.
#[tracing::instrument(level = "debug", skip_all, fields(notification_id = ?id))]
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let moved =
        diesel::update(notifications::table.find(id).filter(notifications::state.eq(State::Dead.as_str())))
            .set((
                notifications::state.eq(State::Pending.as_str()),
                notifications::attempts.eq(0),
                notifications::next_attempt_at.eq(now),
                notifications::finished_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    Ok(moved == 1)
}

/// Forget the notifications that finished (sent, skipped or dead) before `cutoff`: their bodies
/// are personal data, kept only as long as an administrator may need to look at them.
#[tracing::instrument(level = "debug", skip_all)]
pub fn prune(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::state.ne(State::Pending.as_str()))
            .filter(notifications::finished_at.lt(cutoff)),
    )
    .execute(conn)
}
