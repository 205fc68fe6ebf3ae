//! The period's dossiers as the report's facts: the plain definition's query, the few a summary
//! judges one by one, and the newest-first walk behind a figure's list.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use crate::clock;
use crate::db::filters::newest_first;
use crate::db::schema::dossiers;
use crate::db::{DbConnection, MultiBackend};
use crate::dossiers::facts::FactsRow;
use crate::dossiers::lifecycle::Status;
use crate::enums::Channel;
use crate::error::ApiError;
use crate::records::counters::facts::{DossierFacts, local_midnight};
use crate::reports::figures::membership::Stage;
use crate::reports::figures::necessary::{Accepted, Necessary};
use crate::reports::figures::{Period, ProcedureInfo};
use crate::reports::rollup;

/// A dossier's facts with its procedure's field and online-service level from `procedures` (left
/// empty for a procedure it lacks: the counters do not need them).
fn with_procedure(row: &FactsRow, procedures: &HashMap<String, ProcedureInfo>) -> DossierFacts {
    let mut facts = row.facts();
    if let Some(procedure) = procedures.get(&facts.procedure_id) {
        facts.offer = procedure.offer;
        facts.field = procedure.field.clone();
    }
    facts
}

/// Which dossiers to load.
pub enum Select {
    /// Every dossier the period can see: accepted before its end and not closed before its
    /// start, plus the online submissions of the period (the plain definition).
    Period,
    /// Online submissions of the period whose answer was due at or after `as_of` and is late or
    /// missing (through the partial index `dossiers_answer_pending_idx`).
    AnswerPending,
    /// Open, due between `as_of` and the next midnight (through the status and due index).
    DueBeforeJudged,
    /// With an event the report reads at or after `as_of` (through the agency and last-event
    /// index); none submitted after the period, which contributes nothing to it.
    TouchedSince,
}

/// How `dossiers_answer_pending_idx` selects, written as its migration does so that both planners
/// match the index: online submissions not answered (nor withdrawn) by their answer's due instant.
const ANSWER_PENDING: &str = "channel = 'online' AND answer_due_at IS NOT NULL \
     AND (first_response_at IS NULL OR first_response_at > answer_due_at) \
     AND (withdrawn_at IS NULL OR withdrawn_at > answer_due_at)";

/// The dossiers the counters cannot judge (`rollup::judged_one_by_one`), each once: none for a
/// period that has ended; for the current one the late or missing answers due after `as_of`,
/// what moved since `as_of` and what falls due before the next midnight. Separate queries rather
/// than one with OR, so that each is answered by an index.
#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len()))]
pub fn recent_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<DossierFacts>, ApiError> {
    // A period that has ended reads none: its answer clocks and backlog are counters.
    let mut rows = Vec::new();
    if period.as_of < period.end {
        rows.extend(facts_rows(conn, agency_ids, period, Select::AnswerPending)?);
        rows.extend(facts_rows(conn, agency_ids, period, Select::DueBeforeJudged)?);
        rows.extend(facts_rows(conn, agency_ids, period, Select::TouchedSince)?);
    }
    let mut seen = HashSet::new();
    Ok(rows
        .iter()
        .filter(|row| seen.insert(row.id.as_str()))
        .map(|row| with_procedure(row, procedures))
        .collect())
}

pub fn dossier_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    select: Select,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<DossierFacts>, ApiError> {
    Ok(facts_rows(conn, agency_ids, period, select)?
        .iter()
        .map(|row| with_procedure(row, procedures))
        .collect())
}

/// [`dossier_facts`], each with its dossier's id: the dossiers behind a figure.
pub fn identified_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    select: Select,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<(String, DossierFacts)>, ApiError> {
    Ok(identified(facts_rows(conn, agency_ids, period, select)?, procedures))
}

