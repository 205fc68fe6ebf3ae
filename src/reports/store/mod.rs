//! What the report reads from the database: the facts of the period, the names of those who
//! answer for them, and the targets.

mod facts;
mod feedback;

pub use facts::*;
pub use feedback::*;

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::catalogue::PublicationFacts;
use super::figures::{Period, ProcedureInfo};
use super::model::AgencyRef;
use super::percent::Percent;
use super::targets::Indicator;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::posting_deadline;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{agencies, dossiers, procedures, report_targets, service_accounts, surveys, users};
use crate::dossiers::row::DossierRow;
use crate::enums::{Level, OnlineService};
use crate::error::ApiError;

/// The dossiers of some ids (at most a page of them: one parameter each), in no order.
#[tracing::instrument(level = "debug", skip_all, fields(ids = ids.len()))]
pub fn dossiers_by_id(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<DossierRow>, ApiError> {
    Ok(dossiers::table.filter(dossiers::id.eq_any(ids)).select(DossierRow::as_select()).load(conn)?)
}

/// The code and name of some procedures, by id.
#[tracing::instrument(level = "debug", skip_all, fields(ids = ids.len()))]
pub fn procedure_names(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<HashMap<String, (String, String)>, ApiError> {
    let rows: Vec<(String, String, String)> = procedures::table
        .filter(procedures::id.eq_any(ids))
        .select((procedures::id, procedures::code, procedures::name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, code, name)| (id, (code, name))).collect())
}

/// The catalogue's fields and online-service levels, by procedure id.
#[tracing::instrument(level = "debug", skip_all)]
pub fn procedure_infos(conn: &mut DbConnection) -> Result<HashMap<String, ProcedureInfo>, ApiError> {
    let rows: Vec<(String, String, String)> = procedures::table
        .select((procedures::id, procedures::field, procedures::online_service))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, field, offer)| Ok((id, ProcedureInfo { field, offer: OnlineService::from_db(&offer)? })))
        .collect()
}

