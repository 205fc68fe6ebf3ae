//! The dossier as the API shows it: to whom (personal data only to the agency's staff, the
//! applicant, and service accounts an admin granted it, in the audited reads of one dossier), its ETag, its history, the receipt slip and the public lookup. Each view is built
//! from the stored row here, so the SQL and the JSON shape can change apart.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::access::{people_see_personal_data, sees_personal_data};
use super::lifecycle::Status;
use super::model::{
    Applicant, ApplicantKind, DossierComponent, FeePayment, Outcome, PaymentMethod, ResultDelivery,
};
use super::row::DossierRow;
use super::steps::Proposal;
use crate::auth::caller::Caller;
use crate::clock;
use crate::enums::Channel;
use crate::error::ApiError;
use crate::i18n::Text;
use crate::records::history;

#[derive(Debug, Serialize, ToSchema)]
pub struct Dossier {
    pub id: String,
    /// National shape: `{agency code}-{YYMMDD}-{daily sequence}`.
    #[schema(example = "000.21.35.H55-240105-0001")]
    pub code: String,
    pub agency_id: String,
    pub procedure_id: String,
    pub channel: Channel,
    pub status: Status,
    pub applicant: Applicant,
    /// How the result reaches the applicant: at the desk, by post, or online.
    pub result_delivery: ResultDelivery,
    pub components: Vec<DossierComponent>,
    /// The procedure's fee at intake (VND).
    pub fee: i64,
    pub fee_paid: Option<FeePayment>,
    pub external_ref: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Online dossiers: the first of accepted, supplement requested, rejected.
    pub first_response_at: Option<DateTime<Utc>>,
    /// The legal due instant; recomputed when a requested supplement arrives.
    pub due_at: Option<DateTime<Utc>>,
    /// The promised return time: `due_at` until an apology sets a new one.
    pub appointment_at: Option<DateTime<Utc>>,
    pub supplement_requested_at: Option<DateTime<Utc>>,
    pub apologized_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub result_digitized: bool,
    /// While `awaiting_approval`: the result the officer proposed to the leader (it becomes
    /// `outcome` when approved, as of the approval); null otherwise.
    pub proposal: Option<Proposal>,
    /// Every component was digitized or reused when the dossier was received complete (what the
    /// report counts; later digitization does not change it).
    pub reception_digitized: bool,
    pub returned_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    /// The officer who received it (answers for reception digitization).
    pub received_by: Option<String>,
    /// The officer who recorded the resolution (answers for result digitization).
    pub resolved_by: Option<String>,
    /// Another agency that produced the result (liên thông); it answers for result digitization.
    pub resolved_by_agency_id: Option<String>,
    /// The agency the dossier was transferred to and that works it now (liên thông); null while
    /// its reception agency holds it. Its hops: `GET /dossiers/{id}/hops`.
    pub holder_agency_id: Option<String>,
    pub assignee_id: Option<String>,
    /// Still open and past `due_at` now.
    pub overdue: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Worklist {
    /// At most 500 dossiers, most urgent first.
    pub items: Vec<Dossier>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub seq: i64,
    /// `intake`, an action (`accept`, `request-supplement`, …) or `update`.
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// The user or service account that did it.
    pub actor_id: Option<String>,
    /// `user` or `service`.
    pub actor_kind: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    /// When it was recorded (differs from `at` for imported history).
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub items: Vec<HistoryEntry>,
}

/// What anyone may know about a dossier from its code: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDossier {
    pub code: String,
    pub status: Status,
    pub procedure_name: String,
    pub agency_name: String,
    pub appointment_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
}

