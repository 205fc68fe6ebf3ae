//! The report counters in the database (`report_counts`): kept in step with every dossier and
//! survey write, written in bulk for a generated history, rebuilt for a database from before them,
//! and read for a period. What is counted is `super::rollup`'s.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::{Period, ResponsibleKey, local_day};
use super::rollup::{self, Counted, Counts, Grain};
use super::store::facts_of;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{dossiers, report_counts, surveys};
use crate::dossiers::row::DossierRow;
use crate::enums::Level;
use crate::error::ApiError;

fn responsible_text(who: Option<&ResponsibleKey>) -> String {
    match who {
        None => String::new(),
        Some(ResponsibleKey::Person(id)) => format!("p:{id}"),
        Some(ResponsibleKey::Agency(id)) => format!("a:{id}"),
    }
}

fn responsible_key(text: &str) -> Option<ResponsibleKey> {
    if let Some(id) = text.strip_prefix("p:") {
        Some(ResponsibleKey::Person(id.to_owned()))
    } else {
        text.strip_prefix("a:").map(|id| ResponsibleKey::Agency(id.to_owned()))
    }
}

/// Keep a dossier's counters in step with a write: add what the row now contributes, take out
/// what it contributed before. Call inside the write's transaction.
pub fn record_dossier(
    conn: &mut DbConnection,
    before: Option<&DossierRow>,
    after: &DossierRow,
) -> Result<(), ApiError> {
    let before = before.map(facts_of).transpose()?;
    let after_facts = facts_of(after)?;
    let changes = rollup::difference(before.as_ref(), &after_facts)
        .into_iter()
        .map(|((day, who), counts)| (day, responsible_text(who.as_ref()), counts));
    add_counts(conn, &after.agency_id, &after.procedure_id, changes)
}

/// Count a survey of a dossier (agency, procedure) on the day it was submitted.
pub fn record_survey(
    conn: &mut DbConnection,
    (agency_id, procedure_id): (&str, &str),
    level: Level,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let day = local_day(clock::from_db(at));
    add_counts(conn, agency_id, procedure_id, [(day, String::new(), rollup::survey_contribution(level))])
}

/// Counters gathered in memory (by `generate`), keyed by agency, procedure, day and responsible.
pub type Pending = HashMap<(String, String, NaiveDate, String), Counts>;

/// Gather a dossier's contribution for [`write_pending`].
pub fn gather_dossier(pending: &mut Pending, row: &DossierRow) -> Result<(), ApiError> {
    for ((day, who), counts) in rollup::contribution(&facts_of(row)?) {
        let key = (row.agency_id.clone(), row.procedure_id.clone(), day, responsible_text(who.as_ref()));
        *pending.entry(key).or_default() += counts;
    }
    Ok(())
}

/// Gather a survey's contribution for [`write_pending`]: the survey of a dossier (agency, procedure).
pub fn gather_survey(
    pending: &mut Pending,
    (agency_id, procedure_id): (&str, &str),
    level: Level,
    at: NaiveDateTime,
) {
    let key = (agency_id.to_owned(), procedure_id.to_owned(), local_day(clock::from_db(at)), String::new());
    *pending.entry(key).or_default() += rollup::survey_contribution(level);
}

/// Fill the counters from the dossiers and surveys when there are none but there are dossiers:
/// a database from before the counters existed. True when it did.
pub fn rebuild_if_empty(conn: &mut DbConnection) -> Result<bool, ApiError> {
    let counted = report_counts::table.select(report_counts::grain).first::<String>(conn).optional()?;
    let any_dossier = dossiers::table.select(dossiers::id).first::<String>(conn).optional()?;
    if counted.is_some() || any_dossier.is_none() {
        return Ok(false);
    }
    crate::db::write_transaction(conn, |conn| {
        let mut pending = Pending::new();
        let mut after = String::new();
        loop {
            // In pages, so that memory stays bounded whatever the history.
            let page: Vec<DossierRow> = dossiers::table
                .filter(dossiers::id.gt(&after))
                .order(dossiers::id)
                .limit(5_000)
                .select(DossierRow::as_select())
                .load(conn)?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            for row in &page {
                gather_dossier(&mut pending, row)?;
            }
        }
        let answers: Vec<(String, String, String, NaiveDateTime)> = surveys::table
            .inner_join(dossiers::table)
            .select((dossiers::agency_id, dossiers::procedure_id, surveys::level, surveys::submitted_at))
            .load(conn)?;
        for (agency_id, procedure_id, level, at) in answers {
            gather_survey(&mut pending, (&agency_id, &procedure_id), Level::from_db(&level)?, at);
        }
        write_pending(conn, pending)
    })?;
    Ok(true)
}

#[derive(Insertable)]
#[diesel(table_name = report_counts)]
struct CountsRow {
    grain: &'static str,
    agency_id: String,
    bucket: NaiveDate,
    procedure_id: String,
    responsible: String,
    new_online: i64,
    new_direct: i64,
    new_postal: i64,
    reception_digitized: i64,
    payable: i64,
    paid_online: i64,
    resolved: i64,
    early: i64,
    on_time: i64,
    late_apologized: i64,
    result_digitized: i64,
    withdrawn: i64,
    online_submitted: i64,
    answered_in_time: i64,
    very_satisfied: i64,
    satisfied: i64,
    unsatisfied: i64,
    reception_missing: i64,
    result_missing: i64,
}

