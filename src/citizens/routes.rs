//! `/api/v1/citizens`: a citizen's own account, without an administrator. Anonymous by nature;
//! every answer that sends a code is the same whether or not an account exists.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, post, web};
use validator::Validate;

use super::codes::{self, CodeKeys, Purpose};
use super::limits::CodeLimits;
use super::model::{CodeProof, CodeSent, Destination, NewCitizen, ResetConfirm, ResetRequest};
use super::service::{self, Pending};
use crate::audit::{self, Action, Actor, ActorKind, Event, SubjectType};
use crate::auth::accounts::AccountStates;
use crate::auth::password;
use crate::auth::role::Role;
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::responses as r;
use crate::i18n::Text;
use crate::users::model::User;

const WRONG_CODE: Text = Text::fixed(
    "Mã xác thực không đúng hoặc đã hết hạn; hãy yêu cầu mã mới",
    "the code is wrong or has expired; ask for a new one",
);

/// The citizen whose code proved them: the actor of their own registration or reset.
fn citizen(id: &str) -> Actor {
    Actor { kind: ActorKind::User, id: Some(id.to_owned()), name: None, role: Some(Role::Citizen) }
}

fn code_sent(destination: &Destination) -> HttpResponse {
    HttpResponse::build(StatusCode::ACCEPTED)
        .json(CodeSent { sent_to: destination.masked(), expires_in_secs: codes::VALID_MINUTES * 60 })
}

/// Argon2 is slow by design: off the event loop.
async fn hash_password(password: String) -> Result<String, ApiError> {
    Ok(web::block(move || password::hash(&password)).await.map_err(|e| ApiError::Internal(e.into()))??)
}

/// Register as a citizen.
///
/// A six-digit code goes to the phone (when given, otherwise to the email address); the account
/// exists once `POST /citizens/verify` gets the code, within 10 minutes and 5 tries. The answer
/// is the same when the phone or address already has an account: its owner is told instead.
/// Codes are limited per phone or address and per client address (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "citizens_register",
    tag = "citizens",
    request_body = NewCitizen,
    responses((status = 202, description = "Accepted: a code was sent if the phone or address may register", body = CodeSent), r::CodeProblems),
    security()
)]
#[post("/citizens")]
pub async fn register(
    req: HttpRequest,
    body: JsonBody<NewCitizen>,
    db: web::Data<Db>,
    keys: web::Data<CodeKeys>,
    limits: web::Data<CodeLimits>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner();
    new.validate()?;
    let destination = Destination::of(new.phone.as_deref(), new.email.as_deref())?;
    limits.send(Purpose::Register, destination.as_str(), crate::http::client::of(&req))?;
    let pending = Pending {
        full_name: new.full_name.trim().to_owned(),
        phone: new.phone.as_deref().map(crate::contact::normalize_phone),
        email: new.email.as_deref().map(crate::contact::normalize_email),
        password_hash: hash_password(new.password).await?,
        language: crate::notifications::texts::Language::from(new.language).as_str().to_owned(),
    };
    let to = destination.clone();
    db.write(move |conn| service::register(conn, &keys, &to, pending, clock::now())).await?;
    Ok(code_sent(&destination))
}

