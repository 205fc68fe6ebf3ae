//! The desk's forms of a dossier over HTTP (Circular 01/2018/TT-VPCP, forms 01–05), as printable
//! HTML or DOCX.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized};
use crate::db::Db;
use crate::dossiers::forms::{self, FormKind, FormQuery};
use crate::error::ApiError;
use crate::forms::PrintFormat;
use crate::http::extract::QueryParams;
use crate::http::responses as r;

/// A printable form of the dossier (Circular 01/2018/TT-VPCP), as HTML ready to print on A4 or
/// as DOCX.
///
/// `receipt` is form 01 (receipt and appointment, with a QR code to the public lookup and the
/// signatures of the applicant and the receiving officer), `supplement-request` form 02 (what is
/// missing), `refusal` form 03 (refusal at reception, with its reasons), `apology` form 04 (the
/// apology with the new appointment), `control-sheet` form 05 (one line per step of the
/// handling, with times and a column to sign). The numbers and the day of signing are left
/// blank for the desk to write by hand.
///
/// Whoever may read the dossier may print its forms (the agency's staff within their scope,
/// service accounts of the agency, the applicant for their own dossier); the contacts and the
/// receipt's QR code (which carries the lookup's check) only for those who see personal data,
/// and the officers' internal notes not for the applicant. Each print is recorded in the audit
/// trail as a reading of the dossier.
///
/// A form is printed only once what it records happened, otherwise 409 with the rule:
/// `receipt_after_acceptance` and `control_sheet_after_acceptance` (the dossier is not accepted
/// yet), `supplement_form_after_request` (no supplement was requested),
/// `refusal_form_after_rejection` (it was not refused at reception), `apology_form_after_apology`
/// (the desk has not apologized). A `format` other than `html` or `docx` is a 400; a `form`
/// other than those five, or a dossier the caller may not read, a 404.
#[utoipa::path(
    operation_id = "dossiers_form",
    tag = "dossiers",
    params(
        ("id" = String, Path, description = "The dossier's id"),
        ("form" = inline(FormKind), Path, description = "Which form: `receipt` (01), `supplement-request` (02), `refusal` (03), `apology` (04), `control-sheet` (05); any other is a 404"),
        FormQuery,
    ),
    responses(
        (status = 200, description = "The form: printable HTML, or a DOCX file (`Content-Disposition: attachment`)", content(
            (String = "text/html"),
            (inline(r::FileBytes) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        )),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/forms/{form}")]
pub async fn dossier_form(
    req: HttpRequest,
    auth: Authorized<AnyRole>,
    path: web::Path<(String, FormKind)>,
    query: QueryParams<FormQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = path.into_inner();
    print(&req, &auth, id, kind, query.into_inner().format.unwrap_or_default(), &db, &witness).await
}

/// Print one form of a dossier the caller may read, and record the reading. The receipt's
/// HTML at `/dossiers/{id}/receipt` comes this way too.
pub async fn print(
    req: &HttpRequest,
    auth: &Authorized<AnyRole>,
    id: String,
    kind: FormKind,
    format: PrintFormat,
    db: &Db,
    witness: &Witness,
) -> Result<HttpResponse, ApiError> {
    let origin = crate::http::client::public_origin(req);
    let caller = auth.caller.clone();
    let read = witness.by(auth, Action::DossierRead).about(SubjectType::Dossier, &id);
    let (paper, sheet) = db
        .run(move |conn| {
            let paper = forms::load(conn, &caller, &id, origin)?;
            let sheet = forms::sheet(kind, &paper, &caller)?;
            Ok::<_, ApiError>((paper, sheet))
        })
        .await?;
    let (body, content_type) = crate::forms::print(&sheet, format)?;
    let details =
        serde_json::json!({"view": "form", "form": kind.as_str(), "personal_fields": paper.personal});
    witness.saw(read.in_agency(Some(paper.row.agency_id.clone())).with(details));
    let mut response = HttpResponse::Ok();
    response.content_type(content_type);
    if format == PrintFormat::Docx {
        let file = format!(
            "{}-{}.docx",
            kind.as_str(),
            paper.row.code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "-")
        );
        response.insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")));
    }
    Ok(response.body(body))
}
