//! Receiving a dossier and recording digitization, payment or assignment over HTTP, each one
//! idempotent transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, patch, post, web};
use validator::Validate;

use super::saved;
use crate::auth::caller::{AnyRole, Authorized, Policy};
use crate::auth::role::Role;
use crate::calendar::cache::CalendarCache;
use crate::db::Db;
use crate::dossiers::model::{DossierPatch, NewDossier};
use crate::dossiers::service;
use crate::dossiers::store;
use crate::dossiers::views::Dossier;
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::http::extract::JsonBody;
use crate::http::idempotency::{self, IdempotencyKey};
use crate::http::responses as r;

/// Who may submit: citizens (online), officers (desk, post), portal adapters and admins.
pub struct Intake;
impl Policy for Intake {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Officer, Role::Integration, Role::Citizen];
}

/// Receive a dossier: online (citizens, the portal), at the desk or by post (officers).
///
/// Administrators, officers and service accounts for an agency in their scope (422 on `agency_id`
/// otherwise), citizens for any agency; leaders get 403. A citizen submits `online` only, without
/// `external_ref` or `fee_paid`; an officer records `direct` and `postal` intake only (422 on
/// `channel`). Only service accounts and administrators may import history (`submitted_at`,
/// `accepted_at`). Desk and postal intake is accepted at once, with its receipt and due instant;
/// online intake waits for `accept`. Repeats with the same `Idempotency-Key` return the first
/// response; a second dossier with the same `external_ref` in the agency answers 409 with the
/// existing dossier's id.
#[utoipa::path(
    operation_id = "dossiers_create",
    tag = "dossiers",
    params(IdempotencyKey),
    request_body = NewDossier,
    responses((status = 201, description = "The dossier, received; `Location` is its URL", body = Dossier, headers(("Location" = String), ("ETag" = String))), r::CreateProblems),
    security(("bearer" = []))
)]
#[post("/dossiers")]
pub async fn create_dossier(
    auth: Authorized<Intake>,
    key: IdempotencyKey,
    body: JsonBody<NewDossier>,
    db: web::Data<Db>,
    calendars: web::Data<CalendarCache>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let new = body.into_inner();
    new.validate()?;
    let reference = new.external_ref.clone().map(|r| (new.agency_id.clone(), r.trim().to_owned()));
    let caller = auth.caller.clone();
    let result = idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let row = service::intake(conn, &calendars, &caller, new)?;
        saved(row, &caller, StatusCode::CREATED)
    })
    .await;
    let response = match (result, reference) {
        // Two intakes raced with one external_ref: the loser hit the unique index after the check.
        // Name the dossier that won, as the check would have.
        (
            Err(ApiError::Conflict { field: Some(field), existing_id: None, detail }),
            Some((agency_id, reference)),
        ) if field == "external_ref" => {
            let existing =
                db.run(move |conn| Ok(store::find_by_external_ref(conn, &agency_id, &reference)?)).await?;
            return Err(ApiError::Conflict { detail, field: Some(field), existing_id: existing });
        }
        (result, _) => result?,
    };
    tracing::info!(by = %auth.id, "dossier received");
    Ok(response)
}

/// Record digitization, payment or assignment.
///
/// Officers, administrators and service accounts, on a dossier they see (404 otherwise); leaders
/// get 403. `If-Match` with the `ETag` read guards against overwriting a change (412). A closed
/// dossier cannot be assigned (409 `assign_open_only`).
#[utoipa::path(
    operation_id = "dossiers_update",
    tag = "dossiers",
    params(
        ("id" = String, Path, description = "Dossier id"),
        IfMatch,
        IdempotencyKey,
    ),
    request_body(content = DossierPatch, example = json!({
        "components": [{"name": "Tờ khai đăng ký khai sinh", "digitized": true}],
        "fee_paid": {"method": "cash", "amount": 8000}
    })),
    responses((status = 200, description = "The dossier, changed", body = Dossier, headers(("ETag" = String))), r::UpdateProblems),
    security(("bearer" = []))
)]
#[patch("/dossiers/{id}")]
pub async fn update_dossier(
    auth: Authorized<AnyRole>,
    if_match: IfMatch,
    key: IdempotencyKey,
    id: web::Path<String>,
    body: JsonBody<DossierPatch>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let idempotency = key.with_body(body.raw());
    let patch = body.into_inner();
    patch.validate()?;
    let (caller, id) = (auth.caller.clone(), id.into_inner());
    idempotency::write(&db, &auth.id, idempotency, move |conn| {
        let row = service::update(conn, &caller, &id, &if_match, patch)?;
        saved(row, &caller, StatusCode::OK)
    })
    .await
}
