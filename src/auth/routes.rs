//! `POST /auth/token` (password, refresh_token and client_credentials grants) and `POST
//! /auth/logout`. The grants themselves are in `grants`.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::AccountStates;
use super::caller::{AnyRole, Authorized};
use super::directory::normalize_username;
use super::grants::{self, Issuer, TokenResponse};
use super::store;
use super::throttle::LoginThrottle;
use super::tokens::{TokenKeys, hash_token};
use crate::audit::{self, Action, SubjectType, Witness};
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::responses as r;
use crate::i18n::Text;

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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
}

fn required(value: Option<String>, field: &str) -> Result<String, ApiError> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        ApiError::invalid_field(
            field,
            Text::fixed("Bắt buộc với grant_type này", "required for this grant_type"),
        )
    })
}

/// Get tokens.
///
/// `{"username", "password"}` (the password grant), `{"grant_type": "refresh_token",
/// "refresh_token"}`, or `{"grant_type": "client_credentials", "client_id", "client_secret"}`.
/// Repeated failures for a username from one address, or from one address over many usernames,
/// answer 429 with `Retry-After`; a right password from an address with no failures is heard.
#[utoipa::path(
    operation_id = "auth_issue_token",
    tag = "auth",
    request_body(content = TokenRequest, examples(
        ("password" = (summary = "A person signs in (the demo's commune officer)", value = json!({"username": "cuong.tt", "password": "motcua-demo-2024"}))),
        ("refresh_token" = (summary = "Exchange a refresh token for a new pair", value = json!({
            "grant_type": "refresh_token", "refresh_token": "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"
        }))),
        ("client_credentials" = (summary = "A portal adapter's service account", value = json!({
            "grant_type": "client_credentials", "client_id": "svc_8c1e0b5f2d6a4f0e9b7c3a1d5e2f4a6b",
            "client_secret": "the-secret-shown-once-at-creation"
        }))),
    )),
    responses(
        (status = 200, description = "An access token (Bearer, short-lived) and a refresh token", body = TokenResponse),
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
    body: JsonBody<TokenRequest>,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    throttle: web::Data<LoginThrottle>,
    accounts: web::Data<AccountStates>,
    witness: Witness,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    let address = witness.address;
    let issuer = Issuer { db, keys, throttle, accounts, witness };
    let response = match body.grant_type {
        GrantType::Password => {
            let username = normalize_username(&required(body.username, "username")?);
            // One phone has many spellings (`+84 912…`, `0912.…`): the throttle counts them as one.
            let username = crate::contact::as_contact(&username).unwrap_or(username);
            let password = required(body.password, "password")?;
            grants::password_grant(username, password, address, &issuer).await?
        }
        GrantType::RefreshToken => {
            grants::refresh_grant(required(body.refresh_token, "refresh_token")?, &issuer).await?
        }
        GrantType::ClientCredentials => {
            let client_id = required(body.client_id, "client_id")?;
            let secret = required(body.client_secret, "client_secret")?;
            grants::client_credentials_grant(client_id, secret, address, &issuer).await?
        }
    };
    Ok(web::Json(response))
}

/// Sign out: end the refresh token's session, its access tokens included.
///
/// The refresh token, every token rotated from the same sign-in and the access tokens issued
/// with them stop working at once. Other sessions of the same account stay open.
#[utoipa::path(
    operation_id = "auth_logout",
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
    accounts: web::Data<AccountStates>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let token_hash = hash_token(&body.refresh_token);
    let caller_id = auth.id.clone();
    let logout = witness
        .by(&auth, Action::Logout)
        .about(SubjectType::User, &auth.id)
        .in_agency(auth.agency_id.clone());
    let ended = db
        .write(move |conn| {
            // Only the owner's own tokens: anything else is silently ignored, so the endpoint
            // says nothing about other people's tokens.
            match store::find_refresh(conn, &token_hash)? {
                Some(row) if row.user_id == caller_id => {
                    let ended = store::revoke_family(conn, &row.family_id, clock::to_db(clock::now()))? > 0;
                    if ended {
                        audit::record(conn, logout.with(serde_json::json!({"session": row.family_id})))?;
                    }
                    Ok(ended)
                }
                _ => Ok(false),
            }
        })
        .await?;
    if ended {
        // The cached state still lists the session: its access tokens would live on.
        accounts.forget(&auth.id);
    }
    Ok(HttpResponse::NoContent().finish())
}
