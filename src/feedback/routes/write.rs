//! Recording feedback over HTTP, from any channel.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use validator::Validate;

use super::saved;
use crate::auth::caller::{AnyRole, Authorized};
use crate::calendar::cache::CalendarCache;
use crate::db::Db;
use crate::error::ApiError;
use crate::feedback::model::{Feedback, NewFeedback};
use crate::feedback::{service, store};
use crate::http::extract::JsonBody;
use crate::http::idempotency::{self, IdempotencyKey};
use crate::http::responses as r;

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
    params(IdempotencyKey),
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
