//! What the report reads from the database: the facts of the period, the names of those who
//! answer for them, and the targets.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::{DossierFacts, FeedbackFacts, Period, PublicationFacts};
use super::percent::Percent;
use super::targets::Indicator;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{add_working_time, posting_deadline};
use crate::catalogue::model::OnlineService;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{
    agencies, dossiers, feedback, procedures, report_targets, service_accounts, surveys, users,
};
use crate::dossiers::model::{Channel, PaymentMethod};
use crate::error::ApiError;
use crate::feedback::model::FeedbackChannel;
use crate::surveys::model::Level;

/// The 8 working hours an online submission has to be answered in (the seed's task 3).
const ANSWER_WITHIN_MINUTES: i64 = 8 * 60;

#[derive(Queryable)]
struct FactsRow {
    agency_id: String,
    procedure_id: String,
    field: String,
    online_service: String,
    channel: String,
    fee: i64,
    payment_method: Option<String>,
    status: String,
    submitted_at: NaiveDateTime,
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
}

/// The dossiers the period can see: accepted before its end and not closed before its start,
/// plus the online submissions of the period (for the acceptance figure).
pub fn dossier_facts(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_ids: &[String],
    period: &Period,
) -> Result<Vec<DossierFacts>, ApiError> {
    let (start, end) = (clock::to_db(period.start), clock::to_db(period.end));
    let open_in_period = dossiers::accepted_at
        .lt(end)
        .and(dossiers::resolved_at.is_null().or(dossiers::resolved_at.ge(start)))
        .and(dossiers::withdrawn_at.is_null().or(dossiers::withdrawn_at.ge(start)));
    let submitted_online = dossiers::channel
        .eq(Channel::Online.as_str())
        .and(dossiers::submitted_at.ge(start))
        .and(dossiers::submitted_at.lt(end));
    let rows: Vec<FactsRow> = dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::agency_id.eq_any(agency_ids))
        .filter(open_in_period.or(submitted_online.nullable()))
        .select((
            dossiers::agency_id,
            dossiers::procedure_id,
            procedures::field,
            procedures::online_service,
            dossiers::channel,
            dossiers::fee,
            dossiers::payment_method,
            dossiers::status,
            dossiers::submitted_at,
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
        ))
        .load(conn)?;
    let mut calendars_by_agency = HashMap::new();
    let mut facts = Vec::with_capacity(rows.len());
    for row in rows {
        let channel = match row.channel.as_str() {
            "online" => Channel::Online,
            "postal" => Channel::Postal,
            _ => Channel::Direct,
        };
        let submitted_at = clock::from_db(row.submitted_at);
        let answer_due_at = if channel == Channel::Online {
            let calendar = match calendars_by_agency.get(&row.agency_id) {
                Some(calendar) => std::sync::Arc::clone(calendar),
                None => {
                    let calendar = calendars.get(conn, Some(&row.agency_id))?;
                    calendars_by_agency.insert(row.agency_id.clone(), calendar.clone());
                    calendar
                }
            };
            add_working_time(submitted_at, ANSWER_WITHIN_MINUTES, &calendar.calendar)
        } else {
            None
        };
        facts.push(DossierFacts {
            offer: OnlineService::from_db(&row.online_service)?,
            paid_online: row.payment_method.as_deref() == Some(PaymentMethod::Online.as_str()),
            awaiting_supplement: row.status == "supplement_requested",
            agency_id: row.agency_id,
            procedure_id: row.procedure_id,
            field: row.field,
            channel,
            fee: row.fee,
            submitted_at,
            answer_due_at,
            first_response_at: row.first_response_at.map(clock::from_db),
            accepted_at: row.accepted_at.map(clock::from_db),
            due_at: row.due_at.map(clock::from_db),
            supplement_requested_at: row.supplement_requested_at.map(clock::from_db),
            apologized_at: row.apologized_at.map(clock::from_db),
            resolved_at: row.resolved_at.map(clock::from_db),
            withdrawn_at: row.withdrawn_at.map(clock::from_db),
            reception_digitized: row.reception_digitized,
            result_digitized: row.result_digitized,
            received_by: row.received_by,
            resolved_by: row.resolved_by,
            resolved_by_agency_id: row.resolved_by_agency_id,
            assignee_id: row.assignee_id,
        });
    }
    Ok(facts)
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
