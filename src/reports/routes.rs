use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};

use super::document::{self, DeskText};
use super::export;
use super::model::{
    OfficersQuery, OfficersReport, ReportFormat, Summary, SummaryQuery, Targets, TargetsQuery, TargetsUpdate,
    Timeseries, TimeseriesQuery,
};
use super::register::{self as registers, RegisterQuery};
use super::service;
use crate::agencies::store as agencies;
use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{Authorized, Caller, Leadership, Staff};
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::responses as r;
use crate::i18n::Text;

/// The most text a desk section may carry in a query string: two of them, each character up to
/// 12 bytes once percent-encoded, must keep the request head well under the server's 64 KiB.
const MAX_DESK_TEXT: usize = 1_000;

/// Refuse desk text longer than a document can carry, naming the field.
fn check_desk_text(query: &SummaryQuery) -> Result<(), ApiError> {
    for (field, value) in [
        ("direction", &query.direction),
        ("tasks_ahead", &query.tasks_ahead),
        ("document_number", &query.document_number),
    ] {
        let limit = if field == "document_number" { 100 } else { MAX_DESK_TEXT };
        let Some(value) = value else { continue };
        if value.chars().count() > limit {
            return Err(ApiError::invalid_field(
                field,
                Text::new(format!("Không được quá {limit} ký tự"), format!("at most {limit} characters")),
            ));
        }
        // They are printed into the report document: no control characters (a DOCX with one is
        // not valid XML), line breaks only in the paragraphs.
        let checked = match field {
            "document_number" => crate::text::single_line(value),
            _ => crate::text::multi_line(value),
        };
        if let Err(error) = checked {
            let mut errors = validator::ValidationErrors::new();
            errors.add(field, error);
            return Err(errors.into());
        }
    }
    Ok(())
}

/// The periodic report for an agency and everything below it.
///
/// For an agency with agencies below it, `by_agency` ranks them (a line per agency directly below,
/// each with its subtree). JSON, or as a file: CSV, XLSX laid out like form II.06a (the league
/// table on a sheet of its own), or the report document in Vietnamese as DOCX or printable HTML.
/// Leaders and administrators of the agency or one above it (404 for an
/// agency outside their scope; officers, service accounts and citizens get 403). `from` must not
/// come after `to` (422). A file names officers (who answers for missing digitization): exporting
/// one is recorded in the audit trail.
#[utoipa::path(
    operation_id = "reports_summary",
    tag = "reports",
    params(SummaryQuery),
    responses((status = 200, description = "The report", content( (Summary = "application/json"), (String = "text/csv"), (String = "text/html"), (inline(r::FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (inline(r::FileBytes) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), )), r::ReportProblems),
    security(("bearer" = []))
)]
#[get("/reports/summary")]
pub async fn summary(
    auth: Authorized<Leadership>,
    query: QueryParams<SummaryQuery>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    check_desk_text(&query)?;
    let caller = auth.caller.clone();
    let (agency_id, from, to, format) = (query.agency_id.clone(), query.from, query.to, query.format);
    let (summary, setters) = db
        .run(move |conn| {
            let summary = service::summary(conn, &calendars, &caller, &agency_id, from, to)?;
            // The names of the agencies that set targets, for the document's sentences.
            let mut setters = std::collections::HashMap::new();
            for id in summary.targets.iter().filter_map(|t| t.set_by_agency_id.clone()) {
                if let Some(agency) = agencies::find(conn, &id)? {
                    setters.insert(id, agency.name);
                }
            }
            Ok::<_, ApiError>((summary, setters))
        })
        .await?;
    let file = |ext: &str| {
        format!(
            "attachment; filename=\"bao-cao-{}-{}-{}.{ext}\"",
            crate::forms::file_part(&summary.agency.code),
            summary.period.from,
            summary.period.to
        )
    };
    let desk = DeskText {
        document_number: query.document_number,
        direction: query.direction,
        tasks_ahead: query.tasks_ahead,
    };
    let document = || {
        let today = crate::records::counters::facts::local_day(clock::now());
        let setter = |row: &super::model::TargetRow| {
            row.set_by_agency_id.as_ref().and_then(|id| setters.get(id)).cloned()
        };
        document::build(&summary, &desk, today, &setter)
    };
    if format != ReportFormat::Json {
        let export = witness
            .by(&auth, Action::Export)
            .about(SubjectType::Report, &summary.agency.id)
            .in_agency(Some(summary.agency.id.clone()))
            .with(serde_json::json!({
                "report": "summary", "format": format, "from": summary.period.from, "to": summary.period.to,
            }));
        witness.saw(export);
    }
    Ok(match format {
        ReportFormat::Json => HttpResponse::Ok().json(&summary),
        ReportFormat::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, file("csv")))
            .body(export::csv(&summary, query.lang)?),
        ReportFormat::Xlsx => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((header::CONTENT_DISPOSITION, file("xlsx")))
            .body(export::xlsx(&summary).map_err(anyhow::Error::from)?),
        ReportFormat::Docx => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            .insert_header((header::CONTENT_DISPOSITION, file("docx")))
            .body(export::docx(&document())?),
        ReportFormat::Html => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(export::html(&document(), &format!("Báo cáo — {}", summary.agency.name))?),
    })
}

/// What the JSON report handlers share: run a read-only use case on a pooled connection, as the
/// caller and with the query, and answer its result as JSON.
async fn read_json<Q, T>(
    db: &Db,
    caller: &Caller,
    query: Q,
    use_case: fn(&mut DbConnection, &Caller, Q) -> Result<T, ApiError>,
) -> Result<web::Json<T>, ApiError>
where
    Q: Send + 'static,
    T: Send + 'static,
{
    let caller = caller.clone();
    Ok(web::Json(db.run(move |conn| use_case(conn, &caller, query)).await?))
}

