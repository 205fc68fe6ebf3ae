//! `/api/v1/notifications`: what was sent to citizens and how it went. A system administrator
//! sees every message (to find the dead ones and retry them); a citizen sees their own.

use actix_web::{HttpResponse, get, post, web};

use super::model::{Notification, NotificationQuery};
use super::store::{self, Filter};
use crate::auth::caller::{Authorized, Policy};
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extract::QueryParams;
use crate::http::pagination;
use crate::http::responses as r;
use crate::i18n::{Text, nouns};

/// Who reads notifications: administrators (system administrators only) and citizens (theirs).
pub struct Readers;
impl Policy for Readers {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Citizen];
}

pub struct SystemAdmins;
impl Policy for SystemAdmins {
    const ROLES: &'static [Role] = &[Role::Admin];
}

const SYSTEM_ADMINS_ONLY: Text = Text::fixed(
    "Chỉ quản trị viên hệ thống xem và gửi lại thông báo cho công dân",
    "only a system administrator reads and retries citizens' notifications",
);

/// Notifications, newest first.
///
/// A system administrator sees every one, a citizen their own; everyone else gets 403 (an agency's
/// administrator included). `status=dead` lists those whose every attempt failed.
#[utoipa::path(
    operation_id = "notifications_list",
    tag = "notifications",
    params(NotificationQuery),
    responses(
        (status = 200, description = "A page of notifications, newest first", body = inline(pagination::Page<Notification>)),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/notifications")]
pub async fn list_notifications(
    auth: Authorized<Readers>,
    query: QueryParams<NotificationQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let own = match auth.role {
        Role::Citizen => Some(auth.id.clone()),
        _ if auth.scope() == Scope::All => None,
        _ => return Err(ApiError::Forbidden(SYSTEM_ADMINS_ONLY)),
    };
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let before = pagination::decode_position(query.cursor.as_deref())?;
    let page = db
        .run(move |conn| {
            let filter = Filter {
                state: query.status,
                dossier_id: query.dossier_id.as_deref(),
                user_id: own.as_deref(),
            };
            let rows = store::list(conn, &filter, before, limit + 1)?;
            Ok(pagination::page(rows, limit, |row| pagination::position(row.created_at, &row.id), |row| row))
        })
        .await?;
    let items = page.items.into_iter().map(Notification::try_from).collect::<anyhow::Result<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(pagination::Page { items, next_cursor: page.next_cursor }))
}

/// Try a dead notification again: it is pending and due at once, with a fresh count of attempts.
///
/// System administrators only (403 for anyone else). Only a `dead` notification may be retried:
/// another answers 409.
#[utoipa::path(
    operation_id = "notifications_retry",
    tag = "notifications",
    params(("id" = String, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The notification, pending again", body = Notification),
        (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound), (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[post("/notifications/{id}/retry")]
pub async fn retry_notification(
    auth: Authorized<SystemAdmins>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    if auth.scope() != Scope::All {
        return Err(ApiError::Forbidden(SYSTEM_ADMINS_ONLY));
    }
    let id = id.into_inner();
    let row = db
        .write(move |conn| {
            let row = store::find(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::NOTIFICATION))?;
            if !store::revive(conn, &id, clock::to_db(clock::now()))? {
                return Err(ApiError::Rule {
                    rule: "retry_dead_only",
                    detail: Text::new(
                        format!(
                            "Chỉ gửi lại thông báo đã thất bại (thông báo này đang ở trạng thái {})",
                            row.state
                        ),
                        format!("only a dead notification is retried (this one is {})", row.state),
                    ),
                });
            }
            store::find(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::NOTIFICATION))
        })
        .await?;
    tracing::info!(notification_id = %row.id, by = %auth.id, "notification retried");
    Ok(HttpResponse::Ok().json(Notification::try_from(row)?))
}
