//! One error type for the whole API, rendered as RFC 9457 `application/problem+json`.
//!
//! Client errors name the field at fault; unexpected errors become an opaque 500 whose cause
//! chain goes to the log only. Every text a client reads is a [`Text`] in Vietnamese and
//! English: `error_response` renders Vietnamese, and `crate::http::language::negotiate` renders
//! English for a request that prefers it (see `crate::i18n` for the design).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Lang, Text};

/// One invalid field of a request, with its message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the request, e.g. `applicant.full_name` or `limit`.
    pub field: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: Text) -> Self {
        Self { field: field.into(), message }
    }

    fn render(&self, lang: Lang) -> ProblemField {
        ProblemField { field: self.field.clone(), message: self.message.get(lang).to_owned() }
    }
}

/// One invalid field of a request, as a problem document lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct ProblemField {
    /// The field's path in the request, e.g. `applicant.full_name` or `limit`.
    #[schema(example = "password")]
    pub field: String,
    /// In the response's language (`Content-Language`).
    #[schema(example = "Phải có ít nhất 10 ký tự")]
    pub message: String,
}

/// An RFC 9457 problem document. `title`, `detail` and each `errors[].message` are in Vietnamese,
/// or in English when the request's `Accept-Language` prefers English (`Content-Language` says
/// which); `type`, `status`, `errors[].field` and `rule` are the same in every language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:motcua:problem:validation",
    "title": "Dữ liệu không hợp lệ",
    "status": 422,
    "detail": "Yêu cầu đúng định dạng nhưng có trường dữ liệu không hợp lệ.",
    "errors": [{"field": "password", "message": "Phải có ít nhất 10 ký tự"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem. Stable: clients key on it, not on the texts.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The status's name in the response's language, e.g. "Không tìm thấy" / "Not Found".
    pub title: String,
    pub status: u16,
    /// What went wrong, in the response's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation failures: every invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
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

/// The title of each status, in both languages (English: the status's reason phrase).
fn title(status: StatusCode) -> Text {
    let vi = match status.as_u16() {
        400 => "Yêu cầu không hợp lệ",
        401 => "Chưa xác thực",
        403 => "Không có quyền",
        404 => "Không tìm thấy",
        405 => "Phương thức không được hỗ trợ",
        409 => "Xung đột",
        412 => "Điều kiện không thỏa mãn",
        413 => "Dữ liệu quá lớn",
        415 => "Kiểu nội dung không được hỗ trợ",
        422 => "Dữ liệu không hợp lệ",
        429 => "Quá nhiều yêu cầu",
        503 => "Dịch vụ tạm thời không khả dụng",
        _ => "Lỗi máy chủ",
    };
    Text::new(vi, status.canonical_reason().unwrap_or("Error"))
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

    /// The problem in Vietnamese, the default; `crate::http::language::negotiate` swaps the body
    /// for English when the request asks for it.
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
            _ => {}
        }
        response.body(self.problem_json(Lang::Vi))
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
            DieselError::NotFound => Self::not_found(crate::i18n::nouns::RESOURCE),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let field = unique_violation_field(info.as_ref());
                let detail = match &field {
                    Some(f) => Text::new(
                        format!("Đã có một bản ghi với {f} này"),
                        format!("a record with this {f} already exists"),
                    ),
                    None => Text::fixed(
                        "Đã có một bản ghi với các giá trị này",
                        "a record with these values already exists",
                    ),
                };
                Self::Conflict { detail, field, existing_id: None }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable(error.into())
            }
            // PostgreSQL data exceptions (a value it cannot store) that validation did not catch:
            // the client's input, so a 422 rather than a 500.
            DieselError::DatabaseError(_, info) if is_data_exception(info.message()) => Self::invalid_field(
                "body",
                Text::fixed("Có giá trị vượt quá giới hạn lưu trữ", "a value is outside what can be stored"),
            ),
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
/// includes the submitted value, which may be a password. Each code (with its parameters) is
/// given its message in both languages by [`describe_validation_code`]; custom validators set
/// a code listed there, never an English-only message.
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
                    out.push(FieldError::new(path.clone(), describe_validation_code(e)));
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

/// Codes of the custom validators, each with its message in [`describe_validation_code`].
pub mod validation_codes {
    /// Text that is empty or only spaces.
    pub const BLANK: &str = "blank";
    /// An agency's or a procedure's code.
    pub const CODE: &str = "code";
    /// A date or instant outside `min`..=`max` (years).
    pub const DATE_RANGE: &str = "date_range";
    /// An identity number or tax code.
    pub const ID_NUMBER: &str = "id_number";
    pub const PHONE: &str = "phone";
    pub const USERNAME: &str = "username";
}

/// A custom validator's error: a code of [`validation_codes`] with its parameters.
pub fn validation_error(code: &'static str, params: &[(&'static str, i64)]) -> validator::ValidationError {
    let mut error = validator::ValidationError::new(code);
    for (name, value) in params {
        error.add_param((*name).into(), value);
    }
    error
}

