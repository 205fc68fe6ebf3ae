//! Refresh tokens and service-account credentials in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::refresh_tokens;
use crate::db::{AsyncPgConnection, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub family_id: String,
    pub user_id: String,
    pub token_hash: String,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?row.user_id))]
pub fn insert_refresh(conn: &mut DbConnection, row: &RefreshTokenRow) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table).values(row).execute(conn).map(|_| ())
}

#[tracing::instrument(level = "debug", skip_all)]
pub fn find_refresh(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Spend a token. False when it was already spent or revoked, including by a concurrent
/// request that got there first.
#[tracing::instrument(level = "debug", skip_all, fields(refresh_id = ?id))]
pub fn spend_refresh(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(at))
    .execute(conn)?;
    Ok(updated == 1)
}

/// A person's open sessions at `now`: the families whose latest token is neither spent, revoked
/// nor expired. An access token is good only while its session is among them.
#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?user_id))]
pub fn open_sessions(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    open_families(user_id, now).load(conn)
}

/// [`open_sessions`] on PostgreSQL's async path (`db::Db::read`).
pub async fn open_sessions_async(
    conn: &mut AsyncPgConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    diesel_async::RunQueryDsl::load(open_families(user_id, now), conn).await
}

/// The families (sessions) of the user's refresh tokens still unused, unrevoked and unexpired.
#[diesel::dsl::auto_type(no_type_alias)]
fn open_families<'a>(user_id: &'a str, now: NaiveDateTime) -> _ {
    refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .select(refresh_tokens::family_id)
}

#[tracing::instrument(level = "debug", skip_all, fields(family_id = ?family_id))]
pub fn revoke_family(conn: &mut DbConnection, family_id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

#[tracing::instrument(level = "debug", skip_all, fields(user_id = ?user_id))]
pub fn revoke_all_for_user(conn: &mut DbConnection, user_id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}
