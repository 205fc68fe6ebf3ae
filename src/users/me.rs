//! `GET /me`: the caller's own account, role and agency; `PATCH /me`: one's notification
//! settings.

use actix_web::{get, patch, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{AccountLanguage, User};
use super::store as users;
use crate::clock;
use crate::http::extract::JsonBody;
use crate::i18n::nouns;
use crate::notifications::texts::Language;

use crate::agencies::model::Agency;
use crate::agencies::store as agencies;
use crate::auth::caller::{AnyRole, Authorized};
use crate::auth::directory;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::responses as r;
use crate::i18n::Text;

/// The caller: who the token belongs to.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    /// `user` for a person's account, `service` for a service account.
    #[schema(example = "user")]
    pub kind: &'static str,
    pub role: Role,
    /// Username, or the service account's client id.
    pub username: String,
    /// Full name, or the service account's name.
    pub name: String,
    pub agency: Option<Agency>,
    /// Service accounts: the agencies they are bound to.
    pub agency_ids: Vec<String>,
}

/// Who am I: the caller's account, role and agency.
///
/// Anyone signed in, service accounts included. Front ends read it after signing in to know what to
/// show.
#[utoipa::path(
    operation_id = "auth_me",
    tag = "auth",
    responses((status = 200, description = "The caller's account", body = Me), (status = 401, response = r::Unauthorized)),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn me(auth: Authorized<AnyRole>, db: web::Data<Db>) -> Result<web::Json<Me>, ApiError> {
    let caller = auth.caller.clone();
    let me = db
        .run(move |conn| {
            let gone = || {
                ApiError::Unauthorized(Text::fixed(
                    "Tài khoản của token này không còn tồn tại",
                    "the token's account no longer exists",
                ))
            };
            let (username, name, kind) = match caller.kind {
                SubjectKind::User => {
                    let user = directory::find_person(conn, &caller.id)?.ok_or_else(gone)?;
                    (user.username, user.full_name, "user")
                }
                SubjectKind::Service => {
                    let account = directory::find_service(conn, &caller.id)?.ok_or_else(gone)?;
                    (account.client_id, account.name, "service")
                }
            };
            let agency = match &caller.agency_id {
                Some(id) => agencies::find(conn, id)?.map(Agency::try_from).transpose()?,
                None => None,
            };
            Ok(Me {
                id: caller.id,
                kind,
                role: caller.role,
                username,
                name,
                agency,
                agency_ids: caller.agencies,
            })
        })
        .await?;
    Ok(web::Json(me))
}

/// What a person may change of their own account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notify": false}))]
pub struct MePatch {
    /// false: no more notifications by SMS or email about the account's dossiers and feedback.
    pub notify: Option<bool>,
    /// The language of notifications.
    pub language: Option<AccountLanguage>,
}

/// Change one's own notification settings: whether to be told by SMS and email, and in which
/// language.
///
/// Any person signed in (a service account has no such settings: 403). Only the caller's own
/// account changes.
#[utoipa::path(
    operation_id = "auth_update_me",
    tag = "auth",
    request_body = MePatch,
    responses((status = 200, description = "The caller's account, changed", body = User), r::ChangeProblems),
    security(("bearer" = []))
)]
#[patch("/me")]
pub async fn update_me(
    auth: Authorized<AnyRole>,
    body: JsonBody<MePatch>,
    db: web::Data<Db>,
) -> Result<web::Json<User>, ApiError> {
    if auth.kind != SubjectKind::User {
        return Err(ApiError::Forbidden(Text::fixed(
            "Tài khoản tích hợp không có thiết lập thông báo",
            "a service account has no notification settings",
        )));
    }
    let patch = body.into_inner();
    let id = auth.id.clone();
    let row = db
        .write(move |conn| {
            let mut row = users::find(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::USER))?;
            if let Some(notify) = patch.notify {
                row.notify = notify;
            }
            if let Some(language) = patch.language {
                row.language = Language::from(language).as_str().to_owned();
            }
            row.updated_at = clock::to_db(clock::now());
            users::update(conn, &row)?;
            Ok(row)
        })
        .await?;
    Ok(web::Json(User::try_from(row)?))
}
