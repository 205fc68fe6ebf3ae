//! What the report reads from the database: the facts of the period, the names of those who
//! answer for them, and the targets.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::{DossierFacts, FeedbackFacts, Period, ProcedureInfo, PublicationFacts};
use super::percent::Percent;
use super::targets::Indicator;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::posting_deadline;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{
    agencies, dossiers, feedback, procedures, report_targets, service_accounts, surveys, users,
};
use crate::dossiers::lifecycle::Status;
use crate::dossiers::model::PaymentMethod;
use crate::dossiers::row::DossierRow;
use crate::enums::{Channel, Level, OnlineService};
use crate::error::ApiError;
use crate::feedback::model::FeedbackChannel;

#[derive(Queryable)]
struct FactsRow {
    agency_id: String,
    procedure_id: String,
    channel: String,
    fee: i64,
    payment_method: Option<String>,
    status: String,
    submitted_at: NaiveDateTime,
    answer_due_at: Option<NaiveDateTime>,
    first_response_at: Option<NaiveDateTime>,
    accepted_at: Option<NaiveDateTime>,
    due_at: Option<NaiveDateTime>,
    supplement_requested_at: Option<NaiveDateTime>,
    apologized_at: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    reception_digitized: bool,
    result_digitized: bool,
    received_by: Option<String>,
    resolved_by: Option<String>,
    resolved_by_agency_id: Option<String>,
    assignee_id: Option<String>,
    last_event_at: Option<NaiveDateTime>,
}

const OPEN: [&str; 3] = Status::OPEN_TEXT;

fn channel_of(text: &str) -> Channel {
    match text {
        "online" => Channel::Online,
        "postal" => Channel::Postal,
        _ => Channel::Direct,
    }
}

impl FactsRow {
    /// The facts, with the procedure's field and online-service level from `procedures` (left
    /// empty for a procedure it lacks: the counters do not need them).
    fn into_facts(self, procedures: &HashMap<String, ProcedureInfo>) -> Result<DossierFacts, ApiError> {
        let procedure = procedures.get(&self.procedure_id);
        Ok(DossierFacts {
            offer: procedure.map_or(OnlineService::None, |p| p.offer),
            field: procedure.map(|p| p.field.clone()).unwrap_or_default(),
            paid_online: self.payment_method.as_deref() == Some(PaymentMethod::Online.as_str()),
            awaiting_supplement: self.status == "supplement_requested",
            open: OPEN.contains(&self.status.as_str()),
            channel: channel_of(&self.channel),
            agency_id: self.agency_id,
            procedure_id: self.procedure_id,
            fee: self.fee,
            submitted_at: clock::from_db(self.submitted_at),
            answer_due_at: self.answer_due_at.map(clock::from_db),
            first_response_at: self.first_response_at.map(clock::from_db),
            accepted_at: self.accepted_at.map(clock::from_db),
            due_at: self.due_at.map(clock::from_db),
            supplement_requested_at: self.supplement_requested_at.map(clock::from_db),
            apologized_at: self.apologized_at.map(clock::from_db),
            resolved_at: self.resolved_at.map(clock::from_db),
            withdrawn_at: self.withdrawn_at.map(clock::from_db),
            reception_digitized: self.reception_digitized,
            result_digitized: self.result_digitized,
            received_by: self.received_by,
            resolved_by: self.resolved_by,
            resolved_by_agency_id: self.resolved_by_agency_id,
            assignee_id: self.assignee_id,
            last_event_at: clock::from_db(self.last_event_at.unwrap_or(self.submitted_at)),
        })
    }
}

/// Which dossiers to load.
pub enum Select {
    /// Every dossier the period can see: accepted before its end and not closed before its
    /// start, plus the online submissions of the period (the plain definition).
    Period,
    /// Open now (one query, through the status index).
    Open,
    /// Closed, with an event the report reads at or after `as_of` (another query, through the
    /// agency and last-event index).
    TouchedSince,
}

/// The dossiers the counters cannot judge: open now, or with an event at or after `as_of`. Two queries
/// rather than one with OR, so that each is answered by an index.
pub fn recent_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<DossierFacts>, ApiError> {
    let mut facts = dossier_facts(conn, agency_ids, period, Select::Open, procedures)?;
    facts.extend(dossier_facts(conn, agency_ids, period, Select::TouchedSince, procedures)?);
    Ok(facts)
}

