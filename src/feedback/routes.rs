use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, put, web};
use validator::Validate;

use super::lifecycle::FeedbackAction;
use super::model::{
    Feedback, FeedbackHistory, FeedbackHistoryEntry, FeedbackLimit, FeedbackLimitBody, FeedbackQuery,
    FeedbackRow, FeedbackWorklist, FeedbackWorklistQuery, ForwardBody, NewFeedback, RespondBody,
};
use super::service::{self, Detail};
use super::{list, store, worklist};
use crate::agencies::access::{load_visible as load_agency, read_scope};
use crate::auth::caller::{AdminOnly, AnyRole, Authorized, Caller, Staff};
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::Db;
use crate::dossiers::model::{ReasonBody, StepBody};
use crate::error::ApiError;
use crate::http::etag::{self, IfMatch};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::idempotency::{self, IdempotencyKey, Saved};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::records::history::{self, Trail};

// A step's result, for the OpenAPI description only; its problems are `r::UpdateProblems`.
/// The feedback after the step.
#[derive(utoipa::IntoResponses)]
#[response(status = 200, headers(("ETag" = String)))]
#[allow(dead_code)] // Never built: exists for its OpenAPI description.
struct StepDone(Feedback);

/// Record feedback (phản ánh, kiến nghị) from any channel.
///
/// Officers, administrators and service accounts for an agency in their scope (422 on `agency_id`
/// otherwise); citizens may file it with any agency; leaders get 403. A citizen gives no
/// `external_ref`. A second piece of feedback with the same `external_ref` in the agency answers
/// 409 with the existing one's id; a repeated `Idempotency-Key` replays the first answer. The
/// answer is due after the agency's limit (`GET /agencies/{id}/feedback-limit`).
#[utoipa::path(
    operation_id = "feedback_create",
    tag = "feedback",
    params(("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422.")),
    request_body = NewFeedback,
    responses((status = 201, description = "The feedback, received; `Location` is its URL", body = Feedback, headers(("Location" = String), ("ETag" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/feedback")]
pub async fn create_feedback(
    auth: Authorized<AnyRole>,
    key: IdempotencyKey,
    body: JsonBody<NewFeedback>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let new = body.into_inner();
    new.validate()?;
    let reference = new.external_ref.clone().map(|r| (new.agency_id.clone(), r.trim().to_owned()));
    let caller = auth.caller.clone();
    let result = idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let row = service::intake(conn, &calendars, &caller, new)?;
        saved(row, &caller, StatusCode::CREATED)
    })
    .await;
    match (result, reference) {
        // Two intakes raced with one external_ref: the loser hit the unique index after the check.
        // Name the feedback that won, as the check would have.
        (
            Err(ApiError::Conflict { field: Some(field), existing_id: None, detail }),
            Some((agency_id, reference)),
        ) if field == "external_ref" => {
            let existing =
                db.run(move |conn| Ok(store::find_by_external_ref(conn, &agency_id, &reference)?)).await?;
            Err(ApiError::Conflict { detail, field: Some(field), existing_id: existing })
        }
        (result, _) => result,
    }
}

/// A written piece of feedback as its response is kept for `Idempotency-Key` repeats: the
/// caller's view, its ETag and, when it was just created, its Location.
fn saved(row: FeedbackRow, caller: &Caller, status: StatusCode) -> Result<Saved, ApiError> {
    let mut headers = vec![(header::ETAG.to_string(), service::etag(&row))];
    if status == StatusCode::CREATED {
        headers.push((header::LOCATION.to_string(), format!("/api/v1/feedback/{}", row.id)));
    }
    Saved::json(status, &service::to_api(row, caller)?, headers)
}

/// Take one step, replaying the first answer to a repeated `Idempotency-Key`.
#[allow(clippy::too_many_arguments)]
async fn step(
    caller: Caller,
    id: String,
    if_match: IfMatch,
    key: IdempotencyKey,
    raw: &[u8],
    action: FeedbackAction,
    at: Option<chrono::DateTime<chrono::Utc>>,
    detail: Detail,
    db: &Db,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(raw);
    let caller_id = caller.id.clone();
    idempotency::write(db, &caller_id, idempotency, move |conn| {
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
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422."),
    ),
    request_body(content = StepBody, example = json!({"note": "Giao công chức văn phòng xác minh"})),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/process")]
pub async fn process(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<StepBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    step(
        auth.caller,
        id.into_inner(),
        if_match,
        key,
        body.raw(),
        FeedbackAction::Process,
        body.at,
        Detail::None,
        &db,
        calendars,
    )
    .await
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
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422."),
    ),
    request_body(content = RespondBody, example = json!({
        "response": "Hồ sơ đã được giải quyết; kết quả trả ngày 28/6/2024. UBND xã xin lỗi vì sự chậm trễ."
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/respond")]
pub async fn respond(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<RespondBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let detail = Detail::Response(body.response.trim().to_owned());
    step(
        auth.caller,
        id.into_inner(),
        if_match,
        key,
        body.raw(),
        FeedbackAction::Respond,
        body.at,
        detail,
        &db,
        calendars,
    )
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
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422."),
    ),
    request_body(content = ReasonBody, example = json!({
        "reason": "Nội dung không thuộc phạm vi phản ánh, kiến nghị về thủ tục hành chính"
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/reject")]
pub async fn reject(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ReasonBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let detail = Detail::Reason(body.reason.trim().to_owned());
    step(
        auth.caller,
        id.into_inner(),
        if_match,
        key,
        body.raw(),
        FeedbackAction::Reject,
        body.at,
        detail,
        &db,
        calendars,
    )
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
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422."),
    ),
    request_body(content = ForwardBody, example = json!({
        "agency_id": "0b6f2a9c-4d1e-4f7a-8b3c-5d6e7f8a9b0c", "note": "Thuộc thẩm quyền của Sở Tư pháp"
    })),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/forward")]
pub async fn forward(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ForwardBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let detail = Detail::Forward { agency_id: body.agency_id.clone(), note: body.note.clone() };
    step(
        auth.caller,
        id.into_inner(),
        if_match,
        key,
        body.raw(),
        FeedbackAction::Forward,
        body.at,
        detail,
        &db,
        calendars,
    )
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
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header, description = "Any 1 to 200 visible ASCII characters. A repeat with the same key and body gets the first answer again and changes nothing; the same key with another body answers 422."),
    ),
    request_body(content = StepBody, example = json!({"note": "Công khai trên cổng dịch vụ công của tỉnh"})),
    responses(StepDone, r::UpdateProblems),
    security(("bearer" = []))
)]
#[post("/feedback/{id}/publish")]
pub async fn publish(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<StepBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    step(
        auth.caller,
        id.into_inner(),
        if_match,
        key,
        body.raw(),
        FeedbackAction::Publish,
        body.at,
        Detail::None,
        &db,
        calendars,
    )
    .await
}

/// Read one piece of feedback.
///
/// Staff and service accounts for feedback of an agency in their scope, a citizen for their own;
/// any other answers 404, as missing feedback does.
#[utoipa::path(
    operation_id = "feedback_get",
    tag = "feedback", params(("id" = String, Path, description = "Feedback id")), responses((status = 200, description = "The feedback", body = Feedback, headers(("ETag" = String))), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)), security(("bearer" = [])))]
#[get("/feedback/{id}")]
pub async fn get_feedback(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let row = db.run(move |conn| service::load_visible(conn, &caller, &id)).await?;
    let etag = service::etag(&row);
    etag::respond(StatusCode::OK, &etag, &service::to_api(row, &auth)?)
}

/// Every step of the feedback, oldest first.
///
/// Whoever may read the feedback (404 otherwise).
#[utoipa::path(
    operation_id = "feedback_history",
    tag = "feedback", params(("id" = String, Path, description = "Feedback id")), responses((status = 200, description = "The steps, oldest first", body = FeedbackHistory), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)), security(("bearer" = [])))]
#[get("/feedback/{id}/history")]
pub async fn feedback_history(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<FeedbackHistory>, ApiError> {
    let caller = auth.caller.clone();
    let entries = db
        .run(move |conn| {
            service::load_visible(conn, &caller, &id)?;
            Ok(history::read(conn, Trail::Feedback, &id)?)
        })
        .await?;
    let items = entries.into_iter().map(FeedbackHistoryEntry::try_from).collect::<anyhow::Result<_>>()?;
    Ok(web::Json(FeedbackHistory { items }))
}

/// List feedback, newest first.
///
/// Anyone signed in: a citizen sees their own, everyone else the feedback of the agencies in their
/// scope. Filter by status, channel, agency, dates and `overdue`; pages follow `next_cursor`.
#[utoipa::path(
    operation_id = "feedback_list",
    tag = "feedback", params(FeedbackQuery), responses((status = 200, description = "A page of feedback, newest first", body = Page<Feedback>), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized)), security(("bearer" = [])))]
