//! The three grants of `POST /auth/token`: a person's password, a refresh token, a service
//! account's client credentials.

use std::net::IpAddr;
use std::time::Instant;

use actix_web::web;
use chrono::Duration as ChronoDuration;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::accounts::AccountStates;
use super::directory::{self, Person, Service};
use super::password;
use super::role::Role;
use super::store::{self, RefreshTokenRow};
use super::throttle::LoginThrottle;
use super::tokens::{Subject, SubjectKind, TokenKeys, hash_token, random_secret};
use crate::audit::{self, Action, Actor, ActorKind, Event, SubjectType, Witness};
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::i18n::Text;

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

/// What the grants work with: the database, the signing keys, the sign-in throttle, the
/// account states that a revoked session must leave at once, and the audit trail with the
/// client's address.
pub(super) struct Issuer {
    pub db: web::Data<Db>,
    pub keys: web::Data<TokenKeys>,
    pub throttle: web::Data<LoginThrottle>,
    pub accounts: web::Data<AccountStates>,
    pub witness: Witness,
}

/// The account a refused sign-in named, when it exists: its kind, id and agency.
type Named = Option<(SubjectType, String, Option<String>)>;

/// Refuse a sign-in: counted by the throttle, logged, and written to the audit trail at once
/// (there is no transaction to join), under the name that was given. A trail that cannot be
/// written does not change the answer, which is a refusal either way.
async fn refuse(
    issuer: &Issuer,
    key: &str,
    named: Named,
    outcome: &'static str,
    grant: &'static str,
) -> ApiError {
    let error = refused(&issuer.throttle, key, issuer.witness.address, outcome);
    let mut event = issuer
        .witness
        .anonymous(Action::SignInRefused, Some(key.to_owned()))
        .with(serde_json::json!({"grant": grant, "reason": outcome}));
    if let Some((kind, id, agency)) = named {
        event = event.about(kind, id).in_agency(agency);
    }
    if let Err(e) = issuer.db.run(move |conn| Ok(audit::record(conn, event)?)).await {
        tracing::error!(error = %e, "a refused sign-in could not be written to the audit trail");
    }
    error
}

/// The grants as the audit trail names them.
const PASSWORD: &str = "password";
const CLIENT_CREDENTIALS: &str = "client_credentials";

/// A person's successful sign-in, as the audit trail records it.
fn signed_in(user: &Person, address: Option<IpAddr>, session: &str) -> Result<Event, ApiError> {
    let actor = Actor {
        kind: ActorKind::User,
        id: Some(user.id.clone()),
        name: Some(user.username.clone()),
        role: Some(user.role()?),
    };
    Ok(Event::new(Action::SignIn, actor, address)
        .about(SubjectType::User, &user.id)
        .in_agency(user.agency_id.clone())
        .with(serde_json::json!({"grant": PASSWORD, "session": session})))
}

const BAD_LOGIN: Text = Text::fixed("Tên đăng nhập hoặc mật khẩu không đúng", "invalid username or password");

fn refused(throttle: &LoginThrottle, key: &str, address: Option<IpAddr>, outcome: &str) -> ApiError {
    throttle.record_failure(key, address, Instant::now());
    // A citizen signs in with a phone or an address: the log shows it masked.
    tracing::warn!(username = ?crate::contact::masked(key), address = ?address, outcome, "login refused");
    ApiError::Unauthorized(BAD_LOGIN)
}

fn check_throttle(throttle: &LoginThrottle, key: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
    match throttle.check(key, address, Instant::now()) {
        Some(wait) => {
            tracing::warn!(username = ?crate::contact::masked(key), address = ?address, outcome = "throttled", "login refused");
            Err(super::throttle::too_many(wait))
        }
        None => Ok(()),
    }
}

pub(super) async fn password_grant(
    username: String,
    password: String,
    address: Option<IpAddr>,
    issuer: &Issuer,
) -> Result<TokenResponse, ApiError> {
    let Issuer { db, keys, throttle, .. } = issuer;
    check_throttle(throttle, &username, address)?;
    let lookup = username.clone();
    let user = db.run(move |conn| Ok(directory::find_person_by_login(conn, &lookup)?)).await?;
    let named = user.as_ref().map(|u| (SubjectType::User, u.id.clone(), u.agency_id.clone()));
    let verified = verify_secret(user, password, |user: &Person| &user.password_hash).await?;
    let Some(user) = verified else {
        return Err(refuse(issuer, &username, named, "bad_credentials", PASSWORD).await);
    };
    if !user.active {
        return Err(refuse(issuer, &username, named, "inactive", PASSWORD).await);
    }
    let ttl = keys.refresh_ttl;
    // A sign-in starts a session: a new family of refresh tokens, named in the access tokens.
    let session = Uuid::new_v4().to_string();
    let family = session.clone();
    let (user, refresh) = db
        .write(move |conn| {
            let refresh = new_refresh_token(conn, &user.id, &family, ttl)?;
            audit::record(conn, signed_in(&user, address, &family)?)?;
            Ok((user, refresh))
        })
        .await?;
    tracing::info!(username = ?crate::contact::masked(&user.username), address = ?address, outcome = "success", "login");
    issue_for_user(keys, &user, session, refresh)
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
    user: &Person,
    session: String,
    refresh: String,
) -> Result<TokenResponse, ApiError> {
    let subject = Subject {
        id: user.id.clone(),
        session: Some(session),
        kind: SubjectKind::User,
        role: user.role()?,
        agency_id: user.agency_id.clone(),
        agencies: Vec::new(),
    };
    token_response(keys, &subject, Some(refresh))
}

