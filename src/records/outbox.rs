//! The outbox: events for adapters, written in the same transaction as the change they
//! describe (dossiers, surveys, feedback), so an event exists exactly when its change does.
//! The slices write here; `integration` reads it (the feed, webhooks).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::outbox_events;

#[derive(Insertable)]
#[diesel(table_name = outbox_events)]
pub struct NewEvent<'a> {
    pub event_type: &'a str,
    pub aggregate_type: &'a str,
    pub aggregate_id: &'a str,
    pub agency_id: &'a str,
    pub occurred_at: NaiveDateTime,
    pub data: String,
}

/// Insert events in the caller's transaction, in one statement (a desk intake's submitted and
/// accepted: one round trip while it holds the agency's hot rows). On PostgreSQL each row records
/// the transaction's id (the column's default), which places it in the feed (see
/// `integration::events`).
#[tracing::instrument(level = "debug", skip_all, fields(events = events.len()))]
pub fn insert_events(conn: &mut DbConnection, events: &[NewEvent<'_>]) -> QueryResult<()> {
    crate::db::insert_batch!(conn, outbox_events::table, events).map(|_| ())
}
