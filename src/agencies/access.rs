//! Who may read which agency: shared by every slice that names an agency in a path or body.

use super::model::AgencyRow;
use super::store;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::{common, nouns};

/// Citizens read the whole directory; everyone else their scope.
pub fn read_scope(caller: &Caller) -> Scope {
    if caller.role == Role::Citizen { Scope::All } else { caller.scope() }
}

/// The agency if the scope covers it; otherwise the same 404 as a missing one.
pub fn load_visible(conn: &mut DbConnection, scope: &Scope, id: &str) -> Result<AgencyRow, ApiError> {
    store::find(conn, id)?
        .filter(|row| scope.contains(&row.id, &row.path))
        .ok_or_else(|| ApiError::not_found(nouns::AGENCY))
}

/// An agency named in a request body: absent or outside the scope is a 422 on `field`.
pub fn load_named(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
    field: &str,
) -> Result<AgencyRow, ApiError> {
    store::find(conn, id)?
        .filter(|row| scope.contains(&row.id, &row.path))
        .ok_or_else(|| ApiError::invalid_field(field, common::NO_AGENCY_IN_SCOPE))
}

/// The agencies a worklist covers: the one asked for (it must be in the scope, else 404), or the
/// whole scope (`None`: every agency, for a system administrator).
pub fn worklist_agencies(
    conn: &mut DbConnection,
    scope: &Scope,
    asked: Option<&str>,
) -> Result<Option<Vec<String>>, ApiError> {
    match asked {
        Some(id) => {
            load_visible(conn, scope, id)?;
            Ok(Some(vec![id.to_owned()]))
        }
        None => Ok(store::ids_in_scope(conn, scope)?),
    }
}