#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len()))]
pub fn survey_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<Vec<(String, Level, chrono::DateTime<chrono::Utc>)>, ApiError> {
    let rows: Vec<(String, String, NaiveDateTime)> = surveys::table
        .filter(surveys::agency_id.eq_any(agency_ids))
        .filter(surveys::submitted_at.ge(clock::to_db(period.start)))
        .filter(surveys::submitted_at.lt(clock::to_db(period.end)))
        .select((surveys::agency_id, surveys::level, surveys::submitted_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(agency, level, at)| Ok((agency, Level::from_db(&level)?, clock::from_db(at))))
        .collect()
}

/// Agencies as (id, path).
pub type AgencyPaths = Vec<(String, String)>;

/// The agencies below `root` and itself as (id, path), and those directly below it: the lines of
/// the league table (`figures::by_agency`). Ids are UUIDs: no LIKE wildcards inside.
#[tracing::instrument(level = "debug", skip_all, fields(root = ?root))]
pub fn branches(conn: &mut DbConnection, root: &str) -> Result<(Vec<AgencyRef>, AgencyPaths), ApiError> {
    let rows: Vec<(String, String, String, Option<String>, String)> = agencies::table
        .filter(agencies::path.like(format!("%/{root}/%")))
        .select((agencies::id, agencies::code, agencies::name, agencies::parent_id, agencies::path))
        .load(conn)?;
    let mut children = Vec::new();
    let mut paths = Vec::with_capacity(rows.len());
    for (id, code, name, parent, path) in rows {
        if parent.as_deref() == Some(root) {
            children.push(AgencyRef { id: id.clone(), code, name });
        }
        paths.push((id, path));
    }
    Ok((children, paths))
}

/// Publication decisions signed in the period for procedures that apply to the agency: national
/// ones (no agency) and those of the agency, the agencies above it and below it.
#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?agency_id, agencies = related_agencies.len()))]
pub fn publication_facts(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_id: &str,
    related_agencies: &[String],
    period: &Period,
) -> Result<Vec<PublicationFacts>, ApiError> {
    let rows: Vec<(NaiveDate, Option<NaiveDate>)> = procedures::table
        .filter(procedures::agency_id.is_null().or(procedures::agency_id.eq_any(related_agencies)))
        .filter(procedures::signed_on.ge(period.from))
        .filter(procedures::signed_on.le(period.to))
        .select((procedures::signed_on.assume_not_null(), procedures::posted_on))
        .load(conn)?;
    let calendar = calendars.get(conn, Some(agency_id))?;
    Ok(rows
        .into_iter()
        .map(|(signed_on, posted_on)| PublicationFacts {
            signed_on,
            posted_on,
            deadline: posting_deadline(signed_on, &calendar.calendar),
        })
        .collect())
}

/// Display names of people (users, then service accounts) and agencies by id.
pub struct Names {
    pub users: HashMap<String, (String, Option<String>)>,
    pub services: HashMap<String, String>,
    pub agencies: HashMap<String, String>,
}

#[tracing::instrument(level = "debug", skip_all, fields(people = people.len(), agencies = agency_ids.len()))]
pub fn names(conn: &mut DbConnection, people: &[String], agency_ids: &[String]) -> Result<Names, ApiError> {
    let users: Vec<(String, String, Option<String>)> = users::table
        .filter(users::id.eq_any(people))
        .select((users::id, users::full_name, users::agency_id))
        .load(conn)?;
    let services: Vec<(String, String)> = service_accounts::table
        .filter(service_accounts::id.eq_any(people))
        .select((service_accounts::id, service_accounts::name))
        .load(conn)?;
    let agencies: Vec<(String, String)> = agencies::table
        .filter(agencies::id.eq_any(agency_ids))
        .select((agencies::id, agencies::name))
        .load(conn)?;
    Ok(Names {
        users: users.into_iter().map(|(id, name, agency)| (id, (name, agency))).collect(),
        services: services.into_iter().collect(),
        agencies: agencies.into_iter().collect(),
    })
}

/// The officers of the agencies, so that those with nothing to answer for are listed too.
#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len()))]
pub fn officers_of(conn: &mut DbConnection, agency_ids: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(users::table
        .filter(users::agency_id.eq_any(agency_ids))
        .filter(users::role.eq("officer"))
        .select(users::id)
        .load(conn)?)
}

/// The targets set along an agency's lineage for a year, deepest setting first wins:
/// indicator → (target, the agency that set it).
#[tracing::instrument(level = "debug", skip_all, fields(lineage = lineage.len(), year = year))]
pub fn targets_set(
    conn: &mut DbConnection,
    lineage: &[String],
    year: i32,
) -> Result<BTreeMap<Indicator, (Percent, String)>, ApiError> {
    let rows: Vec<(String, String, i64)> = report_targets::table
        .filter(report_targets::agency_id.eq_any(lineage))
        .filter(report_targets::year.eq(year))
        .select((report_targets::agency_id, report_targets::indicator, report_targets::hundredths))
        .load(conn)?;
    let depth = |agency: &str| lineage.iter().position(|a| a == agency).unwrap_or(0);
    let mut out: BTreeMap<Indicator, (Percent, String)> = BTreeMap::new();
    for (agency, indicator, hundredths) in rows {
        let indicator = Indicator::from_db(&indicator)?;
        let deeper = out.get(&indicator).is_none_or(|(_, set_by)| depth(&agency) > depth(set_by));
        if deeper {
            out.insert(indicator, (Percent(hundredths), agency));
        }
    }
    Ok(out)
}

#[tracing::instrument(level = "debug", skip_all, fields(agency_id = ?agency_id, year = year, indicator = indicator.as_str()))]
pub fn put_target(
    conn: &mut DbConnection,
    agency_id: &str,
    year: i32,
    indicator: Indicator,
    target: Option<Percent>,
) -> Result<(), ApiError> {
    let key = report_targets::agency_id
        .eq(agency_id)
        .and(report_targets::year.eq(year))
        .and(report_targets::indicator.eq(indicator.as_str()));
    diesel::delete(report_targets::table.filter(key)).execute(conn)?;
    if let Some(target) = target {
        diesel::insert_into(report_targets::table)
            .values((
                report_targets::agency_id.eq(agency_id),
                report_targets::year.eq(year),
                report_targets::indicator.eq(indicator.as_str()),
                report_targets::hundredths.eq(target.0),
                report_targets::updated_at.eq(clock::to_db(clock::now())),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The dossiers the register lists: submitted in the period to one of the agencies, in the order
/// they came, at most `limit`.
pub fn register_rows(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    limit: i64,
) -> QueryResult<Vec<crate::dossiers::row::DossierRow>> {
    use crate::dossiers::row::DossierRow;
    dossiers::table
        .filter(dossiers::agency_id.eq_any(agency_ids))
        .filter(dossiers::submitted_at.ge(clock::to_db(period.start)))
        .filter(dossiers::submitted_at.lt(clock::to_db(period.end)))
        .order((dossiers::submitted_at.asc(), dossiers::code.asc()))
        .limit(limit)
        .select(DossierRow::as_select())
        .load(conn)
}

/// The names of these procedures and agencies, by id.
pub fn register_names(
    conn: &mut DbConnection,
    procedure_ids: &[String],
    agency_ids: &[String],
) -> QueryResult<(HashMap<String, String>, HashMap<String, String>)> {
    let procedures = procedures::table
        .filter(procedures::id.eq_any(procedure_ids))
        .select((procedures::id, procedures::name))
        .load::<(String, String)>(conn)?;
    let agencies = agencies::table
        .filter(agencies::id.eq_any(agency_ids))
        .select((agencies::id, agencies::name))
        .load::<(String, String)>(conn)?;
    Ok((procedures.into_iter().collect(), agencies.into_iter().collect()))
}
