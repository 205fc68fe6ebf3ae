use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;
use validator::Validate;

use super::access::{load_named, load_visible, read_scope};
use super::model::{Agency, AgencyLevel, AgencyPatch, AgencyQuery, AgencyRow, NewAgency};
use super::store::{self, AgencyChanges, ListFilter};
use crate::auth::caller::{AdminOnly, AnyRole, Authorized};
use crate::auth::scope::{self, Scope};
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::Text;

/// A parent named in a request body: absent or outside the scope is a 422 on `parent_id`.
fn load_parent(conn: &mut DbConnection, scope: &Scope, id: &str) -> Result<AgencyRow, ApiError> {
    load_named(conn, scope, id, "parent_id")
}

fn with_etag(builder: &mut actix_web::HttpResponseBuilder, agency: &Agency) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(&agency.id, agency.updated_at))).json(agency)
}

/// List the agencies in the caller's scope, ordered by code.
#[utoipa::path(
    tag = "agencies",
    params(AgencyQuery),
    responses(
        (status = 200, body = Page<Agency>),
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
    let filter = ListFilter { parent_id: query.parent_id, level: query.level.map(AgencyLevel::as_str) };
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
#[utoipa::path(
    tag = "agencies",
    params(("id" = String, Path, description = "Agency id")),
    responses(
        (status = 200, body = Agency, headers(("ETag" = String))),
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

/// Create an agency (admins; a province needs a system admin).
#[utoipa::path(
    tag = "agencies",
    request_body = NewAgency,
    responses(
        (status = 201, body = Agency, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 409, response = r::Conflict),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
    ),
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
    let row = db
        .write(move |conn| {
            let parent = match &body.parent_id {
                Some(id) => Some(load_parent(conn, &scope, id)?),
                None if scope != Scope::All => {
                    return Err(ApiError::Forbidden(Text::fixed(
                        "Chỉ quản trị viên hệ thống được tạo cơ quan cấp tỉnh",
                        "only a system administrator creates a province",
                    )));
                }
                None => None,
            };
            let parent_level = parent.as_ref().map(|p| AgencyLevel::from_db(&p.level)).transpose()?;
            body.level.check_parent(parent_level).map_err(|m| ApiError::invalid_field("parent_id", m))?;
            let id = Uuid::new_v4().to_string();
            let now = clock::to_db(clock::now());
            let row = AgencyRow {
                path: scope::child_path(parent.as_ref().map(|p| p.path.as_str()), &id),
                id,
                code: body.code,
                name: body.name,
                level: body.level.as_str().to_owned(),
                parent_id: body.parent_id,
                created_at: now,
                updated_at: now,
            };
            store::insert(conn, &row)?;
            Ok(row)
        })
        .await?;
    let agency = Agency::try_from(row)?;
    tracing::info!(agency_id = %agency.id, code = %agency.code, by = %auth.id, "agency created");
    Ok(with_etag(
        HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/agencies/{}", agency.id))),
        &agency,
    ))
}

/// Change an agency, or move it (with everything below it) under another parent.
#[utoipa::path(
    tag = "agencies",
    params(
        ("id" = String, Path, description = "Agency id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read; 412 if it changed since"),
    ),
    request_body = AgencyPatch,
    responses(
        (status = 200, body = Agency, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Unprocessable),
    ),
    security(("bearer" = []))
)]
#[patch("/agencies/{id}")]
pub async fn update_agency(
    auth: Authorized<AdminOnly>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<AgencyPatch>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner();
    patch.validate()?;
    let scope = auth.scope();
    let id = id.into_inner();
    let row = db
        .write(move |conn| {
            let current = load_visible(conn, &scope, &id)?;
            if_match.check(&etag(&current.id, clock::from_db(current.updated_at)))?;
            let level = patch.level.map(Ok).unwrap_or_else(|| AgencyLevel::from_db(&current.level))?;
            let moving = patch.parent_id.as_ref().filter(|p| Some(*p) != current.parent_id.as_ref());
            let (parent_id, parent) = match moving {
                Some(new_parent) => {
                    let parent = load_parent(conn, &scope, new_parent)?;
                    if scope::would_cycle(&current.path, &parent.path) {
                        return Err(ApiError::invalid_field(
                            "parent_id",
                            Text::fixed(
                                "Không thể đặt một cơ quan dưới chính nó hoặc dưới cơ quan trực thuộc nó",
                                "an agency cannot be placed under itself or an agency below it",
                            ),
                        ));
                    }
                    (Some(new_parent.clone()), Some(parent))
                }
                None => {
                    let parent = match &current.parent_id {
                        Some(p) => store::find(conn, p)?,
                        None => None,
                    };
                    (current.parent_id.clone(), parent)
                }
            };
            let parent_level = parent.as_ref().map(|p| AgencyLevel::from_db(&p.level)).transpose()?;
            level.check_parent(parent_level).map_err(|m| ApiError::invalid_field("parent_id", m))?;
            if level.as_str() != current.level {
                // The agencies below must still fit under the new level.
                for child in store::children(conn, &id)? {
                    let child_level = AgencyLevel::from_db(&child.level)?;
                    child_level.check_parent(Some(level)).map_err(|_| {
                        ApiError::invalid_field(
                            "level",
                            Text::new(
                                format!(
                                    "Đơn vị trực thuộc {} ({}) không thể nằm dưới một cơ quan {}",
                                    child.name,
                                    child_level.in_sentence_vi(),
                                    level.in_sentence_vi()
                                ),
                                format!(
                                    "{} ({}) below it could not stay under a {}",
                                    child.name,
                                    child.level,
                                    level.as_str()
                                ),
                            ),
                        )
                    })?;
                }
            }
            let now = clock::to_db(clock::now());
            let code = patch.code.unwrap_or(current.code);
            let name = patch.name.unwrap_or(current.name);
            store::update(
                conn,
                &id,
                &AgencyChanges {
                    code: &code,
                    name: &name,
                    level: level.as_str(),
                    parent_id: parent_id.as_deref(),
                    updated_at: now,
                },
            )?;
            let mut path = current.path;
            if let (Some(_), Some(parent)) = (moving, &parent) {
                let new_path = scope::child_path(Some(&parent.path), &id);
                store::move_subtree(conn, &path, &new_path)?;
                path = new_path;
            }
            Ok(AgencyRow {
                id,
                code,
                name,
                level: level.as_str().to_owned(),
                parent_id,
                path,
                created_at: current.created_at,
                updated_at: now,
            })
        })
        .await?;
    // A moved agency inherits other days off and office hours.
    calendars.invalidate();
    let agency = Agency::try_from(row)?;
    tracing::info!(agency_id = %agency.id, by = %auth.id, "agency updated");
    Ok(with_etag(&mut HttpResponse::Ok(), &agency))
}
