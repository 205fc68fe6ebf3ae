//! Refuse a NUL character anywhere in the path or query (`%00`): PostgreSQL cannot store or
//! compare it in text, and no id, code or parameter contains one.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};

use crate::error::{ApiError, FieldError};

pub async fn reject_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let uri = req.uri();
    let in_path = uri.path().contains("%00");
    let in_query = uri.query().is_some_and(|q| q.contains("%00"));
    if in_path || in_query {
        let part = if in_path { "path" } else { "query" };
        let error = ApiError::BadRequest {
            detail: format!("the request's {part} contains a NUL character"),
            errors: vec![FieldError::new(part, "must not contain NUL (%00)")],
        };
        return Ok(req.into_response(error.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
