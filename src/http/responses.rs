//! Reusable error responses for the OpenAPI document: every operation lists the problems it can
//! answer with, by reference to these. Each is in Vietnamese, or in English when
//! `Accept-Language` prefers it, and says which in `Content-Language`.
#![allow(dead_code)] // The newtypes exist for their derived OpenAPI description only.

use utoipa::ToResponse;

use crate::error::Problem;

/// The request is malformed: unparseable JSON or a bad query parameter.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:bad-request", "title": "Yêu cầu không hợp lệ", "status": 400,
    "detail": "Nội dung yêu cầu không phải là JSON hợp lệ: thiếu phần kết thúc của đối tượng",
    "errors": [{"field": "body", "message": "thiếu phần kết thúc của đối tượng"}]
})
)]
pub struct BadRequest(Problem);

/// No access token, or one that is malformed, forged or expired.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:unauthorized", "title": "Chưa xác thực", "status": 401,
    "detail": "Hãy gửi access token trong header Authorization: Bearer …"
})
)]
pub struct Unauthorized(Problem);

/// The caller's role may not do this.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:forbidden", "title": "Không có quyền", "status": 403,
    "detail": "Thao tác này cần một trong các vai trò: quản trị; lãnh đạo; cán bộ"
})
)]
pub struct Forbidden(Problem);

/// No such resource, or it is outside the caller's scope.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:not-found", "title": "Không tìm thấy", "status": 404, "detail": "Không tìm thấy hồ sơ"
})
)]
pub struct NotFound(Problem);

/// A uniqueness or state rule forbids it.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:illegal-transition", "title": "Xung đột", "status": 409,
    "detail": "Hồ sơ chỉ được yêu cầu bổ sung một lần: phiếu yêu cầu phải nêu đầy đủ mọi nội dung cần bổ sung ngay từ đầu",
    "rule": "supplement_once"
})
)]
pub struct Conflict(Problem);

/// `If-Match` names an older version of the resource.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:precondition-failed", "title": "Điều kiện không thỏa mãn", "status": 412,
    "detail": "Dữ liệu đã thay đổi kể từ lần bạn đọc (If-Match không khớp ETag hiện tại); hãy đọc lại"
})
)]
pub struct PreconditionFailed(Problem);

/// The body is not JSON.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:unsupported-media-type", "title": "Kiểu nội dung không được hỗ trợ", "status": 415,
    "detail": "Hãy gửi nội dung dạng JSON với Content-Type: application/json"
})
)]
pub struct UnsupportedMediaType(Problem);

/// Well-formed, but some fields are invalid; `errors` names each.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:validation", "title": "Dữ liệu không hợp lệ", "status": 422,
    "detail": "Yêu cầu đúng định dạng nhưng có trường dữ liệu không hợp lệ.",
    "errors": [{"field": "applicant.phone", "message": "a Vietnamese phone number, e.g. 0912345678"}]
})
)]
pub struct Unprocessable(Problem);

/// Too many attempts; see `Retry-After`.
/// In the request's language (see `Accept-Language`).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
    example = json!({
    "type": "urn:motcua:problem:too-many-requests", "title": "Quá nhiều yêu cầu", "status": 429,
    "detail": "Thử quá nhiều lần; vui lòng thử lại sau 60 giây"
})
)]
pub struct TooManyRequests(Problem);

/// A file sent or received as the body itself, byte for byte: a spreadsheet, a document or an
/// uploaded CSV.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(Vec<u8>);
