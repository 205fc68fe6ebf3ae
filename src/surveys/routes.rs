use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use validator::Validate;

use super::model::{NewSurvey, Survey, SurveyQuery};
use super::service;
use super::store::{self, ListFilter};
use crate::agencies::store as agencies;
use crate::auth::caller::{AnyRole, Authorized, Staff};
use crate::clock;
use crate::db::Db;
use crate::dossiers::access::load_visible;
use crate::error::ApiError;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::idempotency::{self, IdempotencyKey, Saved};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::nouns;

/// Rate a dossier, once: the citizen who owns it, or the desk recording a kiosk or paper answer.
///
/// Administrators, officers and service accounts for a dossier of an agency in their scope, a
/// citizen for their own (404 otherwise); leaders get 403. A dossier has one survey: a second
/// answers 409. A repeated `Idempotency-Key` replays the first answer.
#[utoipa::path(
    operation_id = "surveys_create",
    tag = "surveys",
    params(
        ("id" = String, Path, description = "Dossier id"),
        IdempotencyKey,
    ),
    request_body = NewSurvey,
    responses((status = 201, description = "The survey, recorded", body = Survey, headers(("Location" = String))), r::StepProblems),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/survey")]
pub async fn create_survey(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: JsonBody<NewSurvey>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let body = body.into_inner();
    body.validate()?;
    let caller = auth.caller.clone();
    idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let survey = Survey::try_from(service::submit(conn, &caller, &id, body)?)?;
        let location = format!("/api/v1/dossiers/{}/survey", survey.dossier_id);
        Saved::json(StatusCode::CREATED, &survey, vec![(header::LOCATION.to_string(), location)])
    })
    .await
}

/// The dossier's survey, if it has been rated.
///
/// Whoever may read the dossier; 404 when it is not rated yet, or the caller may not read it.
#[utoipa::path(
    operation_id = "surveys_get",
    tag = "surveys",
    params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The dossier's survey", body = Survey), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/survey")]
pub async fn get_survey(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<Survey>, ApiError> {
    let caller = auth.caller.clone();
    let row = db
        .run(move |conn| {
            let dossier = load_visible(conn, &caller, &id)?;
            store::for_dossier(conn, &dossier.id)?.ok_or_else(|| ApiError::not_found(nouns::SURVEY))
        })
        .await?;
    Ok(web::Json(Survey::try_from(row)?))
}

/// Surveys of the agencies in the caller's scope, newest first.
///
/// Staff only (admins, leaders, officers; service accounts and citizens get 403).
#[utoipa::path(
    operation_id = "surveys_list",
    tag = "surveys",
    params(SurveyQuery),
    responses((status = 200, description = "A page of surveys, newest first", body = Page<Survey>), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden)),
    security(("bearer" = []))
)]
#[get("/surveys")]
pub async fn list_surveys(
    auth: Authorized<Staff>,
    query: QueryParams<SurveyQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<Survey>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let scope = auth.scope();
    let rows = db
        .run(move |conn| {
            let filter = ListFilter {
                agency_ids: agencies::ids_in_scope(conn, &scope)?,
                agency_id: query.agency_id,
                level: query.level.map(|l| l.as_str()),
                from: query.submitted_from.map(clock::to_db),
                to: query.submitted_to.map(clock::to_db),
            };
            Ok(store::list(conn, &filter, after, limit + 1)?)
        })
        .await?;
    let page =
        pagination::page(rows, limit, |row| pagination::position(row.submitted_at, &row.id), |row| row);
    let items = page.items.into_iter().map(Survey::try_from).collect::<anyhow::Result<_>>()?;
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}
