use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;
use validator::Validate;

use super::model::{
    NewServiceAccount, ServiceAccount, ServiceAccountPatch, ServiceAccountRow, ServiceAccountWithSecret,
};
use super::store;
use crate::agencies::store as agencies;
use crate::audit::{self, Action, Event, SubjectType, Witness};
use crate::auth::caller::{AdminOnly, Authorized};
use crate::auth::password;
use crate::auth::scope::Scope;
use crate::auth::tokens::random_secret;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, FieldError};
use crate::http::etag::{IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, Page, PageQuery};
use crate::http::responses as r;
use crate::i18n::{common, nouns};

fn in_scope(scope: &Scope, bound: &[(String, String)]) -> bool {
    !bound.is_empty() && bound.iter().all(|(id, path)| scope.contains(id, path))
}

/// An audit event about a service account, for the administrators of the first agency it is
/// bound to (an administrator who sees the account sees every agency it is bound to).
fn about(event: Event, account_id: &str, agency_ids: &[String]) -> Event {
    event.about(SubjectType::ServiceAccount, account_id).in_agency(agency_ids.first().cloned())
}

/// The grant of personal data given or withdrawn: its own action, and the flag as it now stands.
fn grant_event(event: Event, account_id: &str, agency_ids: &[String]) -> Event {
    let granted = event.action == Action::ServiceAccountPersonalDataGranted;
    about(event, account_id, agency_ids).with(serde_json::json!({"personal_data": granted}))
}

fn ids(bound: &[(String, String)]) -> Vec<String> {
    bound.iter().map(|(id, _)| id.clone()).collect()
}

fn load_visible(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<(ServiceAccountRow, Vec<String>), ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::SERVICE_ACCOUNT))?;
    let bound = store::agencies_of(conn, &row.id)?;
    if in_scope(scope, &bound) {
        Ok((row, ids(&bound)))
    } else {
        Err(ApiError::not_found(nouns::SERVICE_ACCOUNT))
    }
}

/// Every requested agency must exist in the caller's scope; duplicates are dropped.
fn check_agencies(
    conn: &mut DbConnection,
    scope: &Scope,
    requested: &[String],
) -> Result<Vec<String>, ApiError> {
    let mut errors = Vec::new();
    let mut unique: Vec<String> = Vec::new();
    for (i, id) in requested.iter().enumerate() {
        match agencies::find(conn, id)? {
            Some(a) if scope.contains(&a.id, &a.path) => {
                if !unique.contains(&a.id) {
                    unique.push(a.id);
                }
            }
            _ => errors.push(FieldError::new(format!("agency_ids[{i}]"), common::NO_AGENCY_IN_SCOPE)),
        }
    }
    if errors.is_empty() { Ok(unique) } else { Err(ApiError::Validation(errors)) }
}

async fn hash_secret(secret: String) -> Result<String, ApiError> {
    web::block(move || password::hash(&secret))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(ApiError::from)
}

fn with_etag(
    builder: &mut actix_web::HttpResponseBuilder,
    account: &ServiceAccount,
    body: &impl serde::Serialize,
) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(&account.id, account.updated_at))).json(body)
}

