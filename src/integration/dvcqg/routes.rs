//! HTTP in and out: load what the mapping needs, within the caller's visibility; record the
//! portal's answers and list what is still to forward.

use std::collections::HashMap;

use actix_web::{get, post, web};
use validator::Validate;

use super::mapping::{self, LinkedFile, Procedure};
use super::model::{
    DvcqgDossier, DvcqgProgress, PendingDossier, PendingPage, SyncAck, SyncAnswer, SyncState,
};
use super::store::{self, SyncRow};
use super::{people, progress, supplements, sync};
use crate::agencies::store::{self as agencies, ids_in_scope};
use crate::audit::{Action, SubjectType, Witness};
use crate::auth::caller::{AnyRole, Authorized};
use crate::auth::role::Role;
use crate::catalogue::store as procedures;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::dossiers::access;
use crate::dossiers::files::Files;
use crate::dossiers::files::store as file_store;
use crate::dossiers::store as dossier_store;
use crate::error::ApiError;
use crate::http::extract::{JsonBody, QueryParams};
use crate::http::pagination::{self, PageQuery};
use crate::http::responses as r;
use crate::i18n::Text;
use crate::integration::events::FeedReaders;
use crate::records::history::{self, Trail};
use crate::service_accounts::store as service_accounts;
use crate::users::store as users;

/// One dossier in the national portal's sync shape (dichvucong.gov.vn), so that an adapter forwards
/// it as is.
///
/// Whoever may read `GET /api/v1/dossiers/{id}`; to anyone else it does not exist (404). The
/// applicant's identity number, phone and email (`SoGiayToChuHoSo`, `SoDienThoai`, `Email`) are
/// filled for staff and for service accounts an administrator granted `personal_data`, null for
/// other service accounts. The reading is recorded in the audit trail, with whether it showed
/// them and the number of file links it issued.
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
    files: web::Data<Files>,
    witness: Witness,
) -> Result<web::Json<DvcqgDossier>, ApiError> {
    let caller = auth.caller.clone();
    let read = witness.by(&auth, Action::DossierRead).about(SubjectType::Dossier, id.as_str());
    let now = clock::now();
    let (dossier, agency_id) = db
        .run(move |conn| {
            let row = access::load_visible(conn, &caller, &id)?;
            let procedure = procedures::find(conn, &row.procedure_id)?
                .ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
            let agency =
                agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
            let holder = match &row.holder_agency_id {
                Some(holder) => {
                    agencies::find(conn, holder)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?.name
                }
                None => agency.name.clone(),
            };
            let stored = file_store::list(conn, &row.id)?;
            let mut expires = None;
            let mut linked = Vec::with_capacity(stored.len());
            for file in stored {
                let (token, until) =
                    files.links.sign(&file.id, &row.id, (&caller.id, caller.kind_label()), now)?;
                expires = Some(until);
                linked.push(LinkedFile {
                    id: file.id,
                    kind: file.kind,
                    component: file.component,
                    file_name: file.file_name,
                    url: format!("/api/v1/file-links/{token}"),
                });
            }
            let procedure = Procedure {
                code: procedure.national_code.as_deref().unwrap_or(&procedure.code),
                name: &procedure.name,
                field_code: procedure.field_code.as_deref().unwrap_or(&procedure.field),
                field: &procedure.field,
            };
            let agency = mapping::Agency { code: &agency.code, name: &agency.name, handling: &holder };
            let mut dossier = mapping::to_portal(&row, procedure, agency, &linked)?;
            dossier.links_expire_at = expires;
            if access::sees_personal_data(&caller) {
                people::reveal(&mut dossier, &row);
            }
            let steps = history::read(conn, Trail::Dossier, &row.id)?;
            dossier.danh_sach_ho_so_bo_sung = supplements::requests(&row, &steps);
            Ok((dossier, row.agency_id.clone()))
        })
        .await?;
    // The portal's shape names the applicant; its identity number and contacts only for a caller
    // who sees them (a service account an administrator granted `personal_data`), as the row says.
    let links = dossier.tai_lieu_nop.len() + dossier.danh_sach_giay_to_ket_qua.len();
    let personal = access::sees_personal_data(&auth);
    let details = serde_json::json!({"view": "dvcqg", "personal_fields": personal, "file_links": links});
    witness.saw(read.in_agency(Some(agency_id)).with(details));
    Ok(web::Json(dossier))
}

