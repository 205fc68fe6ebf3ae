//! Feedback over HTTP, one file per group of use cases: `write` (record it), `steps` (process,
//! respond, reject, forward, publish), `read` (one, its history, the list, the worklist) and
//! `limits` (an agency's time limit for answering). Handlers parse, call one use case and answer:
//! the rules are in the slice's pure `lifecycle`, the SQL in its store.

pub mod limits;
pub mod read;
pub mod steps;
pub mod write;

use actix_web::http::{StatusCode, header};

use super::model::FeedbackRow;
use super::service;
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::http::idempotency::Saved;

/// A written piece of feedback as its response is kept for `Idempotency-Key` repeats: the
/// caller's view, its ETag and, when it was just created, its Location.
fn saved(row: FeedbackRow, caller: &Caller, status: StatusCode) -> Result<Saved, ApiError> {
    let mut headers = vec![(header::ETAG.to_string(), service::etag(&row))];
    if status == StatusCode::CREATED {
        headers.push((header::LOCATION.to_string(), format!("/api/v1/feedback/{}", row.id)));
    }
    Saved::json(status, &service::to_api(row, caller)?, headers)
}