/// Create a service account bound to agencies; the response carries the secret, once.
///
/// Administrators only, for agencies all in their scope (422 on `agency_ids` otherwise).
/// `personal_data` (default false) grants it the applicants' identity numbers and contacts; the
/// grant is recorded in the audit trail. No `Idempotency-Key` here: keeping the first response
/// for a repeat would keep the secret in clear text beside the accounts' hashes. A client that
/// lost the answer lists the accounts by name and rotates the secret
/// (`POST /service-accounts/{id}/secret`).
#[utoipa::path(
    operation_id = "service_accounts_create",
    tag = "service-accounts",
    request_body = NewServiceAccount,
    responses((status = 201, description = "The account with its client secret, shown this once; `Location` is its URL", body = ServiceAccountWithSecret, headers(("Location" = String), ("ETag" = String))), r::WriteProblems),
    security(("bearer" = []))
)]
#[post("/service-accounts")]
pub async fn create_service_account(
    auth: Authorized<AdminOnly>,
    body: JsonBody<NewServiceAccount>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let secret = random_secret();
    let secret_hash = hash_secret(secret.clone()).await?;
    let scope = auth.scope();
    let issued = witness.by(&auth, Action::ServiceAccountSecretIssued);
    let granted = witness.by(&auth, Action::ServiceAccountPersonalDataGranted);
    let account = db
        .write(move |conn| {
            let agency_ids = check_agencies(conn, &scope, &body.agency_ids)?;
            let now = clock::to_db(clock::now());
            let row = ServiceAccountRow {
                id: Uuid::new_v4().to_string(),
                client_id: format!("svc_{}", Uuid::new_v4().simple()),
                name: body.name.trim().to_owned(),
                secret_hash,
                active: true,
                created_at: now,
                updated_at: now,
                personal_data: body.personal_data,
            };
            store::insert(conn, &row)?;
            store::bind(conn, &row.id, &agency_ids)?;
            let details = serde_json::json!({"created": true, "agency_ids": agency_ids});
            audit::record(conn, about(issued, &row.id, &agency_ids).with(details))?;
            if row.personal_data {
                audit::record(conn, grant_event(granted, &row.id, &agency_ids))?;
            }
            Ok(ServiceAccount::from_row(row, agency_ids))
        })
        .await?;
    tracing::info!(service_account = %account.id, by = %auth.id, "service account created");
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/service-accounts/{}", account.id)))
        .insert_header((header::ETAG, etag(&account.id, account.updated_at)))
        .json(ServiceAccountWithSecret { account, client_secret: secret }))
}

/// The (name, id) position inside a cursor of the service-account list; a 400 naming `cursor`.
fn decode_name_position(cursor: Option<&str>) -> Result<Option<(String, String)>, ApiError> {
    match pagination::decode_cursor(cursor)? {
        None => Ok(None),
        // Ids hold no `|`; names may.
        Some(key) => key
            .rsplit_once('|')
            .map(|(name, id)| Some((name.to_owned(), id.to_owned())))
            .ok_or_else(|| pagination::not_a_cursor("cursor")),
    }
}

/// List the service accounts whose agencies all lie in the caller's scope, by name.
///
/// Administrators only. Secrets are never listed.
#[utoipa::path(
    operation_id = "service_accounts_list",
    tag = "service-accounts",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of service accounts, by name", body = Page<ServiceAccount>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/service-accounts")]
