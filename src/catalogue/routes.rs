use actix_multipart::{Multipart, MultipartError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{NaiveDate, Utc};
use futures_util::StreamExt;
use validator::Validate;

use super::import;
use super::model::{
    ImportReport, NewProcedure, Procedure, ProcedurePatch, ProcedureQuery, ProcedureRow, Publication,
    PublicationView,
};
use super::search;
use super::service::{new_row, write_rows};
use super::store;
use crate::agencies::access::load_named;
use crate::auth::caller::{AdminOnly, AnyRole, Authorized};
use crate::auth::scope::Scope;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::posting_deadline;
use crate::clock;
use crate::clock::vietnam;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{IfMatch, etag};
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::form;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::{Text, nouns};

fn today() -> NaiveDate {
    Utc::now().with_timezone(&vietnam()).date_naive()
}

/// The procedure as the API shows it, with its posting compliance judged on its agency's calendar.
fn to_api(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    row: ProcedureRow,
) -> Result<Procedure, ApiError> {
    let calendar = calendars.get(conn, row.agency_id.as_deref())?;
    let deadline = row.signed_on.and_then(|signed| posting_deadline(signed, &calendar.calendar));
    let posted_in_time = match (row.posted_on, deadline) {
        (Some(posted), Some(deadline)) => Some(posted <= deadline),
        (None, Some(deadline)) if today() > deadline => Some(false),
        _ => None,
    };
    let view = PublicationView {
        decision_number: row.decision_number.clone(),
        signed_on: row.signed_on,
        posted_on: row.posted_on,
        posting_deadline: deadline,
        posted_in_time,
    };
    Ok(row.to_api(view)?)
}

/// Who may write an entry: a national one needs a system administrator, an agency's one an
/// admin whose scope covers the agency.
fn check_owner(conn: &mut DbConnection, scope: &Scope, agency_id: Option<&str>) -> Result<(), ApiError> {
    match agency_id {
        Some(id) => load_named(conn, scope, id, "agency_id").map(|_| ()),
        None if *scope == Scope::All => Ok(()),
        None => Err(ApiError::Forbidden(Text::fixed(
            "Chỉ quản trị viên hệ thống được thay đổi danh mục thủ tục dùng chung toàn quốc",
            "only a system administrator changes the national catalogue",
        ))),
    }
}

fn respond(builder: &mut actix_web::HttpResponseBuilder, procedure: &Procedure) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(&procedure.id, procedure.updated_at))).json(procedure)
}

