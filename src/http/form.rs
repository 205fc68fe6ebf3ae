//! `multipart/form-data` bodies: what both uploads share (the dossiers' files, streamed to the
//! file store, and the catalogue import, read whole since it is parsed whole): the problem a
//! malformed form answers with, and reading a part that must fit in memory.

use actix_multipart::{Field, MultipartError};

use crate::error::ApiError;
use crate::i18n::Text;

/// The problem for a form that cannot be read: 415 when the body is not a multipart form at
/// all, 400 when the form itself is broken. `parts` names the parts the form should have.
pub fn malformed(e: MultipartError, parts: &str) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::UnsupportedMediaType(Text::new(
            format!("Hãy gửi tệp dạng multipart/form-data (phần {parts})"),
            format!("send the file as multipart/form-data (parts {parts})"),
        )),
        other => ApiError::bad_request(Text::new(
            format!("Biểu mẫu multipart không hợp lệ: {other}"),
            format!("malformed multipart form: {other}"),
        )),
    }
}

/// A whole part of at most `limit` bytes; `too_large` is the answer to a longer one, `parts`
/// names the form's parts for a malformed one.
pub async fn read_part(
    field: &mut Field,
    limit: usize,
    parts: &str,
    too_large: impl FnOnce() -> ApiError,
) -> Result<Vec<u8>, ApiError> {
    match field.bytes(limit).await {
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(e)) => Err(malformed(e, parts)),
        Err(_) => Err(too_large()),
    }
}