#[get("/feedback")]
pub async fn list_feedback(
    auth: Authorized<AnyRole>,
    query: QueryParams<FeedbackQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<Feedback>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let caller = auth.caller.clone();
    let rows = db.run(move |conn| list::load(conn, &caller, query, after, limit + 1)).await?;
    let page = pagination::page(rows, limit, |row| pagination::position(row.received_at, &row.id), |row| row);
    let items = page.items.into_iter().map(|row| service::to_api(row, &auth)).collect::<Result<_, _>>()?;
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}

/// Feedback overdue, or due within N working hours.
///
/// Staff only (admins, leaders, officers; service accounts and citizens get 403), over their scope
/// or one agency of it (404 outside it).
#[utoipa::path(
    operation_id = "feedback_worklist",
    tag = "feedback", params(FeedbackWorklistQuery), responses((status = 200, description = "The feedback of the list, most urgent first", body = FeedbackWorklist), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound)), security(("bearer" = [])))]
#[get("/feedback/worklist")]
pub async fn feedback_worklist(
    auth: Authorized<Staff>,
    query: QueryParams<FeedbackWorklistQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<FeedbackWorklist>, ApiError> {
    let query = query.into_inner();
    let hours = pagination::worklist_hours(query.hours)?;
    let (caller, now) = (auth.caller.clone(), clock::now());
    let rows = db.run(move |conn| worklist::load(conn, &calendars, &caller, &query, hours, now)).await?;
    let items = rows.into_iter().map(|row| service::to_api(row, &auth)).collect::<Result<_, _>>()?;
    Ok(web::Json(FeedbackWorklist { items }))
}

/// The time limit for answering feedback at an agency.
///
/// Its own, else the nearest agency's above it, else the default. Anyone signed in, for an agency
/// in their scope (404 otherwise; a citizen may read any).
#[utoipa::path(
    operation_id = "feedback_get_limit",
    tag = "feedback", params(("id" = String, Path, description = "Agency id")), responses((status = 200, description = "The agency's limit and where it comes from", body = FeedbackLimit), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)), security(("bearer" = [])))]
