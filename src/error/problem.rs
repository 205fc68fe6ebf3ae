//! The problem document a client reads, and the parts of it that are the same for every error.

use actix_web::http::StatusCode;
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

    pub(super) fn render(&self, lang: Lang) -> ProblemField {
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

/// The title of each status, in both languages (English: the status's reason phrase).
pub(super) fn title(status: StatusCode) -> Text {
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
        416 => "Khoảng dữ liệu không hợp lệ",
        422 => "Dữ liệu không hợp lệ",
        429 => "Quá nhiều yêu cầu",
        503 => "Dịch vụ tạm thời không khả dụng",
        _ => "Lỗi máy chủ",
    };
    Text::new(vi, status.canonical_reason().unwrap_or("Error"))
}

pub const PROBLEM_JSON: &str = "application/problem+json";
