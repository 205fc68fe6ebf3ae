//! Reading dossiers over HTTP: one, the list, the officers' worklists, the history, the hops.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized, Staff};
use crate::auth::role::Role;
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::Db;
use crate::dossiers::access::{load_visible, read_visible, sees_personal_data};
use crate::dossiers::hops::{self, Hops};
use crate::dossiers::model::{DossierQuery, WorklistQuery};
use crate::dossiers::views::{self, Dossier, History, HistoryEntry, Worklist};
use crate::dossiers::{list, worklist as worklists};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::records::history::{self, Trail};

/// Read one dossier.
///
/// Staff and service accounts for a dossier of an agency in their scope, a citizen for their own;
/// any other answers 404, as a missing one does. The identity number and contacts are shown to the
/// agency's staff, the applicant, and service accounts an administrator granted `personal_data`
/// (not to other service accounts, nor in lists). The reading is recorded in the audit trail.
#[utoipa::path(
    operation_id = "dossiers_get",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The dossier", body = Dossier, headers(("ETag" = String))),
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
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let row = read_visible(&db, &auth.caller, &id).await?;
    let read = witness
        .by(&auth, Action::DossierRead)
        .about(SubjectType::Dossier, &row.id)
        .in_agency(Some(row.agency_id.clone()))
        .with(serde_json::json!({"view": "dossier", "personal_fields": sees_personal_data(&auth)}));
    let response = etag::respond(StatusCode::OK, &views::etag(&row), &views::read(row, &auth)?)?;
    witness.saw(read);
    Ok(response)
}

/// Every step of the dossier: who, when, from and to which status, with the note.
///
/// Whoever may read the dossier (404 otherwise). The applicant (a citizen) reads the reasons
/// addressed to them (what to supplement, why it was refused or is late, why they withdrew), not
/// the officers' internal notes.
#[utoipa::path(
    operation_id = "dossiers_history",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The steps, oldest first", body = History), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/history")]
pub async fn dossier_history(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<History>, ApiError> {
    let caller = auth.caller.clone();
    let entries = db
        .run(move |conn| {
            load_visible(conn, &caller, &id)?;
            Ok(history::read(conn, Trail::Dossier, &id)?)
        })
        .await?;
    let mut items = entries.into_iter().map(HistoryEntry::try_from).collect::<anyhow::Result<Vec<_>>>()?;
    if auth.role == Role::Citizen {
        for entry in &mut items {
            entry.note = entry.note.take().filter(|_| views::note_is_for_the_applicant(&entry.action));
        }
    }
    Ok(web::Json(History { items }))
}

/// List dossiers, newest first.
///
/// Anyone signed in: a citizen sees their own, everyone else what they may read by id: the
/// dossiers received by the agencies in their scope, and those sent on to one of them (joint
/// processing), wherever received. Filter by status, agency, procedure, channel, officer, dates
/// and `q` (a code, or words of the applicant's name); `agency_id` is the reception agency (the
/// desk that received it), also for a dossier another agency holds now. Pages follow
/// `next_cursor`.
#[utoipa::path(
    operation_id = "dossiers_list",
    tag = "dossiers",
    params(DossierQuery),
    responses((status = 200, description = "A page of dossiers, newest first", body = Page<Dossier>), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
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
    let rows = list::read(&db, &auth.caller, query, after, limit + 1).await?;
    let page = pagination::page(
        rows,
        limit,
        |row| format!("{}|{}", row.submitted_at.and_utc().to_rfc3339(), row.id),
        |row| row,
    );
    Ok(web::Json(Page { items: views::dossiers(page.items, &auth)?, next_cursor: page.next_cursor }))
}

/// Officers' worklists: overdue, due soon, or online dossiers awaiting acceptance.
///
/// Staff only (admins, leaders, officers; service accounts and citizens get 403), over their scope
/// or one agency of it (404 outside it). `due_soon` lists open dossiers due within `hours` working
/// hours; `awaiting_acceptance` online dossiers unanswered more than 8 working hours after
/// submission.
#[utoipa::path(
    operation_id = "dossiers_worklist",
    tag = "dossiers",
    params(WorklistQuery),
    responses((status = 200, description = "The dossiers of the list, most urgent first", body = Worklist), (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized), (status = 403, response = r::Forbidden), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/worklist")]
pub async fn worklist(
    auth: Authorized<Staff>,
    query: QueryParams<WorklistQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<Worklist>, ApiError> {
    let query = query.into_inner();
    let hours = pagination::worklist_hours(query.hours)?;
    let (caller, now) = (auth.caller.clone(), clock::now());
    let rows = db.run(move |conn| worklists::load(conn, &calendars, &caller, &query, hours, now)).await?;
    Ok(web::Json(Worklist { items: views::dossiers(rows, &auth)? }))
}

/// The hops of a dossier's joint processing (liên thông), with the working time each receiving
/// agency held it, and who held it when, the reception desk included.
///
/// Whoever may read the dossier: staff and service accounts of any agency on its chain (or above
/// one), the applicant for their own; any other answers 404, as a missing one does. A hop ends at
/// the next transfer, or when the result came back to the desk, or now; its time is counted in the
/// receiving agency's working time. Empty for a dossier its reception agency worked alone.
/// `periods` cuts the dossier's time, from its submission to its end (returned, withdrawn or
/// rejected) or now, into the stretches each agency held it: the desk before the first transfer
/// and after the result came back, each receiving agency in between; `by_agency` sums them per
/// agency (each in its own working time), so the agency that was late reads from one answer.
#[utoipa::path(
    operation_id = "dossiers_hops",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The hops, in order", body = Hops), (status = 401, response = r::Unauthorized), (status = 404, response = r::NotFound)),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/hops")]
pub async fn dossier_hops(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<Hops>, ApiError> {
    let (caller, now) = (auth.caller.clone(), clock::now());
    Ok(web::Json(db.run(move |conn| hops::load(conn, &calendars, &caller, &id, now)).await?))
}
