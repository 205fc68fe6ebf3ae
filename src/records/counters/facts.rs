//! What the counters need of a dossier, and the Vietnam-time days events are counted on.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::clock::vietnam;
use crate::enums::{Channel, OnlineService};

/// Midnight starting `day` in Vietnam time: where a period or a day bucket begins.
pub fn local_midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_time(NaiveTime::MIN).and_local_timezone(vietnam()).single().map(|t| t.with_timezone(&Utc))
}

/// The Vietnam-time day of an instant: the day an event is counted on.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam()).date_naive()
}

/// Who answers for a missing digitization: a person (user or service account) or an agency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResponsibleKey {
    Person(String),
    Agency(String),
}

/// What the report needs of one dossier.
#[derive(Debug, Clone)]
pub struct DossierFacts {
    pub agency_id: String,
    pub procedure_id: String,
    pub field: String,
    pub offer: OnlineService,
    pub channel: Channel,
    pub fee: i64,
    pub paid_online: bool,
    pub submitted_at: DateTime<Utc>,
    /// Online submissions: 8 working hours after `submitted_at`, when an answer is due.
    pub answer_due_at: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub supplement_requested_at: Option<DateTime<Utc>>,
    /// The dossier waits for the citizen's supplement now.
    pub awaiting_supplement: bool,
    pub apologized_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The national portal holds the dossier's current version (it accepted it).
    pub portal_synced: bool,
    pub reception_digitized: bool,
    pub result_digitized: bool,
    pub received_by: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_by_agency_id: Option<String>,
    pub assignee_id: Option<String>,
    /// The latest instant the report reads (see `DossierRow::last_event`).
    pub last_event_at: DateTime<Utc>,
    /// Submitted, waiting for a supplement or being processed now.
    pub open: bool,
}

#[cfg(test)]
impl DossierFacts {
    /// A dossier of agency `a` and procedure `p` submitted on `channel` at `at`, with nothing
    /// since: what the tests build their histories from.
    pub fn submitted(channel: Channel, at: DateTime<Utc>) -> DossierFacts {
        DossierFacts {
            agency_id: "a".into(),
            procedure_id: "p".into(),
            field: String::new(),
            offer: OnlineService::Partial,
            channel,
            fee: 0,
            paid_online: false,
            submitted_at: at,
            answer_due_at: None,
            first_response_at: None,
            accepted_at: None,
            due_at: None,
            supplement_requested_at: None,
            awaiting_supplement: false,
            apologized_at: None,
            resolved_at: None,
            withdrawn_at: None,
            portal_synced: false,
            reception_digitized: false,
            result_digitized: false,
            received_by: None,
            resolved_by: None,
            resolved_by_agency_id: None,
            assignee_id: None,
            last_event_at: at,
            open: true,
        }
    }
}

/// Who answers for a dossier's missing reception digitization: the officer who received it, or
/// its agency when no person is on record (accepted by a portal).
pub fn reception_responsible(d: &DossierFacts) -> ResponsibleKey {
    d.received_by.clone().map_or_else(|| ResponsibleKey::Agency(d.agency_id.clone()), ResponsibleKey::Person)
}

/// Who answers for a missing result digitization: the agency that produced the result, else the
/// officer who resolved it, else the dossier's agency.
pub fn result_responsible(d: &DossierFacts) -> ResponsibleKey {
    match (&d.resolved_by_agency_id, &d.resolved_by) {
        (Some(agency), _) => ResponsibleKey::Agency(agency.clone()),
        (None, Some(person)) => ResponsibleKey::Person(person.clone()),
        (None, None) => ResponsibleKey::Agency(d.agency_id.clone()),
    }
}
