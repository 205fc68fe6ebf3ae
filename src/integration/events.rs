//! The event feed: the outbox read in order, `GET /api/v1/events?after=CURSOR&limit=`.
//!
//! **Order.** A PostgreSQL identity hands out ids when rows are inserted, not when they commit,
//! so "everything after id N" could skip event N−1 committing a moment after a reader saw N.
//! Each event therefore also records its writing transaction's id (`tx`), and the feed is ordered
//! by `(tx, id)` and shows only the events of transactions older than every transaction still
//! running (the snapshot's `xmin`). Those are final: no event can later appear before them, so a
//! cursor that passed them never misses one. Writers take no lock for this; an event of a long
//! transaction appears, in its place, after that transaction ends, and later ones wait behind it.
//! SQLite has one writer at a time, ids commit in order and `tx` is always 0.
//!
//! An event's `id` is unique but is not the feed's order: page with `next_cursor`. Unlike other
//! lists, a feed page always carries a `next_cursor`: an empty page means "caught up", and the
//! adapter asks again with the same cursor.
//! Service accounts read the events of the agencies they are bound to, admins those of their subtree.

use actix_web::{HttpResponse, get, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::agencies::store::ids_in_scope;
use crate::auth::caller::{Authorized, Policy};
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::db::schema::outbox_events;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, encode_cursor};
use crate::http::responses as r;

/// Who reads the feed: admins and service accounts (integration).
pub struct FeedReaders;
impl Policy for FeedReaders {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Integration];
}

/// A place in the feed: after every event ordered before `(tx, id)`, in that order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedPosition {
    pub tx: i64,
    pub id: i64,
}

impl FeedPosition {
    /// As a page cursor carries it: `tx.id`.
    pub fn to_cursor(self) -> String {
        encode_cursor(&format!("{}.{}", self.tx, self.id))
    }