/// Activate a registration with the code received.
///
/// Then sign in on `POST /auth/token` with the phone or the email address as `username`.
/// A wrong, spent or expired code answers 422 naming `code`.
#[utoipa::path(
    operation_id = "citizens_verify",
    tag = "citizens",
    request_body = CodeProof,
    responses(
        (status = 201, description = "The account, active", body = User, headers(("Location" = String))),
        r::CodeProblems
    ),
    security()
)]
#[post("/citizens/verify")]
pub async fn verify(
    req: HttpRequest,
    body: JsonBody<CodeProof>,
    db: web::Data<Db>,
    keys: web::Data<CodeKeys>,
    limits: web::Data<CodeLimits>,
) -> Result<HttpResponse, ApiError> {
    let proof = body.into_inner();
    proof.validate()?;
    let destination = Destination::of(proof.phone.as_deref(), proof.email.as_deref())?;
    let address = crate::http::client::of(&req);
    limits.check_try(address)?;
    let code = proof.code;
    let created = db
        .write(move |conn| {
            let created = service::verify(conn, &keys, &destination, &code, clock::now())?;
            if let Some(row) = &created {
                // The new account made itself: it is the actor.
                let event = Event::new(Action::UserCreated, citizen(&row.id), address)
                    .about(SubjectType::User, &row.id)
                    .with(serde_json::json!({"role": row.role, "self_registered": true}));
                audit::record(conn, event)?;
            }
            Ok(created)
        })
        .await?;
    let Some(row) = created else {
        limits.wrong_try(address);
        return Err(ApiError::invalid_field("code", WRONG_CODE));
    };
    let user = User::try_from(row)?;
    tracing::info!(user_id = %user.id, "citizen account verified");
    Ok(HttpResponse::Created().insert_header((header::LOCATION, "/api/v1/me")).json(user))
}

/// Ask for a code to reset a forgotten password.
///
/// The same answer whether or not a citizen account has this phone or address; the code goes
/// only to an account's own contact.
#[utoipa::path(
    operation_id = "citizens_request_password_reset",
    tag = "citizens",
    request_body = ResetRequest,
    responses((status = 202, description = "Accepted: a code was sent if an account has this phone or address", body = CodeSent), r::CodeProblems),
    security()
)]
#[post("/citizens/password-reset")]
pub async fn request_reset(
    req: HttpRequest,
    body: JsonBody<ResetRequest>,
    db: web::Data<Db>,
    keys: web::Data<CodeKeys>,
    limits: web::Data<CodeLimits>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    request.validate()?;
    let destination = Destination::of(request.phone.as_deref(), request.email.as_deref())?;
    limits.send(Purpose::Reset, destination.as_str(), crate::http::client::of(&req))?;
    let to = destination.clone();
    db.write(move |conn| service::request_reset(conn, &keys, &to, clock::now())).await?;
    Ok(code_sent(&destination))
}

/// Set a new password with the code received.
///
/// Every session of the account ends at once, its access tokens included.
#[utoipa::path(
    operation_id = "citizens_confirm_password_reset",
    tag = "citizens",
    request_body = ResetConfirm,
    responses((status = 204, description = "The password is changed; sign in with it"), r::CodeProblems),
    security()
)]
#[post("/citizens/password-reset/confirm")]
pub async fn confirm_reset(
    req: HttpRequest,
    body: JsonBody<ResetConfirm>,
    db: web::Data<Db>,
    keys: web::Data<CodeKeys>,
    limits: web::Data<CodeLimits>,
    accounts: web::Data<AccountStates>,
) -> Result<HttpResponse, ApiError> {
    let confirm = body.into_inner();
    confirm.validate()?;
    let destination = Destination::of(confirm.phone.as_deref(), confirm.email.as_deref())?;
    let address = crate::http::client::of(&req);
    limits.check_try(address)?;
    let password_hash = hash_password(confirm.password).await?;
    let code = confirm.code;
    let reset = db
        .write(move |conn| {
            let reset =
                service::confirm_reset(conn, &keys, &destination, &code, password_hash, clock::now())?;
            if let Some(user_id) = &reset {
                let event = Event::new(Action::PasswordChanged, citizen(user_id), address)
                    .about(SubjectType::User, user_id)
                    .with(serde_json::json!({"by": "reset_code"}));
                audit::record(conn, event)?;
            }
            Ok(reset)
        })
        .await?;
    let Some(user_id) = reset else {
        limits.wrong_try(address);
        return Err(ApiError::invalid_field("code", WRONG_CODE));
    };
    // The cached state still lists the ended sessions: their access tokens would live on.
    accounts.forget(&user_id);
    tracing::info!(user_id = %user_id, "citizen password reset");
    Ok(HttpResponse::NoContent().finish())
}
