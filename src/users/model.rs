use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::directory::normalize_username;
use crate::auth::password;
use crate::auth::role::Role;
use crate::clock;
use crate::db::schema::users;
use crate::error::{validation_codes, validation_error};
use crate::notifications::texts::Language;

/// The account's language for its notifications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountLanguage {
    #[default]
    Vi,
    En,
}

impl From<AccountLanguage> for Language {
    fn from(value: AccountLanguage) -> Self {
        match value {
            AccountLanguage::Vi => Language::Vi,
            AccountLanguage::En => Language::En,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: String,
    pub agency_id: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Citizens: the phone and the address they sign in with and are notified at.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `vi` or `en`: the language of the account's notifications.
    pub language: String,
    /// false: the citizen asked for no notifications.
    pub notify: bool,
}

impl UserRow {
    pub fn role(&self) -> anyhow::Result<Role> {
        self.role.parse().map_err(|e| anyhow::anyhow!("user {}: {e}", self.id))
    }
}

/// A user as the API shows it: never the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    #[schema(example = "nguyen.van.a")]
    pub username: String,
    #[schema(example = "Nguyễn Văn A")]
    pub full_name: String,
    pub role: Role,
    pub agency_id: Option<String>,
    pub active: bool,
    #[schema(example = "0912345678")]
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `vi` or `en`: the language of the account's notifications.
    #[schema(example = "vi")]
    pub language: String,
    /// Whether the account receives notifications by SMS and email.
    pub notify: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = anyhow::Error;
    fn try_from(row: UserRow) -> anyhow::Result<Self> {
        Ok(Self {
            role: row.role()?,
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            agency_id: row.agency_id,
            active: row.active,
            phone: row.phone,
            email: row.email,
            language: row.language,
            notify: row.notify,
            created_at: clock::from_db(row.created_at),
            updated_at: clock::from_db(row.updated_at),
        })
    }
}

/// Usernames as stored: trimmed and lower-cased.
pub fn validate_username(username: &str) -> Result<(), ValidationError> {
    let u = normalize_username(username);
    let ok = (3..=64).contains(&u.chars().count())
        && u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok { Ok(()) } else { Err(validation_error(validation_codes::USERNAME, &[])) }
}

pub fn validate_password(password: &str) -> Result<(), ValidationError> {
    password::check_policy(password)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "username": "nguyen.van.a", "password": "mật-khẩu-dài-đủ", "full_name": "Nguyễn Văn A",
    "role": "officer", "agency_id": "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b"
}))]
pub struct NewUser {
    #[validate(custom(function = "validate_username"))]
    pub username: String,
    /// At least 10 characters.
    #[validate(custom(function = "validate_password"))]
    #[schema(format = Password)]
    pub password: String,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub full_name: String,
    pub role: Role,
    /// Required for leaders, officers and integration accounts.
    pub agency_id: Option<String>,
}

/// Changes to a user; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"full_name": "Trần Thị Cường", "role": "officer"}))]
pub struct UserPatch {
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub agency_id: Option<String>,
    /// false deactivates the account and revokes its refresh tokens.
    pub active: Option<bool>,
    /// A new password; revokes the account's refresh tokens.
    #[validate(custom(function = "validate_password"))]
    #[schema(format = Password)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only accounts of this agency (an id; itself, not those below it).
    pub agency_id: Option<String>,
    /// Only accounts with this role.
    pub role: Option<Role>,
    /// Only active (true) or deactivated (false) accounts.
    pub active: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
