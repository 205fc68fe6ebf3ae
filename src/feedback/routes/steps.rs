//! The feedback's steps over HTTP: each body becomes an action with its detail, which
//! `service::act` takes in one idempotent transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use validator::Validate;

use super::saved;
use crate::dossiers::model::{ReasonBody, StepBody};
use crate::error::ApiError;
use crate::feedback::lifecycle::FeedbackAction;
use crate::feedback::model::{Feedback, ForwardBody, RespondBody};
use crate::feedback::service::{self, Detail};
use crate::http::etag::IfMatch;
use crate::http::extract::JsonBody;
use crate::http::idempotency::{self, IdempotencyKey};
use crate::http::responses as r;
use crate::http::step::StepCall;

// A step's result, for the OpenAPI description only; its problems are `r::UpdateProblems`.
/// The feedback after the step.
#[derive(utoipa::IntoResponses)]
#[response(status = 200, headers(("ETag" = String)))]
#[allow(dead_code)] // Never built: exists for its OpenAPI description.
struct StepDone(Feedback);

/// Take the step a body asks for (the action, when it was taken, what it carries), replaying the
/// first answer to a repeated `Idempotency-Key`.
async fn take<B>(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<B>,
    asked: impl FnOnce(&B) -> (FeedbackAction, Option<DateTime<Utc>>, Detail),
) -> Result<HttpResponse, ApiError>
where
    B: Validate + DeserializeOwned,
{
    body.validate()?;
    let StepCall { auth, id, key, db, calendars } = call;
    let idempotency = key.with_body(body.raw());
    let (action, at, detail) = asked(&body);
    let caller = auth.caller.clone();
    idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let row = service::act(conn, &calendars, &caller, &id, &if_match, action, at, detail)?;
        saved(row, &caller, StatusCode::OK)
    })
    .await
}

/// Take received feedback into processing.
///
/// Officers, administrators and service accounts may take it, on feedback of an agency in their
/// scope (404 otherwise); leaders read only (403), a citizen sees only their own feedback.
/// `If-Match` guards against a concurrent step (412). Only newly received feedback (409
/// `process_received_only`). A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "feedback_process",
    tag = "feedback",
    params(
        ("id" = String, Path, description = "Feedback id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = StepBody, example = json!({"note": "Giao công chức văn phòng xác minh"})),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/process")]
pub async fn process(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<StepBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, if_match, body, |b| (FeedbackAction::Process, b.at, Detail::None)).await
}

/// Answer the feedback: it is resolved.
///
/// Officers, administrators and service accounts may take it, on feedback of an agency in their
/// scope (404 otherwise); leaders read only (403), a citizen sees only their own feedback.
/// `If-Match` guards against a concurrent step (412). Only open feedback (409 `respond_open_only`).
/// A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "feedback_respond",
    tag = "feedback",
    params(
        ("id" = String, Path, description = "Feedback id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = RespondBody, example = json!({
        "response": "Hồ sơ đã được giải quyết; kết quả trả ngày 28/6/2024. UBND xã xin lỗi vì sự chậm trễ."
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/respond")]
pub async fn respond(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<RespondBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, if_match, body, |b| {
        (FeedbackAction::Respond, b.at, Detail::Response(b.response.trim().to_owned()))
    })
    .await
}

/// Refuse the feedback, with the reason.
///
/// Officers, administrators and service accounts may take it, on feedback of an agency in their
/// scope (404 otherwise); leaders read only (403), a citizen sees only their own feedback.
/// `If-Match` guards against a concurrent step (412). Only open feedback (409 `reject_open_only`).
/// A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "feedback_reject",
    tag = "feedback",
    params(
        ("id" = String, Path, description = "Feedback id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = ReasonBody, example = json!({
        "reason": "Nội dung không thuộc phạm vi phản ánh, kiến nghị về thủ tục hành chính"
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/reject")]
pub async fn reject(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<ReasonBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, if_match, body, |b| (FeedbackAction::Reject, b.at, Detail::Reason(b.reason.trim().to_owned())))
        .await
}

/// Forward feedback outside the agency's competence to the competent agency; its clock starts
/// there.
///
/// Officers, administrators and service accounts may take it, on feedback of an agency in their
/// scope (404 otherwise); leaders read only (403), a citizen sees only their own feedback.
/// `If-Match` guards against a concurrent step (412). Only open feedback (409 `forward_open_only`),
/// to another agency (422 on `agency_id`); the competent agency may lie outside the caller's scope.
/// A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "feedback_forward",
    tag = "feedback",
    params(
        ("id" = String, Path, description = "Feedback id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = ForwardBody, example = json!({
        "agency_id": "0b6f2a9c-4d1e-4f7a-8b3c-5d6e7f8a9b0c", "note": "Thuộc thẩm quyền của Sở Tư pháp"
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/forward")]
pub async fn forward(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<ForwardBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, if_match, body, |b| {
        (
            FeedbackAction::Forward,
            b.at,
            Detail::Forward { agency_id: b.agency_id.clone(), note: b.note.clone() },
        )
    })
    .await
}

/// Publish the result (công khai kết quả), once, after the answer.
///
/// Officers, administrators and service accounts may take it, on feedback of an agency in their
/// scope (404 otherwise); leaders read only (403), a citizen sees only their own feedback.
/// `If-Match` guards against a concurrent step (412). Only answered feedback (409
/// `publish_after_response`), once (409 `publish_once`). Published answers are listed at `GET
/// /api/v1/public/feedback`, without who filed them. A repeated `Idempotency-Key` replays the first
/// answer.
#[utoipa::path(
    operation_id = "feedback_publish",
    tag = "feedback",
    params(
        ("id" = String, Path, description = "Feedback id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = StepBody, example = json!({"note": "Công khai trên cổng dịch vụ công của tỉnh"})),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/publish")]
pub async fn publish(
    call: StepCall,
    if_match: IfMatch,
    body: JsonBody<StepBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, if_match, body, |b| (FeedbackAction::Publish, b.at, Detail::None)).await
}
