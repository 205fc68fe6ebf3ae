//! ETags of single resources and `If-Match` on updates (412 when stale).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::ApiError;
use crate::i18n::Text;

/// A strong ETag from the record's id and last change.
pub fn etag(id: &str, updated_at: DateTime<Utc>) -> String {
    format!("\"{}-{}\"", &id[..id.len().min(8)], updated_at.timestamp_micros())
}

/// A JSON response with its `ETag`: the one way a handler answers with a single resource.
pub fn respond(status: StatusCode, etag: &str, body: &impl Serialize) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag.to_owned())).json(body))
}

/// The request's `If-Match` header, if any. Taken out of the request so that the check can run
/// inside a database transaction on another thread.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    /// Passes when there is no `If-Match`, when it is `*`, or when it lists the current ETag.
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        let Some(value) = &self.0 else { return Ok(()) };
        if value.split(',').map(str::trim).any(|tag| tag == "*" || tag == current) {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(Text::fixed(
                "Dữ liệu đã thay đổi kể từ lần bạn đọc (If-Match không khớp ETag hiện tại); hãy đọc lại",
                "the resource changed since you read it (If-Match does not match its ETag); read it again",
            )))
        }
    }
}

/// Whether the request's `If-None-Match` names `current` (or is `*`): the client's copy is
/// current and a 304 will do. Weak and strong tags compare alike (RFC 9110 §13.1.2).
pub fn none_match(req: &HttpRequest, current: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(current))
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req.headers().get(header::IF_MATCH).map(|v| v.to_str().unwrap_or_default().to_owned());
        ready(Ok(IfMatch(value)))
    }
}

impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![super::optional_header("If-Match", "ETag of the version read; 412 if it changed since")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_compares_etags() {
        let current = "\"abc-1\"";
        assert!(IfMatch(None).check(current).is_ok());
        assert!(IfMatch(Some("*".into())).check(current).is_ok());
        assert!(IfMatch(Some("\"x\", \"abc-1\"".into())).check(current).is_ok());
        assert!(IfMatch(Some("\"abc-0\"".into())).check(current).is_err());
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let with = |value: &str| {
            actix_web::test::TestRequest::default()
                .insert_header((header::IF_NONE_MATCH, value))
                .to_http_request()
        };
        let current = "\"labels-1\"";
        assert!(none_match(&with("\"labels-1\""), current));
        assert!(none_match(&with("W/\"labels-1\""), current));
        assert!(none_match(&with("\"old\", \"labels-1\""), current));
        assert!(none_match(&with("*"), current));
        assert!(!none_match(&with("\"old\""), current));
        assert!(!none_match(&actix_web::test::TestRequest::default().to_http_request(), current));
    }
}
