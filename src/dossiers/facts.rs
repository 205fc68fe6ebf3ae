//! A dossier row as the report's counters see it ([`DossierFacts`]): from the full row on every
//! write, and from the narrow [`FactsRow`] the report loads by the thousand.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::lifecycle::Status;
use super::model::PaymentMethod;
use super::row::DossierRow;
use crate::clock;
use crate::db::schema::dossiers;
use crate::enums::{Channel, OnlineService};
use crate::records::counters::facts::DossierFacts;

/// The columns of `dossiers` the report reads: not the applicant or the components, which it
/// never needs, so that loading a period's dossiers stays light.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dossiers)]
pub struct FactsRow {
    /// Not a fact the report counts: what the dossiers behind a figure are listed by.
    pub id: String,
    pub agency_id: String,
    pub procedure_id: String,
    pub channel: String,
    pub fee: i64,
    pub payment_method: Option<String>,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub answer_due_at: Option<NaiveDateTime>,
    pub first_response_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub supplement_requested_at: Option<NaiveDateTime>,
    pub apologized_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub reception_digitized: bool,
    pub result_digitized: bool,
    pub received_by: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_by_agency_id: Option<String>,
    pub assignee_id: Option<String>,
    pub last_event_at: Option<NaiveDateTime>,
    pub version: i64,
    pub portal_synced_version: Option<i64>,
}

fn channel_of(text: &str) -> Channel {
    match text {
        "online" => Channel::Online,
        "postal" => Channel::Postal,
        _ => Channel::Direct,
    }
}

/// The facts of a row that has the dossier columns by name (a [`DossierRow`] or a [`FactsRow`]):
/// the field list written once for both. The procedure's field and online-service level are not
/// the row's: left empty, for the report to fill in (the counters do not need them).
macro_rules! facts_of {
    ($row:expr, $last_event_at:expr) => {{
        let row = $row;
        DossierFacts {
            offer: OnlineService::None,
            field: String::new(),
            paid_online: row.payment_method.as_deref() == Some(PaymentMethod::Online.as_str()),
            awaiting_supplement: row.status == Status::SupplementRequested.as_str(),
            open: Status::OPEN_TEXT.contains(&row.status.as_str()),
            channel: channel_of(&row.channel),
            agency_id: row.agency_id.clone(),
            procedure_id: row.procedure_id.clone(),
            fee: row.fee,
            submitted_at: clock::from_db(row.submitted_at),
            answer_due_at: row.answer_due_at.map(clock::from_db),
            first_response_at: row.first_response_at.map(clock::from_db),
            accepted_at: row.accepted_at.map(clock::from_db),
            due_at: row.due_at.map(clock::from_db),
            supplement_requested_at: row.supplement_requested_at.map(clock::from_db),
            apologized_at: row.apologized_at.map(clock::from_db),
            resolved_at: row.resolved_at.map(clock::from_db),
            withdrawn_at: row.withdrawn_at.map(clock::from_db),
            portal_synced: row.portal_synced_version == Some(row.version),
            reception_digitized: row.reception_digitized,
            result_digitized: row.result_digitized,
            received_by: row.received_by.clone(),
            resolved_by: row.resolved_by.clone(),
            resolved_by_agency_id: row.resolved_by_agency_id.clone(),
            assignee_id: row.assignee_id.clone(),
            last_event_at: clock::from_db($last_event_at),
        }
    }};
}

impl DossierRow {
    /// What the counters need of this row, before or after a write.
    pub fn facts(&self) -> DossierFacts {
        facts_of!(self, self.last_event())
    }
}

impl FactsRow {
    /// What the report needs of this row; the procedure's field and level are the caller's.
    pub fn facts(&self) -> DossierFacts {
        facts_of!(self, self.last_event_at.unwrap_or(self.submitted_at))
    }
}
