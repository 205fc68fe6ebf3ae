//! One error type for the whole API, rendered as RFC 9457 `application/problem+json`.
//!
//! Client errors name the field at fault; unexpected errors become an opaque 500 whose cause
//! chain goes to the log only. Every text a client reads is a [`Text`] in Vietnamese and
//! English: `error_response` renders Vietnamese, and the HTTP layer renders English for a request
//! that prefers it with [`ApiError::problem_json`] (see `crate::i18n` for the design).

mod database;
mod problem;
mod validation;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use self::problem::title;
pub use self::problem::{FieldError, PROBLEM_JSON, Problem, ProblemField};
pub use self::validation::{invalid_value, validation_codes, validation_error};
use crate::i18n::{Lang, Text};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be parsed.
    #[error("bad request: {}", .detail.en)]
    BadRequest { detail: Text, errors: Vec<FieldError> },
    /// 401: no credentials or bad credentials.
    #[error("unauthorized: {}", .0.en)]
    Unauthorized(Text),
    /// 403: authenticated but not allowed.
    #[error("forbidden: {}", .0.en)]
    Forbidden(Text),
    /// 404: absent, or outside the caller's scope. The whole detail: see [`ApiError::not_found`].
    #[error("not found: {}", .0.en)]
    NotFound(Text),
    /// 405, with the methods the path does accept.
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    /// 409: a uniqueness rule or a state rule forbids it.
    #[error("conflict: {}", .detail.en)]
    Conflict { detail: Text, field: Option<String>, existing_id: Option<String> },
    /// 409: a rule of the dossier lifecycle forbids this step.
    #[error("rule {rule}: {}", .detail.en)]
    Rule { rule: &'static str, detail: Text },
    /// 412: `If-Match` names an old version.
    #[error("precondition failed: {}", .0.en)]
    PreconditionFailed(Text),
    /// 413
    #[error("payload too large: {}", .0.en)]
    PayloadTooLarge(Text),
    /// 415
    #[error("unsupported media type: {}", .0.en)]
    UnsupportedMediaType(Text),
    /// 416: a `Range` that starts past the end of a file of `size` bytes.
    #[error("range not satisfiable")]
    RangeNotSatisfiable { size: u64 },
    /// 422: well-formed, but some fields are invalid.
    #[error("validation failed on {} field(s)", .0.len())]
    Validation(Vec<FieldError>),
    /// 429, with the seconds to wait.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// 503: the database cannot be reached now; the client may retry.
    #[error("service unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// 500: a bug or an unexpected failure. Never shown to the client.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn bad_request(detail: Text) -> Self {
        Self::BadRequest { detail, errors: Vec::new() }
    }

    /// A 400 naming the query parameter or header at fault.
    pub fn bad_parameter(field: impl Into<String>, detail: Text, message: Text) -> Self {
        Self::BadRequest { detail, errors: vec![FieldError::new(field, message)] }
    }

    pub fn invalid_field(field: impl Into<String>, message: Text) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A 404 naming what was not found, e.g. `not_found(nouns::DOSSIER)`: "Không tìm thấy hồ sơ",
    /// "dossier not found".
    pub fn not_found(what: Text) -> Self {
        Self::NotFound(Text::new(format!("Không tìm thấy {}", what.vi), format!("{} not found", what.en)))
    }

    pub fn conflict(detail: Text) -> Self {
        Self::Conflict { detail, field: None, existing_id: None }
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad-request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not-found",
            Self::MethodNotAllowed { .. } => "method-not-allowed",
            Self::Conflict { .. } => "conflict",
            Self::Rule { .. } => "illegal-transition",
            Self::PreconditionFailed(_) => "precondition-failed",
            Self::PayloadTooLarge(_) => "payload-too-large",
            Self::UnsupportedMediaType(_) => "unsupported-media-type",
            Self::RangeNotSatisfiable { .. } => "range-not-satisfiable",
            Self::Validation(_) => "validation",
            Self::TooManyRequests { .. } => "too-many-requests",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// What the client reads. 5xx details are fixed texts: internals stay in the log.
    fn detail(&self) -> Text {
        match self {
            Self::BadRequest { detail, .. } | Self::Conflict { detail, .. } | Self::Rule { detail, .. } => {
                detail.clone()
            }
            Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::PreconditionFailed(d)
            | Self::PayloadTooLarge(d)
            | Self::UnsupportedMediaType(d) => d.clone(),
            Self::MethodNotAllowed { allow } => Text::new(
                format!("Đường dẫn này chỉ chấp nhận {}", allow.join(", ")),
                format!("this path accepts only {}", allow.join(", ")),
            ),
            Self::RangeNotSatisfiable { size } => Text::new(
                format!("Khoảng dữ liệu yêu cầu nằm ngoài tệp ({size} byte)"),
                format!("the requested range lies outside the file ({size} bytes)"),
            ),
            Self::Validation(_) => Text::fixed(
                "Yêu cầu đúng định dạng nhưng có trường dữ liệu không hợp lệ.",
                "The request is well-formed but some fields are invalid.",
            ),
            Self::TooManyRequests { retry_after_secs } => Text::new(
                format!("Thử quá nhiều lần; vui lòng thử lại sau {retry_after_secs} giây"),
                format!("too many attempts; retry after {retry_after_secs} s"),
            ),
            Self::Unavailable(_) => Text::fixed(
                "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút.",
                "The database is unavailable at the moment; retry shortly.",
            ),
            Self::Internal(_) => Text::fixed(
                "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại để xử lý.",
                "An unexpected error occurred; it has been logged.",
            ),
        }
    }

    /// The problem document in `lang`.
    pub fn to_problem(&self, lang: Lang) -> Problem {
        let status = self.status_code();
        let errors = match self {
            Self::Validation(errors) | Self::BadRequest { errors, .. } => {
                errors.iter().map(|e| e.render(lang)).collect()
            }
            Self::Conflict { field: Some(field), detail, .. } => {
                vec![ProblemField { field: field.clone(), message: detail.get(lang).to_owned() }]
            }
            _ => Vec::new(),
        };
        let existing_id = match self {
            Self::Conflict { existing_id, .. } => existing_id.clone(),
            _ => None,
        };
        let rule = match self {
            Self::Rule { rule, .. } => Some((*rule).to_owned()),
            _ => None,
        };
        Problem {
            rule,
            problem_type: format!("urn:motcua:problem:{}", self.slug()),
            title: title(status).get(lang).to_owned(),
            status: status.as_u16(),
            detail: Some(self.detail().get(lang).to_owned()),
            errors,
            existing_id,
        }
    }

    /// The problem document in `lang` as JSON text.
    pub fn problem_json(&self, lang: Lang) -> String {
        serde_json::to_string(&self.to_problem(lang)).unwrap_or_else(|_| "{}".to_owned())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } | Self::Rule { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem in Vietnamese, the default; the language middleware of the HTTP layer swaps the
    /// body for English when the request asks for it.
    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            Self::Unavailable(cause) => {
                tracing::warn!(error = %format!("{cause:#}"), "database unavailable")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        response.insert_header((header::CONTENT_LANGUAGE, Lang::Vi.tag()));
        response.insert_header((header::VARY, header::ACCEPT_LANGUAGE.as_str()));
        match self {
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::RangeNotSatisfiable { size } => {
                response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            }
            _ => {}
        }
        response.body(self.problem_json(Lang::Vi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak() {
        let error = ApiError::Internal(anyhow::anyhow!("relation \"secret_table\" does not exist"));
        for lang in [Lang::Vi, Lang::En] {
            let problem = error.to_problem(lang);
            assert_eq!(problem.status, 500);
            assert!(!problem.detail.unwrap().contains("secret_table"));
        }
    }
}
