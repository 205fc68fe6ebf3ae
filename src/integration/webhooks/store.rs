//! Webhook subscriptions, deliveries and attempts in the database. The worker's claims are
//! compare-and-set updates of a lease on the subscription row: the row lock of the UPDATE makes
//! two processes racing for one subscription see each other, and exactly one gets it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhooks};
use crate::integration::events::{self, FeedPosition};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub owner_id: String,
    pub owner_kind: String,
    pub url: String,
    pub secret: String,
    pub event_types: String,
    pub active: bool,
    pub last_event_id: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// With `last_event_id`, how far the feed has been turned into deliveries.
    pub last_event_tx: i64,
}

impl WebhookRow {
    pub fn position(&self) -> FeedPosition {
        FeedPosition { tx: self.last_event_tx, id: self.last_event_id }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: String,
    pub event_id: i64,
    pub event_type: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    /// The event's place in the feed (with `event_id`): deliveries go out in this order.
    pub event_tx: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub delivery_id: String,
    pub number: i32,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

pub fn insert(conn: &mut DbConnection, row: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(webhooks::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(webhook_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookRow>> {
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn).optional()
}

/// Subscriptions, oldest first; only those of `owner` when given.
pub fn list(
    conn: &mut DbConnection,
    owner: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    let mut query = webhooks::table
        .order((webhooks::created_at.asc(), webhooks::id.asc()))
        .select(WebhookRow::as_select())
        .limit(limit)
        .into_boxed();
    if let Some(owner) = owner {
        query = query.filter(webhooks::owner_id.eq(owner));
    }
    if let Some((at, id)) = after {
        query = query
            .filter(webhooks::created_at.gt(at).or(webhooks::created_at.eq(at).and(webhooks::id.gt(id))));
    }
    query.load(conn)
}

/// Save the subscription's own fields (not the feed position or the lease, which the worker owns).
#[tracing::instrument(level = "debug", skip_all, fields(webhook_id = ?row.id))]
pub fn update(conn: &mut DbConnection, row: &WebhookRow) -> QueryResult<()> {
    diesel::update(webhooks::table.find(&row.id))
        .set((
            webhooks::url.eq(&row.url),
            webhooks::secret.eq(&row.secret),
            webhooks::event_types.eq(&row.event_types),
            webhooks::active.eq(row.active),
            webhooks::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(webhook_id = ?id))]
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    // Attempts and deliveries go with it (ON DELETE CASCADE), spelled out for SQLite
    // connections opened without foreign keys.
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id))).execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn).map(|_| ())
}

/// Pending and dead deliveries of a subscription.
pub fn backlog(conn: &mut DbConnection, webhook_id: &str) -> QueryResult<(i64, i64)> {
    let count = |conn: &mut DbConnection, state: &str| {
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::state.eq(state))
            .count()
            .get_result::<i64>(conn)
    };
    Ok((count(conn, "pending")?, count(conn, "dead")?))
}

/// Active subscriptions that nobody holds and that have something to do: events past their
/// position, or a pending delivery due.
pub fn with_work(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    // An empty feed's (0, 0) is where every subscription already is.
    let latest = events::latest(conn)?.unwrap_or_default();
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::state.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .select(webhook_deliveries::webhook_id);
    webhooks::table
        .filter(webhooks::active.eq(true))
        .filter(webhooks::lease_until.is_null().or(webhooks::lease_until.lt(now)))
        .filter(
            webhooks::last_event_tx
                .lt(latest.tx)
                .or(webhooks::last_event_tx.eq(latest.tx).and(webhooks::last_event_id.lt(latest.id)))
                .or(webhooks::id.eq_any(due)),
        )
        .order(webhooks::id.asc())
        .select(webhooks::id)
        .load(conn)
}

/// Take the lease of a subscription until `until`, if nobody else holds it. Returns the row when
/// this worker got it.
pub fn claim(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<WebhookRow>> {
    let taken = diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::active.eq(true))
            .filter(webhooks::lease_until.is_null().or(webhooks::lease_until.lt(now))),
    )
    .set((webhooks::lease_owner.eq(worker), webhooks::lease_until.eq(until)))
    .execute(conn)?;
    if taken == 1 { find(conn, id) } else { Ok(None) }
}

/// Extend the lease; false when this worker lost it (it expired and another took it).
pub fn renew(conn: &mut DbConnection, id: &str, worker: &str, until: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(webhooks::table.find(id).filter(webhooks::lease_owner.eq(worker)))
        .set(webhooks::lease_until.eq(until))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn release(conn: &mut DbConnection, id: &str, worker: &str) -> QueryResult<()> {
    diesel::update(webhooks::table.find(id).filter(webhooks::lease_owner.eq(worker)))
        .set((webhooks::lease_owner.eq(None::<String>), webhooks::lease_until.eq(None::<NaiveDateTime>)))
        .execute(conn)
        .map(|_| ())
}

/// Queue deliveries and move the subscription's feed position, if this worker still holds it.
pub fn enqueue(
    conn: &mut DbConnection,
    webhook_id: &str,
    worker: &str,
    deliveries: &[DeliveryRow],
    position: FeedPosition,
) -> QueryResult<bool> {
    let moved = diesel::update(webhooks::table.find(webhook_id).filter(webhooks::lease_owner.eq(worker)))
        .set((webhooks::last_event_tx.eq(position.tx), webhooks::last_event_id.eq(position.id)))
        .execute(conn)?;
    if moved == 0 {
        return Ok(false);
    }
    for chunk in deliveries.chunks(500) {
        crate::db::insert_batch!(conn, webhook_deliveries::table, chunk)?;
    }
    Ok(true)
}

/// The oldest pending delivery: later events wait behind it, so a receiver gets them in order.
pub fn head(conn: &mut DbConnection, webhook_id: &str) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::state.eq("pending"))
        .order((webhook_deliveries::event_tx.asc(), webhook_deliveries::event_id.asc()))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Record an attempt and the delivery's new state.
pub fn record(conn: &mut DbConnection, delivery: &DeliveryRow, attempt: &AttemptRow) -> QueryResult<()> {
    diesel::insert_into(webhook_attempts::table).values(attempt).execute(conn)?;
    diesel::update(webhook_deliveries::table.find(&delivery.id))
        .set((
            webhook_deliveries::state.eq(&delivery.state),
            webhook_deliveries::attempts.eq(delivery.attempts),
            webhook_deliveries::next_attempt_at.eq(delivery.next_attempt_at),
            webhook_deliveries::delivered_at.eq(delivery.delivered_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_delivery(
    conn: &mut DbConnection,
    webhook_id: &str,
    id: &str,
) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table
        .find(id)
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Put a dead delivery back in the queue, due now. False if it was not dead.
pub fn revive(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(webhook_deliveries::table.find(id).filter(webhook_deliveries::state.eq("dead")))
        .set((webhook_deliveries::state.eq("pending"), webhook_deliveries::next_attempt_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// A page of deliveries, newest event first, with their attempts.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: &str,
    state: Option<&str>,
    before_event: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(DeliveryRow, Vec<AttemptRow>)>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .order(webhook_deliveries::event_id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(webhook_deliveries::state.eq(state.to_owned()));
    }
    if let Some(before) = before_event {
        query = query.filter(webhook_deliveries::event_id.lt(before));
    }
    let rows: Vec<DeliveryRow> = query.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let attempts: Vec<AttemptRow> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order((webhook_attempts::delivery_id.asc(), webhook_attempts::number.asc()))
        .select(AttemptRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mine = attempts.iter().filter(|a| a.delivery_id == row.id).cloned().collect();
            (row, mine)
        })
        .collect())
}
