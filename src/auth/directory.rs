//! The accounts auth reads, straight from their tables: a person by id or username, a service
//! account by id or client id, and the agencies it is bound to. The `users` and
//! `service_accounts` slices own these tables and write them; auth sits below every slice, so it
//! reads only what sign-in and the token checks need, and imports neither slice.

use diesel::prelude::*;

use super::role::Role;
use crate::db::schema::{agencies, service_account_agencies, service_accounts, users};
use crate::db::{AsyncPgConnection, DbConnection};

/// A person's account, as sign-in and the token checks see it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Person {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: String,
    pub agency_id: Option<String>,
    pub active: bool,
}

impl Person {
    pub fn role(&self) -> anyhow::Result<Role> {
        self.role.parse().map_err(|e| anyhow::anyhow!("user {}: {e}", self.id))
    }
}

/// A service account, as the `client_credentials` grant and the token checks see it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_accounts)]
pub struct Service {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub active: bool,
    /// An admin's grant to read applicants' identity numbers and contacts.
    pub personal_data: bool,
}

/// Usernames compare trimmed and in lower case.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?id))]
pub fn find_person(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Person>> {
    users::table.find(id).select(Person::as_select()).first(conn).optional()
}

/// [`find_person`] on PostgreSQL's async path (`db::Db::read`).
pub async fn find_person_async(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<Option<Person>> {
    diesel_async::RunQueryDsl::first(users::table.find(id).select(Person::as_select()), conn).await.optional()
}

#[tracing::instrument(level = "debug", skip_all)]
pub fn find_person_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<Person>> {
    users::table.filter(users::username.eq(username)).select(Person::as_select()).first(conn).optional()
}

/// The account a sign-in names: a citizen's phone number or email address (however it is
/// written), or a username.
#[tracing::instrument(level = "debug", skip_all)]
pub fn find_person_by_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<Person>> {
    if let Some(contact) = crate::contact::as_contact(login) {
        let found = users::table
            .filter(users::phone.eq(&contact).or(users::email.eq(&contact)))
            .select(Person::as_select())
            .first(conn)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    find_person_by_username(conn, login)
}

#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?id))]
pub fn find_service(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Service>> {
    service_accounts::table.find(id).select(Service::as_select()).first(conn).optional()
}

/// [`find_service`] on PostgreSQL's async path.
pub async fn find_service_async(conn: &mut AsyncPgConnection, id: &str) -> QueryResult<Option<Service>> {
    let query = service_accounts::table.find(id).select(Service::as_select());
    diesel_async::RunQueryDsl::first(query, conn).await.optional()
}

#[tracing::instrument(level = "debug", skip_all)]
pub fn find_service_by_client_id(conn: &mut DbConnection, client_id: &str) -> QueryResult<Option<Service>> {
    service_accounts::table
        .filter(service_accounts::client_id.eq(client_id))
        .select(Service::as_select())
        .first(conn)
        .optional()
}

/// The ids of the agencies a service account is bound to, in order.
#[diesel::dsl::auto_type(no_type_alias)]
fn bound_agencies<'a>(account_id: &'a str) -> _ {
    service_account_agencies::table
        .inner_join(agencies::table)
        .filter(service_account_agencies::service_account_id.eq(account_id))
        .select(agencies::id)
        .order(agencies::id.asc())
}

/// The ids of the agencies a service account is bound to, in order.
#[tracing::instrument(level = "debug", skip_all, fields(account_id = ?account_id))]
pub fn bound_agency_ids(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<String>> {
    bound_agencies(account_id).load(conn)
}

/// [`bound_agency_ids`] on PostgreSQL's async path.
pub async fn bound_agency_ids_async(
    conn: &mut AsyncPgConnection,
    account_id: &str,
) -> QueryResult<Vec<String>> {
    diesel_async::RunQueryDsl::load(bound_agencies(account_id), conn).await
}
