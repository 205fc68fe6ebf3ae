//! The outbox: events for adapters, written in the same transaction as the change they
//! describe (dossiers, surveys, feedback), so an event exists exactly when its change does.
//! The slices write here; `integration` reads it (the feed, webhooks).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::outbox_events;

pub struct NewEvent<'a> {
    pub event_type: &'a str,
    pub aggregate_type: &'a str,
    pub aggregate_id: &'a str,
    pub agency_id: &'a str,
    pub occurred_at: NaiveDateTime,
    pub data: String,
}

/// Insert an event in the caller's transaction. On PostgreSQL the row records the transaction's
/// id (the column's default), which places it in the feed (see `integration::events`).
#[tracing::instrument(level = "debug", skip_all, fields(event_type = event.event_type, aggregate_id = event.aggregate_id))]
pub fn insert_event(conn: &mut DbConnection, event: &NewEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::event_type.eq(event.event_type),
            outbox_events::aggregate_type.eq(event.aggregate_type),
            outbox_events::aggregate_id.eq(event.aggregate_id),
            outbox_events::agency_id.eq(event.agency_id),
            outbox_events::occurred_at.eq(event.occurred_at),
            outbox_events::data.eq(&event.data),
        ))
        .execute(conn)
        .map(|_| ())
}
