use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use super::lifecycle::Status;
use crate::db::schema::{dossier_history, dossiers};
use crate::enums::{Channel, text_enum};
use crate::error::{validation_codes, validation_error};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Citizen,
    Organization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Online,
    Cash,
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    /// A reasoned refusal.
    Refused,
}

/// An online submission is answered (accepted, returned for supplement or refused) within 8
/// working hours of reaching the system (the seed's task 3; Decree 107/2021/NĐ-CP).
pub const ANSWER_WITHIN_MINUTES: i64 = 8 * 60;

text_enum!(ApplicantKind { Citizen => "citizen", Organization => "organization" });
text_enum!(PaymentMethod { Online => "online", Cash => "cash", Transfer => "transfer" });
text_enum!(Outcome { Approved => "approved", Refused => "refused" });

/// An identity number: a person's 9 digits (old CMND) or 12 (CCCD), an organization's tax code
/// of 10 or 13 digits. Which of them fits the applicant's kind is checked at intake.
pub fn validate_id_number(value: &str) -> Result<(), ValidationError> {
    if matches!(value.len(), 9 | 10 | 12 | 13) && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(validation_error(validation_codes::ID_NUMBER, &[]))
    }
}

/// Whether an identity number's length fits the applicant's kind.
pub fn id_number_fits(kind: ApplicantKind, id_number: &str) -> bool {
    match kind {
        ApplicantKind::Citizen => matches!(id_number.len(), 9 | 12),
        ApplicantKind::Organization => matches!(id_number.len(), 10 | 13),
    }
}

/// A phone number as stored: digits only, `+84` written as a leading 0.
pub fn normalize_phone(value: &str) -> String {
    let digits: String = value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    match digits.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    }
}

/// Vietnamese numbers: 10 digits (mobile, new landline) or 11 (landline with a 3-digit area
/// code), starting with 0 or +84; spaces, dots and dashes are ignored.
pub fn validate_phone(value: &str) -> Result<(), ValidationError> {
    let normalized = normalize_phone(value);
    let ok = normalized.starts_with('0')
        && !normalized.starts_with("00")
        && matches!(normalized.len(), 10 | 11)
        && normalized.chars().all(|c| c.is_ascii_digit())
        && value.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-'));
    if ok { Ok(()) } else { Err(validation_error(validation_codes::PHONE, &[])) }
}

fn validate_not_blank(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() { Err(validation_error(validation_codes::BLANK, &[])) } else { Ok(()) }
}

/// The person or organization the dossier is for (chủ hồ sơ). Identity number and contacts are
/// personal data: only the agency's staff and the applicant's own account see them.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub kind: ApplicantKind,
    #[validate(length(max = 200), custom(function = "validate_not_blank"))]
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[validate(custom(function = "validate_id_number"))]
    #[schema(example = "051090001234")]
    pub id_number: Option<String>,
    #[validate(custom(function = "validate_phone"))]
    #[schema(example = "0912345678")]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    #[validate(length(max = 500))]
    #[schema(example = "Thôn 1, xã Tỉnh Châu, tỉnh Quảng Ngãi")]
    pub address: Option<String>,
}

/// One document of the dossier, and whether it exists electronically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierComponent {
    #[validate(length(max = 500), custom(function = "validate_not_blank"))]
    #[schema(example = "Tờ khai đăng ký khai sinh")]
    pub name: String,
    /// Scanned or received electronically.
    #[serde(default)]
    pub digitized: bool,
    /// Taken from the citizen's electronic data store instead of being submitted again.
    #[serde(default)]
    pub reused_from_store: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeePayment {
    pub method: PaymentMethod,
    /// VND.
    #[validate(range(min = 0, max = 1_000_000_000))]
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "procedure_id": "6f1c…", "agency_id": "0b6f…", "channel": "direct",
    "applicant": {"kind": "citizen", "full_name": "Nguyễn Văn An", "id_number": "051090001234", "phone": "0912345678"},
    "components": [{"name": "Tờ khai đăng ký khai sinh", "digitized": true}, {"name": "Giấy chứng sinh", "digitized": true}],
    "fee_paid": null
}))]
pub struct NewDossier {
    pub procedure_id: String,
    /// The receiving agency.
    pub agency_id: String,
    pub channel: Channel,
    #[validate(nested)]
    pub applicant: Applicant,
    #[validate(nested, length(max = 100))]
    #[serde(default)]
    pub components: Vec<DossierComponent>,
    #[validate(nested)]
    #[serde(default)]
    pub fee_paid: Option<FeePayment>,
    /// The portal's code for this dossier; unique within the agency. Service accounts and staff only.
    #[validate(length(max = 100), custom(function = "validate_not_blank"))]
    pub external_ref: Option<String>,
    /// Import only (integration and admin callers): when it reached the older system.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Import only: when it was officially received.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub accepted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_null = true)]
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
}

