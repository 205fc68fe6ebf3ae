//! The dossier as stored: one diesel row type that is read and written whole (every column of
//! the `dossiers` table, once), apart from the API's view of it (`views`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::dossiers;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct DossierRow {
    pub id: String,
    pub code: String,
    pub agency_id: String,
    pub procedure_id: String,
    pub channel: String,
    pub status: String,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub applicant_name_folded: String,
    pub applicant_id_number: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub applicant_address: Option<String>,
    pub owner_id: Option<String>,
    pub components: String,
    pub fee: i64,
    pub payment_method: Option<String>,
    pub payment_amount: Option<i64>,
    pub external_ref: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub first_response_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub appointment_at: Option<NaiveDateTime>,
    pub supplement_requested_at: Option<NaiveDateTime>,
    pub apologized_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub result_digitized: bool,
    pub reception_digitized: bool,
    pub returned_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub rejected_at: Option<NaiveDateTime>,
    pub received_by: Option<String>,
    pub resolved_by: Option<String>,
    pub assignee_id: Option<String>,
    pub last_step_at: NaiveDateTime,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub resolved_by_agency_id: Option<String>,
    pub answer_due_at: Option<NaiveDateTime>,
    /// The latest instant the report reads (kept by `store`, see [`DossierRow::last_event`]).
    pub last_event_at: Option<NaiveDateTime>,
    /// false: the applicant asked for no messages about this dossier.
    pub applicant_notify: bool,
    /// The result an officer proposed, awaiting the leader's approval (`steps::Proposal`, JSON).
    pub proposal: Option<String>,
    /// The agency the dossier was sent on to (liên thông) and that holds it now; None: its
    /// reception agency (`agency_id`).
    pub holder_agency_id: Option<String>,
    /// How the result reaches the applicant (`model::ResultDelivery`).
    pub result_delivery: String,
    /// The appointment in force when the supplement was requested (None: none yet, or no
    /// supplement); at most one supplement per dossier (rule `supplement_once`).
    pub appointment_before_supplement: Option<NaiveDateTime>,
    /// The appointment the received supplement set when it restarted the clock; None while the
    /// supplement is awaited, or when it came before acceptance (no clock ran).
    pub appointment_after_supplement: Option<NaiveDateTime>,
    /// The version the national portal accepted last (recorded by the portal adapter's
    /// acknowledgement, `integration::dvcqg`): the portal holds the dossier as it is while this
    /// equals `version`; every write moves `version` on and so leaves it pending again.
    pub portal_synced_version: Option<i64>,
}

impl DossierRow {
    /// The agency that holds the dossier and takes its steps now.
    pub fn holder(&self) -> &str {
        self.holder_agency_id.as_deref().unwrap_or(&self.agency_id)
    }

    /// The latest of the instants the periodic report reads. Returning a result or assigning an
    /// officer changes no figure, so they do not count.
    pub fn last_event(&self) -> NaiveDateTime {
        [
            self.first_response_at,
            self.accepted_at,
            self.supplement_requested_at,
            self.apologized_at,
            self.resolved_at,
            self.withdrawn_at,
            self.rejected_at,
        ]
        .into_iter()
        .flatten()
        .fold(self.submitted_at, NaiveDateTime::max)
    }
}
