//! The twelve lifecycle steps over HTTP: each body becomes a `Step`, which `service::act` takes in
//! one idempotent transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post};
use serde::de::DeserializeOwned;
use validator::Validate;

use super::saved;
use crate::dossiers::model::{
    ApologizeBody, AssignBody, ReasonBody, ResolveBody, StepBody, SupplementBody, TransferBody,
};
use crate::dossiers::service;
use crate::dossiers::steps::{Change, Step};
use crate::dossiers::views::Dossier;
use crate::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::idempotency::{self, IdempotencyKey};
use crate::http::responses as r;
use crate::http::step::StepCall;

// A step's result, for the OpenAPI description only; its problems are `r::StepProblems`.
/// The dossier after the step.
#[derive(utoipa::IntoResponses)]
#[response(status = 200)]
#[allow(dead_code)] // Never built: exists for its OpenAPI description.
struct StepDone(Dossier);

/// Take the step a body asks for, replaying the first answer to a repeated `Idempotency-Key`.
async fn take<B>(
    call: StepCall,
    body: JsonBody<B>,
    into_step: impl FnOnce(B) -> Step,
) -> Result<HttpResponse, ApiError>
where
    B: Validate + DeserializeOwned,
{
    body.validate()?;
    let StepCall { auth, id, key, db, calendars } = call;
    let idempotency = key.with_body(body.raw());
    let step = into_step(body.into_inner());
    let action = step.change.action();
    let caller = auth.caller.clone();
    let response = idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let row = service::act(conn, &calendars, &caller, &id, step)?;
        saved(row, &caller, StatusCode::OK)
    })
    .await?;
    tracing::info!(by = %auth.id, action = action.as_str(), "dossier step");
    Ok(response)
}

/// Accept an online dossier: the receipt with its appointment is issued and the clock starts.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only a `submitted` dossier is accepted (409
/// `accept_submitted_only`). A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_accept",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = StepBody, example = json!({"note": "Hồ sơ đủ thành phần, tiếp nhận"})),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/accept")]
pub async fn accept(call: StepCall, body: JsonBody<StepBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(Change::Accept)).await
}

/// Send the dossier back for the missing documents, once, before or after acceptance.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only while it awaits receipt or is processed (409
/// `supplement_while_open`), and at most once (409 `supplement_once`): the slip lists everything
/// missing in one go. After acceptance the clock stops until the supplement arrives. A repeated
/// `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_request_supplement",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = ReasonBody, example = json!({
        "reason": "Thiếu bản chính Giấy chứng sinh; bổ sung tại bộ phận một cửa"
    })),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/request-supplement")]
pub async fn request_supplement(
    call: StepCall,
    body: JsonBody<ReasonBody>,
) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(|reason| Change::RequestSupplement { reason })).await
}

/// The requested documents arrived.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). The applicant may also take this step on their own dossier.
/// Only after a supplement was requested (409 `supplement_requested_first`). The dossier goes back
/// to awaiting receipt, or (after acceptance) to processing with the clock restarted from now with
/// the full time limit. A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_supplement",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = SupplementBody, example = json!({
        "components": [{"name": "Tờ khai đăng ký khai sinh", "digitized": true}, {"name": "Giấy chứng sinh", "digitized": true}],
        "note": "Công dân đã nộp bản chính Giấy chứng sinh"
    })),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/supplement")]
pub async fn supplement(call: StepCall, body: JsonBody<SupplementBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, Step::from).await
}

/// Assign the dossier to an officer of its agency.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only an open dossier (409 `assign_open_only`), to an active
/// officer, leader or administrator of the dossier's agency (422 on `user_id` otherwise). A
/// repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_assign",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = AssignBody, example = json!({
        "user_id": "3f0a6c1e-7b2d-4e5f-9a8b-1c2d3e4f5a6b", "note": "Chuyển công chức tư pháp - hộ tịch"
    })),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/assign")]
pub async fn assign(call: StepCall, body: JsonBody<AssignBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, Step::from).await
}

/// Record the result: approved, or refused with its reasons; say whether the result is digitized.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only a dossier being processed (409
/// `resolve_processing_only`); a supplement requested must arrive first. On a procedure with
/// `requires_approval` the result is only proposed: the dossier goes to `awaiting_approval`
/// (`proposal`) until a leader approves it or sends it back. A repeated `Idempotency-Key`
/// replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_resolve",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body = ResolveBody,
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/resolve")]
pub async fn resolve(call: StepCall, body: JsonBody<ResolveBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, Step::from).await
}

/// The result was handed to the applicant.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only a resolved dossier (409 `return_resolved_only`). A
/// repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_return_result",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = StepBody, example = json!({"note": "Đã trả kết quả trực tiếp cho công dân"})),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/return")]
pub async fn return_result(call: StepCall, body: JsonBody<StepBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(Change::Return)).await
}

