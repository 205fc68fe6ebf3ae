//! Problem documents in the language the client asks for (see `crate::i18n`).
//!
//! `ApiError::error_response` writes Vietnamese. Wrapped around the whole app, this middleware
//! reads `Accept-Language` and, when the response carries an `ApiError` (actix keeps the error
//! on the response it built from it: handlers, extractors, the path config, guards, the default
//! service), writes its body again in English with `Content-Language: en`. Inner layers answer
//! errors as responses carrying them (the NUL guard uses `ServiceRequest::error_response`); an
//! `Err` would pass through here untouched and be rendered by actix in Vietnamese.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

use crate::error::ApiError;
use crate::i18n::Lang;

pub async fn negotiate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The request is not cloned: routing needs the only reference to it.
    let lang = Lang::of_request(&req);
    let response = next.call(req).await?.map_into_boxed_body();
    Ok(in_language(response, lang))
}

fn in_language(response: ServiceResponse<BoxBody>, lang: Lang) -> ServiceResponse<BoxBody> {
    if lang == Lang::Vi {
        return response;
    }
    let Some(body) =
        response.response().error().and_then(|e| e.as_error::<ApiError>()).map(|e| e.problem_json(lang))
    else {
        return response;
    };
    response.map_body(|head, _| {
        head.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
        BoxBody::new(body)
    })
}
