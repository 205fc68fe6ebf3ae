//! The report counters' write side (`report_counts`), below the slices: every dossier and survey
//! write keeps them in step inside its own transaction, and a generated history or a rebuild
//! writes them in bulk. What a dossier or a survey contributes is `contribution`'s, pure; the
//! facts it is computed from are `facts`, built by the dossiers slice. Reading them for a period
//! is the report's. Nothing here imports a slice, so that the slices that write can call down.

pub mod contribution;
pub mod facts;
pub mod grain;

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use self::contribution::{Counts, contribution, difference, survey_contribution};
use self::facts::{DossierFacts, ResponsibleKey, local_day};
use self::grain::Grain;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::report_counts;
use crate::enums::Level;
use crate::error::ApiError;

/// How who answers for a missing digitization is stored in `report_counts.responsible`: empty for
/// the dossier and survey counts, `p:` a person's id, `a:` an agency's.
fn responsible_text(who: Option<&ResponsibleKey>) -> String {
    match who {
        None => String::new(),
        Some(ResponsibleKey::Person(id)) => format!("p:{id}"),
        Some(ResponsibleKey::Agency(id)) => format!("a:{id}"),
    }
}

/// The stored `responsible` read back: `None` for the dossier and survey counts.
pub fn responsible_key(text: &str) -> Option<ResponsibleKey> {
    if let Some(id) = text.strip_prefix("p:") {
        Some(ResponsibleKey::Person(id.to_owned()))
    } else {
        text.strip_prefix("a:").map(|id| ResponsibleKey::Agency(id.to_owned()))
    }
}

/// Keep a dossier's counters in step with a write: add what the dossier now contributes, take out
/// what it contributed before (`None` at intake). Call inside the write's transaction.
pub fn record_dossier(
    conn: &mut DbConnection,
    before: Option<&DossierFacts>,
    after: &DossierFacts,
) -> Result<(), ApiError> {
    let changes = difference(before, after)
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
    add_counts(conn, agency_id, procedure_id, [(day, String::new(), survey_contribution(level))])
}

/// Counters gathered in memory (by `generate`), keyed by agency, procedure, day and responsible.
pub type Pending = HashMap<(String, String, NaiveDate, String), Counts>;

/// Gather a dossier's contribution for [`write_pending`].
pub fn gather_dossier(pending: &mut Pending, facts: &DossierFacts) {
    for ((day, who), counts) in contribution(facts) {
        let key = (facts.agency_id.clone(), facts.procedure_id.clone(), day, responsible_text(who.as_ref()));
        *pending.entry(key).or_default() += counts;
    }
}

/// Gather a survey's contribution for [`write_pending`]: the survey of a dossier (agency, procedure).
pub fn gather_survey(
    pending: &mut Pending,
    (agency_id, procedure_id): (&str, &str),
    level: Level,
    at: NaiveDateTime,
) {
    let key = (agency_id.to_owned(), procedure_id.to_owned(), local_day(clock::from_db(at)), String::new());
    *pending.entry(key).or_default() += survey_contribution(level);
}

#[derive(Insertable)]
#[diesel(table_name = report_counts, treat_none_as_default_value = false)]
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
    backlog: i64,
    backlog_overdue: i64,
    backlog_apologized: i64,
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
            backlog: c.backlog,
            backlog_overdue: c.backlog_overdue,
            backlog_apologized: c.backlog_apologized,
        }
    }
}

/// Write gathered counters of agencies that have none yet (a generated history, a rebuild): plain inserts
/// in bulk ([`crate::db::bulk_insert`]).
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
    // One COPY on PostgreSQL; on SQLite 27 columns × 1,000 rows stays under its 32,766 bound
    // parameters.
    crate::db::bulk_insert!(conn, report_counts::table, &rows, 1_000)?;
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
