//! The receipt slip and the public lookup by code over HTTP.

use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized};
use crate::db::Db;
use crate::dossiers::access::sees_personal_data;
use crate::dossiers::forms::FormKind;
use crate::dossiers::lookup::LookupThrottle;
use crate::dossiers::model::{ReceiptFormat, ReceiptQuery};
use crate::dossiers::routes::forms;
use crate::dossiers::service;
use crate::dossiers::views::{PublicDossier, Receipt};
use crate::error::ApiError;
use crate::forms::PrintFormat;
use crate::http::cache::{self, Audience};
use crate::http::client;
use crate::http::extract::QueryParams;
use crate::http::responses as r;

/// The receipt and appointment slip (phiếu tiếp nhận và hẹn trả kết quả, form 01), printable HTML
/// in Vietnamese or JSON.
///
/// Whoever may read the dossier (404 otherwise). Only an accepted dossier has one: before
/// acceptance the answer is 409 `receipt_after_acceptance`.
#[utoipa::path(
    operation_id = "dossiers_receipt",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id"), ReceiptQuery),
    responses(
        (status = 200, description = "The slip", content((Receipt = "application/json"), (String = "text/html"))),
        (status = 400, response = r::BadRequest), (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound), (status = 409, response = r::Conflict),
    ),
    security(("bearer" = []))
)]
#[get("/dossiers/{id}/receipt")]
pub async fn dossier_receipt(
    req: HttpRequest,
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    query: QueryParams<ReceiptQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let format = query.format.unwrap_or(ReceiptFormat::Html);
    if format == ReceiptFormat::Html {
        // The same form 01 as `/dossiers/{id}/forms/receipt`.
        return forms::print(
            &req,
            &auth,
            id.into_inner(),
            FormKind::Receipt,
            PrintFormat::Html,
            &db,
            &witness,
        )
        .await;
    }
    let caller = auth.caller.clone();
    let dossier_id = id.into_inner();
    let read = witness.by(&auth, Action::DossierRead).about(SubjectType::Dossier, &dossier_id);
    let (receipt, agency_id) = db.run(move |conn| service::receipt(conn, &caller, &dossier_id)).await?;
    let details = serde_json::json!({"view": "receipt", "personal_fields": sees_personal_data(&auth)});
    witness.saw(read.in_agency(Some(agency_id)).with(details));
    Ok(HttpResponse::Ok().json(receipt))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// The last 4 digits of the applicant's phone or identity number, as given at intake.
    /// Without it, or with another, the answer is the 404 of an unknown code.
    #[param(required = true, pattern = "^[0-9]{4}$", example = "5678")]
    pub check: Option<String>,
}

/// Look a dossier up by its code and check, without signing in: status and appointment only.
///
/// `check` is the last 4 digits of the applicant's phone or identity number. A missing,
/// malformed or wrong `check` answers exactly like an unknown code (404), so that codes, which
/// are sequential, cannot be walked. Each client address may make `MOTCUA_LOOKUP_PER_MINUTE` (10)
/// lookups a minute, half of them at once; found or not, each counts, and past that the answer is
/// 429 with `Retry-After`. The answer is about one person: an `ETag` and `Cache-Control: private,
/// no-cache` (revalidate with `If-None-Match`: 304).
#[utoipa::path(
    operation_id = "public_dossier",
    tag = "public",
    params(("code" = String, Path, description = "Dossier code"), LookupQuery),
    responses(
        (status = 200, description = "The dossier's status and appointment", body = PublicDossier, headers(
            ("ETag" = String, description = "A digest of the body"),
            ("Cache-Control" = String, description = "`private, no-cache`"),
        )),
        (status = 304, description = "The dossier named by `If-None-Match` has not changed"),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 429, response = r::TooManyRequests),
    ),
    security()
)]
#[get("/public/dossiers/{code}")]
pub async fn public_dossier(
    req: HttpRequest,
    code: web::Path<String>,
    query: QueryParams<LookupQuery>,
    db: web::Data<Db>,
    throttle: web::Data<LookupThrottle>,
) -> Result<HttpResponse, ApiError> {
    throttle.admit(client::of(&req), Instant::now())?;
    let check = query.into_inner().check;
    let dossier = db.run(move |conn| service::public(conn, &code, check.as_deref())).await?;
    cache::json(&req, Audience::OnePerson, &dossier)
}
