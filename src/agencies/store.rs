use diesel::prelude::*;

use super::model::AgencyRow;
use crate::auth::scope::Scope;
use crate::db::DbConnection;
use crate::db::schema::agencies;

pub fn insert(conn: &mut DbConnection, row: &AgencyRow) -> QueryResult<()> {
    diesel::insert_into(agencies::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AgencyRow>> {
    agencies::table.find(id).select(AgencyRow::as_select()).first(conn).optional()
}

#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?id))]
pub fn children(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<AgencyRow>> {
    agencies::table.filter(agencies::parent_id.eq(id)).select(AgencyRow::as_select()).load(conn)
}

#[tracing::instrument(level = "debug", skip_all, fields(code = ?code))]
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<AgencyRow>> {
    agencies::table.filter(agencies::code.eq(code)).select(AgencyRow::as_select()).first(conn).optional()
}

/// The ids of the agencies in a scope (kept in `auth::scope`, below every slice, so that the
/// audit trail uses the same one).
pub use crate::auth::scope::{agency_ids as ids_in_scope, agency_ids_async as ids_in_scope_async};

pub struct ListFilter {
    pub parent_id: Option<String>,
    /// Only agencies of these levels; empty for any.
    pub levels: Vec<&'static str>,
}

/// Agencies ordered by code, after the cursor's code.
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &ListFilter,
    after_code: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AgencyRow>> {
    let mut query = agencies::table.select(AgencyRow::as_select()).into_boxed();
    if let Some(ids) = ids_in_scope(conn, scope)? {
        query = query.filter(agencies::id.eq_any(ids));
    }
    if let Some(parent) = &filter.parent_id {
        query = query.filter(agencies::parent_id.eq(parent.clone()));
    }
    if !filter.levels.is_empty() {
        query = query.filter(agencies::level.eq_any(filter.levels.clone()));
    }
    if let Some(code) = after_code {
        query = query.filter(agencies::code.gt(code.to_owned()));
    }
    query.order(agencies::code.asc()).limit(limit).load(conn)
}

pub struct AgencyChanges<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'a str,
    pub parent_id: Option<&'a str>,
    pub updated_at: chrono::NaiveDateTime,
}

#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?id))]
pub fn update(conn: &mut DbConnection, id: &str, changes: &AgencyChanges<'_>) -> QueryResult<()> {
    diesel::update(agencies::table.find(id))
        .set((
            agencies::code.eq(changes.code),
            agencies::name.eq(changes.name),
            agencies::level.eq(changes.level),
            agencies::parent_id.eq(changes.parent_id),
            agencies::updated_at.eq(changes.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Rewrite the paths of an agency and everything below it after a move. A subtree is at most a
/// province's communes, so row by row is cheap and needs no backend-specific SQL.
#[tracing::instrument(level = "debug", skip_all)]
pub fn move_subtree(conn: &mut DbConnection, old_path: &str, new_path: &str) -> QueryResult<()> {
    let rows: Vec<(String, String)> = agencies::table
        .filter(agencies::path.like(format!("{old_path}%")))
        .select((agencies::id, agencies::path))
        .load(conn)?;
    for (id, path) in rows {
        let moved = format!("{new_path}{}", &path[old_path.len()..]);
        diesel::update(agencies::table.find(id)).set(agencies::path.eq(moved)).execute(conn)?;
    }
    Ok(())
}
