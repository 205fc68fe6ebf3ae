//! Short-lived signed links to one file, for a browser or a mobile app that opens a document
//! without sending the bearer token (an `<a href>`, an image viewer, the OS's PDF reader).
//!
//! A link is a JWT of its own kind: HS256 with a key derived from `MOTCUA_JWT_SECRET` for this
//! purpose only, and its own audience, so that a link is never an access token and an access
//! token never a link. It names one file of one dossier, who it was issued to and when it
//! expires; nothing else (no personal data: it travels in URLs and proxy logs).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const AUDIENCE: &str = "motcua-file-link";

/// How long a link opens its file.
pub const LINK_TTL_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    pub aud: String,
    /// The file's id.
    pub sub: String,
    pub dossier_id: String,
    /// The account the link was issued to, and its kind (`user` or `service`), for the history.
    pub issued_to: String,
    pub issued_to_kind: String,
    pub exp: i64,
}

pub struct LinkKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl LinkKeys {
    /// Keys derived from the service's secret: HMAC(secret, purpose), so that the secret itself
    /// signs nothing but access tokens.
    pub fn new(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
        mac.update(b"motcua file links v1");
        let key = mac.finalize().into_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
        }
    }

    /// A link to `file_id` of `dossier_id` for `issued_to`, valid until the returned instant.
    pub fn sign(
        &self,
        file_id: &str,
        dossier_id: &str,
        (issued_to, issued_to_kind): (&str, &str),
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let expires = now + chrono::Duration::seconds(LINK_TTL_SECS);
        let claims = LinkClaims {
            aud: AUDIENCE.into(),
            sub: file_id.into(),
            dossier_id: dossier_id.into(),
            issued_to: issued_to.into(),
            issued_to_kind: issued_to_kind.into(),
            exp: expires.timestamp(),
        };
        Ok((jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?, expires))
    }

    /// The claims of a genuine link that has not expired.
    pub fn verify(&self, token: &str) -> Option<LinkClaims> {
        jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tokens::{Subject, SubjectKind, TokenKeys};

    const SECRET: &[u8] = b"a-secret-of-at-least-thirty-two-bytes!!";

    #[test]
    fn a_link_opens_its_file_until_it_expires() {
        let keys = LinkKeys::new(SECRET);
        let (token, expires) = keys.sign("f1", "d1", ("u1", "user"), Utc::now()).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.dossier_id.as_str(), claims.issued_to.as_str()),
            ("f1", "d1", "u1")
        );
        assert_eq!(claims.exp, expires.timestamp());
        let (old, _) = keys
            .sign("f1", "d1", ("u1", "user"), Utc::now() - chrono::Duration::seconds(LINK_TTL_SECS + 1))
            .unwrap();
        assert!(keys.verify(&old).is_none(), "expired");
    }

    #[test]
    fn links_and_access_tokens_are_not_interchangeable() {
        let keys = LinkKeys::new(SECRET);
        let tokens =
            TokenKeys::new(SECRET, std::time::Duration::from_secs(60), std::time::Duration::from_secs(60));
        let subject = Subject {
            id: "u1".into(),
            kind: SubjectKind::User,
            role: crate::auth::role::Role::Admin,
            agency_id: None,
            agencies: vec![],
            session: Some("s1".into()),
        };
        let access = tokens.issue(&subject, Utc::now()).unwrap();
        assert!(keys.verify(&access).is_none(), "an access token is not a link");
        let (link, _) = keys.sign("f1", "d1", ("u1", "user"), Utc::now()).unwrap();
        assert!(tokens.decode(&link).is_err(), "a link is not an access token");
        let mut forged = link.clone();
        forged.pop();
        assert!(keys.verify(&forged).is_none());
        assert!(LinkKeys::new(b"another-secret-of-thirty-two-bytes-long!").verify(&link).is_none());
    }
}
