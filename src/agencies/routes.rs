use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use validator::Validate;

use super::access::{load_visible, read_scope};
use super::model::{Agency, AgencyLevel, AgencyPatch, AgencyQuery, NewAgency};
use super::service;
use super::store::{self, ListFilter};
use crate::auth::caller::{AdminOnly, AnyRole, Authorized};
use crate::auth::scope::TreeVersion;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::etag::{IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;

fn with_etag(builder: &mut actix_web::HttpResponseBuilder, agency: &Agency) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(&agency.id, agency.updated_at))).json(agency)
}

/// List the agencies in the caller's scope, ordered by code.
///
/// Anyone signed in. Staff and service accounts see their own agency and those below it (a system
/// administrator every agency); a citizen sees the whole directory. Filter by `parent_id` and
/// `level`; pages follow `next_cursor`.
#[utoipa::path(
    operation_id = "agencies_list",
    tag = "agencies",
    params(AgencyQuery),
    responses(
        (status = 200, description = "A page of agencies, ordered by code", body = Page<Agency>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
    ),
    security(("bearer" = []))
)]
#[get("/agencies")]
pub async fn list_agencies(
    auth: Authorized<AnyRole>,
    query: QueryParams<AgencyQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<Agency>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_cursor(query.cursor.as_deref())?;
    let scope = read_scope(&auth);
    let filter = ListFilter {
        parent_id: query.parent_id,
        levels: query.level.map(AgencyLevel::as_str).into_iter().collect(),
    };
    let rows =
        db.run(move |conn| Ok(store::list(conn, &scope, &filter, after.as_deref(), limit + 1)?)).await?;
    let mut items = Vec::with_capacity(rows.len());
    let page = pagination::page(rows, limit, |row| row.code.clone(), |row| row);
    for row in page.items {
        items.push(Agency::try_from(row)?);
    }
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}

/// Read one agency.
///
/// Anyone signed in, for an agency in their scope (a citizen: any agency). An agency outside the
/// caller's scope answers 404, as a missing one does. The `ETag` is what `PATCH` takes in
/// `If-Match`.
#[utoipa::path(
    operation_id = "agencies_get",
    tag = "agencies",
    params(("id" = String, Path, description = "Agency id")),
    responses(
        (status = 200, description = "The agency", body = Agency, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/agencies/{id}")]
pub async fn get_agency(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let scope = read_scope(&auth);
    let row = db.run(move |conn| load_visible(conn, &scope, &id)).await?;
    Ok(with_etag(&mut HttpResponse::Ok(), &Agency::try_from(row)?))
}

/// Create an agency (admins).
///
/// Administrators only, under a parent in their scope; a province (no `parent_id`) only a system
/// administrator (an admin without an agency) creates, others get 403. Refused with 422 when the
/// parent is outside the scope or the level does not fit under the parent's (a commune under a
/// province), 409 when the code is taken.
#[utoipa::path(
    operation_id = "agencies_create",
    tag = "agencies",
    request_body = NewAgency,
    responses((status = 201, description = "The agency, created; `Location` is its URL", body = Agency, headers(("Location" = String), ("ETag" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/agencies")]
pub async fn create_agency(
    auth: Authorized<AdminOnly>,
    body: JsonBody<NewAgency>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let scope = auth.scope();
    let row = db.write(move |conn| service::create(conn, &scope, body)).await?;
    let agency = Agency::try_from(row)?;
    tracing::info!(agency_id = %agency.id, code = ?agency.code, by = %auth.id, "agency created");
    Ok(with_etag(
        HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/agencies/{}", agency.id))),
        &agency,
    ))
}

/// Change an agency, or move it (with everything below it) under another parent.
///
/// Administrators only, for an agency in their scope (404 otherwise). `If-Match` with the `ETag`
/// read guards against lost updates (412 when it changed since). Refused with 422 when the new
/// parent is outside the scope, is the agency itself or below it, or when the agencies below would
/// no longer fit under the new level; 409 when the code is taken.
#[utoipa::path(
    operation_id = "agencies_update",
    tag = "agencies",
    params(
        ("id" = String, Path, description = "Agency id"),
        IfMatch,
    ),
    request_body = AgencyPatch,
    responses((status = 200, description = "The agency, changed", body = Agency, headers(("ETag" = String))), r::UpdateProblems),
    security(("bearer" = []))
)]
#[patch("/agencies/{id}")]
pub async fn update_agency(
    auth: Authorized<AdminOnly>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<AgencyPatch>,
    db: web::Data<Db>,
    tree: web::Data<TreeVersion>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner();
    patch.validate()?;
    let scope = auth.scope();
    let id = id.into_inner();
    let row = db.write(move |conn| service::update(conn, &scope, id, &if_match, patch)).await?;
    // A moved agency inherits other days off and office hours: what is cached from the tree goes.
    tree.bump();
    let agency = Agency::try_from(row)?;
    tracing::info!(agency_id = %agency.id, by = %auth.id, "agency updated");
    Ok(with_etag(&mut HttpResponse::Ok(), &agency))
}