impl DossierRow {
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
    pub assignee_id: Option<String>,
    /// Still open and past `due_at` now.
    pub overdue: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Common to every action: when it happened (import only) and a note for the history.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// Import only (integration and admin callers): when the step happened in the older system.
    /// Never before the dossier's previous step, never in the future. Officers act now.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// What is missing, or why: printed on the slip.
    #[validate(length(max = 2000), custom(function = "validate_not_blank"))]
    pub reason: String,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplementBody {
    /// The dossier's documents after the supplement (replaces the list); absent keeps it.
    #[validate(nested, length(max = 100))]
    pub components: Option<Vec<DossierComponent>>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// An officer or leader of the dossier's agency.
    pub user_id: String,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "approved", "result_digitized": true, "note": "Đã cấp trích lục"}))]
pub struct ResolveBody {
    pub outcome: Outcome,
    /// The result exists electronically.
    pub result_digitized: bool,
    /// Required for a refusal: its reasons.
    #[validate(length(max = 2000))]
    pub note: Option<String>,
    /// When another agency produced the result (a dossier handled jointly, liên thông): that
    /// agency's id. It then answers for the result's digitization in the report.
    pub resolving_agency_id: Option<String>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApologizeBody {
    #[validate(length(max = 2000), custom(function = "validate_not_blank"))]
    pub reason: String,
    /// The new appointment; after the current one.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub new_appointment_at: DateTime<Utc>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

/// Record digitization, payment or assignment. Absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierPatch {
    #[validate(nested, length(max = 100))]
    pub components: Option<Vec<DossierComponent>>,
    pub result_digitized: Option<bool>,
    #[validate(nested)]
    pub fee_paid: Option<FeePayment>,
    pub assignee_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierQuery {
    pub status: Option<Status>,
    pub agency_id: Option<String>,
    pub procedure_id: Option<String>,
    pub channel: Option<Channel>,
    /// Accepted at or after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub accepted_from: Option<DateTime<Utc>>,
    /// Accepted before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub accepted_to: Option<DateTime<Utc>>,
    /// Only open dossiers past their due instant (true) or not (false).
    pub overdue: Option<bool>,
    /// Only dossiers due before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub due_before: Option<DateTime<Utc>>,
    pub assignee_id: Option<String>,
    /// A dossier code, or words of the applicant's name (accents ignored).
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorklistKind {
    /// Open and past the due instant.
    Overdue,
    /// Open and due within `hours` working hours.
    DueSoon,
    /// Online and still unanswered more than 8 working hours after submission.
    AwaitingAcceptance,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorklistQuery {
    #[param(inline)]
    pub kind: WorklistKind,
    /// For `due_soon`: the horizon in working hours (default 8).
    pub hours: Option<i64>,
    pub agency_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Worklist {
    /// At most 500 dossiers, most urgent first.
    pub items: Vec<Dossier>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_history)]
pub struct HistoryRow {
    pub id: String,
    pub dossier_id: String,
    pub seq: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub at: NaiveDateTime,
    pub note: Option<String>,
    pub recorded_at: NaiveDateTime,
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
    pub components: Vec<DossierComponent>,
    pub accepted_at: DateTime<Utc>,
    pub appointment_at: DateTime<Utc>,
    pub received_by: Option<String>,
    pub fee: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptQuery {
    /// `html` (printable, the default) or `json`.
    #[param(inline)]
    pub format: Option<ReceiptFormat>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptFormat {
    Html,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_identity_numbers_and_phones() {
        assert!(validate_id_number("051090001234").is_ok());
        assert!(validate_id_number("212345678").is_ok());
        assert!(validate_id_number("05109000123").is_err(), "11 digits fit nobody");
        assert!(validate_id_number("0312345678").is_ok(), "a tax code");
        assert!(validate_id_number("05109000123a").is_err());
        assert!(validate_phone("0912345678").is_ok());
        assert!(validate_phone("+84 912 345 678").is_ok());
        assert!(validate_phone("0255.3822.123").is_ok());
        assert!(validate_phone("12345").is_err());
        assert!(validate_phone("09123456789012").is_err());
        assert!(validate_phone("0912abc678").is_err());
        assert!(validate_phone("+840912345678").is_err(), "+84 replaces the leading 0");
        assert!(id_number_fits(ApplicantKind::Organization, "0312345678"));
        assert!(!id_number_fits(ApplicantKind::Citizen, "0312345678"));
        assert_eq!(normalize_phone("+84 912.345.678"), "0912345678");
    }
}
