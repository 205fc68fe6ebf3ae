//! An agency's time limit for answering feedback over HTTP: read it (with where it comes from)
//! and set it.

use actix_web::{get, put, web};
use validator::Validate;

use crate::agencies::access::{load_visible as load_agency, read_scope};
use crate::auth::caller::{AdminOnly, AnyRole, Authorized};
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::feedback::model::{FeedbackLimit, FeedbackLimitBody};
use crate::feedback::service;
use crate::http::extract::JsonBody;
use crate::http::responses as r;

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
