use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use validator::Validate;

use super::model::{NewUser, User, UserPatch, UserQuery, UserRow};
use super::service::{self, check_agency, visible};
use super::store::{self, ListFilter};
use crate::audit::{self, Action, SubjectType, Witness};
use crate::auth::caller::{AdminOnly, Authorized, Staff};
use crate::auth::password;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::auth::store::revoke_all_for_user;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::{Text, nouns};

pub(super) fn load_visible(conn: &mut DbConnection, scope: &Scope, id: &str) -> Result<UserRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::USER))?;
    if visible(conn, scope, &row)? { Ok(row) } else { Err(ApiError::not_found(nouns::USER)) }
}

fn respond(builder: &mut actix_web::HttpResponseBuilder, user: &User) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(&user.id, user.updated_at))).json(user)
}

/// List the accounts in the caller's scope, ordered by username.
///
/// Staff only (admins, leaders, officers; service accounts and citizens get 403): the accounts of
/// the caller's agency and those below it, every account for a system administrator. Filter by
/// `agency_id`, `role` and `active`.
#[utoipa::path(
    operation_id = "users_list",
    tag = "users",
    params(UserQuery),
    responses(
        (status = 200, description = "A page of accounts, ordered by username", body = Page<User>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    auth: Authorized<Staff>,
    query: QueryParams<UserQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<User>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_cursor(query.cursor.as_deref())?;
    let scope = auth.scope();
    let filter =
        ListFilter { agency_id: query.agency_id, role: query.role.map(Role::as_str), active: query.active };
    let rows =
        db.run(move |conn| Ok(store::list(conn, &scope, &filter, after.as_deref(), limit + 1)?)).await?;
    let page = pagination::page(rows, limit, |row| row.username.clone(), |row| row);
    let items = page.items.into_iter().map(User::try_from).collect::<anyhow::Result<_>>()?;
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}

/// Read one account.
///
/// Staff only, for an account of an agency in their scope: an officer sees those of their own
/// agency, an admin or leader also those below it. Others answer 404, as a missing account does.
#[utoipa::path(
    operation_id = "users_get",
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The account", body = User, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
pub async fn get_user(
    auth: Authorized<Staff>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.scope();
    let row = db.run(move |conn| load_visible(conn, &scope, &id)).await?;
    Ok(respond(&mut HttpResponse::Ok(), &User::try_from(row)?))
}

/// Create a staff or citizen account (admins, within their scope).
///
/// Administrators only. Leaders, officers and integration accounts need an agency in the caller's
/// scope (422 on `agency_id` otherwise); an administrator without an agency only a system
/// administrator creates (403). A taken username answers 409. The password is hashed at once and
/// never shown again.
#[utoipa::path(
    operation_id = "users_create",
    tag = "users",
    request_body = NewUser,
    responses((status = 201, description = "The account, created; `Location` is its URL", body = User, headers(("Location" = String), ("ETag" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/users")]
pub async fn create_user(
    auth: Authorized<AdminOnly>,
    body: JsonBody<NewUser>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let registration = web::block(move || service::prepare(body.into_inner()))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let scope = auth.scope();
    let created = witness.by(&auth, Action::UserCreated);
    let row = db
        .write(move |conn| {
            let row = service::register(conn, &scope, registration)?;
            let event = created
                .about(SubjectType::User, &row.id)
                .in_agency(row.agency_id.clone())
                .with(serde_json::json!({"role": row.role, "agency_id": row.agency_id}));
            audit::record(conn, event)?;
            Ok(row)
        })
        .await?;
    let user = User::try_from(row)?;
    tracing::info!(user_id = %user.id, role = %user.role, by = %auth.id, "user created");
    Ok(respond(
        HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id))),
        &user,
    ))
}

/// Change an account: name, role, agency, active flag or password.
///
/// Administrators only, for an account in their scope (404 otherwise), with `If-Match` (412 when it
/// changed since). Deactivating the account or changing its password ends its sessions at once: its
/// refresh tokens and its access tokens.
#[utoipa::path(
    operation_id = "users_update",
    tag = "users",
    params(
        ("id" = String, Path, description = "User id"),
        IfMatch,
    ),
    request_body = UserPatch,
    responses((status = 200, description = "The account, changed", body = User, headers(("ETag" = String))), r::UpdateProblems),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    auth: Authorized<AdminOnly>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<UserPatch>,
    db: web::Data<Db>,
    accounts: web::Data<crate::auth::accounts::AccountStates>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let mut patch = body.into_inner();
    patch.validate()?;
    let new_hash = match patch.password.take() {
        Some(p) => {
            Some(web::block(move || password::hash(&p)).await.map_err(|e| ApiError::Internal(e.into()))??)
        }
        None => None,
    };
    let scope = auth.scope();
    let caller_id = auth.id.clone();
    let by = auth.id.clone();
    let id = id.into_inner();
    let event = move |action| witness.by(&auth, action);
    let row = db
        .write(move |conn| {
            let mut row = load_visible(conn, &scope, &id)?;
            let before = row.clone();
            if_match.check(&etag(&row.id, clock::from_db(row.updated_at)))?;
            let role = patch.role.unwrap_or(row.role()?);
            // An admin who narrows its own rights may leave nobody able to undo it.
            let moving_self = patch.agency_id.as_ref().is_some_and(|a| Some(a) != row.agency_id.as_ref());
            let demoting_self =
                row.id == caller_id && (role != Role::Admin || patch.active == Some(false) || moving_self);
            if demoting_self {
                return Err(ApiError::conflict(Text::fixed(
                    "Bạn không thể tự khóa tài khoản của mình, tự bỏ quyền quản trị hay tự chuyển sang cơ quan khác: hãy nhờ một quản trị viên khác",
                    "you cannot deactivate yourself, give up your own admin role or move yourself to another agency: ask another administrator",
                )));
            }
            let agency_id = patch.agency_id.or(row.agency_id.take());
            check_agency(conn, &scope, role, agency_id.as_deref())?;
            let now = clock::to_db(clock::now());
            let password_changed = new_hash.is_some();
            let revoke = patch.active == Some(false) || password_changed;
            row.role = role.as_str().to_owned();
            row.agency_id = agency_id;
            if let Some(name) = patch.full_name {
                row.full_name = name.trim().to_owned();
            }
            if let Some(active) = patch.active {
                row.active = active;
            }
            if let Some(hash) = new_hash {
                row.password_hash = hash;
            }
            row.updated_at = now;
            store::update(conn, &row)?;
            if revoke {
                revoke_all_for_user(conn, &row.id, now)?;
            }
            for (action, details) in service::audited_changes(&before, &row, password_changed) {
                let about = event(action).about(SubjectType::User, &row.id).in_agency(row.agency_id.clone());
                audit::record(conn, about.with(details))?;
            }
            Ok(row)
        })
        .await?;
    accounts.forget(&row.id);
    let user = User::try_from(row)?;
    tracing::info!(user_id = %user.id, by = %by, "user updated");
    Ok(respond(&mut HttpResponse::Ok(), &user))
}
