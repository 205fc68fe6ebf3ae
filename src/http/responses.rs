//! Reusable error responses for the OpenAPI document: every operation lists the problems it can
//! answer with, by reference to these. Each is in Vietnamese, or in English when
//! `Accept-Language` prefers it, and says which in `Content-Language`.
#![allow(dead_code)] // The newtypes exist for their derived OpenAPI description only.

use utoipa::ToResponse;

use crate::error::Problem;

/// A problem response: its description (the doc comment), its name and its example. The content
/// type, the note on language and the `Content-Language` header are the same for every problem.
macro_rules! problem_response {
    ($(#[doc = $doc:literal])+ $name:ident, $example:tt) => {
        $(#[doc = $doc])+
        /// In the request's language (see `Accept-Language`).
        #[derive(ToResponse)]
        #[response(
            content_type = "application/problem+json",
            headers(("Content-Language" = String, description = "`vi` by default; `en` when `Accept-Language` prefers English")),
            example = json!($example)
        )]
        pub struct $name(Problem);
    };
}

problem_response!(
    /// The request is malformed: unparseable JSON or a bad query parameter.
    BadRequest,
    {
        "type": "urn:motcua:problem:bad-request", "title": "Yêu cầu không hợp lệ", "status": 400,
        "detail": "Nội dung yêu cầu không phải là JSON hợp lệ: thiếu phần kết thúc của đối tượng",
        "errors": [{"field": "body", "message": "thiếu phần kết thúc của đối tượng"}]
    }
);

problem_response!(
    /// No access token, or one that is malformed, forged or expired.
    Unauthorized,
    {
        "type": "urn:motcua:problem:unauthorized", "title": "Chưa xác thực", "status": 401,
        "detail": "Hãy gửi access token trong header Authorization: Bearer …"
    }
);

problem_response!(
    /// The caller's role may not do this.
    Forbidden,
    {
        "type": "urn:motcua:problem:forbidden", "title": "Không có quyền", "status": 403,
        "detail": "Thao tác này cần một trong các vai trò: quản trị; lãnh đạo; cán bộ"
    }
);

problem_response!(
    /// No such resource, or it is outside the caller's scope.
    NotFound,
    {
        "type": "urn:motcua:problem:not-found", "title": "Không tìm thấy", "status": 404, "detail": "Không tìm thấy hồ sơ"
    }
);

problem_response!(
    /// A uniqueness or state rule forbids it.
    Conflict,
    {
        "type": "urn:motcua:problem:illegal-transition", "title": "Xung đột", "status": 409,
        "detail": "Hồ sơ chỉ được yêu cầu bổ sung một lần: phiếu yêu cầu phải nêu đầy đủ mọi nội dung cần bổ sung ngay từ đầu",
        "rule": "supplement_once"
    }
);

problem_response!(
    /// `If-Match` names an older version of the resource.
    PreconditionFailed,
    {
        "type": "urn:motcua:problem:precondition-failed", "title": "Điều kiện không thỏa mãn", "status": 412,
        "detail": "Dữ liệu đã thay đổi kể từ lần bạn đọc (If-Match không khớp ETag hiện tại); hãy đọc lại"
    }
);

problem_response!(
    /// The file is larger than the limit (`MOTCUA_FILES_MAX_BYTES`).
    PayloadTooLarge,
    {
        "type": "urn:motcua:problem:payload-too-large", "title": "Dữ liệu quá lớn", "status": 413,
        "detail": "Tệp lớn hơn giới hạn 20.0 MB (20971520 byte)"
    }
);

problem_response!(
    /// The range starts past the end of the file; `Content-Range` gives its size.
    RangeNotSatisfiable,
    {
        "type": "urn:motcua:problem:range-not-satisfiable", "title": "Khoảng dữ liệu không hợp lệ", "status": 416,
        "detail": "Khoảng dữ liệu yêu cầu nằm ngoài tệp (1024 byte)"
    }
);

problem_response!(
    /// The body is not JSON.
    UnsupportedMediaType,
    {
        "type": "urn:motcua:problem:unsupported-media-type", "title": "Kiểu nội dung không được hỗ trợ", "status": 415,
        "detail": "Hãy gửi nội dung dạng JSON với Content-Type: application/json"
    }
);

problem_response!(
    /// Well-formed, but some fields are invalid; `errors` names each.
    Unprocessable,
    {
        "type": "urn:motcua:problem:validation", "title": "Dữ liệu không hợp lệ", "status": 422,
        "detail": "Yêu cầu đúng định dạng nhưng có trường dữ liệu không hợp lệ.",
        "errors": [{"field": "applicant.phone", "message": "Phải là số điện thoại Việt Nam, ví dụ 0912345678"}]
    }
);

problem_response!(
    /// Too many attempts; see `Retry-After`.
    TooManyRequests,
    {
        "type": "urn:motcua:problem:too-many-requests", "title": "Quá nhiều yêu cầu", "status": 429,
        "detail": "Thử quá nhiều lần; vui lòng thử lại sau 60 giây"
    }
);

/// A file sent or received as the body itself, byte for byte: a spreadsheet, a document or an
/// uploaded CSV.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(Vec<u8>);

/// A named set of the problems an operation answers with, in the order the document lists them:
/// an operation names its set instead of listing the same problems again.
macro_rules! problem_set {
    ($(#[doc = $doc:literal])+ $name:ident { $($status:literal => $problem:ident),+ $(,)? }) => {
        $(#[doc = $doc])+
        #[derive(utoipa::IntoResponses)]
        pub enum $name {
            $(
                #[response(status = $status)]
                $problem(#[ref_response] $problem),
            )+
        }
    };
}

problem_set!(
    /// An action on an existing resource: a lifecycle step of a dossier, or a dossier's rating.
    StepProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        409 => Conflict, 415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// Creating a resource from a JSON body.
    CreateProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 409 => Conflict,
        415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// Changing an existing resource under `If-Match`.
    UpdateProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        409 => Conflict, 412 => PreconditionFailed, 415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// Changing an existing resource under `If-Match`, where nothing can collide.
    EditProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        412 => PreconditionFailed, 415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// Changing an existing resource or an agency's setting, where nothing can collide.
    ChangeProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// A write from a JSON body that no uniqueness rule can refuse: a submission, an import.
    WriteProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 415 => UnsupportedMediaType,
        422 => Unprocessable }
);

problem_set!(
    /// Reading a report or its targets: checked parameters, within the caller's scope.
    ReportProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        422 => Unprocessable }
);

problem_set!(
    /// Reading one resource or a list of a resource the caller may see.
    ReadProblems { 401 => Unauthorized, 404 => NotFound }
);

problem_set!(
    /// The anonymous requests of a citizen's account: registration, codes, password reset.
    CodeProblems { 400 => BadRequest, 415 => UnsupportedMediaType, 422 => Unprocessable,
        429 => TooManyRequests }
);

problem_set!(
    /// Uploading a file as `multipart/form-data`: its content type is decided from its bytes.
    UploadProblems { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
        409 => Conflict, 413 => PayloadTooLarge, 415 => UnsupportedMediaType, 422 => Unprocessable }
);

problem_set!(
    /// Downloading a file of a resource the caller may see.
    DownloadProblems { 401 => Unauthorized, 404 => NotFound, 416 => RangeNotSatisfiable }
);

problem_set!(
    /// Downloading a file by a signed link.
    LinkProblems { 404 => NotFound, 416 => RangeNotSatisfiable }
);

problem_set!(
    /// Removing something that rules may keep.
    RemoveProblems { 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 409 => Conflict }
);
