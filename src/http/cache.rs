//! Answers that may be kept by the client (and, when they are the same for everyone, by shared
//! caches): a JSON body with a strong `ETag`, the digest of the body itself, its `Cache-Control`,
//! and 304 without a body when `If-None-Match` names that ETag.
//!
//! The ETag is a digest of the bytes sent rather than of a version column, because these answers
//! are assembled from several rows (a page of a list, a dossier with its agency and procedure
//! names): a change to any of them changes the bytes, and nothing else does.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::etag::none_match;
use crate::error::ApiError;

/// How long anyone may keep a public answer without asking again (5 minutes): a catalogue or an
/// answer changed by an admin reaches every reader within that, and after it the ETag revalidates
/// for the price of a 304.
pub const PUBLIC_MAX_AGE_SECS: u32 = 300;

/// Who may keep the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The same for every caller (published information): any cache, for
    /// [`PUBLIC_MAX_AGE_SECS`]. A token, if sent, changes nothing in the answer.
    Everyone,
    /// About one person (a dossier found by its code and check): the client's own cache only,
    /// which asks again each time (a 304 then costs no body).
    OnePerson,
}

impl Audience {
    fn cache_control(self) -> CacheControl {
        match self {
            Self::Everyone => {
                CacheControl(vec![CacheDirective::Public, CacheDirective::MaxAge(PUBLIC_MAX_AGE_SECS)])
            }
            Self::OnePerson => CacheControl(vec![CacheDirective::Private, CacheDirective::NoCache]),
        }
    }
}

/// The strong ETag of a body: the first 128 bits of its SHA-256, in hex.
fn digest_etag(body: &[u8]) -> String {
    format!("\"{}\"", &hex::encode(Sha256::digest(body))[..32])
}

/// `body` as JSON with its ETag and `Cache-Control`, or 304 when the request's `If-None-Match`
/// already names that ETag.
pub fn json(req: &HttpRequest, audience: Audience, body: &impl Serialize) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(anyhow::Error::from)?;
    let etag = digest_etag(&bytes);
    let fresh = none_match(req, &etag);
    let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header((header::ETAG, etag)).insert_header(audience.cache_control());
    Ok(if fresh { response.finish() } else { response.content_type("application/json").body(bytes) })
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;
    use actix_web::test::TestRequest;

    use super::*;

    fn header_of(response: &HttpResponse, name: header::HeaderName) -> String {
        response.headers().get(name).unwrap().to_str().unwrap().to_owned()
    }

    #[test]
    fn the_etag_follows_the_body_and_a_match_answers_304_without_it() {
        let plain = TestRequest::default().to_http_request();
        let first = json(&plain, Audience::Everyone, &serde_json::json!({"a": 1})).unwrap();
        let etag = header_of(&first, header::ETAG);
        assert_eq!(first.status(), 200);
        assert_eq!(header_of(&first, header::CACHE_CONTROL), "public, max-age=300");
        let other = json(&plain, Audience::Everyone, &serde_json::json!({"a": 2})).unwrap();
        assert_ne!(header_of(&other, header::ETAG), etag, "another body, another ETag");

        let again =
            TestRequest::default().insert_header((header::IF_NONE_MATCH, etag.as_str())).to_http_request();
        let cached = json(&again, Audience::OnePerson, &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(cached.status(), 304);
        assert_eq!(header_of(&cached, header::ETAG), etag);
        assert_eq!(header_of(&cached, header::CACHE_CONTROL), "private, no-cache");
        assert!(cached.into_body().try_into_bytes().unwrap().is_empty());
    }
}
