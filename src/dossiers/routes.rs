use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use validator::Validate;

use super::lifecycle::{Action, Status};
use super::model::{
    ApologizeBody, AssignBody, Dossier, DossierPatch, DossierQuery, DossierRow, History, HistoryEntry,
    NewDossier, PublicDossier, ReasonBody, Receipt, ReceiptFormat, ReceiptQuery, ResolveBody, StepBody,
    SupplementBody, Worklist, WorklistKind, WorklistQuery,
};
use super::receipt;
use super::service::{self, Step, StepDetail};
use super::store::{self, ListFilter};
use crate::agencies::access::load_visible as load_agency;
use crate::agencies::store as agencies;
use crate::auth::caller::{AnyRole, Authorized, Caller, Policy, Staff};
use crate::auth::role::Role;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{add_working_time, working_time_between};
use crate::catalogue::{search, store as procedures};
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::idempotency::{self, Idempotency, IdempotencyKey};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::{Text, nouns};
use crate::users::store as users;

/// Who may submit: citizens (online), officers (desk, post), portal adapters and admins.
pub struct Intake;
impl Policy for Intake {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Officer, Role::Integration, Role::Citizen];
}

fn respond(
    status: actix_web::http::StatusCode,
    etag: &str,
    body: String,
    location: Option<String>,
) -> HttpResponse {
    let mut builder = HttpResponse::build(status);
    builder.content_type("application/json").insert_header((header::ETAG, etag.to_owned()));
    if let Some(location) = location {
        builder.insert_header((header::LOCATION, location));
    }
    builder.body(body)
}

/// Run a dossier write in one transaction, replaying the first response for a repeated
/// `Idempotency-Key`.
/// (status, ETag, body, Location) of a response.
type Stored = (u16, String, String, Option<String>);

/// The first response to an `Idempotency-Key`, if one was recorded.
fn replayed(
    conn: &mut DbConnection,
    caller_id: &str,
    idempotency: &Idempotency,
    created: bool,
) -> Result<Option<Stored>, ApiError> {
    let Some((status, body)) = idempotency::replay(conn, caller_id, idempotency)? else { return Ok(None) };
    let first: serde_json::Value = serde_json::from_str(&body).map_err(anyhow::Error::from)?;
    let id = first["id"].as_str().unwrap_or_default().to_owned();
    let etag = format!("\"{}-v{}\"", id.chars().take(8).collect::<String>(), first["version"]);
    Ok(Some((status, etag, body, created.then(|| format!("/api/v1/dossiers/{id}")))))
}

async fn write_idempotent<F>(
    db: &Db,
    caller: Caller,
    idempotency: Option<Idempotency>,
    status: actix_web::http::StatusCode,
    write: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection, &Caller) -> Result<DossierRow, ApiError> + Send + 'static,
{
    let created = status == actix_web::http::StatusCode::CREATED;
    let (caller_id, key) = (caller.id.clone(), idempotency.clone());
    let result = db
        .write(move |conn| {
            if let Some(idempotency) = &idempotency
                && let Some(stored) = replayed(conn, &caller.id, idempotency, created)?
            {
                return Ok(stored);
            }
            let row = write(conn, &caller)?;
            let etag = service::etag(&row);
            let id = row.id.clone();
            let body = serde_json::to_string(&service::to_api(row, &caller)?).map_err(anyhow::Error::from)?;
            if let Some(idempotency) = &idempotency {
                idempotency::remember(conn, &caller.id, idempotency, status.as_u16(), &body)?;
            }
            Ok((status.as_u16(), etag, body, created.then(|| format!("/api/v1/dossiers/{id}"))))
        })
        .await;
    let (status, etag, body, location) = match (result, key) {
        (Ok(stored), _) => stored,
        // Two requests raced with the same new key: the other one committed its key first, and
        // this one was rolled back whole. Answer what the first answered.
        (Err(error @ ApiError::Conflict { .. }), Some(key)) => {
            match db.run(move |conn| replayed(conn, &caller_id, &key, created)).await? {
                Some(stored) => stored,
                None => return Err(error),
            }
        }
        (Err(error), _) => return Err(error),
    };
    let status = actix_web::http::StatusCode::from_u16(status).map_err(anyhow::Error::from)?;
    Ok(respond(status, &etag, body, location))
}

