//! The dossiers behind a figure of the summary (`GET /reports/summary/dossiers`): a leader who
//! reads "41 late without apology" opens the 41 and acts on them.
//!
//! The figures and their names are `figures::membership`'s. The dossiers are read with the query
//! of the plain definition (`store::dossier_facts` over the agency's subtree and the period) and
//! kept when the summary's arithmetic counts them in the figure; the summary itself is served from
//! the counters, which are checked against that definition, so the list is exactly as long as the
//! figure. Reading a period's facts is not flat in the number of dossiers; the list is meant for a
//! report's figure, not for a province's ten years.
//!
//! The list is ordered like the dossier list (newest submission first, then id) and paged with the
//! same cursors; its items are the dossier list's items. As files (CSV, XLSX) it is the whole list,
//! one dossier a line (`files`).

pub mod files;
pub mod routes;

use chrono::NaiveDateTime;

use super::figures::Period;
use super::figures::membership::Figure;
use super::model::AgencyRef;
use super::service::{Subject, agency_ref, subject};
use super::store::{self, Select};
use crate::auth::caller::Caller;
use crate::clock;
use crate::db::DbConnection;
use crate::dossiers::row::DossierRow;
use crate::dossiers::views::{self, Dossier};
use crate::error::ApiError;
use crate::http::pagination::{self, MAX_LIMIT, Page};

/// The dossiers a figure counts, by their place in the list.
pub struct Members {
    pub agency: AgencyRef,
    pub period: Period,
    /// (submitted_at, id), newest first: the dossier list's order and cursor.
    pub dossiers: Vec<(NaiveDateTime, String)>,
}

/// The dossiers the summary of an agency and period counts in a figure, if the caller may read
/// that summary (the same check, and the same refusals).
#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, from = ?from, to = ?to, figure = %figure.name()))]
pub fn members(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    figure: &Figure,
) -> Result<Members, ApiError> {
    let Subject { agency, covered, period } = subject(conn, caller, agency_id, from, to)?;
    let procedures = store::procedure_infos(conn)?;
    let facts = store::identified_facts(conn, &covered, &period, Select::Period, &procedures)?;
    let mut dossiers: Vec<(NaiveDateTime, String)> = facts
        .into_iter()
        .filter(|(_, d)| figure.counts(d, &period))
        .map(|(id, d)| (clock::to_db(d.submitted_at), id))
        .collect();
    dossiers.sort_unstable_by(|a, b| b.cmp(a));
    Ok(Members { agency: agency_ref(&agency), period, dossiers })
}

/// The page after `after` (a position of the list), as the dossier list shows its items.
pub fn page(
    conn: &mut DbConnection,
    caller: &Caller,
    members: &Members,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Page<Dossier>, ApiError> {
    // Newest first: the positions at or before the cursor's are a prefix.
    let start = after.map_or(0, |after| members.dossiers.partition_point(|m| *m >= after));
    let end = members.dossiers.len().min(start + limit as usize + 1);
    let rows = rows_in_order(conn, &members.dossiers[start..end])?;
    let page =
        pagination::page(rows, limit, |row| pagination::position(row.submitted_at, &row.id), |row| row);
    Ok(Page { items: views::dossiers(page.items, caller)?, next_cursor: page.next_cursor })
}

/// Every dossier of the list, in its order, a page of rows at a time.
pub fn all(conn: &mut DbConnection, members: &Members) -> Result<Vec<DossierRow>, ApiError> {
    let mut rows = Vec::with_capacity(members.dossiers.len());
    for chunk in members.dossiers.chunks(MAX_LIMIT as usize) {
        rows.extend(rows_in_order(conn, chunk)?);
    }
    Ok(rows)
}

/// The rows of some members, in the members' order.
fn rows_in_order(
    conn: &mut DbConnection,
    members: &[(NaiveDateTime, String)],
) -> Result<Vec<DossierRow>, ApiError> {
    let ids: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
    let mut rows: std::collections::HashMap<String, DossierRow> =
        store::dossiers_by_id(conn, &ids)?.into_iter().map(|row| (row.id.clone(), row)).collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}
