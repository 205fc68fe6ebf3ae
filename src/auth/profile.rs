//! Who an account is, as the dossier events name the actor of a step (the portal's progress
//! update: who handled it, their title, their unit): the account's display name and its agency
//! (id, code and name), or a service account's bound agencies. Read with the account's state
//! (`accounts`, cached 30 s per account), so an event costs no query on the write path; a name or
//! an agency renamed shows in events within 30 s.

use diesel::prelude::*;

use serde::Serialize;

use crate::db::schema::agencies;
use crate::db::{AsyncPgConnection, DbConnection};

/// An agency as an event names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// A person's full name, a service account's name.
    pub name: String,
    /// A person's agency; a service account's bound agencies (it acts for one of them).
    pub units: Vec<Unit>,
}

impl Profile {
    /// The unit that took a step on a dossier of `agency_id`: a person's own agency; a service
    /// account's binding to the dossier's agency.
    pub fn unit_for(&self, agency_id: &str, person: bool) -> Option<&Unit> {
        if person { self.units.first() } else { self.units.iter().find(|u| u.id == agency_id) }
    }
}

/// The agencies of `ids` as (id, code, name), by id.
#[diesel::dsl::auto_type(no_type_alias)]
fn unit_rows<'a>(ids: &'a [String]) -> _ {
    agencies::table
        .filter(agencies::id.eq_any(ids))
        .select((agencies::id, agencies::code, agencies::name))
        .order(agencies::id.asc())
}

fn into_units(rows: Vec<(String, String, String)>) -> Vec<Unit> {
    rows.into_iter().map(|(id, code, name)| Unit { id, code, name }).collect()
}

/// The agencies of `ids` as units, by id.
pub fn units(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Unit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(into_units(unit_rows(ids).load(conn)?))
}

/// [`units`] on PostgreSQL's async path (`db::Db::read`).
pub async fn units_async(conn: &mut AsyncPgConnection, ids: &[String]) -> QueryResult<Vec<Unit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(into_units(diesel_async::RunQueryDsl::load(unit_rows(ids), conn).await?))
}
