//! The queries of the sync acknowledgements (`portal_syncs`): record an answer, read a dossier's
//! answers, list the dossiers still to forward, and count the synced ones for the report.

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;

use super::sync::Answer;
use crate::db::DbConnection;
use crate::db::schema::{dossiers, portal_syncs};
use crate::dossiers::row::DossierRow;
use crate::error::ApiError;
use crate::records::counters;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = portal_syncs)]
pub struct SyncRow {
    pub dossier_id: String,
    pub version: i64,
    pub accepted: bool,
    pub error: Option<String>,
    pub recorded_at: NaiveDateTime,
    /// The id of the service account or user who recorded it.
    pub recorded_by: String,
}

impl SyncRow {
    pub fn answer(&self) -> Answer {
        Answer { version: self.version, accepted: self.accepted }
    }
}

/// Record an answer; a later answer for the same version replaces the earlier one (a refusal,
/// retried and then taken). Called inside the write's transaction.
pub fn record(conn: &mut DbConnection, row: &SyncRow) -> QueryResult<()> {
    diesel::delete(portal_syncs::table.find((&row.dossier_id, row.version))).execute(conn)?;
    diesel::insert_into(portal_syncs::table).values(row).execute(conn)?;
    Ok(())
}

/// Keep the dossier's synced version, and the report's count of synced dossiers, in step with an
/// answer for its current version: an acceptance makes it synced, a refusal that replaces one
/// pending again. Only while the version is still the one read: a write in between moved it on,
/// and the answer is then for an older version, which changes nothing.
pub fn mark_current(conn: &mut DbConnection, row: &DossierRow, accepted: bool) -> Result<(), ApiError> {
    let synced = accepted.then_some(row.version);
    if row.portal_synced_version == synced {
        return Ok(());
    }
    let updated = diesel::update(dossiers::table.find(&row.id).filter(dossiers::version.eq(row.version)))
        .set(dossiers::portal_synced_version.eq(synced))
        .execute(conn)?;
    if updated == 1 {
        let after = DossierRow { portal_synced_version: synced, ..row.clone() };
        counters::record_dossier(conn, Some(&row.facts()), &after.facts())?;
    }
    Ok(())
}

/// Every answer recorded for these dossiers, by dossier and version.
pub fn answers(conn: &mut DbConnection, dossier_ids: &[String]) -> QueryResult<Vec<SyncRow>> {
    portal_syncs::table
        .filter(portal_syncs::dossier_id.eq_any(dossier_ids))
        .order((portal_syncs::dossier_id.asc(), portal_syncs::version.asc()))
        .select(SyncRow::as_select())
        .load(conn)
}

/// A dossier still to forward, as the pending list reads it.
#[derive(Debug, Clone, Queryable)]
pub struct PendingRow {
    pub id: String,
    pub code: String,
    pub agency_id: String,
    pub external_ref: Option<String>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

/// The dossiers among `agencies` (`None`: every agency) whose current version the portal has
/// not accepted, by when that version was written (oldest first, then id), after `after`;
/// `limit` of them.
pub fn pending(
    conn: &mut DbConnection,
    agencies: Option<&[String]>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<PendingRow>> {
    let unsynced = dossiers::portal_synced_version
        .is_null()
        .or(dossiers::portal_synced_version.ne(dossiers::version.nullable()));
    let mut query = dossiers::table
        .filter(unsynced)
        .order((dossiers::updated_at.asc(), dossiers::id.asc()))
        .limit(limit)
        .select((
            dossiers::id,
            dossiers::code,
            dossiers::agency_id,
            dossiers::external_ref,
            dossiers::version,
            dossiers::updated_at,
        ))
        .into_boxed();
    if let Some(agencies) = agencies {
        query = query.filter(dossiers::agency_id.eq_any(agencies.to_vec()));
    }
    if let Some((at, id)) = after {
        query = query
            .filter(dossiers::updated_at.gt(at).or(dossiers::updated_at.eq(at).and(dossiers::id.gt(id))));
    }
    query.load(conn)
}

/// Of the dossiers of `agencies` that reached the system in `[start, end)`: how many, and how
/// many of them the portal holds in their current version (docs/report.md, "Portal sync").
pub fn synced_share(
    conn: &mut DbConnection,
    agencies: &[String],
    (start, end): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<(i64, i64)> {
    let of_period = || {
        dossiers::table
            .filter(dossiers::agency_id.eq_any(agencies.to_vec()))
            .filter(dossiers::submitted_at.ge(start))
            .filter(dossiers::submitted_at.lt(end))
    };
    let dossiers_count = of_period().count().get_result(conn)?;
    let synced = portal_syncs::table
        .filter(portal_syncs::dossier_id.eq(dossiers::id))
        .filter(portal_syncs::version.eq(dossiers::version))
        .filter(portal_syncs::accepted.eq(true));
    let synced_count = of_period().filter(exists(synced)).count().get_result(conn)?;
    Ok((dossiers_count, synced_count))
}
