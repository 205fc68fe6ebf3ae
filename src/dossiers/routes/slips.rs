//! The receipt slip and the public lookup by code over HTTP.

use actix_web::{HttpResponse, get, web};

use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized};
use crate::db::Db;
use crate::dossiers::access::sees_personal_data;
use crate::dossiers::model::{ReceiptFormat, ReceiptQuery};
use crate::dossiers::views::{PublicDossier, Receipt};
use crate::dossiers::{receipt, service};
use crate::error::ApiError;
use crate::http::extract::QueryParams;
use crate::http::responses as r;

/// The receipt and appointment slip (phiếu tiếp nhận và hẹn trả kết quả, form 01), printable HTML
/// in Vietnamese or JSON. Only for an accepted dossier.
#[utoipa::path(
    tag = "dossiers",
    params(("id" = String, Path), ReceiptQuery),
    responses(
        (status = 200, description = "The slip", content((Receipt = "application/json"), (String = "text/html"))),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound), (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/receipt")]
pub async fn dossier_receipt(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    query: QueryParams<ReceiptQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let caller = auth.caller.clone();
    let dossier_id = id.into_inner();
    let read = witness.by(&auth, Action::DossierRead).about(SubjectType::Dossier, &dossier_id);
    let (receipt, agency_id) = db.run(move |conn| service::receipt(conn, &caller, &dossier_id)).await?;
    let details = serde_json::json!({"view": "receipt", "personal_fields": sees_personal_data(&auth)});
    witness.saw(read.in_agency(Some(agency_id)).with(details));
    Ok(match query.format.unwrap_or(ReceiptFormat::Html) {
        ReceiptFormat::Json => HttpResponse::Ok().json(receipt),
        ReceiptFormat::Html => {
            HttpResponse::Ok().content_type("text/html; charset=utf-8").body(receipt::html(&receipt))
        }
    })
}

/// Look a dossier up by its code, without signing in: status and appointment only.
#[utoipa::path(
    tag = "dossiers",
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = PublicDossier), (status = 404, response = r::NotFound)),
    security()
)]
#[get("/public/dossiers/{code}")]
pub async fn public_dossier(
    code: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<PublicDossier>, ApiError> {
    Ok(web::Json(db.run(move |conn| service::public(conn, &code)).await?))
}
