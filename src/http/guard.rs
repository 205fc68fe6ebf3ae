//! Refuse a NUL character anywhere in the path or query (`%00`): PostgreSQL cannot store or
//! compare it in text, and no id, code or parameter contains one.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::{ApiError, FieldError};
use crate::i18n::Text;

pub async fn reject_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let uri = req.uri();
    let in_path = uri.path().contains("%00");
    let in_query = uri.query().is_some_and(|q| q.contains("%00"));
    if in_path || in_query {
        let (part, part_vi) =
            if in_path { ("path", "đường dẫn") } else { ("query", "chuỗi truy vấn") };
        let error = ApiError::BadRequest {
            detail: Text::new(
                format!("Phần {part_vi} của yêu cầu chứa ký tự NUL"),
                format!("the request's {part} contains a NUL character"),
            ),
            errors: vec![FieldError::new(
                part,
                Text::fixed("Không được chứa ký tự NUL (%00)", "must not contain NUL (%00)"),
            )],
        };
        // The error itself rides on the response, for the language middleware.
        return Ok(req.error_response(error));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