/// Receive a dossier: online (citizens, the portal), at the desk or by post (officers). Desk and
/// postal intake is accepted at once; online intake waits for `accept`. Repeats with the same
/// `Idempotency-Key` return the first response; a second dossier with the same `external_ref`
/// in the agency answers 409 with the existing dossier's id.
#[utoipa::path(
    tag = "dossiers",
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a write safely")),
    request_body = NewDossier,
    responses(
        (status = 201, body = Dossier, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 409, response = r::Conflict),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
    ),
    security(("bearer" = []))
)]
#[post("/dossiers")]
pub async fn create_dossier(
    auth: Authorized<Intake>,
    key: IdempotencyKey,
    body: JsonBody<NewDossier>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let new = body.into_inner();
    new.validate()?;
    let reference = new.external_ref.clone().map(|r| (new.agency_id.clone(), r.trim().to_owned()));
    let result = write_idempotent(
        &db,
        auth.caller.clone(),
        idempotency,
        actix_web::http::StatusCode::CREATED,
        move |conn, caller| service::intake(conn, &calendars, caller, new),
    )
    .await;
    let response = match (result, reference) {
        // Two intakes raced with one external_ref: the loser hit the unique index after the check.
        // Name the dossier that won, as the check would have.
        (
            Err(ApiError::Conflict { field: Some(field), existing_id: None, detail }),
            Some((agency_id, reference)),
        ) if field == "external_ref" => {
            let existing =
                db.run(move |conn| Ok(store::find_by_external_ref(conn, &agency_id, &reference)?)).await?;
            return Err(ApiError::Conflict { detail, field: Some(field), existing_id: existing });
        }
        (result, _) => result?,
    };
    tracing::info!(by = %auth.id, "dossier received");
    Ok(response)
}

/// The answers of every lifecycle step, named once for the nine of them.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, clippy::large_enum_variant)] // Never built: exists for its OpenAPI description.
enum StepResponses {
    /// The dossier after the step.
    #[response(status = 200)]
    Done(Dossier),
    #[response(status = 400)]
    BadRequest(#[ref_response] r::BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] r::Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] r::Forbidden),
    #[response(status = 404)]
    NotFound(#[ref_response] r::NotFound),
    /// A rule of the one-stop lifecycle forbids the step; `rule` names it.
    #[response(status = 409)]
    Conflict(#[ref_response] r::Conflict),
    #[response(status = 415)]
    UnsupportedMediaType(#[ref_response] r::UnsupportedMediaType),
    #[response(status = 422)]
    Unprocessable(#[ref_response] r::Unprocessable),
}

async fn step(
    caller: Caller,
    id: String,
    key: IdempotencyKey,
    raw: &[u8],
    step: Step,
    db: &Db,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let action = step.action;
    let response = write_idempotent(
        db,
        caller.clone(),
        key.with_body(raw),
        actix_web::http::StatusCode::OK,
        move |conn, caller| service::act(conn, &calendars, caller, &id, step),
    )
    .await?;
    tracing::info!(by = %caller.id, action = action.as_str(), "dossier step");
    Ok(response)
}

/// Accept an online dossier: the receipt with its appointment is issued and the clock starts.
#[utoipa::path(
    operation_id = "accept_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = StepBody, example = json!({"note": "Hồ sơ đủ thành phần, tiếp nhận"})),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/accept")]
pub async fn accept(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<StepBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step { action: Action::Accept, at: body.at, note: body.note.clone(), detail: StepDetail::None };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Send the dossier back for the missing documents, once (before or after acceptance); after
/// acceptance the clock stops until the supplement arrives.
#[utoipa::path(
    operation_id = "request_dossier_supplement",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = ReasonBody, example = json!({
        "reason": "Thiếu bản chính Giấy chứng sinh; bổ sung tại bộ phận một cửa"
    })),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/request-supplement")]
pub async fn request_supplement(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ReasonBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::RequestSupplement,
        at: body.at,
        note: None,
        detail: StepDetail::Reason(body.reason.trim().to_owned()),
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// The requested documents arrived: back to awaiting receipt, or (after acceptance) processing
/// with the clock restarted from now with the full time limit.
#[utoipa::path(
    operation_id = "supplement_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = SupplementBody, example = json!({
        "components": [{"name": "Tờ khai đăng ký khai sinh", "digitized": true}, {"name": "Giấy chứng sinh", "digitized": true}],
        "note": "Công dân đã nộp bản chính Giấy chứng sinh"
    })),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/supplement")]
pub async fn supplement(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<SupplementBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Supplement,
        at: body.at,
        note: body.note.clone(),
        detail: StepDetail::Supplement(body.components.clone()),
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Assign the dossier to an officer of its agency.
#[utoipa::path(
    operation_id = "assign_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = AssignBody, example = json!({
        "user_id": "3f0a6c1e-7b2d-4e5f-9a8b-1c2d3e4f5a6b", "note": "Chuyển công chức tư pháp - hộ tịch"
    })),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/assign")]
