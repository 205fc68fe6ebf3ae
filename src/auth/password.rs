//! Password and secret hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use validator::ValidationError;

use crate::error::{validation_codes, validation_error};

/// Length rules of NIST SP 800-63B: long enough to resist guessing, not capped below a passphrase.
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The reason a password is refused, for the `password` field of a 422.
pub fn check_policy(password: &str) -> Result<(), ValidationError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(validation_error("length", &[("min", MIN_PASSWORD_CHARS as i64)]));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(validation_error("length", &[("max", MAX_PASSWORD_CHARS as i64)]));
    }
    if password.trim().is_empty() {
        return Err(validation_error(validation_codes::BLANK, &[]));
    }
    Ok(())
}

/// A PHC string (`$argon2id$v=19$…`) with its own random salt.
pub fn hash(secret: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Compared in constant time by the crate. A malformed stored hash counts as a mismatch.
pub fn verify(secret: &str, stored: &str) -> bool {
    Argon2::default().verify_password(secret.as_bytes(), stored).is_ok()
}

/// Verifying against this when the user does not exist makes an unknown username cost as much
/// time as a wrong password, so timing does not tell which usernames exist.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("motcua-dummy-password").expect("hashing a constant works"));

pub fn burn_verification_time(secret: &str) {
    let _ = verify(secret, &DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("correct horse battery", &a));
        assert!(!verify("wrong horse battery", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy_counts_characters_not_bytes() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("mậtkhẩuđủ10").is_ok());
        assert!(check_policy("          ").is_err());
        assert!(check_policy(&"x".repeat(129)).is_err());
    }
}
