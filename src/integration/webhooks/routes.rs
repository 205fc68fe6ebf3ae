//! `/api/v1/webhooks`: subscriptions, their deliveries, and retrying a dead one by hand.
//! Admins and service accounts manage their own subscriptions; a system administrator (an admin
//! of no agency) sees every one. A subscription pushes what its owner could read from the feed.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;

use super::model::{
    self, Attempt, DeliveriesQuery, Delivery, NewWebhook, STATES, Webhook, WebhookPatch, check_secret,
    check_url, parse_patterns, patterns_json,
};
use super::store::{self, AttemptRow, DeliveryRow, WebhookRow};
use super::target::check_target;
use crate::audit::{self, Action, Event, SubjectType, Witness};
use crate::auth::caller::{Authorized, Caller};
use crate::auth::scope::Scope;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{self, IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::idempotency::{self, IdempotencyKey, Saved};
use crate::http::pagination;
use crate::http::responses as r;
use crate::i18n::{Text, nouns};
use crate::integration::events::FeedReaders;

/// Whether webhooks may target private networks (MOTCUA_WEBHOOK_ALLOW_PRIVATE).
#[derive(Debug, Clone, Copy)]
pub struct TargetPolicy {
    pub allow_private: bool,
}

/// The subscription's ETag: it changes with every change of its own fields.
fn etag_of(row: &WebhookRow) -> String {
    etag(&row.id, clock::from_db(row.updated_at))
}

fn to_api(row: WebhookRow, (pending, dead): (i64, i64)) -> Webhook {
    Webhook {
        id: row.id,
        url: row.url,
        event_types: model::stored_patterns(&row.event_types).iter().map(|p| p.as_string()).collect(),
        active: row.active,
        owner_id: row.owner_id,
        owner_kind: row.owner_kind,
        pending,
        dead,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}

/// The subscription as answered, with its pending and dead counts.
fn with_backlog(conn: &mut DbConnection, row: WebhookRow) -> Result<Webhook, ApiError> {
    let backlog = store::backlog(conn, &row.id)?;
    Ok(to_api(row, backlog))
}

fn delivery_to_api((row, attempts): (DeliveryRow, Vec<AttemptRow>)) -> Delivery {
    Delivery {
        id: row.id,
        event_id: row.event_id.to_string(),
        event_type: row.event_type,
        next_attempt_at: (row.state == "pending").then(|| row.next_attempt_at.and_utc()),
        state: row.state,
        created_at: row.created_at.and_utc(),
        delivered_at: row.delivered_at.map(|t| t.and_utc()),
        attempts: attempts
            .into_iter()
            .map(|a| Attempt {
                number: a.number,
                attempted_at: a.attempted_at.and_utc(),
                status_code: a.status_code,
                error: a.error,
                duration_ms: a.duration_ms,
            })
            .collect(),
    }
}

/// The subscription, if the caller may see it (404 otherwise, as for what does not exist).
fn load_visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<WebhookRow, ApiError> {
    store::find(conn, id)?
        .filter(|row| row.owner_id == caller.id || caller.scope() == Scope::All)
        .ok_or_else(|| ApiError::not_found(nouns::WEBHOOK))
}

/// An audit event about a subscription, for the administrators of its owner's agency. Its URL
/// may carry a key in its query: only the host is recorded, and never the secret.
fn audited(event: Event, caller: &Caller, row: &WebhookRow) -> Event {
    let host = url::Url::parse(&row.url).ok().and_then(|u| u.host_str().map(str::to_owned));
    event
        .about(SubjectType::Webhook, &row.id)
        .in_agency(caller.agency_id.clone().or_else(|| caller.agencies.first().cloned()))
        .with(serde_json::json!({
            "host": host,
            "event_types": model::stored_patterns(&row.event_types).iter().map(|p| p.as_string()).collect::<Vec<_>>(),
            "active": row.active,
        }))
}

async fn checked_target(raw: &str, policy: TargetPolicy) -> Result<String, ApiError> {
    let url = check_url(raw)?;
    check_target(&url, policy.allow_private).await.map_err(|m| ApiError::invalid_field("url", m))?;
    Ok(url.to_string())
}

/// Subscribe to events: each matching event is POSTed to the URL, signed with the secret.
///
/// Administrators and service accounts (others get 403); the caller owns the subscription. The URL
/// is http or https on a public address, unless the server allows private ones (422 on `url`).
/// Deliveries start with the next event after this call. A repeated `Idempotency-Key` replays the
/// first answer.
#[utoipa::path(
    operation_id = "integration_create_webhook",
    tag = "integration",
    params(IdempotencyKey),
    request_body = NewWebhook,
    responses((status = 201, description = "The subscription; `Location` is its URL", body = Webhook, headers(("Location" = String), ("ETag" = String))), r::WriteProblems),
    security(("bearer" = []))
)]
#[post("/webhooks")]
pub async fn create_webhook(
    auth: Authorized<FeedReaders>,
    key: IdempotencyKey,
    body: JsonBody<NewWebhook>,
    db: web::Data<Db>,
    policy: web::Data<TargetPolicy>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let new = body.into_inner();
    let patterns = parse_patterns(&new.event_types)?;
    check_secret(&new.secret)?;
    let url = checked_target(&new.url, **policy).await?;
    let now = clock::to_db(Utc::now());
    let caller = auth.caller.clone();
    let created = witness.by(&auth, Action::WebhookCreated);
    let response = idempotency::write(&db, &auth.id, idempotency, move |conn| {
        // Before anything is written here, so that this transaction is not among those the
        // start waits for.
        let start = crate::integration::events::now_position(conn)?;
        let row = WebhookRow {
            id: uuid::Uuid::now_v7().to_string(),
            owner_id: caller.id.clone(),
            owner_kind: caller.kind_label().into(),
            url,
            secret: new.secret,
            event_types: patterns_json(&patterns),
            active: true,
            last_event_id: start.id,
            last_event_tx: start.tx,
            lease_owner: None,
            lease_until: None,
            created_at: now,
            updated_at: now,
        };
        store::insert(conn, &row)?;
        audit::record(conn, audited(created, &caller, &row))?;
        let headers = vec![
            (header::ETAG.to_string(), etag_of(&row)),
            (header::LOCATION.to_string(), format!("/api/v1/webhooks/{}", row.id)),
        ];
        Saved::json(StatusCode::CREATED, &to_api(row, (0, 0)), headers)
    })
    .await?;
    tracing::info!(by = %auth.id, "webhook created");
    Ok(response)
}