pub async fn assign(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<AssignBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Assign,
        at: body.at,
        note: body.note.clone(),
        detail: StepDetail::Assign(body.user_id.clone()),
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Record the result: approved, or refused with its reasons; say whether the result is digitized.
#[utoipa::path(
    operation_id = "resolve_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ResolveBody,
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/resolve")]
pub async fn resolve(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ResolveBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Resolve,
        at: body.at,
        note: body.note.clone(),
        detail: StepDetail::Resolve {
            outcome: body.outcome,
            result_digitized: body.result_digitized,
            resolving_agency_id: body.resolving_agency_id.clone(),
        },
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// The result was handed to the applicant.
#[utoipa::path(
    operation_id = "return_dossier_result",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = StepBody, example = json!({"note": "Đã trả kết quả trực tiếp cho công dân"})),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/return")]
pub async fn return_result(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<StepBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step { action: Action::Return, at: body.at, note: body.note.clone(), detail: StepDetail::None };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// The applicant withdraws the dossier (or the desk stops it with a notice).
#[utoipa::path(
    operation_id = "withdraw_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = ReasonBody, example = json!({"reason": "Công dân có đơn xin rút hồ sơ"})),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/withdraw")]
pub async fn withdraw(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ReasonBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Withdraw,
        at: body.at,
        note: None,
        detail: StepDetail::Reason(body.reason.trim().to_owned()),
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Refuse the dossier at reception, before acceptance (form 03).
#[utoipa::path(
    operation_id = "reject_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = ReasonBody, example = json!({
        "reason": "Thủ tục không thuộc thẩm quyền giải quyết của UBND xã"
    })),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/reject")]
pub async fn reject(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ReasonBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Reject,
        at: body.at,
        note: None,
        detail: StepDetail::Reason(body.reason.trim().to_owned()),
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Apologize for the delay with a new appointment (form 04), at most once. `due_at` stays: it is
/// the legal deadline the report judges against.
#[utoipa::path(
    operation_id = "apologize_for_dossier",
    tag = "dossiers",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = ApologizeBody, example = json!({
        "reason": "Cần xác minh thêm thông tin với cơ quan khác", "new_appointment_at": "2024-06-28T09:00:00Z"
    })),
    responses(StepResponses),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/apologize")]
pub async fn apologize(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<ApologizeBody>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let s = Step {
        action: Action::Apologize,
        at: body.at,
        note: None,
        detail: StepDetail::Apologize {
            reason: body.reason.trim().to_owned(),
            new_appointment_at: body.new_appointment_at,
        },
    };
    step(auth.caller, id.into_inner(), key, body.raw(), s, &db, calendars).await
}

/// Read one dossier. Identity number and contacts are shown to the agency's staff and the
/// applicant only.
#[utoipa::path(
    tag = "dossiers",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Dossier, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}")]
pub async fn get_dossier(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let row = db.run(move |conn| service::load_visible(conn, &caller, &id)).await?;
    let etag = service::etag(&row);
    let body = serde_json::to_string(&service::to_api(row, &auth)?).map_err(anyhow::Error::from)?;
    Ok(respond(actix_web::http::StatusCode::OK, &etag, body, None))
}

/// Record digitization, payment or assignment; `If-Match` guards against overwriting a change.
#[utoipa::path(
    tag = "dossiers",
    params(
        ("id" = String, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
        ("Idempotency-Key" = Option<String>, Header),
    ),
    request_body(content = DossierPatch, example = json!({
        "components": [{"name": "Tờ khai đăng ký khai sinh", "digitized": true}],
        "fee_paid": {"method": "cash", "amount": 8000}
    })),
    responses(
        (status = 200, body = Dossier, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict), (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType), (status = 422, response = r::Unprocessable),
    ),
    security(("bearer" = []))
)]
#[patch("/dossiers/{id}")]
pub async fn update_dossier(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    key: IdempotencyKey,
    id: web::Path<String>,
    body: JsonBody<DossierPatch>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let patch = body.into_inner();
    patch.validate()?;
    let id = id.into_inner();
    write_idempotent(
        &db,
        auth.caller.clone(),
        idempotency,
        actix_web::http::StatusCode::OK,
        move |conn, caller| service::update(conn, caller, &id, &if_match, patch),
    )
    .await
}

