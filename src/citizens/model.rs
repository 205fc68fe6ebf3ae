//! What a citizen sends to register, verify and reset a password.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::password;
use crate::contact::{normalize_email, normalize_phone};
use crate::error::ApiError;
use crate::i18n::Text;
use crate::users::model::AccountLanguage;

fn validate_password(value: &str) -> Result<(), validator::ValidationError> {
    password::check_policy(value)
}

/// A citizen's own registration: a phone or an email address (or both) to sign in with and to
/// be told at. A six-digit code goes to the phone when there is one, otherwise to the address.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "full_name": "Nguyễn Thị Hoa", "phone": "0912345678", "email": "hoa@example.vn",
    "password": "mật-khẩu-dài-đủ", "language": "vi"
}))]
pub struct NewCitizen {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub full_name: String,
    #[validate(custom(function = "crate::contact::validate_phone"))]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    /// At least 10 characters.
    #[validate(custom(function = "validate_password"))]
    #[schema(format = Password)]
    pub password: String,
    #[serde(default)]
    pub language: AccountLanguage,
}

/// A phone number or an email address, with the code that was sent to it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "0912345678", "code": "042917"}))]
pub struct CodeProof {
    #[validate(custom(function = "crate::contact::validate_phone"))]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    /// The six digits received.
    #[schema(example = "042917")]
    pub code: String,
}

/// Ask for a password-reset code.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "0912345678"}))]
pub struct ResetRequest {
    #[validate(custom(function = "crate::contact::validate_phone"))]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
}

/// Set a new password with the code received.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "0912345678", "code": "042917", "password": "mật-khẩu-mới-đủ-dài"}))]
pub struct ResetConfirm {
    #[validate(custom(function = "crate::contact::validate_phone"))]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    #[schema(example = "042917")]
    pub code: String,
    /// The new password, at least 10 characters.
    #[validate(custom(function = "validate_password"))]
    #[schema(format = Password)]
    pub password: String,
}

/// The answer to a request that sent a code, the same whether or not an account exists there.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSent {
    /// Where the code went, partly hidden: `******5678`, `h***@example.vn`.
    #[schema(example = "******5678")]
    pub sent_to: String,
    /// How long the code may be used.
    #[schema(example = 600)]
    pub expires_in_secs: i64,
}

/// Where a code goes or came from: the phone when given, else the address; as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Phone(String),
    Email(String),
}

impl Destination {
    /// From the body's `phone` and `email`; a 422 naming `phone` when neither is there.
    pub fn of(phone: Option<&str>, email: Option<&str>) -> Result<Self, ApiError> {
        match (phone, email) {
            (Some(phone), _) => Ok(Destination::Phone(normalize_phone(phone))),
            (None, Some(email)) => Ok(Destination::Email(normalize_email(email))),
            (None, None) => Err(ApiError::invalid_field(
                "phone",
                Text::fixed(
                    "Cần số điện thoại hoặc địa chỉ email",
                    "a phone number or an email address is required",
                ),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Destination::Phone(value) | Destination::Email(value) => value,
        }
    }

    /// Enough for its owner to recognise it, not enough for anyone else to learn it.
    pub fn masked(&self) -> String {
        crate::contact::masked(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_is_the_phone_first_and_shows_only_its_end() {
        let phone = Destination::of(Some("+84 912 345 678"), Some("hoa@example.vn")).unwrap();
        assert_eq!(phone, Destination::Phone("0912345678".into()));
        assert_eq!(phone.masked(), "******5678");
        let email = Destination::of(None, Some(" Hoa@Example.VN")).unwrap();
        assert_eq!(email.as_str(), "hoa@example.vn");
        assert_eq!(email.masked(), "h***@example.vn");
        assert!(Destination::of(None, None).is_err());
    }
}