/// Search and list the catalogue, ordered by code.
///
/// Anyone signed in: the catalogue is published information, every entry (active or not) is listed.
/// `q` searches codes and names, accents and case ignored.
#[utoipa::path(
    operation_id = "procedures_list",
    tag = "procedures",
    params(ProcedureQuery),
    responses(
        (status = 200, description = "A page of procedures, ordered by code", body = Page<Procedure>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
    ),
    security(("bearer" = []))
)]
#[get("/procedures")]
pub async fn list_procedures(
    _auth: Authorized<AnyRole>,
    query: QueryParams<ProcedureQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<web::Json<Page<Procedure>>, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_cursor(query.cursor.as_deref())?;
    let page = db
        .run(move |conn| {
            let rows = store::query(conn, &query, after.as_deref(), limit + 1)?;
            let page = pagination::page(rows, limit, |row| row.code.clone(), |row| row);
            let items =
                page.items.into_iter().map(|row| to_api(conn, &calendars, row)).collect::<Result<_, _>>()?;
            Ok(Page { items, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// Read one procedure.
///
/// Anyone signed in, whatever catalogue it belongs to.
#[utoipa::path(
    operation_id = "procedures_get",
    tag = "procedures",
    params(("id" = String, Path, description = "Procedure id")),
    responses(
        (status = 200, description = "The procedure", body = Procedure, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/procedures/{id}")]
pub async fn get_procedure(
    _auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let procedure = db
        .run(move |conn| {
            let row = store::find(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::PROCEDURE))?;
            to_api(conn, &calendars, row)
        })
        .await?;
    Ok(respond(&mut HttpResponse::Ok(), &procedure))
}

/// Add a procedure to the catalogue.
///
/// Administrators only. A national procedure (no `agency_id`) a system administrator only (403); an
/// agency's for an agency in the caller's scope (422 on `agency_id` otherwise). A taken code
/// answers 409.
#[utoipa::path(
    operation_id = "procedures_create",
    tag = "procedures",
    request_body = NewProcedure,
    responses((status = 201, description = "The procedure, created; `Location` is its URL", body = Procedure, headers(("Location" = String), ("ETag" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/procedures")]
pub async fn create_procedure(
    auth: Authorized<AdminOnly>,
    body: JsonBody<NewProcedure>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let scope = auth.scope();
    let procedure = db
        .write(move |conn| {
            check_owner(conn, &scope, body.agency_id.as_deref())?;
            let agency_id = body.agency_id.clone();
            let row = new_row(body, agency_id)?;
            store::insert(conn, &row)?;
            to_api(conn, &calendars, row)
        })
        .await?;
    tracing::info!(procedure = ?procedure.code, by = %auth.id, "procedure created");
    Ok(respond(
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/procedures/{}", procedure.id))),
        &procedure,
    ))
}

fn apply_patch(row: &mut ProcedureRow, patch: ProcedurePatch) -> Result<(), ApiError> {
    if let Some(name) = patch.name {
        row.name = name.trim().to_owned();
    }
    if let Some(field) = patch.field {
        row.field_folded = search::fold(field.trim());
        row.field = field.trim().to_owned();
    }
    if let Some(level) = patch.level {
        row.level = level.as_str().to_owned();
    }
    if let Some(online) = patch.online_service {
        row.online_service = online.as_str().to_owned();
    }
    if let Some(time) = patch.processing_time {
        row.processing_value = time.value;
        row.processing_unit = time.unit.as_str().to_owned();
    }
    if let Some(fee) = patch.fee {
        row.fee = fee;
    }
    if let Some(components) = patch.components {
        row.components = serde_json::to_string(&components).map_err(anyhow::Error::from)?;
    }
    if let Some(Publication { decision_number, signed_on, posted_on }) = patch.publication {
        row.decision_number = decision_number;
        row.signed_on = signed_on;
        row.posted_on = posted_on;
    }
    if let Some(active) = patch.active {
        row.active = active;
    }
    if let Some(requires_approval) = patch.requires_approval {
        row.requires_approval = requires_approval;
    }
    if let Some(code) = patch.national_code {
        row.national_code = Some(code).filter(|c| !c.is_empty());
    }
    if let Some(code) = patch.field_code {
        row.field_code = Some(code).filter(|c| !c.is_empty());
    }
    row.updated_at = clock::to_db(clock::now());
    Ok(())
}

/// Change a procedure; `{"active": false}` deactivates it (procedures are never deleted).
///
/// Administrators only, for a procedure of a catalogue in their scope (403 otherwise: the national
/// one is a system administrator's). `If-Match` guards against lost updates (412).
#[utoipa::path(
    operation_id = "procedures_update",
    tag = "procedures",
    params(
        ("id" = String, Path, description = "Procedure id"),
        IfMatch,
    ),
    request_body = ProcedurePatch,
    responses((status = 200, description = "The procedure, changed", body = Procedure, headers(("ETag" = String))), r::EditProblems),
    security(("bearer" = []))
)]
#[patch("/procedures/{id}")]
pub async fn update_procedure(
    auth: Authorized<AdminOnly>,
    if_match: IfMatch,
    id: web::Path<String>,
    body: JsonBody<ProcedurePatch>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.into_inner();
    patch.validate()?;
    let scope = auth.scope();
    let procedure = db
        .write(move |conn| {
            let mut row = store::find(conn, &id)?.ok_or_else(|| ApiError::not_found(nouns::PROCEDURE))?;
            if_match.check(&etag(&row.id, clock::from_db(row.updated_at)))?;
            // The entry is visible to everyone, so outside the scope is "not yours" (403), not 404.
            check_owner(conn, &scope, row.agency_id.as_deref()).map_err(|_| {
                ApiError::Forbidden(Text::fixed(
                    "Thủ tục này thuộc danh mục ngoài phạm vi của bạn",
                    "this procedure belongs to a catalogue outside your scope",
                ))
            })?;
            apply_patch(&mut row, patch)?;
            store::update(conn, &row)?;
            to_api(conn, &calendars, row)
        })
        .await?;
    tracing::info!(procedure = ?procedure.code, by = %auth.id, "procedure updated");
    Ok(respond(&mut HttpResponse::Ok(), &procedure))
}

/// Largest import file (bytes).
const MAX_IMPORT_BYTES: usize = 16 << 20;
/// The import form's one part, for the problem a malformed form answers with.
const PARTS: &str = "file";

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The agency whose catalogue the rows belong to (default: the national catalogue).
    pub agency_id: Option<String>,
}

/// The import, as `multipart/form-data`.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form for the contract; the route reads the part itself.
pub struct CatalogueFile {
    /// The spreadsheet: CSV (UTF-8, with or without a byte-order mark) or XLSX (its first sheet),
    /// told apart by the content; at most 16 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Import the province's published catalogue from a CSV or XLSX file: all rows or none.
///
/// Administrators only, into the national catalogue (a system administrator) or that of an agency
/// in their scope (`agency_id`; 422 outside it). Send `multipart/form-data` with one part, `file`:
/// a CSV in UTF-8 or an XLSX (its first sheet), told apart by its content; anything else (a DOCX,
/// an old XLS, a PDF) answers 422 naming `file` ("not a CSV or XLSX file"), a form without it 422
/// naming `file`, a body that is no form 415. Columns: `code, name, field, level, online_service,
/// processing_value, processing_unit, fee` and optionally `required_components,
/// optional_components` (separated by `|`), `decision_number, signed_on, posted_on`,
/// `requires_approval` (`true`/`1`), `national_code` and `field_code` (the national catalogue's
/// codes of a local procedure and of its field); an optional column left out clears what the row
/// updates. A row whose
/// code exists in that catalogue updates the procedure; a code of another catalogue is refused.
/// Errors name `rows[LINE].COLUMN` (the header is line 1).
#[utoipa::path(
    operation_id = "procedures_import",
    tag = "procedures",
    params(ImportQuery),
    request_body(content = CatalogueFile, content_type = "multipart/form-data"),
    responses((status = 200, description = "How many procedures were created and updated", body = ImportReport), r::WriteProblems),
    security(("bearer" = []))
)]
#[post("/procedures/import")]
pub async fn import_procedures(
    auth: Authorized<AdminOnly>,
    req: HttpRequest,
    query: QueryParams<ImportQuery>,
    payload: web::Payload,
    db: web::Data<Db>,
) -> Result<web::Json<ImportReport>, ApiError> {
    let bytes = receive(req.headers(), payload).await?;
    let rows = web::block(move || import::parse(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(ApiError::Validation)?;
    let scope = auth.scope();
    let agency_id = query.into_inner().agency_id;
    let report = db
        .write(move |conn| {
            check_owner(conn, &scope, agency_id.as_deref())?;
            write_rows(conn, rows, agency_id.as_deref())
        })
        .await?;
    tracing::info!(created = report.created, updated = report.updated, by = %auth.id, "catalogue imported");
    Ok(web::Json(report))
}

/// The bytes of the form's one `file` part.
async fn receive(headers: &header::HeaderMap, payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let no_file = || {
        ApiError::invalid_field(
            "file",
            Text::fixed("Thiếu phần file của biểu mẫu", "the form has no file part"),
        )
    };
    let mut form = Multipart::new(headers, payload);
    let mut file = None;
    let mut parts = 0;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| match e {
            // A form without any part is only its closing boundary, which the parser calls
            // incomplete: to the client, the file is what is missing.
            MultipartError::Incomplete if parts == 0 => no_file(),
            e => form::malformed(e, PARTS),
        })?;
        parts += 1;
        match field.name().unwrap_or_default() {
            "file" if file.is_none() => {
                let too_large = || {
                    ApiError::PayloadTooLarge(Text::new(
                        format!("Tệp vượt quá {MAX_IMPORT_BYTES} byte"),
                        format!("the file exceeds {MAX_IMPORT_BYTES} bytes"),
                    ))
                };
                file = Some(form::read_part(&mut field, MAX_IMPORT_BYTES, PARTS, too_large).await?);
            }
            other => {
                return Err(ApiError::invalid_field(
                    other.to_owned(),
                    Text::fixed("Biểu mẫu chỉ có một phần file", "the form has one part only, file"),
                ));
            }
        }
    }
    file.ok_or_else(no_file)
}
