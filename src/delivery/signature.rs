//! `X-Motcua-Signature: sha256=HEX`: HMAC-SHA256 of the raw body with the subscription's secret.
//! A receiver recomputes it over the bytes it got and compares in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "X-Motcua-Signature";

pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is the signature of `body` (for receivers written in Rust, and the tests).
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_digest) = header.strip_prefix("sha256=") else { return false };
    let Ok(digest) = hex::decode(hex_digest) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_4231_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn verification_needs_the_same_secret_and_body() {
        let header = sign("s3cret-s3cret-s3cret", b"{\"id\":\"1\"}");
        assert!(verify("s3cret-s3cret-s3cret", b"{\"id\":\"1\"}", &header));
        assert!(!verify("another-secret-here!", b"{\"id\":\"1\"}", &header));
        assert!(!verify("s3cret-s3cret-s3cret", b"{\"id\":\"2\"}", &header));
        assert!(!verify("s3cret-s3cret-s3cret", b"{\"id\":\"1\"}", "md5=00"));
    }
}
