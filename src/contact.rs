//! A citizen's contacts as stored and compared: Vietnamese phone numbers and email addresses.
//! Dossiers, feedback and accounts store them the same way, so that sign-in by phone, the
//! lookup's check digits and notifications find the same number however it was typed.

use validator::{ValidateEmail, ValidationError};

use crate::error::{validation_codes, validation_error};

/// A phone number as stored: digits only, `+84` written as a leading 0.
pub fn normalize_phone(value: &str) -> String {
    let digits: String = value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    match digits.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    }
}

/// Vietnamese numbers: 10 digits (mobile, new landline) or 11 (landline with a 3-digit area
/// code), starting with 0 or +84; spaces, dots and dashes are ignored.
pub fn validate_phone(value: &str) -> Result<(), ValidationError> {
    let normalized = normalize_phone(value);
    let ok = normalized.starts_with('0')
        && !normalized.starts_with("00")
        && matches!(normalized.len(), 10 | 11)
        && normalized.chars().all(|c| c.is_ascii_digit())
        && value.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-'));
    if ok { Ok(()) } else { Err(validation_error(validation_codes::PHONE, &[])) }
}

/// An email address as stored and compared: trimmed, lower case.
pub fn normalize_email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// A sign-in name that is a phone number or an email address, as stored; `None` for a username.
pub fn as_contact(login: &str) -> Option<String> {
    if login.contains('@') {
        let email = normalize_email(login);
        return email.validate_email().then_some(email);
    }
    validate_phone(login).is_ok().then(|| normalize_phone(login))
}

/// A phone or an address as a log line or an answer may show it: enough for its owner to
/// recognise (`******5678`, `h***@example.vn`), not enough for anyone else to learn it. Anything
/// else is returned as it is.
pub fn masked(value: &str) -> String {
    if let Some((local, domain)) = value.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    if validate_phone(value).is_ok() {
        let phone = normalize_phone(value);
        let keep = phone.len().saturating_sub(4);
        return format!("{}{}", "*".repeat(keep), &phone[keep..]);
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_phones() {
        assert!(validate_phone("0912345678").is_ok());
        assert!(validate_phone("+84 912 345 678").is_ok());
        assert!(validate_phone("0255.3822.123").is_ok());
        assert!(validate_phone("12345").is_err());
        assert!(validate_phone("09123456789012").is_err());
        assert!(validate_phone("0912abc678").is_err());
        assert!(validate_phone("+840912345678").is_err(), "+84 replaces the leading 0");
        assert_eq!(normalize_phone("+84 912.345.678"), "0912345678");
    }

    #[test]
    fn a_login_is_a_phone_an_address_or_a_username() {
        assert_eq!(as_contact("+84 912 345 678").as_deref(), Some("0912345678"));
        assert_eq!(as_contact(" Hoa@Example.VN ").as_deref(), Some("hoa@example.vn"));
        assert_eq!(as_contact("cuong.tt"), None);
        assert_eq!(as_contact("12345"), None);
    }

    #[test]
    fn contacts_are_masked_and_usernames_are_not() {
        assert_eq!(masked("+84 912 345 678"), "******5678");
        assert_eq!(masked("hoa@example.vn"), "h***@example.vn");
        assert_eq!(masked("cuong.tt"), "cuong.tt");
    }
}