/// The state of a dossier's sync from its answers: the answer for the newest version answered,
/// the newest accepted version, whether the current one is still to forward.
fn state(dossier_id: String, version: i64, answers: &[SyncRow]) -> SyncState {
    let judged: Vec<sync::Answer> = answers.iter().map(SyncRow::answer).collect();
    SyncState {
        dossier_id,
        version,
        synced_version: sync::synced_version(&judged),
        pending: sync::pending(version, &judged),
        last_answer: answers.iter().max_by_key(|a| a.version).map(answer_out),
    }
}

fn answer_out(row: &SyncRow) -> SyncAnswer {
    SyncAnswer {
        version: row.version,
        accepted: row.accepted,
        error: row.error.clone(),
        recorded_at: clock::from_db(row.recorded_at),
    }
}

const NO_SUCH_VERSION: Text = Text::fixed(
    "Hồ sơ chưa có phiên bản này: hãy xác nhận phiên bản (`version`) ghi trong bản đồng bộ đã gửi",
    "the dossier has no such version yet: acknowledge the `version` of the sync record that was sent",
);
const ERROR_ONLY_WHEN_REFUSED: Text = Text::fixed(
    "Chỉ ghi lỗi khi Cổng không tiếp nhận (`accepted` là false)",
    "give an error only when the portal refused the record (`accepted` false)",
);

/// Record what the national portal answered to the sync record of one version of a dossier.
///
/// Administrators and service accounts, for a dossier in their agencies (404 otherwise). The
/// dossier is synced once the portal accepts its current `version`: an older version is recorded
/// but leaves it pending; a version the dossier never had answers 422 naming `version`; an
/// `error` with `accepted` true answers 422 naming `error`. A second answer for the same version
/// replaces the first, so repeating the request is harmless. The answer writes no event and
/// does not move the dossier's version (an officer's write that raced it answers 409).
#[utoipa::path(
    operation_id = "integration_dvcqg_sync",
    tag = "integration",
    params(("id" = String, Path, description = "motcua's id of the dossier")),
    request_body = SyncAck,
    responses(
        (status = 200, description = "The dossier's sync with the portal, after this answer", body = SyncState),
        r::StepProblems,
    ),
    security(("bearer" = []))
)]
#[post("/integrations/dvcqg/dossiers/{id}/sync")]
pub async fn record_dvcqg_sync(
    auth: Authorized<FeedReaders>,
    id: web::Path<String>,
    body: JsonBody<SyncAck>,
    db: web::Data<Db>,
) -> Result<web::Json<SyncState>, ApiError> {
    let ack = body.into_inner();
    ack.validate()?;
    if ack.accepted && ack.error.is_some() {
        return Err(ApiError::invalid_field("error", ERROR_ONLY_WHEN_REFUSED));
    }
    let caller = auth.caller.clone();
    let state = db
        .write(move |conn| {
            // Two answers for the same version (an adapter retrying while the first is in flight)
            // queue here; otherwise each would judge the synced mark from the row as it was before
            // the other, and an acceptance then a refusal could leave the dossier counted as synced.
            dossier_store::hold(conn, &id)?;
            let row = access::load_visible(conn, &caller, &id)?;
            if sync::judge(ack.version, row.version) == sync::Judged::Future {
                return Err(ApiError::invalid_field("version", NO_SUCH_VERSION));
            }
            let answer = SyncRow {
                dossier_id: row.id.clone(),
                version: ack.version,
                accepted: ack.accepted,
                error: ack.error,
                recorded_at: clock::to_db(clock::now()),
                recorded_by: caller.id.clone(),
            };
            store::record(conn, &answer)?;
            if sync::judge(ack.version, row.version) == sync::Judged::Current {
                store::mark_current(conn, &row, ack.accepted)?;
            }
            let answers = store::answers(conn, std::slice::from_ref(&row.id))?;
            Ok(state(row.id, row.version, &answers))
        })
        .await?;
    Ok(web::Json(state))
}