#[get("/agencies/{id}/feedback-limit")]
pub async fn get_feedback_limit(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<FeedbackLimit>, ApiError> {
    let scope = read_scope(&auth);
    let id = id.into_inner();
    let limit = db
        .run(move |conn| {
            load_agency(conn, &scope, &id)?;
            let (working_days, defined_by) = service::limit_of(conn, &id)?;
            Ok(FeedbackLimit { agency_id: id, working_days, defined_by })
        })
        .await?;
    Ok(web::Json(limit))
}

/// Set an agency's own limit for answering feedback; agencies below inherit it.
///
/// Administrators only, for an agency in their scope (404 otherwise). Applies to feedback received
/// from now on.
#[utoipa::path(
    operation_id = "feedback_set_limit",
    tag = "feedback",
    params(("id" = String, Path, description = "Agency id")),
    request_body = FeedbackLimitBody,
    responses((status = 200, description = "The agency's limit, set", body = FeedbackLimit), r::ChangeProblems),
    security(("bearer" = []))
)]
#[put("/agencies/{id}/feedback-limit")]
pub async fn put_feedback_limit(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: JsonBody<FeedbackLimitBody>,
    db: web::Data<Db>,
) -> Result<web::Json<FeedbackLimit>, ApiError> {
    body.validate()?;
    let working_days = body.working_days;
    let scope = auth.scope();
    let id = id.into_inner();
    let limit = db
        .write(move |conn| {
            load_agency(conn, &scope, &id)?;
            crate::db::upsert_feedback_limit(conn, &id, working_days, clock::to_db(clock::now()))?;
            Ok(FeedbackLimit { defined_by: Some(id.clone()), agency_id: id, working_days })
        })
        .await?;
    Ok(web::Json(limit))
}
