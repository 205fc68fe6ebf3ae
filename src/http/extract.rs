//! Extractors that answer bad input with a problem document naming the field.
//!
//! actix's own `Json` and `Query` answer text/plain and lose the path of the bad field; these
//! deserialize through `serde_path_to_error` so `applicant.phone: invalid type` reaches the client.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{PathError, PayloadError};
use actix_web::web::{Bytes, PathConfig};
use actix_web::{FromRequest, HttpRequest, http::header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// Largest JSON body accepted (bytes).
pub const MAX_JSON_BYTES: usize = 1 << 20;

fn field_or_body(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." || p.is_empty() { "body".to_owned() } else { p }
}

/// serde's message without the trailing " at line 1 column 17", and without the submitted
/// value it quotes ("invalid type: integer `51090001234`, expected a string"): an answer or a
/// log line must not repeat an identity number or a password sent in the wrong shape.
fn clean_serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    without_submitted_value(text)
}

fn without_submitted_value(text: &str) -> String {
    for (prefix, replacement) in [
        ("invalid type: ", "invalid type"),
        ("invalid value: ", "invalid value"),
        ("unknown variant ", "unknown value"),
    ] {
        if text.starts_with(prefix)
            && let Some(i) = text.find(", expected ")
        {
            return format!("{replacement}{}", &text[i..]);
        }
    }
    text.to_owned()
}

/// Deserialize a JSON body: syntax errors are 400, well-formed JSON of the wrong shape is 422
/// naming the field.
/// Whether JSON text holds an escaped NUL (`\u0000` not itself escaped): PostgreSQL cannot store
/// it in text, and no field has a use for it.
fn has_escaped_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"\\u0000")
            && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count().is_multiple_of(2)
    })
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if has_escaped_nul(bytes) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "body",
            "text must not contain NUL characters",
        )]));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = field_or_body(e.path());
        let inner = e.into_inner();
        let message = clean_serde_message(&inner);
        match inner.classify() {
            serde_json::error::Category::Data => {
                // A missing field is reported at its parent; name the field itself.
                let field = match message.strip_prefix("missing field `") {
                    Some(rest) => {
                        let name = rest.trim_end_matches('`');
                        if field == "body" { name.to_owned() } else { format!("{field}.{name}") }
                    }
                    None => field,
                };
                ApiError::Validation(vec![FieldError::new(field, message)])
            }
            _ => ApiError::BadRequest {
                detail: format!("the body is not valid JSON: {message}"),
                errors: vec![FieldError::new("body", message)],
            },
        }
    })?;
    de.end().map_err(|e| {
        ApiError::bad_request(format!("trailing data after the JSON value: {}", clean_serde_message(&e)))
    })?;
    Ok(value)
}

/// A JSON request body. Requires `Content-Type: application/json` (or `+json`). Keeps the raw
/// bytes too, so that an `Idempotency-Key` can be matched to exactly the same request.
#[derive(Debug)]
pub struct JsonBody<T> {
    value: T,
    raw: Bytes,
}

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    pub fn raw(&self) -> &[u8] {
        &self.raw
    }
}

impl<T> Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

fn is_json_content_type(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json_content_type(req);
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType(
                    "send the body as JSON with Content-Type: application/json".into(),
                ));
            }
            let bytes = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => {
                    ApiError::PayloadTooLarge(format!("the body exceeds {MAX_JSON_BYTES} bytes"))
                }
                _ => ApiError::bad_request(format!("the body could not be read: {e}")),
            })?;
            parse_json(&bytes).map(|value| JsonBody { value, raw: bytes })
        })
    }
}

/// Query parameters, deserialized with the failing parameter named (400).
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<T> QueryParams<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for QueryParams<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = url::form_urlencoded::parse(query.as_bytes());
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = without_submitted_value(&e.into_inner().to_string());
        let field = match message.strip_prefix("missing field `") {
            Some(rest) => rest.trim_end_matches('`').to_owned(),
            None if path == "." || path.is_empty() => "query".to_owned(),
            None => path,
        };
        ApiError::BadRequest {
            detail: format!("invalid query parameter {field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(QueryParams))
    }
}

