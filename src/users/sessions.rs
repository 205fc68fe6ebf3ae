//! `DELETE /users/{id}/sessions`: an administrator signs an account out everywhere, e.g. after a
//! lost phone or a shared password, without deactivating it. Its refresh tokens are revoked and
//! its access tokens refused from the next request on (see `auth::accounts`); the person may
//! sign in again.

use actix_web::{HttpResponse, delete, web};

use super::routes::load_visible;
use crate::audit::{self, Action, SubjectType, Witness};
use crate::auth::accounts::AccountStates;
use crate::auth::caller::{AdminOnly, Authorized};
use crate::auth::store::revoke_all_for_user;
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::responses as r;

/// End every session of an account (admins, within their scope).
///
/// Administrators only, for an account in their scope (404 otherwise). Its refresh tokens and the
/// access tokens issued with them stop working at once. The account stays active and may sign in
/// again.
#[utoipa::path(
    operation_id = "users_end_sessions",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 204, description = "Every session ended (also when there was none)"),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[delete("/users/{id}/sessions")]
pub async fn end_sessions(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    db: web::Data<Db>,
    accounts: web::Data<AccountStates>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.scope();
    let revoked = witness.by(&auth, Action::SessionsRevoked);
    let user_id = db
        .write(move |conn| {
            let row = load_visible(conn, &scope, &id)?;
            let ended = revoke_all_for_user(conn, &row.id, clock::to_db(clock::now()))?;
            let event = revoked
                .about(SubjectType::User, &row.id)
                .in_agency(row.agency_id.clone())
                .with(serde_json::json!({"refresh_tokens_revoked": ended}));
            audit::record(conn, event)?;
            Ok(row.id)
        })
        .await?;
    accounts.forget(&user_id);
    tracing::info!(user_id = %user_id, by = %auth.id, "sessions ended");
    Ok(HttpResponse::NoContent().finish())
}
