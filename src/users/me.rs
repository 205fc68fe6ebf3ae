//! `GET /me`: the caller's own account, role and agency.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

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
#[utoipa::path(
    tag = "auth",
    responses((status = 200, body = Me), (status = 401, response = r::Unauthorized)),
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
