//! Registration, verification and password reset: each one transaction, with the message that
//! carries the code written in it (the notification worker sends it afterwards).
//!
//! No answer tells whether an account exists: registering a phone or an address that already
//! has an account answers as a new one does, and its owner is told instead of being sent a code;
//! a reset for an unknown phone answers as for a known one and sends nothing. A wrong code is
//! counted (five per code) in the same transaction that refuses it, so retries cannot outrun it.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::codes::{self, CodeKeys, Purpose};
use super::model::Destination;
use super::store::{self, CodeRow};
use crate::auth::role::Role;
use crate::auth::store as sessions;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::error::ApiError;
use crate::notifications::enqueue::{About, Recipient, enqueue};
use crate::notifications::texts::{self, CodePurpose, Language};
use crate::users::model::UserRow;
use crate::users::store as accounts;

/// A registration waiting for its code, with its password already hashed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub password_hash: String,
    pub language: String,
}

/// The account that has this phone or address (as a contact or as its username).
fn account_at(conn: &mut DbConnection, contact: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::phone.eq(contact).or(users::email.eq(contact)).or(users::username.eq(contact)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

fn recipient(destination: &Destination, user_id: Option<String>, language: Language) -> Recipient {
    let (phone, email) = match destination {
        Destination::Phone(phone) => (Some(phone.clone()), None),
        Destination::Email(email) => (None, Some(email.clone())),
    };
    Recipient { user_id, phone, email, language }
}

/// Write a new code for `destination` and the message that carries it.
fn send_code(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    (purpose, destination): (Purpose, &Destination),
    user_id: Option<String>,
    (language, payload): (Language, Option<String>),
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let code = codes::new_code();
    let row = CodeRow {
        id: Uuid::new_v4().to_string(),
        purpose: purpose.as_str().to_owned(),
        destination: destination.as_str().to_owned(),
        code_hash: keys.hash(purpose, destination.as_str(), &code),
        tries_left: codes::TRIES,
        expires_at: clock::to_db(now + Duration::minutes(codes::VALID_MINUTES)),
        payload,
        created_at: clock::to_db(now),
    };
    store::replace(conn, &row)?;
    let text_purpose = match purpose {
        Purpose::Register => CodePurpose::Register,
        Purpose::Reset => CodePurpose::Reset,
    };
    let message = texts::code(text_purpose, &code, codes::VALID_MINUTES, language);
    enqueue(conn, &recipient(destination, user_id, language), About::default(), &message, now)?;
    Ok(())
}

/// `POST /citizens`: a code for a new account, or a word to the owner of an existing one.
pub fn register(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    destination: &Destination,
    pending: Pending,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    store::delete_expired(conn, clock::to_db(now))?;
    let language = Language::from_db(&pending.language);
    if let Some(existing) = account_at(conn, destination.as_str())? {
        let message = texts::already_registered(Language::from_db(&existing.language));
        let to = recipient(destination, Some(existing.id), Language::from_db(&existing.language));
        enqueue(conn, &to, About::default(), &message, now)?;
        return Ok(());
    }
    let payload = serde_json::to_string(&pending).map_err(anyhow::Error::from)?;
    send_code(conn, keys, (Purpose::Register, destination), None, (language, Some(payload)), now)
}

/// The waiting code for `destination` if `code` is it; a wrong code costs one of its tries.
fn take_code(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    (purpose, destination): (Purpose, &Destination),
    code: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<CodeRow>> {
    let Some(row) = store::current(conn, purpose, destination.as_str())? else { return Ok(None) };
    if row.expires_at < clock::to_db(now) || row.tries_left <= 0 {
        store::delete(conn, &row.id)?;
        return Ok(None);
    }
    if !codes::well_formed(code) || !keys.matches(&row.code_hash, purpose, destination.as_str(), code) {
        store::spend_try(conn, &row.id)?;
        return Ok(None);
    }
    store::delete(conn, &row.id)?;
    Ok(Some(row))
}

/// `POST /citizens/verify`: the account, created; `None` when the code is wrong, spent or
/// expired (the caller answers 422 after this transaction commits the spent try).
pub fn verify(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    destination: &Destination,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, ApiError> {
    let Some(row) = take_code(conn, keys, (Purpose::Register, destination), code, now)? else {
        return Ok(None);
    };
    let pending: Pending =
        serde_json::from_str(row.payload.as_deref().unwrap_or_default()).map_err(anyhow::Error::from)?;
    // Registered meanwhile (by another code, or by an administrator): this code proves nothing.
    if account_at(conn, destination.as_str())?.is_some() {
        return Ok(None);
    }
    // The contact that was not verified is kept only if no other account has it.
    let mut other_free = |contact: Option<String>| -> QueryResult<Option<String>> {
        match contact {
            Some(c) if c != destination.as_str() && account_at(conn, &c)?.is_some() => Ok(None),
            other => Ok(other),
        }
    };
    let phone = other_free(pending.phone)?;
    let email = other_free(pending.email)?;
    let at = clock::to_db(now);
    let user = UserRow {
        id: Uuid::new_v4().to_string(),
        username: destination.as_str().to_owned(),
        password_hash: pending.password_hash,
        full_name: pending.full_name,
        role: Role::Citizen.as_str().to_owned(),
        agency_id: None,
        active: true,
        created_at: at,
        updated_at: at,
        phone,
        email,
        language: pending.language,
        notify: true,
    };
    accounts::insert(conn, &user)?;
    Ok(Some(user))
}

/// `POST /citizens/password-reset`: a code to the active citizen account that has this phone or
/// address; nothing (and the same answer) otherwise.
pub fn request_reset(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    destination: &Destination,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    store::delete_expired(conn, clock::to_db(now))?;
    let account =
        account_at(conn, destination.as_str())?.filter(|u| u.active && u.role == Role::Citizen.as_str());
    let Some(account) = account else { return Ok(()) };
    let language = Language::from_db(&account.language);
    send_code(conn, keys, (Purpose::Reset, destination), Some(account.id), (language, None), now)
}

/// `POST /citizens/password-reset/confirm`: the new password, set, and every session of the
/// account ended; the account's id, or `None` when the code is wrong.
pub fn confirm_reset(
    conn: &mut DbConnection,
    keys: &CodeKeys,
    destination: &Destination,
    code: &str,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<Option<String>, ApiError> {
    if take_code(conn, keys, (Purpose::Reset, destination), code, now)?.is_none() {
        return Ok(None);
    }
    let account =
        account_at(conn, destination.as_str())?.filter(|u| u.active && u.role == Role::Citizen.as_str());
    let Some(mut account) = account else { return Ok(None) };
    account.password_hash = password_hash;
    account.updated_at = clock::to_db(now);
    accounts::update(conn, &account)?;
    sessions::revoke_all_for_user(conn, &account.id, clock::to_db(now))?;
    Ok(Some(account.id))
}
