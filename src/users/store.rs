use diesel::prelude::*;

use super::model::UserRow;
use crate::agencies::store::ids_in_scope;
use crate::auth::scope::Scope;
use crate::db::DbConnection;
use crate::db::schema::users;

pub fn insert(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

pub struct ListFilter {
    pub agency_id: Option<String>,
    pub role: Option<&'static str>,
    pub active: Option<bool>,
}

/// Users of the agencies in scope, ordered by username. Users without an agency (system admins,
/// citizens) are listed only for a system admin.
#[tracing::instrument(level = "debug", skip_all)]
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &ListFilter,
    after_username: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(ids) = ids_in_scope(conn, scope)? {
        query = query.filter(users::agency_id.eq_any(ids));
    }
    if let Some(agency) = &filter.agency_id {
        query = query.filter(users::agency_id.eq(agency.clone()));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(active) = filter.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(after) = after_username {
        query = query.filter(users::username.gt(after.to_owned()));
    }
    query.order(users::username.asc()).limit(limit).load(conn)
}

#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?row.id))]
pub fn update(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::update(users::table.find(&row.id))
        .set((
            users::full_name.eq(&row.full_name),
            users::role.eq(&row.role),
            users::agency_id.eq(&row.agency_id),
            users::active.eq(row.active),
            users::password_hash.eq(&row.password_hash),
            users::phone.eq(&row.phone),
            users::email.eq(&row.email),
            users::language.eq(&row.language),
            users::notify.eq(row.notify),
            users::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}