/// Received, resolved, on time and late per day, week or month.
///
/// Leaders and administrators of the agency or one above it (404 for an agency outside their scope;
/// others get 403). The series covers the agency and every agency below it.
#[utoipa::path(
    operation_id = "reports_timeseries",
    tag = "reports",
    params(TimeseriesQuery),
    responses((status = 200, description = "One bucket per day, week or month of the period", body = Timeseries), r::ReportProblems),
    security(("bearer" = []))
)]
#[get("/reports/timeseries")]
pub async fn timeseries(
    auth: Authorized<Leadership>,
    query: QueryParams<TimeseriesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Timeseries>, ApiError> {
    read_json(&db, &auth.caller, query.into_inner(), |conn, caller, q| {
        service::timeseries(conn, caller, &q.agency_id, (q.from, q.to), q.granularity)
    })
    .await
}

/// Per officer: received, resolved, late, apologies and digitization missing.
///
/// Who forgot which steps in the system. Leaders and administrators of the agency or one above it
/// (404 for an agency outside their scope; others get 403).
#[utoipa::path(
    operation_id = "reports_officers",
    tag = "reports",
    params(OfficersQuery),
    responses((status = 200, description = "One line per officer, most to answer for first", body = OfficersReport), r::ReportProblems),
    security(("bearer" = []))
)]
#[get("/reports/officers")]
pub async fn officers(
    auth: Authorized<Leadership>,
    query: QueryParams<OfficersQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<OfficersReport>, ApiError> {
    read_json(&db, &auth.caller, query.into_inner(), |conn, caller, q| {
        service::officers(conn, caller, &q.agency_id, q.from, q.to)
    })
    .await
}

/// The targets that apply to an agency in a year: its own, inherited from above, or the defaults.
///
/// Staff only (admins, leaders, officers), for an agency in their scope (404 otherwise); service
/// accounts and citizens get 403.
#[utoipa::path(
    operation_id = "reports_get_targets",
    tag = "reports",
    params(TargetsQuery),
    responses((status = 200, description = "Each indicator's target and where it comes from", body = Targets), r::ReportProblems),
    security(("bearer" = []))
)]
#[get("/targets")]
pub async fn get_targets(
    auth: Authorized<Staff>,
    query: QueryParams<TargetsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Targets>, ApiError> {
    read_json(&db, &auth.caller, query.into_inner(), |conn, caller, q| {
        service::targets(conn, caller, &q.agency_id, q.year)
    })
    .await
}

/// Set targets for an agency and year; agencies below inherit them.
///
/// Administrators for any agency in their scope, leaders for the agencies below their own (403 for
/// their own agency, 404 outside their scope). A `null` target removes the agency's own setting.
#[utoipa::path(
    operation_id = "reports_set_targets",
    tag = "reports",
    request_body = TargetsUpdate,
    responses((status = 200, description = "The targets that now apply", body = Targets), r::ChangeProblems),
    security(("bearer" = []))
)]
#[put("/targets")]
pub async fn put_targets(
    auth: Authorized<Leadership>,
    body: JsonBody<TargetsUpdate>,
    db: web::Data<Db>,
) -> Result<web::Json<Targets>, ApiError> {
    let caller = auth.caller.clone();
    let update = body.into_inner();
    Ok(web::Json(db.write(move |conn| service::set_targets(conn, &caller, update)).await?))
}

/// The desk's register of dossiers for a period (sổ theo dõi hồ sơ, form 06 of Circular
/// 01/2018/TT-VPCP), as HTML ready to print on A4 landscape or as DOCX.
///
/// One line per dossier submitted in the period (Vietnam days, `from` and `to` included) to the
/// agency or one below it, in the order they came: code, procedure, applicant with address and
/// phone, the agency in charge, the days of reception, appointment, result (or supplement
/// request) and return, a column for the applicant's signature, and the status.
///
/// Who may call it: whoever may read the agency's reports — leaders and admins of the agency or
/// one above it. The register names applicants, so each export is recorded in the audit trail.
/// Refused with 400 for a missing or malformed parameter (a `format` other than `html` or
/// `docx`), 422 when `from` is after `to`, a year is out of range, or (on `to`) the period holds
/// more than 5 000 dossiers; 403 for officers, service accounts and citizens; 404 for an agency
/// outside the caller's scope.
#[utoipa::path(
    operation_id = "reports_register",
    tag = "reports",
    params(RegisterQuery),
    responses(
        (status = 200, description = "The register: printable HTML, or a DOCX file (`Content-Disposition: attachment`)", content(
            (String = "text/html"),
            (inline(r::FileBytes) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        )),
        r::ReportProblems,
    ),
    security(("bearer" = []))
)]
#[get("/reports/register")]
pub async fn register(
    auth: Authorized<Leadership>,
    query: QueryParams<RegisterQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let RegisterQuery { agency_id, from, to, format } = query.into_inner();
    let format = format.unwrap_or_default();
    let caller = auth.caller.clone();
    let register = db.run(move |conn| registers::load(conn, &caller, &agency_id, from, to)).await?;
    let (body, content_type) = crate::forms::print(&registers::sheet(&register), format)?;
    let export = witness
        .by(&auth, Action::Export)
        .about(SubjectType::Report, &register.agency_id)
        .in_agency(Some(register.agency_id.clone()))
        .with(serde_json::json!({
            "report": "register", "format": format, "from": register.from, "to": register.to,
            "rows": register.lines.len(),
        }));
    witness.saw(export);
    let mut response = HttpResponse::Ok();
    response.content_type(content_type);
    if let Some(file) = registers::file_name(&register, format) {
        response.insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")));
    }
    Ok(response.body(body))
}
