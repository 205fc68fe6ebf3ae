use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{Datelike, NaiveDate, Utc};
use uuid::Uuid;
use validator::Validate;

use super::cache::CalendarCache;
use super::model::{
    AgencySchedule, CalendarDay, CalendarDayRow, DaysOff, DaysOffQuery, DuePreview, DueQuery, NewCalendarDay,
    Week,
};
use super::store;
use super::working_time::{MINUTES_PER_WORKING_DAY, add_working_time};
use crate::agencies::access::{load_named, load_visible, read_scope};
use crate::auth::caller::{AdminOnly, AnyRole, Authorized};
use crate::auth::scope::{Scope, lineage};
use crate::clock;
use crate::clock::vietnam;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::responses as r;
use crate::i18n::{Text, lower_first, nouns};

/// Days off and make-up working days of a year.
///
/// Anyone signed in. Without `agency_id`, the national ones; with it, also those of the agency and
/// of the agencies above it (the agency must be in the caller's scope, 404 otherwise; a citizen may
/// name any).
#[utoipa::path(
    operation_id = "calendar_list_days_off",
    tag = "calendar",
    params(DaysOffQuery),
    responses(
        (status = 200, description = "The year's days off and make-up days", body = DaysOff),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/calendar/days-off")]
pub async fn list_days_off(
    auth: Authorized<AnyRole>,
    query: QueryParams<DaysOffQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<DaysOff>, ApiError> {
    let query = query.into_inner();
    let year = query.year.unwrap_or_else(|| Utc::now().with_timezone(&vietnam()).year());
    let range = NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .filter(|_| crate::clock::YEARS.contains(&year))
        .ok_or_else(|| {
            ApiError::bad_parameter(
                "year",
                Text::fixed("Năm nằm ngoài phạm vi cho phép", "year is out of range"),
                Text::fixed("Từ 1900 đến 2200", "between 1900 and 2200"),
            )
        })?;
    let scope = read_scope(&auth);
    let rows = db
        .run(move |conn| {
            let agencies = match &query.agency_id {
                Some(id) => lineage(&load_visible(conn, &scope, id)?.path),
                None => Vec::new(),
            };
            Ok(store::days_for(conn, &agencies, Some(range))?)
        })
        .await?;
    let items = rows.into_iter().map(CalendarDay::try_from).collect::<anyhow::Result<_>>()?;
    Ok(web::Json(DaysOff { year, items }))
}

/// Add a day off or a make-up working day, nationally or for an agency.
///
/// Administrators only: a national day (no `agency_id`) a system administrator only (403
/// otherwise); an agency's day for an agency in the caller's scope (422 on `agency_id` otherwise).
/// A date already in that calendar answers 409 naming `date`. Due instants computed afterwards take
/// it into account.
#[utoipa::path(
    operation_id = "calendar_create_day_off",
    tag = "calendar",
    request_body = NewCalendarDay,
    responses((status = 201, description = "The calendar day, created", body = CalendarDay, headers(("Location" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/calendar/days-off")]
pub async fn create_day_off(
    auth: Authorized<AdminOnly>,
    body: JsonBody<NewCalendarDay>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let scope = auth.scope();
    let row = db
        .write(move |conn| {
            match &body.agency_id {
                Some(id) => {
                    load_named(conn, &scope, id, "agency_id")?;
                }
                None if scope != Scope::All => {
                    return Err(ApiError::Forbidden(Text::fixed(
                        "Chỉ quản trị viên hệ thống được đặt ngày nghỉ, ngày làm bù toàn quốc",
                        "only a system administrator sets national days",
                    )));
                }
                None => {}
            }
            if store::day_exists(conn, body.agency_id.as_deref(), body.date)? {
                return Err(ApiError::Conflict {
                    detail: Text::fixed(
                        "Ngày này đã có trong lịch đó",
                        "this date is already in that calendar",
                    ),
                    field: Some("date".into()),
                    existing_id: None,
                });
            }
            let row = CalendarDayRow {
                id: Uuid::new_v4().to_string(),
                agency_id: body.agency_id,
                day: body.date,
                kind: body.kind.as_str().to_owned(),
                name: body.name.trim().to_owned(),
                source: body.source,
                created_at: clock::to_db(clock::now()),
            };
            store::insert_day(conn, &row)?;
            Ok(row)
        })
        .await?;
    calendars.invalidate();
    let day = CalendarDay::try_from(row)?;
    tracing::info!(day = %day.date, kind = ?day.kind, by = %auth.id, "calendar day added");
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/calendar/days-off/{}", day.id)))
        .json(day))
}

/// Remove a calendar day.
///
/// Administrators only: a national day a system administrator only (403), an agency's day for an
/// agency in the caller's scope (404 otherwise).
#[utoipa::path(
    operation_id = "calendar_delete_day_off",
    tag = "calendar",
    params(("id" = String, Path, description = "Calendar day id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[delete("/calendar/days-off/{id}")]
pub async fn delete_day_off(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.scope();
    db.write(move |conn| {
        let day = store::find_day(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::CALENDAR_DAY))?;
        match &day.agency_id {
            Some(agency) => {
                load_visible(conn, &scope, agency).map_err(|_| ApiError::not_found(nouns::CALENDAR_DAY))?;
            }
            None if scope != Scope::All => {
                return Err(ApiError::Forbidden(Text::fixed(
                    "Chỉ quản trị viên hệ thống được thay đổi ngày nghỉ, ngày làm bù toàn quốc",
                    "only a system administrator changes national days",
                )));
            }
            None => {}
        }
        store::delete_day(conn, &id)?;
        Ok(())
    })
    .await?;
    calendars.invalidate();
    Ok(HttpResponse::NoContent().finish())
}

/// Preview a due instant: `start` plus a processing time in working days or hours.
///
/// Anyone signed in. Over the national calendar, or with `agency_id` over that agency's days off
/// and office hours (the agency must be in the caller's scope, 404 otherwise; a citizen may name
/// any). The same arithmetic sets a dossier's due instant.
#[utoipa::path(
    operation_id = "calendar_preview_due",
    tag = "calendar",
    params(DueQuery),
    responses(
        (status = 200, description = "The due instant", body = DuePreview),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/calendar/due")]
pub async fn preview_due(
    auth: Authorized<AnyRole>,
    query: QueryParams<DueQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<DuePreview>, ApiError> {
    let query = query.into_inner();
    let bad = |field: &str, message: Text| {
        ApiError::bad_parameter(field, message.map(|m| format!("{field}: {}", lower_first(m))), message)
    };
    let minutes = match (query.working_days, query.working_hours) {
        (Some(days), None) if (0..=3_650).contains(&days) => days * MINUTES_PER_WORKING_DAY,
        (None, Some(hours)) if (0..=87_600).contains(&hours) => hours * 60,
        (Some(_), None) => {
            return Err(bad("working_days", Text::fixed("Phải từ 0 đến 3650", "must be between 0 and 3650")));
        }
        (None, Some(_)) => {
            return Err(bad(
                "working_hours",
                Text::fixed("Phải từ 0 đến 87600", "must be between 0 and 87600"),
            ));
        }
        _ => {
            return Err(bad(
                "working_days",
                Text::fixed(
                    "Cần đúng một trong hai tham số working_days và working_hours",
                    "give exactly one of working_days and working_hours",
                ),
            ));
        }
    };
    let scope = read_scope(&auth);
    let agency_id = query.agency_id.clone();
    let calendar = db
        .run(move |conn| {
            if let Some(id) = &agency_id {
                load_visible(conn, &scope, id)?;
            }
            calendars.get(conn, agency_id.as_deref())
        })
        .await?;
    let due_at = add_working_time(query.start, minutes, &calendar.calendar).ok_or_else(|| {
        ApiError::invalid_field(
            "start",
            Text::fixed(
                "Không có thời gian làm việc nào trong vòng mười năm kể từ thời điểm này",
                "no working time within ten years of this instant",
            ),
        )
    })?;
    Ok(web::Json(DuePreview {
        start: query.start,
        working_minutes: minutes,
        due_at,
        agency_id: query.agency_id,
    }))
}

/// The office hours that apply to an agency.
///
/// Its own, else the nearest agency's above it, else the default (Monday to Friday, 07:30–11:30 and
/// 13:30–17:30). Anyone signed in, for an agency in their scope (404 otherwise; a citizen may read
/// any).
#[utoipa::path(
    operation_id = "calendar_get_schedule",
    tag = "calendar",
    params(("id" = String, Path, description = "Agency id")),
    responses(
        (status = 200, description = "The agency's weekly office hours and where they come from", body = AgencySchedule),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/schedule")]
pub async fn get_schedule(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<AgencySchedule>, ApiError> {
    let scope = read_scope(&auth);
    let id = id.into_inner();
    let agency_id = id.clone();
    let calendar = db
        .run(move |conn| {
            load_visible(conn, &scope, &agency_id)?;
            calendars.get(conn, Some(&agency_id))
        })
        .await?;
    Ok(web::Json(AgencySchedule {
        agency_id: id,
        defined_by: calendar.schedule_from.clone(),
        week: Week::from_schedule(&calendar.schedule),
    }))
}

/// Set an agency's own office hours (e.g. open on Saturday mornings); agencies below inherit them.
///
/// Administrators only, for an agency in their scope (404 otherwise). A day's periods must be in
/// order and not overlap (422 naming the day).
#[utoipa::path(
    operation_id = "calendar_set_schedule",
    tag = "calendar",
    params(("id" = String, Path, description = "Agency id")),
    request_body = Week,
    responses((status = 200, description = "The agency's office hours, set", body = AgencySchedule), r::ChangeProblems),
    security(("bearer" = []))
)]
#[put("/agencies/{id}/schedule")]
pub async fn put_schedule(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: JsonBody<Week>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<AgencySchedule>, ApiError> {
    let week = body.into_inner();
    let schedule = week.to_schedule()?;
    let stored = serde_json::to_string(&Week::from_schedule(&schedule)).map_err(anyhow::Error::from)?;
    let scope = auth.scope();
    let id = id.into_inner();
    let agency_id = id.clone();
    db.write(move |conn| {
        load_visible(conn, &scope, &agency_id)?;
        store::put_schedule(conn, &agency_id, &stored, clock::to_db(clock::now()))?;
        Ok(())
    })
    .await?;
    calendars.invalidate();
    Ok(web::Json(AgencySchedule {
        defined_by: Some(id.clone()),
        agency_id: id,
        week: Week::from_schedule(&schedule),
    }))
}

/// Drop an agency's own office hours: it inherits again.
///
/// Administrators only, for an agency in their scope (404 otherwise).
#[utoipa::path(
    operation_id = "calendar_delete_schedule",
    tag = "calendar",
    params(("id" = String, Path, description = "Agency id")),
    responses(
        (status = 204, description = "Removed (also when it had none of its own)"),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[delete("/agencies/{id}/schedule")]
pub async fn delete_schedule(
    auth: Authorized<AdminOnly>,
    id: web::Path<String>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.scope();
    db.write(move |conn| {
        load_visible(conn, &scope, &id)?;
        store::delete_schedule(conn, &id)?;
        Ok(())
    })
    .await?;
    calendars.invalidate();
    Ok(HttpResponse::NoContent().finish())
}