/// The dossiers whose current version the national portal has not accepted yet, oldest change
/// first, so that an adapter resumes after an outage where it stopped.
///
/// Administrators and service accounts, over the dossiers of their agencies. A dossier is listed
/// until an acknowledgement (`POST …/dvcqg/dossiers/{id}/sync`) accepts its current version:
/// never answered, refused, or changed since the last acceptance. Forward each one's sync record
/// and acknowledge the answer; a dossier that changes meanwhile moves to the end.
#[utoipa::path(
    operation_id = "integration_dvcqg_pending",
    tag = "integration",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of dossiers still to forward, oldest change first", body = PendingPage),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
    ),
    security(("bearer" = []))
)]
#[get("/integrations/dvcqg/pending")]
pub async fn list_dvcqg_pending(
    auth: Authorized<FeedReaders>,
    query: QueryParams<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<PendingPage>, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let scope = auth.scope();
    let (rows, answers) = db
        .run(move |conn| {
            let agencies = ids_in_scope(conn, &scope)?;
            let rows = store::pending(conn, agencies.as_deref(), after, limit + 1)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            Ok((rows, store::answers(conn, &ids)?))
        })
        .await?;
    let mut by_dossier: HashMap<String, Vec<SyncRow>> = HashMap::new();
    for answer in answers {
        by_dossier.entry(answer.dossier_id.clone()).or_default().push(answer);
    }
    let page = pagination::page(
        rows,
        limit,
        |row| pagination::position(row.updated_at, &row.id),
        |row| {
            let last =
                by_dossier.get(&row.id).and_then(|a| a.iter().max_by_key(|a| a.version)).map(answer_out);
            PendingDossier {
                id: row.id,
                code: row.code,
                agency_id: row.agency_id,
                external_ref: row.external_ref,
                version: row.version,
                updated_at: clock::from_db(row.updated_at),
                last_answer: last,
            }
        },
    );
    Ok(web::Json(PendingPage { items: page.items, next_cursor: page.next_cursor }))
}

/// Who took a step of the history, as the progress update names them (`progress::actor`).
fn actor(
    conn: &mut DbConnection,
    dossier_agency: &str,
    (id, kind): (Option<&str>, &str),
) -> Result<progress::Actor, ApiError> {
    let agency_name = |conn: &mut DbConnection, id: &str| -> Result<Option<String>, ApiError> {
        Ok(agencies::find(conn, id)?.map(|a| a.name))
    };
    match (id, kind) {
        (Some(id), "service") => {
            let name = service_accounts::find(conn, id)?.map(|s| s.name);
            let unit = agency_name(conn, dossier_agency)?;
            Ok(progress::actor(Some(Role::Integration), name.as_deref(), unit.as_deref()))
        }
        (Some(id), _) => {
            let Some(user) = users::find(conn, id)? else { return Ok(progress::Actor::default()) };
            let unit = match &user.agency_id {
                Some(agency) => agency_name(conn, agency)?,
                None => None,
            };
            Ok(progress::actor(user.role.parse::<Role>().ok(), Some(&user.full_name), unit.as_deref()))
        }
        (None, _) => Ok(progress::Actor::default()),
    }
}

/// A dossier's handling step by step in the shape of the national portal's progress update
/// (`CapNhatTienDoHoSoMC`): who handled each step, their title and unit, what was done and when.
///
/// Whoever may read `GET /api/v1/dossiers/{id}`; to anyone else it does not exist (404).
/// Downloads and links of files are not steps (the sync record lists the files).
#[utoipa::path(
    operation_id = "integration_dvcqg_progress",
    tag = "integration",
    params(("id" = String, Path, description = "motcua's id of the dossier")),
    responses(
        (status = 200, description = "The dossier's steps, oldest first", body = DvcqgProgress),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ),
    security(("bearer" = []))
)]
#[get("/integrations/dvcqg/dossiers/{id}/progress")]
pub async fn get_dvcqg_progress(
    auth: Authorized<AnyRole>,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<web::Json<DvcqgProgress>, ApiError> {
    let caller = auth.caller.clone();
    let answer = db
        .run(move |conn| {
            let row = access::load_visible(conn, &caller, &id)?;
            let mut known: HashMap<Option<String>, progress::Actor> = HashMap::new();
            let mut steps = Vec::new();
            for entry in history::read(conn, Trail::Dossier, &row.id)? {
                let actor = match known.get(&entry.actor_id) {
                    Some(actor) => actor.clone(),
                    None => {
                        let found =
                            actor(conn, &row.agency_id, (entry.actor_id.as_deref(), &entry.actor_kind))?;
                        known.insert(entry.actor_id.clone(), found.clone());
                        found
                    }
                };
                steps.push(progress::Step {
                    action: entry.action,
                    to_status: entry.to_status,
                    at: entry.at,
                    actor,
                });
            }
            Ok(DvcqgProgress {
                ma_ho_so: row.external_ref.clone().unwrap_or_else(|| row.code.clone()),
                qua_trinh_xu_ly: progress::progress(&steps, row.assignee_id.is_some())?,
                id: row.id,
                version: row.version,
            })
        })
        .await?;
    Ok(web::Json(answer))
}