pub async fn list_service_accounts(
    auth: Authorized<AdminOnly>,
    query: QueryParams<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<ServiceAccount>>, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after = decode_name_position(query.cursor.as_deref())?;
    let scope = auth.scope();
    // Scope is checked on the bound agencies, after the query: accounts are few, so the rows
    // after the cursor are read whole and the page cut from those the caller may see.
    let visible = db
        .run(move |conn| {
            let mut bound = store::agencies_by_account(conn)?;
            Ok(store::all(conn, after)?
                .into_iter()
                .filter_map(|row| {
                    let agencies = bound.remove(&row.id).unwrap_or_default();
                    in_scope(&scope, &agencies).then_some((row, agencies))
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let page = pagination::page(
        visible,
        limit,
        |(row, _)| format!("{}|{}", row.name, row.id),
        |(row, agencies)| ServiceAccount::from_row(row, ids(&agencies)),
    );
    Ok(web::Json(page))
}

/// Read one service account (never its secret).
///
/// Administrators only, for an account whose agencies all lie in their scope (404 otherwise).
#[utoipa::path(
    operation_id = "service_accounts_get",
    tag = "service-accounts",
    params(("id" = String, Path, description = "Service account id")),
    responses(
        (status = 200, description = "The service account", body = ServiceAccount, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/service-accounts/{id}")]
pub async fn get_service_account(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.scope();
    let (row, agency_ids) = db.run(move |conn| load_visible(conn, &scope, &id)).await?;
    let account = ServiceAccount::from_row(row, agency_ids);
    Ok(with_etag(&mut HttpResponse::Ok(), &account, &account))
}

/// Rename, deactivate or re-bind a service account, or grant or withdraw its `personal_data`.
///
/// Administrators only, for an account whose agencies all lie in their scope (404 otherwise), and
/// new agencies in it too (422); `If-Match` guards against lost updates (412). Deactivating it ends
/// its tokens at once; granting or withdrawing `personal_data` holds at once for the tokens it
/// already has, and is recorded in the audit trail under its own action.
#[utoipa::path(
    operation_id = "service_accounts_update",
    tag = "service-accounts",
    params(
        ("id" = String, Path, description = "Service account id"),
        IfMatch,
    ),
    request_body = ServiceAccountPatch,
    responses((status = 200, description = "The service account, changed", body = ServiceAccount, headers(("ETag" = String))), r::EditProblems),
    security(("bearer" = []))
)]
#[patch("/service-accounts/{id}")]
pub async fn update_service_account(
    auth: Authorized<AdminOnly>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<ServiceAccountPatch>,
    db: web::Data<Db>,
    accounts: web::Data<crate::auth::accounts::AccountStates>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner();
    patch.validate()?;
    let scope = auth.scope();
    let changed = witness.by(&auth, Action::ServiceAccountChanged);
    let granted = witness.by(&auth, Action::ServiceAccountPersonalDataGranted);
    let withdrawn = witness.by(&auth, Action::ServiceAccountPersonalDataWithdrawn);
    let account = db
        .write(move |conn| {
            let (mut row, mut agency_ids) = load_visible(conn, &scope, &id)?;
            let before = (row.active, agency_ids.clone(), row.personal_data);
            if_match.check(&etag(&row.id, clock::from_db(row.updated_at)))?;
            if let Some(requested) = &patch.agency_ids {
                agency_ids = check_agencies(conn, &scope, requested)?;
                store::bind(conn, &row.id, &agency_ids)?;
            }
            if let Some(name) = patch.name {
                row.name = name.trim().to_owned();
            }
            if let Some(active) = patch.active {
                row.active = active;
            }
            if let Some(personal_data) = patch.personal_data {
                row.personal_data = personal_data;
            }
            row.updated_at = clock::to_db(clock::now());
            store::update(conn, &row)?;
            // What it may reach and whether it may sign in; its name is not a security matter.
            let mut details = serde_json::Map::new();
            if before.0 != row.active {
                details.insert("active".into(), serde_json::json!({"from": before.0, "to": row.active}));
            }
            if before.1 != agency_ids {
                details.insert("agency_ids".into(), serde_json::json!({"from": before.1, "to": agency_ids}));
            }
            if !details.is_empty() {
                audit::record(conn, about(changed, &row.id, &agency_ids).with(details.into()))?;
            }
            // The grant of personal data has its own actions, so that the trail names it.
            if before.2 != row.personal_data {
                let event = if row.personal_data { granted } else { withdrawn };
                audit::record(conn, grant_event(event, &row.id, &agency_ids))?;
            }
            Ok(ServiceAccount::from_row(row, agency_ids))
        })
        .await?;
    accounts.forget(&account.id);
    tracing::info!(service_account = %account.id, by = %auth.id, "service account updated");
    Ok(with_etag(&mut HttpResponse::Ok(), &account, &account))
}

/// Replace the client secret; the old one stops working at once.
///
/// Administrators only, for an account whose agencies all lie in their scope (404 otherwise). The
/// new secret is shown once, in this answer.
#[utoipa::path(
    operation_id = "service_accounts_rotate_secret",
    tag = "service-accounts",
    params(("id" = String, Path, description = "Service account id")),
    responses(
        (status = 200, description = "The account with its new client secret, shown this once", body = ServiceAccountWithSecret),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[post("/service-accounts/{id}/secret")]
pub async fn rotate_service_account_secret(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<web::Json<ServiceAccountWithSecret>, ApiError> {
    let secret = random_secret();
    let secret_hash = hash_secret(secret.clone()).await?;
    let scope = auth.scope();
    let issued = witness.by(&auth, Action::ServiceAccountSecretIssued);
    let account = db
        .write(move |conn| {
            let (mut row, agency_ids) = load_visible(conn, &scope, &id)?;
            row.secret_hash = secret_hash;
            row.updated_at = clock::to_db(clock::now());
            store::update(conn, &row)?;
            audit::record(
                conn,
                about(issued, &row.id, &agency_ids).with(serde_json::json!({"created": false})),
            )?;
            Ok(ServiceAccount::from_row(row, agency_ids))
        })
        .await?;
    tracing::info!(service_account = %account.id, by = %auth.id, "service account secret rotated");
    Ok(web::Json(ServiceAccountWithSecret { account, client_secret: secret }))
}
