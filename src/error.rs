//! One error type for the whole API, rendered as RFC 9457 `application/problem+json`.
//!
//! Client errors name the field at fault; unexpected errors become an opaque 500 whose cause
//! chain goes to the log only.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's path in the request, e.g. `applicant.full_name` or `limit`.
    #[schema(example = "password")]
    pub field: String,
    #[schema(example = "must be at least 10 characters long")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:motcua:problem:validation",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "The request is well-formed but some fields are invalid.",
    "errors": [{"field": "password", "message": "must be at least 10 characters long"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation failures: every invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a conflict with an existing record: its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
    /// For a step the one-stop rules forbid: the rule's stable name, e.g. `supplement_once`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be parsed.
    #[error("bad request: {detail}")]
    BadRequest { detail: String, errors: Vec<FieldError> },
    /// 401: no credentials or bad credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: absent, or outside the caller's scope.
    #[error("not found: {0}")]
    NotFound(String),
    /// 405, with the methods the path does accept.
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    /// 409: a uniqueness rule or a state rule forbids it.
    #[error("conflict: {detail}")]
    Conflict { detail: String, field: Option<String>, existing_id: Option<String> },
    /// 409: a rule of the dossier lifecycle forbids this step.
    #[error("rule {rule}: {detail}")]
    Rule { rule: &'static str, detail: String },
    /// 412: `If-Match` names an old version.
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// 413
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// 415
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
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
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::BadRequest { detail: detail.into(), errors: Vec::new() }
    }

    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::Conflict { detail: detail.into(), field: None, existing_id: None }
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
            Self::Validation(_) => "validation",
            Self::TooManyRequests { .. } => "too-many-requests",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// What the client reads. 5xx details are fixed texts: internals stay in the log.
    fn detail(&self) -> String {
        match self {
            Self::BadRequest { detail, .. } | Self::Conflict { detail, .. } | Self::Rule { detail, .. } => {
                detail.clone()
            }
            Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::PreconditionFailed(d)
            | Self::PayloadTooLarge(d)
            | Self::UnsupportedMediaType(d) => d.clone(),
            Self::NotFound(what) => format!("{what} not found"),
            Self::MethodNotAllowed { allow } => {
                format!("this path accepts only {}", allow.join(", "))
            }
            Self::Validation(_) => "The request is well-formed but some fields are invalid.".into(),
            Self::TooManyRequests { retry_after_secs } => {
                format!("too many attempts; retry after {retry_after_secs} s")
            }
            Self::Unavailable(_) => "The database is unavailable at the moment; retry shortly.".into(),
            Self::Internal(_) => "An unexpected error occurred; it has been logged.".into(),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            Self::Validation(errors) | Self::BadRequest { errors, .. } => errors.clone(),
            Self::Conflict { field: Some(field), detail, .. } => {
                vec![FieldError::new(field.clone(), detail.clone())]
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
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(self.detail()),
            errors,
            existing_id,
        }
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

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
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

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
            _ => {}
        }
        response.json(self.to_problem())
    }
}

/// The column a unique violation is about, from PostgreSQL's constraint name
/// (`agencies_code_key`) or SQLite's message (`UNIQUE constraint failed: agencies.code`).
fn unique_violation_field(info: &dyn diesel::result::DatabaseErrorInformation) -> Option<String> {
    if let Some(constraint) = info.constraint_name() {
        if constraint.ends_with("_pkey") {
            return None;
        }
        let without_suffix = constraint.strip_suffix("_key").unwrap_or(constraint);
        let table = info.table_name().unwrap_or_default();
        let field = without_suffix
            .strip_prefix(table)
            .and_then(|s| s.strip_prefix('_'))
            .or_else(|| without_suffix.split_once('_').map(|(_, f)| f))?;
        return Some(field.to_owned());
    }
    let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
    let first = columns.split(',').next()?.trim();
    Some(first.rsplit('.').next().unwrap_or(first).to_owned())
}

fn is_data_exception(message: &str) -> bool {
    ["out of range", "invalid byte sequence", "invalid input syntax", "value too long"]
        .iter()
        .any(|pattern| message.contains(pattern))
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::NotFound => Self::NotFound("resource".into()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let field = unique_violation_field(info.as_ref());
                let detail = match &field {
                    Some(f) => format!("a record with this {f} already exists"),
                    None => "a record with these values already exists".into(),
                };
                Self::Conflict { detail, field, existing_id: None }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable(error.into())
            }
            // PostgreSQL data exceptions (a value it cannot store) that validation did not catch:
            // the client's input, so a 422 rather than a 500.
            DieselError::DatabaseError(_, info) if is_data_exception(info.message()) => {
                Self::Validation(vec![FieldError::new("body", "a value is outside what can be stored")])
            }
            // SQLite's "database is locked" after the busy timeout: the writer is overloaded,
            // not broken; the client may retry.
            DieselError::DatabaseError(_, info) if info.message().contains("database is locked") => {
                Self::Unavailable(error.into())
            }
            _ => Self::Internal(error.into()),
        }
    }
}

/// Validation errors of the `validator` crate, reduced to field and code: its `Display`
/// includes the submitted value, which may be a password.
impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors(&errors, "", &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

fn collect_validation_errors(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe_validation_code(e));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

fn describe_validation_code(e: &validator::ValidationError) -> String {
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            _ => "invalid length".into(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "out of range".into(),
        },
        "email" => "must be an e-mail address".into(),
        "url" => "must be a URL".into(),
        code => format!("invalid ({code})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info {
        message: &'static str,
        table: Option<&'static str>,
        constraint: Option<&'static str>,
    }
    impl diesel::result::DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            self.table
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn unique_violations_name_their_field_on_both_backends() {
        let pg =
            Info { message: "duplicate key", table: Some("agencies"), constraint: Some("agencies_code_key") };
        assert_eq!(unique_violation_field(&pg).as_deref(), Some("code"));
        let pg_multi = Info {
            message: "duplicate key",
            table: Some("service_accounts"),
            constraint: Some("service_accounts_client_id_key"),
        };
        assert_eq!(unique_violation_field(&pg_multi).as_deref(), Some("client_id"));
        let sqlite =
            Info { message: "UNIQUE constraint failed: users.username", table: None, constraint: None };
        assert_eq!(unique_violation_field(&sqlite).as_deref(), Some("username"));
    }

    #[test]
    fn internal_errors_do_not_leak() {
        let error = ApiError::Internal(anyhow::anyhow!("relation \"secret_table\" does not exist"));
        let problem = error.to_problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.unwrap().contains("secret_table"));
    }
}
