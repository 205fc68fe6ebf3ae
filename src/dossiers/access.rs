//! Who may see a dossier and who may do what with it.

use super::lifecycle::Action;
use super::row::DossierRow;
use super::store;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::db::{AsyncPgConnection, Db, DbConnection};
use crate::error::ApiError;
use crate::i18n::{Text, lower_first, nouns};
use crate::labels::Labelled;

/// The dossier if the caller may see it; otherwise the same 404 as a missing one. Citizens see
/// their own; everyone else the dossiers of the agencies in their scope, and those that went
/// through one of them (joint processing: every agency on the chain).
#[tracing::instrument(skip(conn, caller), fields(caller = ?caller.id))]
pub fn load_visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<DossierRow, ApiError> {
    let (row, path) = store::find_with_agency_path(conn, id)?.ok_or_else(hidden)?;
    match sight(caller, &row, &path) {
        Sight::Decided(seen) => reveal(row, seen),
        Sight::ThroughHops(scope) => {
            let seen = through_hops(&scope, &store::hop_agency_paths(conn, &row.id)?);
            reveal(row, seen)
        }
    }
}

/// [`load_visible`] on PostgreSQL's async path: the same queries and the same decision.
#[tracing::instrument(skip(conn, caller), fields(caller = ?caller.id))]
pub async fn load_visible_async(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: &str,
) -> Result<DossierRow, ApiError> {
    let (row, path) = store::find_with_agency_path_async(conn, id).await?.ok_or_else(hidden)?;
    match sight(caller, &row, &path) {
        Sight::Decided(seen) => reveal(row, seen),
        Sight::ThroughHops(scope) => {
            let seen = through_hops(&scope, &store::hop_agency_paths_async(conn, &row.id).await?);
            reveal(row, seen)
        }
    }
}

/// Read a dossier the caller may see, outside a write: async on PostgreSQL, on the blocking pool
/// on SQLite (`Db::read`). The hot read of GET by id.
pub async fn read_visible(db: &Db, caller: &Caller, id: &str) -> Result<DossierRow, ApiError> {
    let (blocking_caller, blocking_id) = (caller.clone(), id.to_owned());
    db.read(
        async |conn| load_visible_async(conn, caller, id).await,
        move |conn| load_visible(conn, &blocking_caller, &blocking_id),
    )
    .await
}

/// What the dossier's own row and its agency's path tell about who sees it.
enum Sight {
    Decided(bool),
    /// Not in the caller's scope by its agency: seen if one of its hops' agencies is.
    ThroughHops(Scope),
}

fn sight(caller: &Caller, row: &DossierRow, agency_path: &str) -> Sight {
    if caller.role == Role::Citizen {
        return Sight::Decided(row.owner_id.as_deref() == Some(caller.id.as_str()));
    }
    let scope = caller.scope();
    if scope.contains(&row.agency_id, agency_path) {
        return Sight::Decided(true);
    }
    Sight::ThroughHops(scope)
}

/// Whether one of the agencies (id, path) the dossier went to is in scope.
fn through_hops(scope: &Scope, agencies: &[(String, String)]) -> bool {
    agencies.iter().any(|(id, path)| scope.contains(id, path))
}

fn reveal(row: DossierRow, seen: bool) -> Result<DossierRow, ApiError> {
    if seen { Ok(row) } else { Err(hidden()) }
}

/// A dossier the caller may not see answers as a missing one.
fn hidden() -> ApiError {
    ApiError::not_found(nouns::DOSSIER)
}

/// A transferred dossier's steps are its holder's: the staff of another agency on the chain
/// read it but do not work it (409 `held_by_another_agency`). The applicant may still withdraw
/// it; admins and service accounts act within their scope as always.
pub fn check_held_by(caller: &Caller, action: Action, row: &DossierRow) -> Result<(), ApiError> {
    let staff = matches!(caller.role, Role::Officer | Role::Leader);
    if !staff || caller.agency_id.as_deref() == Some(row.holder()) {
        return Ok(());
    }
    Err(ApiError::Rule {
        rule: "held_by_another_agency",
        detail: Text::new(
            format!(
                "Hồ sơ đang do cơ quan khác giải quyết (liên thông); không thể “{}”",
                lower_first(&action.label().vi)
            ),
            format!(
                "another agency holds the dossier now (joint processing): it may not {}",
                action.as_str()
            ),
        ),
    })
}

/// Whether the caller sees the applicant's identity number and contacts when it reads one
/// dossier (its JSON, receipt, forms, the national portal's record; each reading audited with
/// `personal_fields`): the agency's staff, the applicant's own account, and a service account an
/// admin granted `personal_data` (an adapter that forwards contacts to the portal). Other
/// service accounts forward status, not identities.
pub fn sees_personal_data(caller: &Caller) -> bool {
    people_see_personal_data(caller) || (caller.role == Role::Integration && caller.personal_data)
}

/// The agency's staff and the applicant's own account: who sees personal data where the audit
/// trail does not record the reading (lists of dossiers, worklists, a report's drill-down;
/// feedback). A service account's grant is for the dossiers it reads one by one, each on the
/// trail, not for paging through identities.
pub fn people_see_personal_data(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Leader | Role::Officer | Role::Citizen)
}

/// Integration and admin callers may import history: name the instants of intake and steps.
pub fn may_import(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Integration)
}

/// The leader's steps: approving a proposed result, or sending it back.
const LEADERS_STEPS: [Action; 2] = [Action::Approve, Action::SendBack];

/// Who may take which step: citizens withdraw and supplement their own dossiers; officers,
/// admins and the portal's service accounts work them; leaders read, and approve or send back
/// proposed results (with admins: a signature is a person's, not a portal's).
pub fn check_may_act(caller: &Caller, action: Action) -> Result<(), ApiError> {
    let leaders = LEADERS_STEPS.contains(&action);
    let allowed = match caller.role {
        Role::Admin => true,
        Role::Officer | Role::Integration => !leaders,
        Role::Citizen => matches!(action, Action::Withdraw | Action::Supplement),
        Role::Leader => leaders,
    };
    if allowed {
        return Ok(());
    }
    Err(ApiError::Forbidden(Text::new(
        format!(
            "Vai trò của bạn không được thực hiện thao tác “{}” với hồ sơ",
            lower_first(&action.label().vi)
        ),
        format!("your role may not {} a dossier", action.as_str()),
    )))
}

/// A leader approves (or sends back) the results of the dossiers their own agency holds only: a
/// leader of the province reads a commune's dossiers but does not sign its results.
pub fn check_signs_for(caller: &Caller, action: Action, row: &DossierRow) -> Result<(), ApiError> {
    if caller.role != Role::Leader
        || !LEADERS_STEPS.contains(&action)
        || caller.agency_id.as_deref() == Some(row.holder())
    {
        return Ok(());
    }
    Err(ApiError::Forbidden(Text::fixed(
        "Chỉ lãnh đạo của cơ quan giải quyết hồ sơ mới phê duyệt hoặc trả lại kết quả",
        "only a leader of the dossier's own agency approves its result or sends it back",
    )))
}

/// Who may record digitization, payment or assignment: the desk and the systems, not leaders
/// or citizens.
pub fn check_may_update(caller: &Caller) -> Result<(), ApiError> {
    if matches!(caller.role, Role::Admin | Role::Officer | Role::Integration) {
        return Ok(());
    }
    Err(ApiError::Forbidden(Text::fixed(
        "Vai trò của bạn không được thay đổi hồ sơ",
        "your role may not change a dossier",
    )))
}