/// The applicant withdraws the dossier, or the desk stops it with a notice.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). The applicant may also take this step on their own dossier.
/// Only an open dossier (409 `withdraw_open_only`). A repeated `Idempotency-Key` replays the first
/// answer.
#[utoipa::path(
    operation_id = "dossiers_withdraw",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = ReasonBody, example = json!({"reason": "Công dân có đơn xin rút hồ sơ"})),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/withdraw")]
pub async fn withdraw(call: StepCall, body: JsonBody<ReasonBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(|reason| Change::Withdraw { reason })).await
}

/// Refuse the dossier at reception, before acceptance (form 03).
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only before acceptance (409 `reject_before_acceptance`): an
/// accepted dossier is resolved as refused instead. A repeated `Idempotency-Key` replays the first
/// answer.
#[utoipa::path(
    operation_id = "dossiers_reject",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = ReasonBody, example = json!({
        "reason": "Thủ tục không thuộc thẩm quyền giải quyết của UBND xã"
    })),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/reject")]
pub async fn reject(call: StepCall, body: JsonBody<ReasonBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(|reason| Change::Reject { reason })).await
}

/// Apologize for the delay with a new appointment (form 04), at most once.
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; leaders read only (403), a citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only for an accepted dossier still being processed (409
/// `apology_while_processing`), and once (409 `apology_once`). `due_at` stays: it is the legal
/// deadline the report judges against. A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_apologize",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = ApologizeBody, example = json!({
        "reason": "Cần xác minh thêm thông tin với cơ quan khác", "new_appointment_at": "2024-06-28T09:00:00Z"
    })),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/apologize")]
pub async fn apologize(call: StepCall, body: JsonBody<ApologizeBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, Step::from).await
}

/// The leader approves the result an officer proposed: the dossier is resolved as of now.
///
/// Leaders and administrators may take it (officers, service accounts: 403), on a dossier of an
/// agency in their scope; a leader only on their own agency's dossiers (403 for a leader of an
/// agency above it, who reads but does not sign). A citizen sees only their own dossiers (404 for
/// any other, as for a missing one). Only a dossier whose proposed result awaits approval (409
/// `approve_requires_awaiting_approval`), which happens on a procedure with `requires_approval`.
/// The proposal's outcome, digitization and resolving agency become the result, its resolution
/// time is the approval's (what the report judges), and the proposing officer answers for the
/// result's digitization. A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_approve",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = StepBody, example = json!({"note": "Đồng ý, trình ký"})),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/approve")]
pub async fn approve(call: StepCall, body: JsonBody<StepBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(Change::Approve)).await
}

/// The leader sends the proposed result back to the officers with the reason: processing again.
///
/// Leaders and administrators may take it (officers, service accounts: 403), on a dossier of an
/// agency in their scope; a leader only on their own agency's dossiers (403 for a leader of an
/// agency above it). A citizen sees only their own dossiers (404 for any other, as for a missing
/// one). Only a dossier whose proposed result awaits approval (409
/// `send_back_requires_awaiting_approval`). The proposal is dropped (it stays in the history
/// with the reason); the legal clock keeps running. A repeated `Idempotency-Key` replays the
/// first answer.
#[utoipa::path(
    operation_id = "dossiers_send_back",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body(content = ReasonBody, example = json!({"reason": "Kiểm tra lại thông tin người cha trên tờ khai"})),
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/send-back")]
pub async fn send_back(call: StepCall, body: JsonBody<ReasonBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, |b| b.into_step(|reason| Change::SendBack { reason })).await
}

/// Send the dossier on to another agency that works or decides it (joint processing, liên thông).
///
/// Officers, administrators and the portal's service accounts may take it, on a dossier of an
/// agency in their scope; an officer only while their agency holds it (409
/// `held_by_another_agency`); leaders read only (403), a citizen sees only their own dossiers
/// (404 for any other). Only a dossier being processed (409 `transfer_while_processing`), to
/// another existing agency than its holder (422 on `to_agency_id`). The receiving agency holds
/// it from now on (`holder_agency_id`): it sees it (worklist `held`) and takes its steps, and
/// may send it on again. When its result is recorded, the result goes back to the reception
/// desk, which hands it over; the holder becomes the agency that produced it. Each hop with its
/// times: `GET /dossiers/{id}/hops`. A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "dossiers_transfer",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), IdempotencyKey),
    request_body = TransferBody,
    responses(StepDone, r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/transfer")]
pub async fn transfer(call: StepCall, body: JsonBody<TransferBody>) -> Result<HttpResponse, ApiError> {
    take(call, body, Step::from).await
}
