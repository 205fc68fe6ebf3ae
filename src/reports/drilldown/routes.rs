//! `GET /reports/summary/dossiers`: the dossiers behind a figure, a page at a time or as a file.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::files::{self, Names};
use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{Authorized, Leadership};
use crate::db::Db;
use crate::dossiers::views::Dossier;
use crate::error::ApiError;
use crate::http::csv::HeaderLang;
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::Text;
use crate::reports::figures::membership::{COUNTS, Figure, MISSING_BY_RESPONSIBLE};
use crate::reports::store;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DossiersFormat {
    /// A page of dossiers.
    #[default]
    Json,
    /// Every dossier of the figure as one CSV file (`limit` and `cursor` do not apply).
    Csv,
    /// Every dossier of the figure as one XLSX workbook (`limit` and `cursor` do not apply).
    Xlsx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FigureDossiersQuery {
    /// The agency of the summary; it covers the agency and every agency below it.
    pub agency_id: String,
    /// The summary's first day, inclusive (Vietnam time).
    #[param(value_type = String, format = Date, example = "2024-01-01")]
    pub from: NaiveDate,
    /// The summary's last day, inclusive.
    #[param(value_type = String, format = Date, example = "2024-06-25")]
    pub to: NaiveDate,
    /// The figure, by its path in the summary's JSON: `reception.new_online`, `reception.new_direct`,
    /// `reception.new_postal`, `reception.new`, `reception.carried_over`, `reception.total`,
    /// `resolution.resolved`, `resolution.early`, `resolution.on_time`, `resolution.late`,
    /// `resolution.withdrawn`, `resolution.in_progress`, `resolution.in_progress_within_deadline`,
    /// `resolution.in_progress_overdue`, `resolution.late_with_apology`,
    /// `resolution.late_without_apology`, `online_service.{full|partial}.dossiers`,
    /// `online_service.{full|partial}.submitted_online`, `online_service.acceptance.online_submitted`,
    /// `online_service.acceptance.answered_in_time`, `payment.payable`, `payment.paid_online`,
    /// `digitization.{reception|result}.{eligible|digitized|missing}` (`missing`: eligible but not
    /// digitized), or a line of `digitization.missing_by_responsible` at reception or of results:
    /// `digitization.{reception|result}.missing_by_responsible.<responsible.id>`.
    #[param(example = "resolution.late")]
    pub figure: String,
    /// `json` (default): a page; `csv` or `xlsx`: the whole list as a file.
    #[param(inline)]
    #[serde(default)]
    pub format: DossiersFormat,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// CSV: the column headers' language, `en` (machine names, the default) or `vi`.
    #[param(inline)]
    pub lang: Option<HeaderLang>,
}

/// The figure a query names, or a 422 naming `figure` that lists the valid ones.
fn figure(name: &str) -> Result<Figure, ApiError> {
    Figure::parse(name).ok_or_else(|| {
        let names: Vec<&str> = COUNTS.iter().map(|c| c.name).collect();
        let names = format!("{}, {MISSING_BY_RESPONSIBLE}", names.join(", "));
        ApiError::invalid_field(
            "figure",
            Text::new(
                format!("Không phải là một số liệu của báo cáo; các số liệu: {names}"),
                format!("not a figure of the summary; the figures: {names}"),
            ),
        )
    })
}

/// The dossiers behind a figure of the summary.
///
/// Every count of dossiers in `GET /reports/summary` for the same agency and period can be
/// listed, and the list holds exactly as many dossiers as the figure says: the late ones, those
/// overdue without an apology, those an officer left undigitized, … Newest submission first,
/// each as the dossier list shows it, a page at a time (`limit`, `cursor`); `format=csv` or
/// `format=xlsx` gives the whole list as a file (agency, procedure and applicant names, instants
/// in Vietnam time), and that export is recorded in the audit trail.
///
/// Who may call: whoever may read the summary — leaders and admins of the agency or of one
/// above it (others get 403; an agency outside the caller's scope, or unknown, 404). A figure
/// that is not one, a period that ends before it starts or reaches outside the supported years
/// is a 422 naming the parameter; a malformed date, `limit`, `cursor` or `format` a 400.
#[utoipa::path(
    tag = "reports",
    operation_id = "reports_summary_dossiers",
    params(FigureDossiersQuery),
    responses(
        (status = 200, description = "The dossiers counted in the figure: a page, or the whole list as a file", content(
            (Page<Dossier> = "application/json"),
            (String = "text/csv"),
            (inline(r::FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        r::ReportProblems,
    ),
    security(("bearer" = []))
)]
#[get("/reports/summary/dossiers")]
pub async fn summary_dossiers(
    auth: Authorized<Leadership>,
    query: QueryParams<FigureDossiersQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let figure = figure(&query.figure)?;
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let caller = auth.caller.clone();
    let (agency_id, dates, format, lang) =
        (query.agency_id, (query.from, query.to), query.format, query.lang);
    if format == DossiersFormat::Json {
        let page =
            db.run(move |conn| super::page(conn, &caller, &agency_id, dates, &figure, after, limit)).await?;
        return Ok(HttpResponse::Ok().json(page));
    }
    let name = figure.name();
    let (members, rows, names) = db
        .run(move |conn| {
            let members = super::members(conn, &caller, &agency_id, dates, &figure)?;
            let rows = super::all(conn, &members)?;
            let mut procedures: Vec<String> = rows.iter().map(|r| r.procedure_id.clone()).collect();
            let mut agencies: Vec<String> = rows.iter().map(|r| r.agency_id.clone()).collect();
            for ids in [&mut procedures, &mut agencies] {
                ids.sort_unstable();
                ids.dedup();
            }
            let names = Names {
                agencies: store::names(conn, &[], &agencies)?.agencies,
                procedures: store::procedure_names(conn, &procedures)?,
            };
            Ok::<_, ApiError>((members, rows, names))
        })
        .await?;
    let export = witness
        .by(&auth, Action::Export)
        .about(SubjectType::Report, &members.agency.id)
        .in_agency(Some(members.agency.id.clone()))
        .with(serde_json::json!({
            "report": "summary_dossiers", "figure": name, "format": format, "rows": rows.len(),
            "from": members.period.from, "to": members.period.to,
        }));
    let file = |ext: &str| {
        let safe = |text: &str| text.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "-");
        format!(
            "attachment; filename=\"ho-so-{}-{}-{}-{}.{ext}\"",
            safe(&members.agency.code),
            safe(&name),
            members.period.from,
            members.period.to
        )
    };
    let response = match format {
        DossiersFormat::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, file("csv")))
            .body(files::csv(&rows, &names, lang)?),
        _ => {
            let title = format!(
                "{} — {} — {} đến {}",
                name,
                members.agency.name,
                members.period.from.format("%d/%m/%Y"),
                members.period.to.format("%d/%m/%Y")
            );
            HttpResponse::Ok()
                .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .insert_header((header::CONTENT_DISPOSITION, file("xlsx")))
                .body(files::xlsx(&title, &rows, &names).map_err(anyhow::Error::from)?)
        }
    };
    witness.saw(export);
    Ok(response)
}
