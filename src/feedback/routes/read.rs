//! Reading feedback over HTTP: one piece, its history, the list and the worklist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use crate::auth::caller::{AnyRole, Authorized, Staff};
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::feedback::model::{
    Feedback, FeedbackHistory, FeedbackHistoryEntry, FeedbackQuery, FeedbackWorklist, FeedbackWorklistQuery,
};
use crate::feedback::{list, service, worklist};
use crate::http::etag;
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::records::history::{self, Trail};

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
