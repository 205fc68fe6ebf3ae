//! Webhook requests and responses, apart from the rows they are stored in.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::patterns::Pattern;
use super::target;
use crate::error::{ApiError, FieldError, invalid_value};
use crate::i18n::Text;

/// Shortest and longest secret: long enough that the HMAC cannot be guessed.
pub const SECRET_CHARS: std::ops::RangeInclusive<usize> = 16..=256;
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_PATTERNS: usize = 50;

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://adapter.example.vn/motcua/events",
    "secret": "a-shared-secret-of-16-to-256-characters",
    "event_types": ["dossier.*", "feedback.received"]
}))]
pub struct NewWebhook {
    /// Where to POST each event (http or https; public addresses only, unless the server allows private ones).
    #[schema(example = "https://adapter.example.vn/motcua/events")]
    pub url: String,
    /// Key of the HMAC-SHA256 in `X-Motcua-Signature` (16 to 256 characters). Never shown again.
    pub secret: String,
    /// Patterns of the event types wanted: `*`, `dossier.*`, `dossier.resolved`, …
    #[schema(example = json!(["dossier.*"]))]
    pub event_types: Vec<String>,
}

/// A change to a subscription: only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct WebhookPatch {
    pub url: Option<String>,
    pub secret: Option<String>,
    pub event_types: Option<Vec<String>>,
    /// A paused subscription keeps its place in the feed and catches up when resumed.
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub active: bool,
    /// The account whose view of the event feed this subscription pushes.
    pub owner_id: String,
    /// `user` or `service`.
    pub owner_kind: String,
    /// Deliveries waiting (first attempt or retry) and given up.
    pub pending: i64,
    pub dead: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One POST made for a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub number: i32,
    pub attempted_at: chrono::DateTime<chrono::Utc>,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<i32>,
    /// Why the attempt failed (timeout, connection refused, a non-2xx answer).
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One event for one subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `dead` (gave up after the last retry; can be retried by hand).
    pub state: String,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Only deliveries in this state: `pending`, `delivered` or `dead`.
    pub state: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub const STATES: [&str; 3] = ["pending", "delivered", "dead"];

/// The checked event-type patterns, or a 422 naming `event_types`.
pub fn parse_patterns(raw: &[String]) -> Result<Vec<Pattern>, ApiError> {
    if raw.is_empty() {
        return Err(ApiError::invalid_field(
            "event_types",
            Text::fixed(
                "Cần ít nhất một mẫu loại sự kiện, ví dụ \"dossier.*\"",
                "give at least one pattern, e.g. \"dossier.*\"",
            ),
        ));
    }
    if raw.len() > MAX_PATTERNS {
        return Err(ApiError::invalid_field(
            "event_types",
            Text::new(format!("Tối đa {MAX_PATTERNS} mẫu"), format!("at most {MAX_PATTERNS} patterns")),
        ));
    }
    let mut errors = Vec::new();
    let mut patterns = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        match Pattern::parse(p) {
            Ok(p) if !patterns.contains(&p) => patterns.push(p),
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(format!("event_types[{i}]"), message)),
        }
    }
    if errors.is_empty() { Ok(patterns) } else { Err(ApiError::Validation(errors)) }
}

pub fn check_secret(secret: &str) -> Result<(), ApiError> {
    let n = secret.chars().count();
    if SECRET_CHARS.contains(&n) && !secret.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "secret",
            Text::new(
                format!(
                    "Từ {} đến {} ký tự, không chứa ký tự điều khiển",
                    SECRET_CHARS.start(),
                    SECRET_CHARS.end()
                ),
                format!(
                    "{} to {} characters, no control characters",
                    SECRET_CHARS.start(),
                    SECRET_CHARS.end()
                ),
            ),
        ))
    }
}

/// The URL, syntactically checked (the address is checked with the resolver). One line: the URL
/// parser would silently drop a tab or line break inside it.
pub fn check_url(raw: &str) -> Result<url::Url, ApiError> {
    crate::text::single_line(raw).map_err(|e| invalid_value("url", &e))?;
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(ApiError::invalid_field(
            "url",
            Text::new(
                format!("Không được quá {MAX_URL_CHARS} ký tự"),
                format!("at most {MAX_URL_CHARS} characters"),
            ),
        ));
    }
    target::parse_url(raw).map_err(|m| ApiError::invalid_field("url", m))
}

/// The patterns as stored (a JSON array of strings).
pub fn patterns_json(patterns: &[Pattern]) -> String {
    serde_json::Value::from(patterns.iter().map(Pattern::as_string).collect::<Vec<_>>()).to_string()
}

/// The stored patterns; a row written by this code always parses.
pub fn stored_patterns(json: &str) -> Vec<Pattern> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Pattern::parse(p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_url_is_one_line() {
        assert!(check_url("https://hooks.example.vn/motcua").is_ok());
        for bad in
            ["https://hooks.exa\tmple.vn/motcua", "https://hooks.example.vn/a\nb", "https://x.vn/\u{1b}"]
        {
            let problem = check_url(bad).unwrap_err().to_problem(Lang::En);
            assert_eq!((problem.status, problem.errors[0].field.as_str()), (422, "url"), "{bad:?}");
        }
    }
}