/// Each row's facts with its dossier's id.
fn identified(
    rows: Vec<FactsRow>,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Vec<(String, DossierFacts)> {
    rows.into_iter()
        .map(|row| {
            let facts = with_procedure(&row, procedures);
            (row.id, facts)
        })
        .collect()
}

/// A condition on a dossier's row, for either backend.
type Predicate = Box<dyn BoxableExpression<dossiers::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// The dossiers a period `[start, end)` can see ([`Select::Period`]): accepted before its end and
/// not closed before its start, plus the online submissions of the period.
fn seen_by(start: NaiveDateTime, end: NaiveDateTime) -> Predicate {
    let open_in_period = dossiers::accepted_at
        .lt(end)
        .and(dossiers::resolved_at.is_null().or(dossiers::resolved_at.ge(start)))
        .and(dossiers::withdrawn_at.is_null().or(dossiers::withdrawn_at.ge(start)));
    let submitted_online = dossiers::channel
        .eq(Channel::Online.as_str())
        .and(dossiers::submitted_at.ge(start))
        .and(dossiers::submitted_at.lt(end));
    Box::new(open_in_period.or(submitted_online.nullable()))
}

/// The dossiers of [`Select::Period`] that meet `necessary`, newest first by (submitted_at, id),
/// strictly after `after`, at most `limit`, each with its id: the candidates of a figure's list,
/// read a chunk at a time (`dossiers_submitted_idx` walks them in this order, so a chunk costs
/// the rows walked for it, not the period's).
///
/// Only those submitted before the period's end: the period sees a dossier accepted before its
/// end or submitted in it, and a dossier is never accepted before it was submitted (intake refuses
/// an imported `accepted_at` before `submitted_at`, and a step never precedes the previous one),
/// so the walk starts at the period's end rather than at the newest dossier.
#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len(), limit = limit))]
pub fn newest_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    necessary: &Necessary,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<(String, DossierFacts)>, ApiError> {
    let (start, end) = (clock::to_db(period.start), clock::to_db(period.end));
    let mut query = dossiers::table
        .filter(dossiers::agency_id.eq_any(agency_ids))
        .filter(seen_by(start, end))
        .filter(dossiers::submitted_at.lt(end))
        .select(FactsRow::as_select())
        .into_boxed();
    // `Necessary::holds`, in SQL.
    let n = necessary;
    match n.accepted {
        Some(Accepted::InPeriod) => {
            query = query.filter(dossiers::accepted_at.ge(start)).filter(dossiers::accepted_at.lt(end))
        }
        Some(Accepted::BeforeStart) => query = query.filter(dossiers::accepted_at.lt(start)),
        None => {}
    }
    if n.resolved_in_period {
        query = query.filter(dossiers::resolved_at.ge(start)).filter(dossiers::resolved_at.lt(end));
    }
    if n.withdrawn_in_period {
        query = query.filter(dossiers::withdrawn_at.ge(start)).filter(dossiers::withdrawn_at.lt(end));
    }
    let as_of = clock::to_db(period.as_of);
    if n.late {
        query = query
            .filter(dossiers::due_at.lt(as_of))
            .filter(dossiers::resolved_at.is_null().or(dossiers::resolved_at.gt(dossiers::due_at)));
    }
    if n.open_at_as_of {
        query = query
            .filter(dossiers::resolved_at.is_null().or(dossiers::resolved_at.ge(as_of)))
            .filter(dossiers::withdrawn_at.is_null().or(dossiers::withdrawn_at.ge(as_of)));
    }
    if n.apologized {
        query = query.filter(dossiers::apologized_at.is_not_null());
    }
    if n.online {
        query = query.filter(dossiers::channel.eq(Channel::Online.as_str()));
    }
    if n.submitted_in_period {
        query = query.filter(dossiers::submitted_at.ge(start));
    }
    if n.fee {
        query = query.filter(dossiers::fee.gt(0));
    }
    if let Some(digitized) = n.reception_digitized {
        query = query.filter(dossiers::reception_digitized.eq(digitized));
    }
    if let Some(digitized) = n.result_digitized {
        query = query.filter(dossiers::result_digitized.eq(digitized));
    }
    if let Some((stage, id)) = &n.responsible {
        let agency = dossiers::agency_id.eq(id.clone()).nullable();
        query = match stage {
            Stage::Reception => query.filter(dossiers::received_by.eq(id.clone()).or(agency)),
            Stage::Result => query.filter(
                dossiers::resolved_by_agency_id
                    .eq(id.clone())
                    .or(dossiers::resolved_by.eq(id.clone()))
                    .or(agency),
            ),
        };
    }
    // The cursor's instant as a bound of its own, which the index walk starts from; inside the
    // cursor's OR the planner only filters by it, walking every row from the period's end again
    // for each chunk and page (1.3 s instead of 8 ms for a late page at 1,000,000).
    if let Some((at, _)) = &after {
        query = query.filter(dossiers::submitted_at.le(*at));
    }
    let rows: Vec<FactsRow> =
        newest_first!(query, dossiers::submitted_at, dossiers::id, after, limit).load(conn)?;
    Ok(identified(rows, procedures))
}

#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len()))]
fn facts_rows(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    select: Select,
) -> Result<Vec<FactsRow>, ApiError> {
    let (start, end) = (clock::to_db(period.start), clock::to_db(period.end));
    let mut query = dossiers::table
        .filter(dossiers::agency_id.eq_any(agency_ids))
        .select(FactsRow::as_select())
        .into_boxed();
    query = match select {
        Select::Period => query.filter(seen_by(start, end)),
        Select::AnswerPending => query
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(ANSWER_PENDING))
            .filter(dossiers::answer_due_at.ge(clock::to_db(period.as_of)))
            .filter(dossiers::submitted_at.ge(start))
            .filter(dossiers::submitted_at.lt(end)),
        Select::DueBeforeJudged => {
            let midnight = local_midnight(rollup::judged_on(period)).unwrap_or(period.as_of);
            query
                .filter(dossiers::status.eq_any(Status::OPEN_TEXT))
                .filter(dossiers::due_at.ge(clock::to_db(period.as_of)))
                .filter(dossiers::due_at.lt(clock::to_db(midnight)))
        }
        Select::TouchedSince => query
            .filter(dossiers::last_event_at.ge(clock::to_db(period.as_of)))
            .filter(dossiers::submitted_at.lt(end)),
    };
    Ok(query.load(conn)?)
}