fn token_response(
    keys: &TokenKeys,
    subject: &Subject,
    refresh: Option<String>,
) -> Result<TokenResponse, ApiError> {
    Ok(TokenResponse {
        access_token: keys.issue(subject, clock::now())?,
        token_type: "Bearer",
        expires_in: keys.access_ttl.as_secs(),
        refresh_token: refresh,
    })
}

enum Refresh {
    /// The account, its session (the family) and the next refresh token.
    Issued(Person, String, String),
    /// A spent token came back: its family, a session of this user, has been revoked.
    Reused {
        user_id: String,
    },
    Invalid(Text),
}

pub(super) async fn refresh_grant(token: String, issuer: &Issuer) -> Result<TokenResponse, ApiError> {
    let Issuer { db, keys, accounts, .. } = issuer;
    let ttl = keys.refresh_ttl;
    let address = issuer.witness.address;
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
                // Whoever presented it is not known: the token may have been stolen.
                let agency = directory::find_person(conn, &row.user_id)?.and_then(|u| u.agency_id);
                let reuse = Event::new(Action::RefreshReuse, Actor::anonymous(None), address)
                    .about(SubjectType::User, &row.user_id)
                    .in_agency(agency)
                    .with(serde_json::json!({"session": row.family_id}));
                audit::record(conn, reuse)?;
                return Ok(Refresh::Reused { user_id: row.user_id });
            }
            let user = match directory::find_person(conn, &row.user_id)? {
                Some(user) if user.active => user,
                _ => {
                    return Ok(Refresh::Invalid(Text::fixed(
                        "Tài khoản đã bị khóa",
                        "the account is inactive",
                    )));
                }
            };
            let next = new_refresh_token(conn, &user.id, &row.family_id, ttl)?;
            Ok(Refresh::Issued(user, row.family_id, next))
        })
        .await?;
    match outcome {
        Refresh::Issued(user, session, next) => issue_for_user(keys, &user, session, next),
        Refresh::Reused { user_id } => {
            accounts.forget(&user_id);
            tracing::warn!("a spent refresh token was presented again; its family is revoked");
            Err(ApiError::Unauthorized(Text::fixed(
                "Refresh token này đã được dùng; hãy đăng nhập lại",
                "the refresh token was already used; sign in again",
            )))
        }
        Refresh::Invalid(why) => Err(ApiError::Unauthorized(why)),
    }
}

pub(super) async fn client_credentials_grant(
    client_id: String,
    secret: String,
    address: Option<IpAddr>,
    issuer: &Issuer,
) -> Result<TokenResponse, ApiError> {
    let Issuer { db, keys, throttle, .. } = issuer;
    check_throttle(throttle, &client_id, address)?;
    let lookup = client_id.clone();
    let found = db
        .run(move |conn| {
            let Some(account) = directory::find_service_by_client_id(conn, &lookup)? else {
                return Ok(None);
            };
            let agencies = directory::bound_agency_ids(conn, &account.id)?;
            Ok(Some((account, agencies)))
        })
        .await?;
    let named = found.as_ref().map(|(account, agencies)| {
        (SubjectType::ServiceAccount, account.id.clone(), agencies.first().cloned())
    });
    let verified = verify_secret(found, secret, |(account, _): &(Service, _)| &account.secret_hash).await?;
    let Some((account, agencies)) = verified else {
        return Err(refuse(issuer, &client_id, named, "bad_client_credentials", CLIENT_CREDENTIALS).await);
    };
    if !account.active {
        return Err(refuse(issuer, &client_id, named, "inactive", CLIENT_CREDENTIALS).await);
    }
    // No transaction to join (nothing else is written): the row is written on its own, and a
    // sign-in that cannot be recorded is not granted.
    let actor = Actor {
        kind: ActorKind::Service,
        id: Some(account.id.clone()),
        name: Some(account.client_id.clone()),
        role: Some(Role::Integration),
    };
    let event = Event::new(Action::SignIn, actor, address)
        .about(SubjectType::ServiceAccount, &account.id)
        .in_agency(agencies.first().cloned())
        .with(serde_json::json!({"grant": CLIENT_CREDENTIALS}));
    db.run(move |conn| Ok(audit::record(conn, event)?)).await?;
    tracing::info!(client_id = ?client_id, address = ?address, outcome = "success", "service login");
    let subject = Subject {
        id: account.id,
        session: None,
        kind: SubjectKind::Service,
        role: Role::Integration,
        agency_id: None,
        agencies,
    };
    token_response(keys, &subject, None)
}

/// Checks `secret` against the account's hash on the blocking pool. Without an account it spends
/// the time of a check all the same, so that the delay does not tell which names exist.
async fn verify_secret<T: Send + 'static>(
    found: Option<T>,
    secret: String,
    hash: fn(&T) -> &String,
) -> Result<Option<T>, ApiError> {
    web::block(move || match found {
        Some(account) if password::verify(&secret, hash(&account)) => Some(account),
        Some(_) => None,
        None => {
            password::burn_verification_time(&secret);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::auth::throttle::ThrottleConfig;

    /// The log lines written while `f` runs, as the text format writes them.
    fn logged(f: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        tracing::subscriber::with_default(subscriber, f);
        String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_refused_username_cannot_forge_a_log_line() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let forged = "x\n2026-11-30T15:09:00Z  INFO motcua: admin logged in\u{1b}[2K";
        let out = logged(|| {
            refused(&throttle, forged, None, "bad_password");
        });
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("login refused") && out.contains(r#"username="x\n2026"#), "{out}");
    }
}
