//! The verification codes table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::codes::Purpose;
use crate::db::DbConnection;
use crate::db::schema::verification_codes;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_codes)]
pub struct CodeRow {
    pub id: String,
    pub purpose: String,
    pub destination: String,
    pub code_hash: String,
    pub tries_left: i32,
    pub expires_at: NaiveDateTime,
    /// Registration: the account waiting for its code (JSON of `Pending`).
    pub payload: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A new code replaces those sent before for the same purpose and destination: only the latest
/// one works.
pub fn replace(conn: &mut DbConnection, row: &CodeRow) -> QueryResult<()> {
    diesel::delete(
        verification_codes::table
            .filter(verification_codes::destination.eq(&row.destination))
            .filter(verification_codes::purpose.eq(&row.purpose)),
    )
    .execute(conn)?;
    diesel::insert_into(verification_codes::table).values(row).execute(conn).map(|_| ())
}

/// The code waiting at `destination` for `purpose`.
pub fn current(conn: &mut DbConnection, purpose: Purpose, destination: &str) -> QueryResult<Option<CodeRow>> {
    verification_codes::table
        .filter(verification_codes::destination.eq(destination))
        .filter(verification_codes::purpose.eq(purpose.as_str()))
        .select(CodeRow::as_select())
        .first(conn)
        .optional()
}

/// One wrong try; false if the code is gone or already spent.
pub fn spend_try(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let moved =
        diesel::update(verification_codes::table.find(id).filter(verification_codes::tries_left.gt(0)))
            .set(verification_codes::tries_left.eq(verification_codes::tries_left - 1))
            .execute(conn)?;
    Ok(moved == 1)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(verification_codes::table.find(id)).execute(conn).map(|_| ())
}

/// Codes past their time, whatever they were for.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(verification_codes::table.filter(verification_codes::expires_at.lt(now))).execute(conn)
}
