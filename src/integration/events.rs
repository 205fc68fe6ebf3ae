//! The event feed: the outbox read in order, `GET /api/v1/events?after=CURSOR&limit=`.
//!
//! Events are numbered in commit order (the outbox takes a lock for its commit, see
//! [`crate::db::serialize_outbox`]), so "everything after id N" never skips an event that
//! commits later and never repeats one. Unlike other lists, a feed page always carries a
//! `next_cursor`: an empty page means "caught up", and the adapter asks again with the same cursor.
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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_events)]
pub struct EventRow {
    pub id: i64,
    pub event_type: String,
    pub agency_id: String,
    pub occurred_at: chrono::NaiveDateTime,
    pub data: String,
}

/// One change, as the feed and webhooks deliver it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Event {
    /// Increasing with commit order.
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

/// The events after `after` among `agencies` (`None`: every agency), in order.
pub fn events_after(
    conn: &mut DbConnection,
    agencies: Option<&[String]>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut query = outbox_events::table
        .filter(outbox_events::id.gt(after))
        .order(outbox_events::id.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(agencies) = agencies {
        query = query.filter(outbox_events::agency_id.eq_any(agencies));
    }
    query.load(conn)
}

/// One event, if it exists.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EventRow>> {
    outbox_events::table.find(id).select(EventRow::as_select()).first(conn).optional()
}

/// The next page of the feed.
pub fn page(conn: &mut DbConnection, scope: &Scope, after: i64, limit: i64) -> Result<EventPage, ApiError> {
    let agencies = ids_in_scope(conn, scope)?;
    let rows = events_after(conn, agencies.as_deref(), after, limit)?;
    let last = rows.last().map_or(after, |row| row.id);
    let items = rows.into_iter().map(Event::from_row).collect::<Result<_, _>>()?;
    Ok(EventPage { items, next_cursor: encode_cursor(&last.to_string()) })
}

/// Every change to a dossier, survey or feedback in the caller's agencies, in commit order,
/// written in the same transaction as the change. Page with `after` (the previous page's
/// `next_cursor`); an empty page means there is nothing newer yet.
#[utoipa::path(
    tag = "integration",
    params(FeedQuery),
    responses(
        (status = 200, body = EventPage),
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
    let after = pagination::decode_id(query.after.as_deref(), "after")?.unwrap_or(0);
    let limit = pagination::limit(query.limit)?;
    let scope = auth.scope();
    let page = db.run(move |conn| page(conn, &scope, after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}
