//! `POST /auth/token` (password, refresh_token and client_credentials grants), `POST
//! /auth/logout`, `GET /me`.

use std::net::IpAddr;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Duration as ChronoDuration;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{AnyRole, Authorized};
use super::password;
use super::role::Role;
use super::store::{self, RefreshTokenRow};
use super::throttle::LoginThrottle;
use super::tokens::{Subject, SubjectKind, TokenKeys, hash_token, random_secret};
use crate::agencies::model::Agency;
use crate::agencies::store as agencies;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::responses as r;
use crate::i18n::Text;
use crate::service_accounts::store as service_accounts;
use crate::users::model::{UserRow, normalize_username};
use crate::users::store as users;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    /// `username` and `password` (the default when `grant_type` is absent).
    #[default]
    Password,
    /// `refresh_token`: spends it and returns a new pair.
    RefreshToken,
    /// `client_id` and `client_secret` of a service account.
    ClientCredentials,
}

/// One body for the three grants; which fields are required depends on `grant_type`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "mật-khẩu-dài-đủ"}))]
pub struct TokenRequest {
    #[serde(default)]
    pub grant_type: GrantType,
    pub username: Option<String>,
    #[schema(format = Password)]
    pub password: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    #[schema(format = Password)]
    pub client_secret: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// For people's accounts: exchange it for a new pair with the `refresh_token` grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
}

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

fn required(value: Option<String>, field: &str) -> Result<String, ApiError> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        ApiError::invalid_field(
            field,
            Text::fixed("Bắt buộc với grant_type này", "required for this grant_type"),
        )
    })
}

const BAD_LOGIN: Text = Text::fixed("Tên đăng nhập hoặc mật khẩu không đúng", "invalid username or password");

fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}

/// Get tokens.
///
/// `{"username", "password"}` (the password grant), `{"grant_type": "refresh_token",
/// "refresh_token"}`, or `{"grant_type": "client_credentials", "client_id", "client_secret"}`.
/// Repeated failures for a username or from an address answer 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, examples(
        ("password" = (summary = "A person signs in", value = json!({"username": "admin", "password": "mật-khẩu-dài-đủ"}))),
        ("refresh_token" = (summary = "Exchange a refresh token for a new pair", value = json!({
            "grant_type": "refresh_token", "refresh_token": "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"
        }))),
        ("client_credentials" = (summary = "A portal adapter's service account", value = json!({
            "grant_type": "client_credentials", "client_id": "svc_8c1e0b5f2d6a4f0e9b7c3a1d5e2f4a6b",
            "client_secret": "the-secret-shown-once-at-creation"
        }))),
    )),
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
        (status = 429, response = r::TooManyRequests),
    ),
    security()
)]
#[post("/auth/token")]
pub async fn issue_token(
    req: HttpRequest,
    body: JsonBody<TokenRequest>,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    throttle: web::Data<LoginThrottle>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    let address = client_address(&req);
    let response = match body.grant_type {
        GrantType::Password => {
            let username = normalize_username(&required(body.username, "username")?);
            let password = required(body.password, "password")?;
            password_grant(username, password, address, db, keys, throttle).await?
        }
        GrantType::RefreshToken => {
            refresh_grant(required(body.refresh_token, "refresh_token")?, db, keys).await?
        }
        GrantType::ClientCredentials => {
            let client_id = required(body.client_id, "client_id")?;
            let secret = required(body.client_secret, "client_secret")?;
            client_credentials_grant(client_id, secret, address, db, keys, throttle).await?
        }
    };
    Ok(web::Json(response))
}

fn refused(throttle: &LoginThrottle, key: &str, address: Option<IpAddr>, outcome: &str) -> ApiError {
    throttle.record_failure(key, address);
    tracing::warn!(username = %key, address = ?address, outcome, "login refused");
    ApiError::Unauthorized(BAD_LOGIN)
}