/// Every step of the dossier: who, when, from and to which status, with the note.
#[utoipa::path(
    tag = "dossiers",
    params(("id" = String, Path)),
    responses((status = 200, body = History), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/history")]
pub async fn dossier_history(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<History>, ApiError> {
    let caller = auth.caller.clone();
    let rows = db
        .run(move |conn| {
            service::load_visible(conn, &caller, &id)?;
            Ok(store::history(conn, &id)?)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(HistoryEntry {
                seq: row.seq,
                action: row.action,
                from_status: row.from_status.as_deref().map(Status::from_db).transpose()?,
                to_status: Status::from_db(&row.to_status)?,
                actor_id: row.actor_id,
                actor_kind: row.actor_kind,
                at: row.at.and_utc(),
                note: row.note,
                recorded_at: row.recorded_at.and_utc(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(web::Json(History { items }))
}

/// The receipt and appointment slip (phiếu tiếp nhận và hẹn trả kết quả, form 01), printable HTML
/// in Vietnamese or JSON. Only for an accepted dossier.
#[utoipa::path(
    tag = "dossiers",
    params(("id" = String, Path), ReceiptQuery),
    responses(
        (status = 200, description = "The slip", content((Receipt = "application/json"), (String = "text/html"))),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound), (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/receipt")]
pub async fn dossier_receipt(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    query: QueryParams<ReceiptQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let receipt = db
        .run(move |conn| {
            let row = service::load_visible(conn, &caller, &id)?;
            let (Some(accepted_at), Some(appointment_at)) = (row.accepted_at, row.appointment_at) else {
                return Err(ApiError::Rule {
                    rule: "receipt_after_acceptance",
                    detail: Text::fixed(
                        "Giấy tiếp nhận chỉ được cấp khi hồ sơ đã được tiếp nhận",
                        "a receipt is issued when the dossier is accepted",
                    ),
                });
            };
            let agency =
                agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
            let procedure = procedures::find(conn, &row.procedure_id)?
                .ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
            let received_by = match &row.received_by {
                Some(id) => users::find(conn, id)?.map(|u| u.full_name),
                None => None,
            };
            let personal = service::sees_personal_data(&caller);
            Ok(Receipt {
                dossier_code: row.code,
                agency_name: agency.name,
                procedure_code: procedure.code,
                procedure_name: procedure.name,
                applicant_name: row.applicant_name,
                applicant_address: row.applicant_address.filter(|_| personal),
                applicant_phone: row.applicant_phone.filter(|_| personal),
                components: serde_json::from_str(&row.components).map_err(anyhow::Error::from)?,
                accepted_at: accepted_at.and_utc(),
                appointment_at: appointment_at.and_utc(),
                received_by,
                fee: row.fee,
            })
        })
        .await?;
    Ok(match query.format.unwrap_or(ReceiptFormat::Html) {
        ReceiptFormat::Json => HttpResponse::Ok().json(receipt),
        ReceiptFormat::Html => {
            HttpResponse::Ok().content_type("text/html; charset=utf-8").body(receipt::html(&receipt))
        }
    })
}

/// Look a dossier up by its code, without signing in: status and appointment only.
#[utoipa::path(
    tag = "dossiers",
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = PublicDossier), (status = 404, response = r::NotFound)),
    security()
)]
#[get("/public/dossiers/{code}")]
pub async fn public_dossier(
    code: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<PublicDossier>, ApiError> {
    let public = db
        .run(move |conn| {
            let row = store::find_by_code(conn, &code)?.ok_or_else(|| ApiError::not_found(nouns::DOSSIER))?;
            let agency =
                agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
            let procedure = procedures::find(conn, &row.procedure_id)?
                .ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
            Ok(PublicDossier {
                status: Status::from_db(&row.status)?,
                code: row.code,
                procedure_name: procedure.name,
                agency_name: agency.name,
                appointment_at: row.appointment_at.map(|t| t.and_utc()),
                returned_at: row.returned_at.map(|t| t.and_utc()),
            })
        })
        .await?;
    Ok(web::Json(public))
}

/// List dossiers, newest first: a citizen's own, or those of the agencies in the caller's scope.
#[utoipa::path(
    tag = "dossiers",
    params(DossierQuery),
    responses((status = 200, body = Page<Dossier>), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers")]
pub async fn list_dossiers(
    auth: Authorized<AnyRole>,
    query: QueryParams<DossierQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<Dossier>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let caller = auth.caller.clone();
    let now = clock::to_db(clock::now());
    let rows = db
        .run(move |conn| {
            let mut filter = ListFilter {
                status: query.status.map(Status::as_str),
                agency_id: query.agency_id,
                procedure_id: query.procedure_id,
                channel: query.channel.map(|c| c.as_str()),
                accepted_from: query.accepted_from.map(clock::to_db),
                accepted_to: query.accepted_to.map(clock::to_db),
                overdue: query.overdue.map(|o| (o, now)),
                due_before: query.due_before.map(clock::to_db),
                assignee_id: query.assignee_id,
                ..Default::default()
            };
            if caller.role == Role::Citizen {
                filter.owner_id = Some(caller.id.clone());
            } else {
                filter.agency_ids = agencies::ids_in_scope(conn, &caller.scope())?;
            }
            if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                if q.contains('-') && !q.contains(' ') {
                    filter.code = Some(q.to_owned());
                } else {
                    filter.name_words = search::query_words(q);
                }
            }
            Ok(store::list(conn, &filter, after, limit + 1)?)
        })
        .await?;
    let page = pagination::page(
        rows,
        limit,
        |row| format!("{}|{}", row.submitted_at.and_utc().to_rfc3339(), row.id),
        |row| row,
    );
    let items = page.items.into_iter().map(|row| service::to_api(row, &auth)).collect::<Result<_, _>>()?;
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}

/// Officers' worklists: overdue, due within N working hours, or online dossiers unanswered more
/// than 8 working hours after submission (the seed's task 3).
#[utoipa::path(
    operation_id = "dossier_worklist",
    tag = "dossiers",
    params(WorklistQuery),
    responses((status = 200, body = Worklist), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/worklist")]
pub async fn worklist(
    auth: Authorized<Staff>,
    query: QueryParams<WorklistQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<Worklist>, ApiError> {
    const MAX_ITEMS: i64 = 500;
    let query = query.into_inner();
    let hours = pagination::worklist_hours(query.hours)?;
    let caller = auth.caller.clone();
    let now = clock::now();
    let rows = db
        .run(move |conn| {
            let scope = caller.scope();
            let agency_ids = match &query.agency_id {
                Some(id) => {
                    load_agency(conn, &scope, id)?;
                    Some(vec![id.clone()])
                }
                None => agencies::ids_in_scope(conn, &scope)?,
            };
            let statuses: &[&str] = match query.kind {
                WorklistKind::AwaitingAcceptance => &["submitted"],
                WorklistKind::Overdue | WorklistKind::DueSoon => &["processing", "supplement_requested"],
            };
            // Candidates from SQL; the working-time test needs each agency's calendar.
            let candidates = store::open_dossiers(conn, agency_ids.as_deref(), statuses, 20_000)?;
            let mut items = Vec::new();
            for row in candidates {
                let calendar = calendars.get(conn, Some(&row.agency_id))?;
                let keep = match query.kind {
                    WorklistKind::Overdue => row.due_at.is_some_and(|d| d.and_utc() < now),
                    WorklistKind::DueSoon => {
                        let horizon = add_working_time(now, hours * 60, &calendar.calendar).unwrap_or(now);
                        row.due_at.is_some_and(|d| d.and_utc() >= now && d.and_utc() <= horizon)
                    }
                    WorklistKind::AwaitingAcceptance => {
                        // Answered once (a supplement request) and back: not awaiting a first answer.
                        row.first_response_at.is_none()
                            && row.channel == "online"
                            && working_time_between(row.submitted_at.and_utc(), now, &calendar.calendar)
                                > chrono::Duration::hours(8)
                    }
                };
                if keep {
                    items.push(row);
                }
                if items.len() as i64 >= MAX_ITEMS {
                    break;
                }
            }
            items.sort_by_key(|row| (row.due_at.unwrap_or(row.submitted_at), row.submitted_at));
            Ok(items)
        })
        .await?;
    let items = rows.into_iter().map(|row| service::to_api(row, &auth)).collect::<Result<_, _>>()?;
    Ok(web::Json(Worklist { items }))
}
