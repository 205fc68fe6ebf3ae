use std::collections::HashMap;

use diesel::prelude::*;

use super::model::ServiceAccountRow;
use crate::db::DbConnection;
use crate::db::schema::{agencies, service_account_agencies, service_accounts};

pub fn insert(conn: &mut DbConnection, row: &ServiceAccountRow) -> QueryResult<()> {
    diesel::insert_into(service_accounts::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?id))]
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ServiceAccountRow>> {
    service_accounts::table.find(id).select(ServiceAccountRow::as_select()).first(conn).optional()
}

/// Every account by name (then id), after the cursor's (name, id) if any.
pub fn all(conn: &mut DbConnection, after: Option<(String, String)>) -> QueryResult<Vec<ServiceAccountRow>> {
    let mut query = service_accounts::table
        .select(ServiceAccountRow::as_select())
        .order((service_accounts::name.asc(), service_accounts::id.asc()))
        .into_boxed();
    if let Some((name, id)) = after {
        query = query.filter(
            service_accounts::name
                .gt(name.clone())
                .or(service_accounts::name.eq(name).and(service_accounts::id.gt(id))),
        );
    }
    query.load(conn)
}

/// The bound agencies of an account, as (id, path).
#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?account_id))]
pub fn agencies_of(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(String, String)>> {
    service_account_agencies::table
        .inner_join(agencies::table)
        .filter(service_account_agencies::service_account_id.eq(account_id))
        .select((agencies::id, agencies::path))
        .order(agencies::id.asc())
        .load(conn)
}

/// Bound agencies of every account, as (id, path) by account id.
pub fn agencies_by_account(conn: &mut DbConnection) -> QueryResult<HashMap<String, Vec<(String, String)>>> {
    let rows: Vec<(String, String, String)> = service_account_agencies::table
        .inner_join(agencies::table)
        .select((service_account_agencies::service_account_id, agencies::id, agencies::path))
        .order(agencies::id.asc())
        .load(conn)?;
    let mut map: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (account, id, path) in rows {
        map.entry(account).or_default().push((id, path));
    }
    Ok(map)
}

/// Replace the account's bindings, one row at a time (portable across backends).
#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?account_id))]
pub fn bind(conn: &mut DbConnection, account_id: &str, agency_ids: &[String]) -> QueryResult<()> {
    diesel::delete(
        service_account_agencies::table.filter(service_account_agencies::service_account_id.eq(account_id)),
    )
    .execute(conn)?;
    for agency_id in agency_ids {
        diesel::insert_into(service_account_agencies::table)
            .values((
                service_account_agencies::service_account_id.eq(account_id),
                service_account_agencies::agency_id.eq(agency_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?row.id))]
pub fn update(conn: &mut DbConnection, row: &ServiceAccountRow) -> QueryResult<()> {
    diesel::update(service_accounts::table.find(&row.id))
        .set((
            service_accounts::name.eq(&row.name),
            service_accounts::active.eq(row.active),
            service_accounts::personal_data.eq(row.personal_data),
            service_accounts::secret_hash.eq(&row.secret_hash),
            service_accounts::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}