impl CountsRow {
    fn new(
        grain: &'static str,
        (agency_id, procedure_id, bucket, responsible): (String, String, NaiveDate, String),
        c: Counts,
    ) -> Self {
        CountsRow {
            grain,
            agency_id,
            bucket,
            procedure_id,
            responsible,
            new_online: c.new_online,
            new_direct: c.new_direct,
            new_postal: c.new_postal,
            reception_digitized: c.reception_digitized,
            payable: c.payable,
            paid_online: c.paid_online,
            resolved: c.resolved,
            early: c.early,
            on_time: c.on_time,
            late_apologized: c.late_apologized,
            result_digitized: c.result_digitized,
            withdrawn: c.withdrawn,
            online_submitted: c.online_submitted,
            answered_in_time: c.answered_in_time,
            very_satisfied: c.very_satisfied,
            satisfied: c.satisfied,
            unsatisfied: c.unsatisfied,
            reception_missing: c.reception_missing,
            result_missing: c.result_missing,
        }
    }
}

/// Write gathered counters of agencies that have none yet (a generated history): plain inserts,
/// hundreds per statement.
pub fn write_pending(conn: &mut DbConnection, pending: Pending) -> Result<(), ApiError> {
    let mut buckets: HashMap<(Grain, String, String, NaiveDate, String), Counts> = HashMap::new();
    for ((agency_id, procedure_id, day, responsible), counts) in pending {
        let procedure_id = if responsible.is_empty() { procedure_id } else { String::new() };
        for grain in Grain::ALL {
            let key =
                (grain, agency_id.clone(), procedure_id.clone(), grain.bucket(day), responsible.clone());
            *buckets.entry(key).or_default() += counts;
        }
    }
    let rows: Vec<CountsRow> = buckets
        .into_iter()
        .map(|((grain, agency_id, procedure_id, bucket, responsible), counts)| {
            CountsRow::new(grain.as_str(), (agency_id, procedure_id, bucket, responsible), counts)
        })
        .collect();
    // 24 columns × 1,000 rows stays under SQLite's 32,766 bound parameters.
    for chunk in rows.chunks(1_000) {
        crate::db::insert_batch!(conn, report_counts::table, chunk)?;
    }
    Ok(())
}

/// Add to the day's, the month's and the year's counters (an upsert that adds, so concurrent writes
/// add up). Rows are taken in one global order (grain, bucket, responsible), so that two
/// transactions never wait for each other in a cycle on PostgreSQL.
fn add_counts(
    conn: &mut DbConnection,
    agency_id: &str,
    procedure_id: &str,
    changes: impl IntoIterator<Item = (NaiveDate, String, Counts)>,
) -> Result<(), ApiError> {
    let mut rows: BTreeMap<(Grain, NaiveDate, String), Counts> = BTreeMap::new();
    for (day, responsible, counts) in changes {
        for grain in Grain::ALL {
            *rows.entry((grain, grain.bucket(day), responsible.clone())).or_default() += counts;
        }
    }
    for ((grain, bucket, responsible), counts) in rows.into_iter().filter(|(_, c)| !c.is_zero()) {
        // Missing digitization is counted per person, not per procedure.
        let procedure_id = if responsible.is_empty() { procedure_id } else { "" };
        crate::db::add_report_counts(
            conn,
            grain.as_str(),
            agency_id,
            bucket,
            procedure_id,
            &responsible,
            &counts.as_array(),
        )?;
    }
    Ok(())
}

type Values = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn values_array(v: Values) -> [i64; 19] {
    [v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, v.8, v.9, v.10, v.11, v.12, v.13, v.14, v.15, v.16, v.17, v.18]
}

/// The counters of a period for some agencies: whole months from the month grain, the edges from
/// the day grain.
pub fn counted(conn: &mut DbConnection, agency_ids: &[String], period: &Period) -> Result<Counted, ApiError> {
    let mut out = Counted::default();
    for (grain, first, last) in rollup::ranges(period.from, period.to) {
        let rows: Vec<(String, String, Values)> = report_counts::table
            .filter(report_counts::grain.eq(grain.as_str()))
            .filter(report_counts::agency_id.eq_any(agency_ids))
            .filter(report_counts::bucket.ge(first))
            .filter(report_counts::bucket.le(last))
            .select((
                report_counts::procedure_id,
                report_counts::responsible,
                (
                    report_counts::new_online,
                    report_counts::new_direct,
                    report_counts::new_postal,
                    report_counts::reception_digitized,
                    report_counts::payable,
                    report_counts::paid_online,
                    report_counts::resolved,
                    report_counts::early,
                    report_counts::on_time,
                    report_counts::late_apologized,
                    report_counts::result_digitized,
                    report_counts::withdrawn,
                    report_counts::online_submitted,
                    report_counts::answered_in_time,
                    report_counts::very_satisfied,
                    report_counts::satisfied,
                    report_counts::unsatisfied,
                    report_counts::reception_missing,
                    report_counts::result_missing,
                ),
            ))
            .load(conn)?;
        for (procedure_id, responsible, values) in rows {
            let counts = Counts::from_array(values_array(values));
            match responsible_key(&responsible) {
                None => *out.by_procedure.entry(procedure_id).or_default() += counts,
                Some(who) => *out.missing.entry(who).or_default() += counts,
            }
        }
    }
    Ok(out)
}