/// The caller's subscriptions, oldest first.
///
/// Administrators and service accounts (others get 403): their own, every one for a system
/// administrator.
#[utoipa::path(
    operation_id = "integration_list_webhooks",
    tag = "integration",
    params(pagination::PageQuery),
    responses(
        (status = 200, description = "A page of subscriptions, oldest first", body = inline(pagination::Page<Webhook>)),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    auth: Authorized<FeedReaders>,
    query: QueryParams<pagination::PageQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let caller = auth.caller.clone();
    let page = db
        .run(move |conn| {
            let owner = (caller.scope() != Scope::All).then_some(caller.id.as_str());
            let rows = store::list(conn, owner, after, limit + 1)?;
            let page =
                pagination::page(rows, limit, |row| pagination::position(row.created_at, &row.id), |row| row);
            let mut items = Vec::new();
            for row in page.items {
                items.push(with_backlog(conn, row)?);
            }
            Ok(pagination::Page { items, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One subscription, with the count of its deliveries waiting and given up.
///
/// The subscription's owner, or a system administrator (any other caller gets 404).
#[utoipa::path(
    operation_id = "integration_get_webhook",
    tag = "integration",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The subscription", body = Webhook, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    auth: Authorized<FeedReaders>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let (etag, hook) = db
        .run(move |conn| {
            let row = load_visible(conn, &caller, &id)?;
            Ok((etag_of(&row), with_backlog(conn, row)?))
        })
        .await?;
    etag::respond(StatusCode::OK, &etag, &hook)
}

/// Change the URL, secret or patterns, or pause (`active: false`) and resume.
///
/// The subscription's owner, or a system administrator (any other caller gets 404). `If-Match`
/// guards against lost updates (412).
#[utoipa::path(
    operation_id = "integration_update_webhook",
    tag = "integration",
    params(
        ("id" = String, Path, description = "Webhook id"),
        IfMatch,
    ),
    request_body = WebhookPatch,
    responses((status = 200, description = "The subscription, changed", body = Webhook, headers(("ETag" = String))), r::EditProblems),
    security(("bearer" = []))
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    auth: Authorized<FeedReaders>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<WebhookPatch>,
    db: web::Data<Db>,
    policy: web::Data<TargetPolicy>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner();
    let patterns = patch.event_types.as_deref().map(parse_patterns).transpose()?;
    if let Some(secret) = &patch.secret {
        check_secret(secret)?;
    }
    let url = match &patch.url {
        Some(raw) => Some(checked_target(raw, **policy).await?),
        None => None,
    };
    let caller = auth.caller.clone();
    let changed = witness.by(&auth, Action::WebhookChanged);
    let (etag, hook) = db
        .write(move |conn| {
            let mut row = load_visible(conn, &caller, &id)?;
            if_match.check(&etag_of(&row))?;
            let secret_changed = patch.secret.is_some();
            if let Some(url) = url {
                row.url = url;
            }
            if let Some(secret) = patch.secret {
                row.secret = secret;
            }
            if let Some(patterns) = patterns {
                row.event_types = patterns_json(&patterns);
            }
            if let Some(active) = patch.active {
                row.active = active;
            }
            row.updated_at = clock::to_db(Utc::now());
            store::update(conn, &row)?;
            let mut event = audited(changed, &caller, &row);
            event.details["secret_changed"] = secret_changed.into();
            audit::record(conn, event)?;
            Ok((etag_of(&row), with_backlog(conn, row)?))
        })
        .await?;
    etag::respond(StatusCode::OK, &etag, &hook)
}

/// Unsubscribe; the subscription's deliveries and attempts go with it.
///
/// The subscription's owner, or a system administrator (any other caller gets 404).
#[utoipa::path(
    operation_id = "integration_delete_webhook",
    tag = "integration",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    auth: Authorized<FeedReaders>,
    id: web::Path<String>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let deleted = witness.by(&auth, Action::WebhookDeleted);
    db.write(move |conn| {
        let row = load_visible(conn, &caller, &id)?;
        store::delete(conn, &row.id)?;
        Ok(audit::record(conn, audited(deleted, &caller, &row))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The deliveries of a subscription, newest event first, each with its attempts.
///
/// The subscription's owner, or a system administrator (any other caller gets 404).
#[utoipa::path(
    operation_id = "integration_list_deliveries",
    tag = "integration",
    params(("id" = String, Path, description = "Webhook id"), DeliveriesQuery),
    responses(
        (status = 200, description = "A page of deliveries, newest event first", body = inline(pagination::Page<Delivery>)),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    auth: Authorized<FeedReaders>,
    id: web::Path<String>,
    query: QueryParams<DeliveriesQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    if let Some(state) = &query.state
        && !STATES.contains(&state.as_str())
    {
        return Err(ApiError::bad_parameter(
            "state",
            Text::fixed(
                "state phải là pending, delivered hoặc dead",
                "state must be pending, delivered or dead",
            ),
            Text::fixed("pending, delivered hoặc dead", "pending, delivered or dead"),
        ));
    }
    let before = pagination::decode_id(query.cursor.as_deref(), "cursor")?;
    let caller = auth.caller.clone();
    let page = db
        .run(move |conn| {
            let row = load_visible(conn, &caller, &id)?;
            let rows = store::deliveries(conn, &row.id, query.state.as_deref(), before, limit + 1)?;
            Ok(pagination::page(rows, limit, |(d, _)| d.event_id.to_string(), delivery_to_api))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Try a dead delivery again: it goes back to the head of the queue, due now.
///
/// The subscription's owner, or a system administrator (any other caller gets 404). Only a dead
/// delivery (every attempt failed) is retried: another answers 409.
#[utoipa::path(
    operation_id = "integration_retry_delivery",
    tag = "integration",
    params(("id" = String, Path, description = "Webhook id"), ("delivery_id" = String, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "The delivery, queued again", body = Delivery),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound), (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/retry")]
pub async fn retry_delivery(
    auth: Authorized<FeedReaders>,
    path: web::Path<(String, String)>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    let caller = auth.caller.clone();
    let delivery = db
        .write(move |conn| {
            let hook = load_visible(conn, &caller, &id)?;
            let found = store::find_delivery(conn, &hook.id, &delivery_id)?
                .ok_or_else(|| ApiError::not_found(nouns::DELIVERY))?;
            if !store::revive(conn, &found.id, clock::to_db(Utc::now()))? {
                return Err(ApiError::conflict(Text::new(
                    format!(
                        "Lượt gửi đang ở trạng thái {}: chỉ gửi lại được lượt gửi đã thất bại hẳn (dead)",
                        found.state
                    ),
                    format!("the delivery is {}: only a dead delivery can be retried", found.state),
                )));
            }
            let mut page = store::deliveries(conn, &hook.id, None, Some(found.event_id + 1), 1)?;
            page.pop().map(delivery_to_api).ok_or_else(|| ApiError::not_found(nouns::DELIVERY))
        })
        .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