    /// A cursor of [`FeedPosition::to_cursor`], or a bare id (cursors from before the feed
    /// recorded transactions: those events have `tx` 0). A 400 naming `field` otherwise.
    pub fn from_cursor(cursor: Option<&str>, field: &str) -> Result<Option<Self>, ApiError> {
        let Some(key) = pagination::decode_cursor(cursor).map_err(|_| pagination::not_a_cursor(field))?
        else {
            return Ok(None);
        };
        let (tx, id) = key.split_once('.').unwrap_or(("0", &key));
        match (tx.parse::<i64>(), id.parse::<i64>()) {
            (Ok(tx), Ok(id)) if tx >= 0 && id >= 0 => Ok(Some(Self { tx, id })),
            _ => Err(pagination::not_a_cursor(field)),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_events)]
pub struct EventRow {
    pub id: i64,
    pub tx: i64,
    pub event_type: String,
    pub agency_id: String,
    pub occurred_at: chrono::NaiveDateTime,
    pub data: String,
}

/// One change, as the feed and webhooks deliver it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Event {
    /// Unique, and the `X-Motcua-Delivery` of its webhook deliveries. Not the feed's order: page
    /// with `next_cursor`.
    pub id: String,
    /// What happened, e.g. `dossier.accepted`, `survey.submitted`, `feedback.received`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub agency_id: String,
    /// The record after the change (never personal data).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl Event {
    pub fn from_row(row: EventRow) -> Result<Self, ApiError> {
        Ok(Self {
            id: row.id.to_string(),
            event_type: row.event_type,
            occurred_at: row.occurred_at.and_utc(),
            agency_id: row.agency_id,
            data: serde_json::from_str(&row.data).map_err(anyhow::Error::from)?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `after` for the next page. Always present: after the last event it is the same
    /// cursor again, to poll with.
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// A `next_cursor` from an earlier page; absent to start from the first event.
    pub after: Option<String>,
    /// At most this many events (default 50, at most 500).
    pub limit: Option<i64>,
}

impl EventRow {
    pub fn position(&self) -> FeedPosition {
        FeedPosition { tx: self.tx, id: self.id }
    }
}

/// The events after `after` among `agencies` (`None`: every agency), in feed order, among those
/// that are final (module doc).
#[tracing::instrument(skip_all, fields(tx = after.tx, id = after.id))]
pub fn events_after(
    conn: &mut DbConnection,
    agencies: Option<&[String]>,
    after: FeedPosition,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut query = outbox_events::table
        .filter(crate::db::outbox_after(conn, after.tx, after.id))
        .order((outbox_events::tx.asc(), outbox_events::id.asc()))
        .limit(limit)
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(horizon) = crate::db::running_transactions_horizon(conn)? {
        query = query.filter(outbox_events::tx.lt(horizon));
    }
    if let Some(agencies) = agencies {
        query = query.filter(outbox_events::agency_id.eq_any(agencies));
    }
    query.load(conn)
}

/// Where the feed stands now: before every event not yet final, after every final one. A new
/// webhook subscription starts here.
pub fn now_position(conn: &mut DbConnection) -> QueryResult<FeedPosition> {
    match crate::db::running_transactions_horizon(conn)? {
        // Every event of an older transaction is before (horizon, 0); every later one after it.
        Some(horizon) => Ok(FeedPosition { tx: horizon, id: 0 }),
        None => latest(conn).map(Option::unwrap_or_default),
    }
}

/// The last final event's position, if any.
pub fn latest(conn: &mut DbConnection) -> QueryResult<Option<FeedPosition>> {
    let mut query = outbox_events::table
        .order((outbox_events::tx.desc(), outbox_events::id.desc()))
        .select((outbox_events::tx, outbox_events::id))
        .into_boxed();
    if let Some(horizon) = crate::db::running_transactions_horizon(conn)? {
        query = query.filter(outbox_events::tx.lt(horizon));
    }
    Ok(query.first::<(i64, i64)>(conn).optional()?.map(|(tx, id)| FeedPosition { tx, id }))
}

/// One event, if it exists.
#[tracing::instrument(skip_all, fields(event_id = id))]
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EventRow>> {
    outbox_events::table.find(id).select(EventRow::as_select()).first(conn).optional()
}

/// The next page of the feed.
#[tracing::instrument(skip_all, fields(tx = after.tx, id = after.id))]
pub fn page(
    conn: &mut DbConnection,
    scope: &Scope,
    after: FeedPosition,
    limit: i64,
) -> Result<EventPage, ApiError> {
    let agencies = ids_in_scope(conn, scope)?;
    let rows = events_after(conn, agencies.as_deref(), after, limit)?;
    let last = rows.last().map_or(after, EventRow::position);
    let items = rows.into_iter().map(Event::from_row).collect::<Result<_, _>>()?;
    Ok(EventPage { items, next_cursor: last.to_cursor() })
}

/// The event feed: every change to a dossier, survey or feedback in the caller's agencies.
///
/// Administrators and service accounts (others get 403). Each event is written in the same
/// transaction as the change, in an order that never puts a late commit before a cursor. Page with
/// `after` (the previous page's `next_cursor`); an empty page means there is nothing newer yet.
#[utoipa::path(
    operation_id = "integration_list_events",
    tag = "integration",
    params(FeedQuery),
    responses(
        (status = 200, description = "A page of events, oldest first", body = EventPage),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/events")]
pub async fn list_events(
    auth: Authorized<FeedReaders>,
    query: QueryParams<FeedQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let after = FeedPosition::from_cursor(query.after.as_deref(), "after")?.unwrap_or_default();
    let limit = pagination::limit(query.limit)?;
    let scope = auth.scope();
    let page = db.run(move |conn| page(conn, &scope, after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_carry_the_position_and_old_bare_ids_still_work() {
        let position = FeedPosition { tx: 7_000_001, id: 42 };
        let cursor = position.to_cursor();
        assert_eq!(FeedPosition::from_cursor(Some(&cursor), "after").unwrap(), Some(position));
        // A cursor from before the feed recorded transactions named only the id.
        let old = encode_cursor("42");
        assert_eq!(
            FeedPosition::from_cursor(Some(&old), "after").unwrap(),
            Some(FeedPosition { tx: 0, id: 42 })
        );
        assert_eq!(FeedPosition::from_cursor(None, "after").unwrap(), None);
        for bad in ["1.x", "-1.2", "1.-2", "", "1.2.3"] {
            let result = FeedPosition::from_cursor(Some(&encode_cursor(bad)), "after");
            assert!(matches!(result, Err(ApiError::BadRequest { .. })), "{bad:?}");
        }
        // Ordered by transaction first: a later transaction's smaller id comes after.
        assert!(FeedPosition { tx: 1, id: 9 } < FeedPosition { tx: 2, id: 3 });
    }
}
