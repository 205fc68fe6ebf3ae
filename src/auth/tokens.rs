//! Access tokens (JWT, HS256 pinned) and opaque refresh tokens.
//!
//! A person's access token names its session (`sid`, the family of refresh tokens its sign-in
//! started), so that ending the session ends the access token too (see `accounts`).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::role::Role;

pub const ISSUER: &str = "motcua";
pub const AUDIENCE: &str = "motcua-api";
/// Clock skew tolerated between servers, in seconds: a token is taken from this long before its
/// `nbf` until this long after its `exp`.
pub const LEEWAY_SECS: u64 = 30;

/// Whether the subject is a person's account or a system's service account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    User,
    Service,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    pub jti: String,
    /// People's tokens: the session (refresh-token family) they belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub kind: SubjectKind,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<String>,
    /// Service accounts: the agencies they are bound to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
}

/// What a token is issued for.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    /// People: the session the token belongs to; service accounts have none.
    pub session: Option<String>,
    pub kind: SubjectKind,
    pub role: Role,
    pub agency_id: Option<String>,
    pub agencies: Vec<String>,
}

/// Signing and verifying keys with the validation rules, built once at start.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid")]
    Invalid,
}

impl TokenKeys {
    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub", "jti"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        }
    }

    pub fn issue(&self, subject: &Subject, now: DateTime<Utc>) -> anyhow::Result<String> {
        let iat = now.timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: subject.id.clone(),
            exp: iat + self.access_ttl.as_secs() as i64,
            nbf: iat,
            iat,
            jti: uuid::Uuid::new_v4().to_string(),
            sid: subject.session.clone(),
            kind: subject.kind,
            role: subject.role,
            agency_id: subject.agency_id.clone(),
            agencies: subject.agencies.clone(),
        };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    pub fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

/// A random secret for refresh tokens and client secrets: 256 bits, URL-safe text.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Refresh tokens carry 256 random bits, so a fast hash suffices (no dictionary to attack) and
/// lets the token be found by its hash.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(
            b"0123456789abcdef0123456789abcdef",
            Duration::from_secs(900),
            Duration::from_secs(3600),
        )
    }

    fn subject() -> Subject {
        Subject {
            id: "u1".into(),
            session: Some("s1".into()),
            kind: SubjectKind::User,
            role: Role::Officer,
            agency_id: Some("a1".into()),
            agencies: vec![],
        }
    }

    #[test]
    fn issued_tokens_decode() {
        let keys = keys();
        let token = keys.issue(&subject(), Utc::now()).unwrap();
        let claims = keys.decode(&token).unwrap();
        assert_eq!(claims.sub, "u1");
        assert_eq!(claims.sid.as_deref(), Some("s1"));
        assert_eq!(claims.role, Role::Officer);
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn expired_tokens_are_refused_after_the_leeway() {
        let keys = keys();
        let old = Utc::now() - chrono::Duration::seconds(900 + LEEWAY_SECS as i64 + 5);
        let token = keys.issue(&subject(), old).unwrap();
        assert!(matches!(keys.decode(&token), Err(TokenError::Expired)));
        let within_leeway = Utc::now() - chrono::Duration::seconds(900 + 5);
        assert!(keys.decode(&keys.issue(&subject(), within_leeway).unwrap()).is_ok());
    }

    #[test]
    fn future_tokens_are_refused() {
        let keys = keys();
        let later = Utc::now() + chrono::Duration::seconds(LEEWAY_SECS as i64 + 60);
        assert!(keys.decode(&keys.issue(&subject(), later).unwrap()).is_err());
    }

    #[test]
    fn forged_tokens_are_refused() {
        let keys = keys();
        let token = keys.issue(&subject(), Utc::now()).unwrap();
        // Signed with another key.
        let other = TokenKeys::new(
            b"another-secret-another-secret-xx",
            Duration::from_secs(900),
            Duration::from_secs(1),
        );
        assert!(keys.decode(&other.issue(&subject(), Utc::now()).unwrap()).is_err());
        // Claims altered after signing: role raised to admin.
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["role"] = "admin".into();
        let altered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
        assert!(keys.decode(&altered).is_err());
        // alg "none" with no signature.
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.decode(&format!("{none_header}.{}.", parts[1])).is_err());
        // Wrong audience, signed with the right key.
        let mut wrong_aud = keys.decode(&token).unwrap();
        wrong_aud.aud = "someone-else".into();
        let forged =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &wrong_aud, &keys.encoding).unwrap();
        assert!(keys.decode(&forged).is_err());
    }

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        let a = random_secret();
        assert_ne!(a, random_secret());
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
    }
}
