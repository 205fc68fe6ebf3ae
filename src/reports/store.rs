//! What the report reads from the database: the facts of the period, the names of those who
//! answer for them, and the targets.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use super::figures::catalogue::PublicationFacts;
use super::figures::feedback::FeedbackFacts;
use super::figures::membership::Stage;
use super::figures::necessary::{Accepted, Necessary};
use super::figures::{Period, ProcedureInfo};
use super::model::AgencyRef;
use super::percent::Percent;
use super::rollup;
use super::targets::Indicator;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::posting_deadline;
use crate::clock;
use crate::db::filters::newest_first;
use crate::db::schema::{
    agencies, dossiers, feedback, procedures, report_targets, service_accounts, surveys, users,
};
use crate::db::{DbConnection, MultiBackend};
use crate::dossiers::facts::FactsRow;
use crate::dossiers::lifecycle::Status;
use crate::dossiers::row::DossierRow;
use crate::enums::{Channel, Level, OnlineService};
use crate::error::ApiError;
use crate::feedback::model::FeedbackChannel;
use crate::records::counters::facts::{DossierFacts, local_midnight};

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

#[tracing::instrument(level = "debug", skip_all, fields(agencies = agency_ids.len()))]
pub fn feedback_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<Vec<FeedbackFacts>, ApiError> {
    type Row = (
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = feedback::table
        .filter(feedback::agency_id.eq_any(agency_ids))
        .filter(feedback::received_at.ge(clock::to_db(period.start)))
        .filter(feedback::received_at.lt(clock::to_db(period.end)))
        .select((
            feedback::agency_id,
            feedback::channel,
            feedback::received_at,
            feedback::due_at,
            feedback::responded_at,
            feedback::rejected_at,
            feedback::published_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(agency_id, channel, received_at, due_at, responded_at, rejected_at, published_at)| {
            Ok(FeedbackFacts {
                agency_id,
                channel: FeedbackChannel::from_db(&channel)?,
                received_at: clock::from_db(received_at),
                due_at: clock::from_db(due_at),
                responded_at: responded_at.map(clock::from_db),
                rejected_at: rejected_at.map(clock::from_db),
                published_at: published_at.map(clock::from_db),
            })
        })
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
