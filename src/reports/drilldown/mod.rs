//! The dossiers behind a figure of the summary (`GET /reports/summary/dossiers`): a leader who
//! reads "41 late without apology" opens the 41 and acts on them.
//!
//! The figures and their names are `figures::membership`'s. A dossier is listed when the summary's
//! own arithmetic counts it in the figure (`Figure::counts`), among the dossiers the plain
//! definition reads for the period (`store::Select::Period`); the summary itself is served from
//! the counters, which are checked against that definition, so the list is exactly as long as the
//! figure.
//!
//! The list is ordered like the dossier list (newest submission first, then id) and paged with the
//! same cursors; its items are the dossier list's items. A page reads about what it shows, not the
//! period: the period's dossiers newest first from the cursor on, in chunks that grow, until the
//! page is full (`scan`, `store::newest_facts`), so a dense figure's first page costs about the
//! same at 1,000,000 dossiers as at 100,000 (bench/README.md, session 12). The database hands
//! over only the dossiers that have what every dossier of the figure has on its row
//! (`figures::necessary`: resolved in the period, due before `as_of`, …); the summary's arithmetic
//! judges those. A sparse figure still walks further for a page: the fewer its dossiers among
//! those the condition lets through, the more of the period its pages walk.
//!
//! As files (CSV, XLSX) it is the whole list, one dossier a line (`files`), from the whole period
//! read at once ([`members`]): not flat in the number of dossiers, it is meant for a report's
//! figure, not for a province's ten years.

pub mod files;
pub mod routes;
mod scan;

use scan::Position;

use super::figures::Period;
use super::figures::membership::Figure;
use super::figures::necessary::Necessary;
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
use crate::records::counters::facts::DossierFacts;

/// All the dossiers a figure counts, by their place in the list: the files' list.
pub struct Members {
    pub agency: AgencyRef,
    pub period: Period,
    /// (submitted_at, id), newest first: the dossier list's order and cursor.
    pub dossiers: Vec<Position>,
}

/// All the dossiers the summary of an agency and period counts in a figure, if the caller may
/// read that summary (the same check, and the same refusals).
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
    let mut dossiers: Vec<Position> = facts
        .into_iter()
        .filter(|(_, d)| figure.counts(d, &period))
        .map(|(id, d)| (clock::to_db(d.submitted_at), id))
        .collect();
    dossiers.sort_unstable_by(|a, b| b.cmp(a));
    Ok(Members { agency: agency_ref(&agency), period, dossiers })
}

/// The page after `after` (a position of the list) of the dossiers a figure counts, as the dossier
/// list shows its items, if the caller may read the summary (the same check, and the same
/// refusals). It reads the period's dossiers from `after` on, newest first, narrowed by what every
/// dossier of the figure has on its row (`Necessary`), until the page is full (`scan`): about what
/// it shows, not the whole period.
#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, from = ?from, to = ?to, figure = %figure.name(), limit = limit))]
pub fn page(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    figure: &Figure,
    after: Option<Position>,
    limit: i64,
) -> Result<Page<Dossier>, ApiError> {
    let Subject { covered, period, .. } = subject(conn, caller, agency_id, from, to)?;
    let procedures = store::procedure_infos(conn)?;
    let necessary = Necessary::of(figure);
    let read = |after: Option<Position>, size: i64| -> Result<Vec<(Position, DossierFacts)>, ApiError> {
        let facts = store::newest_facts(conn, &covered, &period, &necessary, after, size, &procedures)?;
        Ok(facts.into_iter().map(|(id, d)| ((clock::to_db(d.submitted_at), id), d)).collect())
    };
    // One more than the page: it only says that another page exists.
    let members = scan::first_members(read, |d| figure.counts(d, &period), after, limit as usize + 1)?;
    let rows = rows_in_order(conn, &members)?;
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
fn rows_in_order(conn: &mut DbConnection, members: &[Position]) -> Result<Vec<DossierRow>, ApiError> {
    let ids: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
    let mut rows: std::collections::HashMap<String, DossierRow> =
        store::dossiers_by_id(conn, &ids)?.into_iter().map(|row| (row.id.clone(), row)).collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}
