//! One-time codes: six random digits, kept only as an HMAC bound to their purpose and
//! destination, so that a copy of the database does not give them away (a plain hash of six
//! digits is undone by trying the million of them) and a code sent for one thing proves nothing
//! about another.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

/// How long a code may be used.
pub const VALID_MINUTES: i64 = 10;
/// Wrong tries before a code is spent.
pub const TRIES: i32 = 5;

/// What a code proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Owning the phone or address a new account registers.
    Register,
    /// Owning the phone or address of an account whose password is reset.
    Reset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Reset => "reset",
        }
    }
}

/// The key codes are hashed with, derived from the service's secret.
#[derive(Clone)]
pub struct CodeKeys {
    key: Vec<u8>,
}

impl CodeKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
        mac.update(b"motcua verification codes");
        Self { key: mac.finalize().into_bytes().to_vec() }
    }

    /// The stored form of `code` sent to `destination` for `purpose`.
    pub fn hash(&self, purpose: Purpose, destination: &str, code: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts any key length");
        mac.update(format!("{}\n{destination}\n{code}", purpose.as_str()).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `code` is the one behind `stored` (in constant time).
    pub fn matches(&self, stored: &str, purpose: Purpose, destination: &str, code: &str) -> bool {
        let Ok(stored) = hex::decode(stored) else { return false };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts any key length");
        mac.update(format!("{}\n{destination}\n{code}", purpose.as_str()).as_bytes());
        mac.verify_slice(&stored).is_ok()
    }
}

/// Six digits, leading zeros kept.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000))
}

/// Whether a code as typed has the shape of one (six digits).
pub fn well_formed(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_only_its_purpose_and_destination() {
        let keys = CodeKeys::new(b"a secret of the service, long enough");
        let stored = keys.hash(Purpose::Register, "0912345678", "042917");
        assert!(keys.matches(&stored, Purpose::Register, "0912345678", "042917"));
        assert!(!keys.matches(&stored, Purpose::Register, "0912345678", "042918"));
        assert!(!keys.matches(&stored, Purpose::Reset, "0912345678", "042917"));
        assert!(!keys.matches(&stored, Purpose::Register, "0912345679", "042917"));
        let other = CodeKeys::new(b"another secret of another service");
        assert!(!other.matches(&stored, Purpose::Register, "0912345678", "042917"));
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            assert!(well_formed(&new_code()));
        }
        assert!(!well_formed("12345") && !well_formed("12345a") && !well_formed("1234567"));
    }
}
