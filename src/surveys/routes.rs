use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;
use validator::Validate;

use super::model::{NewSurvey, Source, Survey, SurveyQuery, SurveyRow};
use super::store::{self, ListFilter};
use crate::agencies::store as agencies;
use crate::auth::caller::{AnyRole, Authorized, Staff};
use crate::auth::role::Role;
use crate::clock;
use crate::db::Db;
use crate::dossiers::service::load_visible;
use crate::error::ApiError;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::outbox::{self, NewEvent};

/// Rate a dossier, once: the citizen who owns it, or an officer recording a kiosk or paper answer.
#[utoipa::path(
    tag = "surveys",
    params(("id" = String, Path, description = "Dossier id")),
    request_body = NewSurvey,
    responses(
        (status = 201, body = Survey, headers(("Location" = String))),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict), (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
    ),
    security(("bearer" = []))
)]
#[post("/dossiers/{id}/survey")]
pub async fn create_survey(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    body: JsonBody<NewSurvey>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let caller = auth.caller.clone();
    let row = db
        .write(move |conn| {
            let dossier = load_visible(conn, &caller, &id)?;
            let importing = matches!(caller.role, Role::Admin | Role::Integration);
            let source = match (caller.role, body.source) {
                (Role::Leader, _) => return Err(ApiError::Forbidden("leaders read surveys; they do not record them".into())),
                (Role::Citizen, None | Some(Source::Citizen)) => Source::Citizen,
                (Role::Citizen, Some(_)) => return Err(ApiError::invalid_field("source", "a citizen answers as citizen")),
                (_, Some(Source::Citizen)) => return Err(ApiError::invalid_field("source", "only the citizen answers as citizen")),
                (_, Some(Source::Import)) if !importing => return Err(ApiError::invalid_field("source", "only integration and admin callers import")),
                (_, Some(source)) => source,
                (_, None) if body.submitted_at.is_some() => Source::Import,
                (_, None) => Source::Kiosk,
            };
            let now = clock::now();
            let submitted_at = match body.submitted_at {
                Some(_) if !importing => return Err(ApiError::invalid_field("submitted_at", "only integration and admin callers import surveys")),
                Some(at) if at > now => return Err(ApiError::invalid_field("submitted_at", "must not be in the future")),
                Some(at) => clock::to_db(at),
                None => clock::to_db(now),
            };
            if let Some(existing) = store::for_dossier(conn, &dossier.id)? {
                return Err(ApiError::Conflict { detail: "this dossier has been rated already: one survey per dossier".into(), field: None, existing_id: Some(existing.id) });
            }
            let row = SurveyRow {
                id: Uuid::new_v4().to_string(),
                dossier_id: dossier.id,
                agency_id: dossier.agency_id,
                level: body.level.as_str().to_owned(),
                comment: body.comment,
                source: source.as_str().to_owned(),
                recorded_by: caller.id.clone(),
                submitted_at,
                created_at: clock::to_db(now),
            };
            store::insert(conn, &row)?;
            let data = serde_json::json!({"id": row.id, "dossier_id": row.dossier_id, "agency_id": row.agency_id, "level": row.level, "source": row.source, "submitted_at": row.submitted_at.and_utc()});
            outbox::insert_event(conn, &NewEvent { event_type: "survey.submitted", aggregate_type: "survey", aggregate_id: &row.id, agency_id: &row.agency_id, occurred_at: row.submitted_at, data: data.to_string() })?;
            Ok(row)
        })
        .await?;
    let survey = Survey::try_from(row)?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/dossiers/{}/survey", survey.dossier_id)))
        .json(survey))
}

/// The dossier's survey, if it has been rated.
#[utoipa::path(
    tag = "surveys",
    params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, body = Survey), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
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
            store::for_dossier(conn, &dossier.id)?.ok_or_else(|| ApiError::not_found("survey"))
        })
        .await?;
    Ok(web::Json(Survey::try_from(row)?))
}

/// Surveys of the agencies in the caller's scope, newest first.
#[utoipa::path(
    tag = "surveys",
    params(SurveyQuery),
    responses((status = 200, body = Page<Survey>), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden)),
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