/// An RFC 3339 instant in a query string, with any offset. A `+` that was not percent-encoded
/// arrives as a space; it is put back, since `2024-01-05T16:00:00 07:00` cannot mean anything else.
pub fn lenient_instant<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    use serde::Deserialize;
    let text = String::deserialize(d)?;
    chrono::DateTime::parse_from_rfc3339(&text.replace(' ', "+"))
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok()
        .filter(|t| crate::clock::plausible_date(t.date_naive()))
        .ok_or_else(|| {
            serde::de::Error::custom(
                "expected an RFC 3339 instant between 1900 and 2200, such as 2024-01-05T16:00:00+07:00",
            )
        })
}

/// [`lenient_instant`] for an optional query parameter.
pub fn lenient_instant_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    lenient_instant(d).map(Some)
}

/// Path parameters that fail to parse (an id of the wrong shape) are a 404: no such resource.
pub fn path_config() -> PathConfig {
    PathConfig::default()
        .error_handler(|error: PathError, _req| ApiError::NotFound(format!("resource ({error})")).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Applicant {
        full_name: String,
        phone: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Intake {
        channel: String,
        applicant: Applicant,
    }

    fn field_of(error: ApiError) -> (u16, String) {
        let p = error.to_problem();
        (p.status, p.errors.first().map(|e| e.field.clone()).unwrap_or_default())
    }

    #[test]
    fn escaped_nul_characters_are_refused() {
        assert!(has_escaped_nul(br#"{"a":"ro\u0000ot"}"#));
        assert!(
            !has_escaped_nul(br#"{"a":"ro\\u0000ot"}"#),
            "an escaped backslash followed by u0000 is text"
        );
        assert!(!has_escaped_nul(br#"{"a":"root"}"#));
        assert_eq!(parse_json::<Page>(br#"{"year":1,"x":"\u0000"}"#).unwrap_err().to_problem().status, 422);
    }

    #[test]
    fn submitted_values_are_not_repeated() {
        let error = parse_json::<Intake>(
            br#"{"channel":"online","applicant":{"full_name":"A","phone":51090001234}}"#,
        )
        .unwrap_err();
        let problem = error.to_problem();
        assert!(!format!("{problem:?}").contains("51090001234"), "{problem:?}");
        assert_eq!(problem.errors[0].message, "invalid type, expected a string");
    }

    #[test]
    fn json_errors_name_the_field() {
        let bad_type =
            parse_json::<Intake>(br#"{"channel":"online","applicant":{"full_name":"A","phone":7}}"#);
        assert_eq!(field_of(bad_type.unwrap_err()), (422, "applicant.phone".into()));
        let missing = parse_json::<Intake>(br#"{"channel":"online","applicant":{}}"#);
        assert_eq!(field_of(missing.unwrap_err()), (422, "applicant.full_name".into()));
        let missing_top = parse_json::<Intake>(br#"{"applicant":{"full_name":"A"}}"#);
        assert_eq!(field_of(missing_top.unwrap_err()), (422, "channel".into()));
        let syntax = parse_json::<Intake>(br#"{"channel": "#);
        assert_eq!(field_of(syntax.unwrap_err()).0, 400);
        let trailing = parse_json::<Intake>(br#"{"channel":"x","applicant":{"full_name":"A"}} x"#);
        assert_eq!(field_of(trailing.unwrap_err()).0, 400);
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        limit: Option<u32>,
        year: i32,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(field_of(parse_query::<Page>("limit=abc&year=2024").unwrap_err()), (400, "limit".into()));
        assert_eq!(field_of(parse_query::<Page>("limit=5").unwrap_err()), (400, "year".into()));
        assert!(parse_query::<Page>("year=2024").is_ok());
    }
}
