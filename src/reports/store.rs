//! What the report reads from the database: the facts of the period, the names of those who
//! answer for them, and the targets.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::{
    DossierFacts, FeedbackFacts, Period, ProcedureInfo, PublicationFacts, ResponsibleKey, local_day,
};
use super::percent::Percent;
use super::rollup::{self, Counted, Counts, Grain};
use super::targets::Indicator;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::posting_deadline;
use crate::catalogue::model::OnlineService;
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{
    agencies, dossiers, feedback, procedures, report_counts, report_targets, service_accounts, surveys, users,
};
use crate::dossiers::model::{Channel, DossierRow, PaymentMethod};
use crate::error::ApiError;
use crate::feedback::model::FeedbackChannel;
use crate::surveys::model::Level;

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

const OPEN: [&str; 3] = ["submitted", "supplement_requested", "processing"];

fn channel_of(text: &str) -> Channel {
    match text {
        "online" => Channel::Online,
        "postal" => Channel::Postal,
        _ => Channel::Direct,
    }
}

impl FactsRow {
    fn into_facts(self) -> Result<DossierFacts, ApiError> {
        Ok(DossierFacts {
            offer: OnlineService::from_db(&self.online_service)?,
            paid_online: self.payment_method.as_deref() == Some(PaymentMethod::Online.as_str()),
            awaiting_supplement: self.status == "supplement_requested",
            open: OPEN.contains(&self.status.as_str()),
            channel: channel_of(&self.channel),
            agency_id: self.agency_id,
            procedure_id: self.procedure_id,
            field: self.field,
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
) -> Result<Vec<DossierFacts>, ApiError> {
    let mut facts = dossier_facts(conn, agency_ids, period, Select::Open)?;
    facts.extend(dossier_facts(conn, agency_ids, period, Select::TouchedSince)?);
    Ok(facts)
}

pub fn dossier_facts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    select: Select,
) -> Result<Vec<DossierFacts>, ApiError> {
    let (start, end) = (clock::to_db(period.start), clock::to_db(period.end));
    let mut query = dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::agency_id.eq_any(agency_ids))
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
    rows.into_iter().map(FactsRow::into_facts).collect()
}

/// What the counters need of a dossier row (field and offer are the procedure's, not needed).
pub fn facts_of(row: &DossierRow) -> Result<DossierFacts, ApiError> {
    FactsRow {
        agency_id: row.agency_id.clone(),
        procedure_id: row.procedure_id.clone(),
        field: String::new(),
        online_service: OnlineService::None.as_str().to_owned(),
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
    .into_facts()
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
