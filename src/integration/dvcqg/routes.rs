//! HTTP in and out: load what the mapping needs, within the caller's visibility.

use actix_web::{get, web};

use super::mapping::{self, Procedure};
use super::model::DvcqgDossier;
use crate::agencies::store as agencies;
use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized};
use crate::catalogue::store as procedures;
use crate::db::Db;
use crate::dossiers::access;
use crate::error::ApiError;
use crate::http::responses as r;

/// One dossier in the national portal's sync shape (dichvucong.gov.vn), so that an adapter forwards
/// it as is.
///
/// Whoever may read `GET /api/v1/dossiers/{id}`; to anyone else it does not exist (404). The
/// reading is recorded in the audit trail.
#[utoipa::path(
    operation_id = "integration_dvcqg_dossier",
    tag = "integration",
    params(("id" = String, Path, description = "motcua's id of the dossier")),
    responses(
        (status = 200, description = "The dossier in the national portal's shape", body = DvcqgDossier),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/integrations/dvcqg/dossiers/{id}")]
pub async fn get_dvcqg_dossier(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<web::Json<DvcqgDossier>, ApiError> {
    let caller = auth.caller.clone();
    let read = witness.by(&auth, Action::DossierRead).about(SubjectType::Dossier, id.as_str());
    let (dossier, agency_id) = db
        .run(move |conn| {
            let row = access::load_visible(conn, &caller, &id)?;
            let procedure = procedures::find(conn, &row.procedure_id)?
                .ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
            let agency =
                agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
            let procedure =
                Procedure { code: &procedure.code, name: &procedure.name, field: &procedure.field };
            Ok((mapping::to_portal(&row, procedure, &agency.code)?, row.agency_id.clone()))
        })
        .await?;
    // The portal's shape names the applicant, without identity number or contacts.
    let details = serde_json::json!({"view": "dvcqg", "personal_fields": false});
    witness.saw(read.in_agency(Some(agency_id)).with(details));
    Ok(web::Json(dossier))
}