/// The message of a validation code, in both languages.
fn describe_validation_code(e: &validator::ValidationError) -> Text {
    use validation_codes as c;
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => Text::new(
                format!("Độ dài phải từ {min} đến {max} ký tự"),
                format!("length must be between {min} and {max}"),
            ),
            (Some(min), None) => Text::new(
                format!("Phải có ít nhất {min} ký tự"),
                format!("must be at least {min} characters long"),
            ),
            (None, Some(max)) => Text::new(
                format!("Không được quá {max} ký tự"),
                format!("must be at most {max} characters long"),
            ),
            _ => Text::fixed("Độ dài không hợp lệ", "invalid length"),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => {
                Text::new(format!("Phải từ {min} đến {max}"), format!("must be between {min} and {max}"))
            }
            (Some(min), None) => {
                Text::new(format!("Không được nhỏ hơn {min}"), format!("must be at least {min}"))
            }
            (None, Some(max)) => {
                Text::new(format!("Không được lớn hơn {max}"), format!("must be at most {max}"))
            }
            _ => Text::fixed("Nằm ngoài phạm vi cho phép", "out of range"),
        },
        "email" => Text::fixed("Phải là một địa chỉ thư điện tử", "must be an e-mail address"),
        "url" => Text::fixed("Phải là một địa chỉ URL", "must be a URL"),
        c::BLANK => Text::fixed("Không được để trống", "must not be empty"),
        c::CODE => Text::fixed(
            "Từ 1 đến 64 ký tự gồm chữ cái không dấu, chữ số, '.', '-' hoặc '_'",
            "1 to 64 letters, digits, '.', '-' or '_'",
        ),
        c::DATE_RANGE => match (param("min"), param("max")) {
            (Some(min), Some(max)) => Text::new(
                format!("Phải nằm trong khoảng từ năm {min} đến năm {max}"),
                format!("must lie between {min} and {max}"),
            ),
            _ => Text::fixed("Ngày nằm ngoài phạm vi cho phép", "date out of range"),
        },
        c::ID_NUMBER => Text::fixed(
            "Số định danh cá nhân gồm 9 hoặc 12 chữ số; mã số thuế của tổ chức gồm 10 hoặc 13 chữ số",
            "9 or 12 digits for a person, 10 or 13 for an organization",
        ),
        c::PHONE => Text::fixed(
            "Phải là số điện thoại Việt Nam, ví dụ 0912345678",
            "a Vietnamese phone number, e.g. 0912345678",
        ),
        c::USERNAME => Text::fixed(
            "Từ 3 đến 64 ký tự gồm chữ cái không dấu, chữ số, '.', '_', '-' hoặc '@'",
            "3 to 64 letters, digits, '.', '_', '-' or '@'",
        ),
        code => Text::new(format!("Giá trị không hợp lệ ({code})"), format!("invalid ({code})")),
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
        for lang in [Lang::Vi, Lang::En] {
            let problem = error.to_problem(lang);
            assert_eq!(problem.status, 500);
            assert!(!problem.detail.unwrap().contains("secret_table"));
        }
    }
}