/// The receipt and appointment slip (form 01 of Circular 01/2018/TT-VPCP).
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub dossier_code: String,
    pub agency_name: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_address: Option<String>,
    pub applicant_phone: Option<String>,
    pub components: Vec<ReceiptComponent>,
    pub accepted_at: DateTime<Utc>,
    pub appointment_at: DateTime<Utc>,
    pub received_by: Option<String>,
    pub fee: i64,
    /// Where the applicant follows the dossier without signing in, adding `?check=` with the
    /// last 4 digits of their phone or identity number; null when they gave neither.
    #[schema(example = "/api/v1/public/dossiers/000.21.35.H55-240105-0001")]
    pub lookup_path: Option<String>,
}

/// A component as the receipt lists it: what it is, how it came, and the names of its files.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptComponent {
    pub name: String,
    pub digitized: bool,
    pub reused_from_store: bool,
    /// The names of its files, in the order they were added.
    pub files: Vec<String>,
}

/// A strong ETag from the dossier's id and version (the version moves on every write).
pub fn etag(row: &DossierRow) -> String {
    format!("\"{}-v{}\"", &row.id[..row.id.len().min(8)], row.version)
}

/// The dossier as `GET /dossiers/{id}` shows it to this caller, a reading the audit trail records
/// (`access::sees_personal_data`).
pub fn read(row: DossierRow, caller: &Caller) -> Result<Dossier, ApiError> {
    shown(row, sees_personal_data(caller))
}

/// The dossier as a write answers it: a service account's grant of personal data does not reach
/// these answers, which are not readings on the trail; it reads the contacts by id.
pub fn dossier(row: DossierRow, caller: &Caller) -> Result<Dossier, ApiError> {
    shown(row, people_see_personal_data(caller))
}

