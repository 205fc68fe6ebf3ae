//! Account rules shared by the HTTP API and `motcua user create`.

use uuid::Uuid;
use validator::Validate;

use super::model::{NewUser, UserRow};
use super::store;
use crate::agencies::store as agencies;
use crate::audit::Action;
use crate::auth::directory::normalize_username;
use crate::auth::password;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::clock;
use crate::db::{Db, DbConnection, write_transaction};
use crate::error::ApiError;
use crate::i18n::{Lang, Text, common, lower_first};
use crate::labels::Labelled;

/// A validated account with its password already hashed: hashing is slow by design, so it is
/// done before, not inside, the transaction.
pub struct Registration {
    username: String,
    password_hash: String,
    full_name: String,
    role: Role,
    agency_id: Option<String>,
}

impl Registration {
    pub fn set_agency(&mut self, agency_id: Option<String>) {
        self.agency_id = agency_id;
    }
}

pub fn prepare(new: NewUser) -> Result<Registration, ApiError> {
    new.validate()?;
    Ok(Registration {
        username: normalize_username(&new.username),
        password_hash: password::hash(&new.password)?,
        full_name: new.full_name.trim().to_owned(),
        role: new.role,
        agency_id: new.agency_id,
    })
}

/// Whether an account of `role` may belong to `agency_id`, for a caller with `scope`.
pub fn check_agency(
    conn: &mut DbConnection,
    scope: &Scope,
    role: Role,
    agency_id: Option<&str>,
) -> Result<(), ApiError> {
    match agency_id {
        None if role.requires_agency() => Err(ApiError::invalid_field(
            "agency_id",
            Text::new(
                format!("Bắt buộc đối với vai trò {}", lower_first(&role.label().vi)),
                format!("required for the role {role}"),
            ),
        )),
        None if role == Role::Admin && *scope != Scope::All => Err(ApiError::Forbidden(Text::fixed(
            "Chỉ quản trị viên hệ thống được tạo quản trị viên không thuộc cơ quan nào",
            "only a system administrator creates an administrator without an agency",
        ))),
        None => Ok(()),
        Some(id) => agencies::find(conn, id)?
            .filter(|a| scope.contains(&a.id, &a.path))
            .map(|_| ())
            .ok_or_else(|| ApiError::invalid_field("agency_id", common::NO_AGENCY_IN_SCOPE)),
    }
}

#[tracing::instrument(skip_all)]
pub fn register(conn: &mut DbConnection, scope: &Scope, reg: Registration) -> Result<UserRow, ApiError> {
    check_agency(conn, scope, reg.role, reg.agency_id.as_deref())?;
    let now = clock::to_db(clock::now());
    let row = UserRow {
        id: Uuid::new_v4().to_string(),
        username: reg.username,
        password_hash: reg.password_hash,
        full_name: reg.full_name,
        role: reg.role.as_str().to_owned(),
        agency_id: reg.agency_id,
        active: true,
        created_at: now,
        updated_at: now,
        phone: None,
        email: None,
        language: "vi".into(),
        notify: true,
    };
    store::insert(conn, &row)?;
    Ok(row)
}

/// Whether a caller with `scope` may see the account.
#[tracing::instrument(skip_all, fields(user_id = ?user.id))]
pub fn visible(conn: &mut DbConnection, scope: &Scope, user: &UserRow) -> Result<bool, ApiError> {
    if *scope == Scope::All {
        return Ok(true);
    }
    let Some(agency_id) = &user.agency_id else {
        return Ok(false);
    };
    Ok(agencies::find(conn, agency_id)?.is_some_and(|a| scope.contains(&a.id, &a.path)))
}

/// `motcua user create`: the same rules as the API, with a system administrator's scope and
/// the agency named by its code.
#[tracing::instrument(skip_all)]
pub fn create_from_cli(db: &Db, mut new: NewUser, agency_code: Option<&str>) -> anyhow::Result<UserRow> {
    let mut conn = db.pool().get()?;
    if let Some(code) = agency_code {
        let agency = agencies::find_by_code(&mut conn, code)?
            .ok_or_else(|| anyhow::anyhow!("--agency: no agency with the code {code}"))?;
        new.agency_id = Some(agency.id);
    }
    let registration = prepare(new).map_err(cli_error)?;
    write_transaction(&mut conn, |conn| register(conn, &Scope::All, registration)).map_err(cli_error)
}

/// An error of `motcua user create` in the command line's words: its flags, not the request's
/// fields (`--agency is required for the role officer`, not `agency_id: …`).
fn cli_error(e: ApiError) -> anyhow::Error {
    let problem = e.to_problem(Lang::En);
    if problem.errors.is_empty() {
        return anyhow::anyhow!("{}", problem.detail.unwrap_or_default());
    }
    let flag = |field: &str| match field {
        "agency_id" => "--agency".to_owned(),
        other => format!("--{}", other.replace('_', "-")),
    };
    let errors: Vec<String> = problem
        .errors
        .iter()
        .map(|f| match f.message.strip_prefix("required") {
            Some(rest) => format!("{} is required{rest}", flag(&f.field)),
            None => format!("{}: {}", flag(&f.field), f.message),
        })
        .collect();
    anyhow::anyhow!("{}", errors.join("; "))
}

/// What the audit trail records of an account's change: each of role, agency, password and
/// active flag that changed, with the before and after of the first two (a new name is not a
/// security event). The password itself is never in it.
pub fn audited_changes(
    before: &UserRow,
    after: &UserRow,
    password_changed: bool,
) -> Vec<(Action, serde_json::Value)> {
    let mut changes = Vec::new();
    if before.role != after.role {
        changes.push((Action::UserRoleChanged, serde_json::json!({"from": before.role, "to": after.role})));
    }
    if before.agency_id != after.agency_id {
        changes.push((
            Action::UserAgencyChanged,
            serde_json::json!({"from": before.agency_id, "to": after.agency_id}),
        ));
    }
    if password_changed {
        changes.push((Action::PasswordChanged, serde_json::json!({"sessions_ended": true})));
    }
    match (before.active, after.active) {
        (true, false) => changes.push((Action::UserDeactivated, serde_json::json!({"sessions_ended": true}))),
        (false, true) => changes.push((Action::UserReactivated, serde_json::json!({}))),
        _ => {}
    }
    changes
}
