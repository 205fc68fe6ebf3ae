//! Who may see a dossier and who may do what with it.

use super::lifecycle::Action;
use super::row::DossierRow;
use super::store;
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::{Text, lower_first, nouns};
use crate::labels::Labelled;

/// The dossier if the caller may see it; otherwise the same 404 as a missing one. Citizens see
/// their own; everyone else the dossiers of the agencies in their scope, and those that went
/// through one of them (joint processing: every agency on the chain).
#[tracing::instrument(skip(conn, caller), fields(caller = ?caller.id))]
pub fn load_visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<DossierRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::DOSSIER))?;
    if visible(conn, caller, &row)? { Ok(row) } else { Err(ApiError::not_found(nouns::DOSSIER)) }
}

pub fn visible(conn: &mut DbConnection, caller: &Caller, row: &DossierRow) -> Result<bool, ApiError> {
    if caller.role == Role::Citizen {
        return Ok(row.owner_id.as_deref() == Some(caller.id.as_str()));
    }
    let scope = caller.scope();
    if scope == Scope::All {
        return Ok(true);
    }
    let in_scope = |conn: &mut DbConnection, id: &str| -> Result<bool, ApiError> {
        Ok(agencies::find(conn, id)?.is_some_and(|a| scope.contains(&a.id, &a.path)))
    };
    if in_scope(conn, &row.agency_id)? {
        return Ok(true);
    }
    for hop in store::hops(conn, &row.id)? {
        if in_scope(conn, &hop.to_agency_id)? {
            return Ok(true);
        }
    }
    Ok(false)
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