fn check_throttle(throttle: &LoginThrottle, key: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
    match throttle.check(key, address) {
        Some(wait) => {
            tracing::warn!(username = %key, address = ?address, outcome = "throttled", "login refused");
            Err(ApiError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) })
        }
        None => Ok(()),
    }
}

async fn password_grant(
    username: String,
    password: String,
    address: Option<IpAddr>,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    throttle: web::Data<LoginThrottle>,
) -> Result<TokenResponse, ApiError> {
    check_throttle(&throttle, &username, address)?;
    let lookup = username.clone();
    let user = db.run(move |conn| Ok(users::find_by_username(conn, &lookup)?)).await?;
    let verified = web::block(move || match &user {
        Some(u) if password::verify(&password, &u.password_hash) => user,
        Some(_) => None,
        None => {
            password::burn_verification_time(&password);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let Some(user) = verified else {
        return Err(refused(&throttle, &username, address, "bad_credentials"));
    };
    if !user.active {
        return Err(refused(&throttle, &username, address, "inactive"));
    }
    let ttl = keys.refresh_ttl;
    let (user, refresh) = db
        .write(move |conn| {
            let refresh = new_refresh_token(conn, &user.id, &Uuid::new_v4().to_string(), ttl)?;
            Ok((user, refresh))
        })
        .await?;
    tracing::info!(username = %user.username, address = ?address, outcome = "success", "login");
    issue_for_user(&keys, &user, Some(refresh))
}

fn new_refresh_token(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    ttl: std::time::Duration,
) -> Result<String, ApiError> {
    let token = random_secret();
    let now = clock::now();
    let ttl = ChronoDuration::from_std(ttl).map_err(anyhow::Error::from)?;
    store::insert_refresh(
        conn,
        &RefreshTokenRow {
            id: Uuid::new_v4().to_string(),
            family_id: family_id.to_owned(),
            user_id: user_id.to_owned(),
            token_hash: hash_token(&token),
            issued_at: clock::to_db(now),
            expires_at: clock::to_db(now + ttl),
            used_at: None,
            revoked_at: None,
        },
    )?;
    Ok(token)
}

fn issue_for_user(
    keys: &TokenKeys,
    user: &UserRow,
    refresh: Option<String>,
) -> Result<TokenResponse, ApiError> {
    let subject = Subject {
        id: user.id.clone(),
        kind: SubjectKind::User,
        role: user.role()?,
        agency_id: user.agency_id.clone(),
        agencies: Vec::new(),
    };
    Ok(TokenResponse {
        access_token: keys.issue(&subject, clock::now())?,
        token_type: "Bearer",
        expires_in: keys.access_ttl.as_secs(),
        refresh_token: refresh,
    })
}

enum Refresh {
    Issued(UserRow, String),
    /// A spent token came back: its family has been revoked.
    Reused,
    Invalid(Text),
}

async fn refresh_grant(
    token: String,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
) -> Result<TokenResponse, ApiError> {
    let ttl = keys.refresh_ttl;
    // The revocation of a reused family must commit, so the transaction returns Ok(Reused)
    // and the 401 is made outside it.
    let outcome = db
        .write(move |conn| {
            let now = clock::now();
            let Some(row) = store::find_refresh(conn, &hash_token(&token))? else {
                return Ok(Refresh::Invalid(Text::fixed(
                    "Refresh token không tồn tại",
                    "unknown refresh token",
                )));
            };
            if row.revoked_at.is_some() {
                return Ok(Refresh::Invalid(Text::fixed(
                    "Refresh token đã bị thu hồi",
                    "the refresh token has been revoked",
                )));
            }
            if clock::from_db(row.expires_at) <= now {
                return Ok(Refresh::Invalid(Text::fixed(
                    "Refresh token đã hết hạn",
                    "the refresh token has expired",
                )));
            }
            if row.used_at.is_some() || !store::spend_refresh(conn, &row.id, clock::to_db(now))? {
                store::revoke_family(conn, &row.family_id, clock::to_db(now))?;
                return Ok(Refresh::Reused);
            }
            let user = match users::find(conn, &row.user_id)? {
                Some(user) if user.active => user,
                _ => {
                    return Ok(Refresh::Invalid(Text::fixed(
                        "Tài khoản đã bị khóa",
                        "the account is inactive",
                    )));
                }
            };
            let next = new_refresh_token(conn, &user.id, &row.family_id, ttl)?;
            Ok(Refresh::Issued(user, next))
        })
        .await?;
    match outcome {
        Refresh::Issued(user, next) => issue_for_user(&keys, &user, Some(next)),
        Refresh::Reused => {
            tracing::warn!("a spent refresh token was presented again; its family is revoked");
            Err(ApiError::Unauthorized(Text::fixed(
                "Refresh token này đã được dùng; hãy đăng nhập lại",
                "the refresh token was already used; sign in again",
            )))
        }
        Refresh::Invalid(why) => Err(ApiError::Unauthorized(why)),
    }
}

async fn client_credentials_grant(
    client_id: String,
    secret: String,
    address: Option<IpAddr>,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    throttle: web::Data<LoginThrottle>,
) -> Result<TokenResponse, ApiError> {
    check_throttle(&throttle, &client_id, address)?;
    let lookup = client_id.clone();
    let found = db
        .run(move |conn| {
            let Some(account) = service_accounts::find_by_client_id(conn, &lookup)? else {
                return Ok(None);
            };
            let agencies = service_accounts::agencies_of(conn, &account.id)?;
            Ok(Some((account, agencies)))
        })
        .await?;
    let verified = web::block(move || match found {
        Some((account, agencies)) if password::verify(&secret, &account.secret_hash) => {
            Some((account, agencies))
        }
        Some(_) => None,
        None => {
            password::burn_verification_time(&secret);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let Some((account, agencies)) = verified else {
        return Err(refused(&throttle, &client_id, address, "bad_client_credentials"));
    };
    if !account.active {
        return Err(refused(&throttle, &client_id, address, "inactive"));
    }
    tracing::info!(client_id = %client_id, address = ?address, outcome = "success", "service login");
    let subject = Subject {
        id: account.id,
        kind: SubjectKind::Service,
        role: Role::Integration,
        agency_id: None,
        agencies: agencies.into_iter().map(|(id, _)| id).collect(),
    };
    Ok(TokenResponse {
        access_token: keys.issue(&subject, clock::now())?,
        token_type: "Bearer",
        expires_in: keys.access_ttl.as_secs(),
        refresh_token: None,
    })
}

/// Sign out: revoke the refresh token (and every token rotated from the same login).
#[utoipa::path(
    tag = "auth",
    request_body(content = LogoutRequest, example = json!({
        "refresh_token": "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"
    })),
    responses(
        (status = 204, description = "Revoked (also when the token was unknown or already revoked)"),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
    ),
    security(("bearer" = []))
)]
#[post("/auth/logout")]
pub async fn logout(
    auth: Authorized<AnyRole>,
    body: JsonBody<LogoutRequest>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let token_hash = hash_token(&body.refresh_token);
    let caller_id = auth.id.clone();
    db.write(move |conn| {
        // Only the owner's own tokens: anything else is silently ignored, so the endpoint
        // says nothing about other people's tokens.
        if let Some(row) = store::find_refresh(conn, &token_hash)?
            && row.user_id == caller_id
        {
            store::revoke_family(conn, &row.family_id, clock::to_db(clock::now()))?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
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
                    let user = users::find(conn, &caller.id)?.ok_or_else(gone)?;
                    (user.username, user.full_name, "user")
                }
                SubjectKind::Service => {
                    let account = service_accounts::find(conn, &caller.id)?.ok_or_else(gone)?;
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