/// The dossier, with the applicant's identity number and contacts when `personal`.
fn shown(row: DossierRow, personal: bool) -> Result<Dossier, ApiError> {
    let status = Status::from_db(&row.status)?;
    let fee_paid = match (row.payment_method.as_deref(), row.payment_amount) {
        (Some(method), Some(amount)) => Some(FeePayment { method: PaymentMethod::from_db(method)?, amount }),
        _ => None,
    };
    let utc = |t: Option<chrono::NaiveDateTime>| t.map(|t| t.and_utc());
    let proposal = Proposal::of(&row)?;
    Ok(Dossier {
        overdue: status.is_open() && row.due_at.is_some_and(|d| d.and_utc() < clock::now()),
        channel: Channel::from_db(&row.channel)?,
        result_delivery: ResultDelivery::from_db(&row.result_delivery)?,
        status,
        applicant: Applicant {
            kind: ApplicantKind::from_db(&row.applicant_kind)?,
            full_name: row.applicant_name,
            id_number: row.applicant_id_number.filter(|_| personal),
            phone: row.applicant_phone.filter(|_| personal),
            email: row.applicant_email.filter(|_| personal),
            address: row.applicant_address.filter(|_| personal),
            notify: row.applicant_notify,
        },
        components: serde_json::from_str(&row.components).map_err(anyhow::Error::from)?,
        fee_paid,
        outcome: row.outcome.as_deref().map(Outcome::from_db).transpose()?,
        proposal,
        id: row.id,
        code: row.code,
        agency_id: row.agency_id,
        procedure_id: row.procedure_id,
        fee: row.fee,
        external_ref: row.external_ref,
        submitted_at: row.submitted_at.and_utc(),
        accepted_at: utc(row.accepted_at),
        first_response_at: utc(row.first_response_at),
        due_at: utc(row.due_at),
        appointment_at: utc(row.appointment_at),
        supplement_requested_at: utc(row.supplement_requested_at),
        apologized_at: utc(row.apologized_at),
        resolved_at: utc(row.resolved_at),
        result_digitized: row.result_digitized,
        reception_digitized: row.reception_digitized,
        returned_at: utc(row.returned_at),
        withdrawn_at: utc(row.withdrawn_at),
        rejected_at: utc(row.rejected_at),
        received_by: row.received_by,
        resolved_by: row.resolved_by,
        resolved_by_agency_id: row.resolved_by_agency_id,
        holder_agency_id: row.holder_agency_id,
        assignee_id: row.assignee_id,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Each dossier as the caller sees it in a list: a service account's grant of personal data does
/// not reach lists, whose reading the audit trail does not record (`access::people_see_personal_data`).
pub fn dossiers(rows: Vec<DossierRow>, caller: &Caller) -> Result<Vec<Dossier>, ApiError> {
    let personal = people_see_personal_data(caller);
    rows.into_iter().map(|row| shown(row, personal)).collect()
}

/// Whether a step's note is said to the applicant (a reason they are given) rather than an
/// officer's internal note.
pub fn note_is_for_the_applicant(action: &str) -> bool {
    use super::lifecycle::Action;
    [Action::RequestSupplement, Action::Reject, Action::Apologize, Action::Withdraw]
        .iter()
        .any(|a| a.as_str() == action)
}

impl TryFrom<history::Entry> for HistoryEntry {
    type Error = anyhow::Error;

    fn try_from(entry: history::Entry) -> anyhow::Result<Self> {
        Ok(HistoryEntry {
            seq: entry.seq,
            action: entry.action,
            from_status: entry.from_status.as_deref().map(Status::from_db).transpose()?,
            to_status: Status::from_db(&entry.to_status)?,
            actor_id: entry.actor_id,
            actor_kind: entry.actor_kind,
            at: entry.at.and_utc(),
            note: entry.note,
            recorded_at: entry.recorded_at.and_utc(),
        })
    }
}

/// The names a receipt prints beside the dossier's own data.
#[derive(Debug, Clone)]
pub struct ReceiptNames {
    pub agency: String,
    pub procedure_code: String,
    pub procedure: String,
    pub received_by: Option<String>,
    /// The names of each component's files, in the components' order.
    pub files: Vec<Vec<String>>,
}

/// The receipt and appointment slip; only for an accepted dossier (it prints the appointment).
pub fn receipt(row: DossierRow, names: ReceiptNames, caller: &Caller) -> Result<Receipt, ApiError> {
    let (Some(accepted_at), Some(appointment_at)) = (row.accepted_at, row.appointment_at) else {
        return Err(ApiError::Rule {
            rule: "receipt_after_acceptance",
            detail: Text::fixed(
                "Giấy tiếp nhận chỉ được cấp khi hồ sơ đã được tiếp nhận",
                "a receipt is issued when the dossier is accepted",
            ),
        });
    };
    let personal = sees_personal_data(caller);
    let lookup_path = (row.applicant_phone.is_some() || row.applicant_id_number.is_some())
        .then(|| format!("/api/v1/public/dossiers/{}", row.code));
    Ok(Receipt {
        lookup_path,
        dossier_code: row.code,
        agency_name: names.agency,
        procedure_code: names.procedure_code,
        procedure_name: names.procedure,
        applicant_name: row.applicant_name,
        applicant_address: row.applicant_address.filter(|_| personal),
        applicant_phone: row.applicant_phone.filter(|_| personal),
        components: serde_json::from_str::<Vec<DossierComponent>>(&row.components)
            .map_err(anyhow::Error::from)?
            .into_iter()
            .zip(names.files.into_iter().chain(std::iter::repeat_with(Vec::new)))
            .map(|(c, files)| ReceiptComponent {
                name: c.name,
                digitized: c.digitized,
                reused_from_store: c.reused_from_store,
                files,
            })
            .collect(),
        accepted_at: accepted_at.and_utc(),
        appointment_at: appointment_at.and_utc(),
        received_by: names.received_by,
        fee: row.fee,
    })
}

/// What the public lookup shows: status and appointment, no personal data.
pub fn public(
    row: DossierRow,
    agency_name: String,
    procedure_name: String,
) -> Result<PublicDossier, ApiError> {
    Ok(PublicDossier {
        status: Status::from_db(&row.status)?,
        code: row.code,
        procedure_name,
        agency_name,
        appointment_at: row.appointment_at.map(|t| t.and_utc()),
        returned_at: row.returned_at.map(|t| t.and_utc()),
    })
}