pub fn dossier_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    select: Select,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Result<Vec<DossierFacts>, ApiError> {
    let (start, end) = (clock::to_db(period.start), clock::to_db(period.end));
    let mut query = dossiers::table
        .filter(dossiers::agency_id.eq_any(agency_ids))
        .select((
            dossiers::agency_id,
            dossiers::procedure_id,
            dossiers::channel,
            dossiers::fee,
            dossiers::payment_method,
            dossiers::status,
            dossiers::submitted_at,
            dossiers::answer_due_at,
            dossiers::first_response_at,
            dossiers::accepted_at,
            dossiers::due_at,
            dossiers::supplement_requested_at,
            dossiers::apologized_at,
            dossiers::resolved_at,
            dossiers::withdrawn_at,
            dossiers::reception_digitized,
            dossiers::result_digitized,
            dossiers::received_by,
            dossiers::resolved_by,
            dossiers::resolved_by_agency_id,
            dossiers::assignee_id,
            dossiers::last_event_at,
        ))
        .into_boxed();
    query = match select {
        Select::Period => {
            let open_in_period = dossiers::accepted_at
                .lt(end)
                .and(dossiers::resolved_at.is_null().or(dossiers::resolved_at.ge(start)))
                .and(dossiers::withdrawn_at.is_null().or(dossiers::withdrawn_at.ge(start)));
            let submitted_online = dossiers::channel
                .eq(Channel::Online.as_str())
                .and(dossiers::submitted_at.ge(start))
                .and(dossiers::submitted_at.lt(end));
            query.filter(open_in_period.or(submitted_online.nullable()))
        }
        Select::Open => query.filter(dossiers::status.eq_any(OPEN)),
        // Closed, with an event after `as_of`; none submitted after the period, which
        // contributes nothing to it.
        Select::TouchedSince => query
            .filter(dossiers::status.ne_all(OPEN))
            .filter(dossiers::last_event_at.ge(clock::to_db(period.as_of)))
            .filter(dossiers::submitted_at.lt(end)),
    };
    let rows: Vec<FactsRow> = query.load(conn)?;
    rows.into_iter().map(|row| row.into_facts(procedures)).collect()
}

/// What the counters need of a dossier row (field and offer are the procedure's, not needed).
pub fn facts_of(row: &DossierRow) -> Result<DossierFacts, ApiError> {
    FactsRow {
        agency_id: row.agency_id.clone(),
        procedure_id: row.procedure_id.clone(),
        channel: row.channel.clone(),
        fee: row.fee,
        payment_method: row.payment_method.clone(),
        status: row.status.clone(),
        submitted_at: row.submitted_at,
        answer_due_at: row.answer_due_at,
        first_response_at: row.first_response_at,
        accepted_at: row.accepted_at,
        due_at: row.due_at,
        supplement_requested_at: row.supplement_requested_at,
        apologized_at: row.apologized_at,
        resolved_at: row.resolved_at,
        withdrawn_at: row.withdrawn_at,
        reception_digitized: row.reception_digitized,
        result_digitized: row.result_digitized,
        received_by: row.received_by.clone(),
        resolved_by: row.resolved_by.clone(),
        resolved_by_agency_id: row.resolved_by_agency_id.clone(),
        assignee_id: row.assignee_id.clone(),
        last_event_at: Some(row.last_event()),
    }
    .into_facts(&HashMap::new())
}

/// The catalogue's fields and online-service levels, by procedure id.
pub fn procedure_infos(conn: &mut DbConnection) -> Result<HashMap<String, ProcedureInfo>, ApiError> {
    let rows: Vec<(String, String, String)> = procedures::table
        .select((procedures::id, procedures::field, procedures::online_service))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, field, offer)| Ok((id, ProcedureInfo { field, offer: OnlineService::from_db(&offer)? })))
        .collect()
}

pub fn survey_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<Vec<(Level, chrono::DateTime<chrono::Utc>)>, ApiError> {
    let rows: Vec<(String, NaiveDateTime)> = surveys::table
        .filter(surveys::agency_id.eq_any(agency_ids))
        .filter(surveys::submitted_at.ge(clock::to_db(period.start)))
        .filter(surveys::submitted_at.lt(clock::to_db(period.end)))
        .select((surveys::level, surveys::submitted_at))
        .load(conn)?;
    rows.into_iter().map(|(level, at)| Ok((Level::from_db(&level)?, clock::from_db(at)))).collect()
}

pub fn feedback_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<Vec<FeedbackFacts>, ApiError> {
    type Row = (
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
            feedback::channel,
            feedback::received_at,
            feedback::due_at,
            feedback::responded_at,
            feedback::rejected_at,
            feedback::published_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(channel, received_at, due_at, responded_at, rejected_at, published_at)| {
            Ok(FeedbackFacts {
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

/// Publication decisions signed in the period for procedures that apply to the agency: national
/// ones (no agency) and those of the agency, the agencies above it and below it.
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
pub fn officers_of(conn: &mut DbConnection, agency_ids: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(users::table
        .filter(users::agency_id.eq_any(agency_ids))
        .filter(users::role.eq("officer"))
        .select(users::id)
        .load(conn)?)
}

/// The targets set along an agency's lineage for a year, deepest setting first wins:
/// indicator → (target, the agency that set it).
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
