//! What clients send about dossiers: the new dossier, the step bodies, the update and the
//! queries, with the vocabulary they use. Checked at the edge (`Validate`); the rules that need
//! the caller or the clock are in `intake` and `steps`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use super::lifecycle::Status;
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

/// How the result reaches the applicant (the portal's `HinhThuc`): chosen at intake, at the desk
/// unless the applicant asks otherwise (and for dossiers from before it was recorded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultDelivery {
    /// Collected at the one-stop desk (trả tại Bộ phận Một cửa).
    #[default]
    Desk,
    /// Sent by public postal service (bưu chính công ích).
    Post,
    /// Delivered electronically (the signed result file, online).
    Online,
}

/// An online submission is answered (accepted, returned for supplement or refused) within 8
/// working hours of reaching the system (the seed's task 3; Decree 107/2021/NĐ-CP).
pub const ANSWER_WITHIN_MINUTES: i64 = 8 * 60;

text_enum!(ApplicantKind { Citizen => "citizen", Organization => "organization" });
text_enum!(PaymentMethod { Online => "online", Cash => "cash", Transfer => "transfer" });
text_enum!(Outcome { Approved => "approved", Refused => "refused" });
text_enum!(ResultDelivery { Desk => "desk", Post => "post", Online => "online" });

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

fn yes() -> bool {
    true
}

fn validate_not_blank(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() { Err(validation_error(validation_codes::BLANK, &[])) } else { Ok(()) }
}

/// The person or organization the dossier is for (chủ hồ sơ). Identity number and contacts are
/// personal data: only the agency's staff, the applicant's own account and service accounts an
/// administrator granted `personal_data` (in readings by id, not lists) see them.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub kind: ApplicantKind,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 200),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[validate(custom(function = "validate_id_number"))]
    #[schema(example = "051090001234")]
    pub id_number: Option<String>,
    #[validate(custom(function = "crate::contact::validate_phone"))]
    #[schema(example = "0912345678")]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 500), custom(function = "crate::text::single_line"))]
    #[schema(example = "Thôn 1, xã Tỉnh Châu, tỉnh Quảng Ngãi")]
    pub address: Option<String>,
    /// Whether the applicant is told by SMS or email (to `phone`, `email`) when the dossier is
    /// received, needs a supplement, is refused, late or ready. Default true.
    #[serde(default = "yes")]
    pub notify: bool,
}

/// One document of the dossier, and whether it exists electronically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierComponent {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 500),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
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
    "procedure_id": "6f1c2a9e-3b4d-4c5e-8f60-7a8b9c0d1e2f", "agency_id": "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b", "channel": "direct",
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
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 100),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub external_ref: Option<String>,
    /// Import only (integration and admin callers): when it reached the older system.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Import only: when it was officially received.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub accepted_at: Option<DateTime<Utc>>,
    /// How the applicant wants the result: `desk` (the default), `post` or `online`.
    #[serde(default)]
    pub result_delivery: ResultDelivery,
}

/// Common to every action: when it happened (import only) and a note for the history.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// Import only (integration and admin callers): when the step happened in the older system.
    /// Never before the dossier's previous step, never in the future. Officers act now.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// What is missing, or why: printed on the slip.
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 2000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::multi_line")
    )]
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
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// An officer or leader of the dossier's agency.
    pub user_id: String,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
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
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub note: Option<String>,
    /// When another agency produced the result (a dossier handled jointly, liên thông): that
    /// agency's id. It then answers for the result's digitization in the report.
    pub resolving_agency_id: Option<String>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

/// Send the dossier on to the agency that decides it (liên thông).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to_agency_id": "3f0a6c1e-7b2d-4e5f-9a8b-1c2d3e4f5a6b", "note": "Chuyển Phòng Lao động - Thương binh và Xã hội huyện"}))]
pub struct TransferBody {
    /// The agency that works the dossier from now on: any other agency of the directory.
    pub to_agency_id: String,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub note: Option<String>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApologizeBody {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 2000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::multi_line")
    )]
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
    /// Only dossiers in this state of the lifecycle.
    pub status: Option<Status>,
    /// Only dossiers received by this agency (the reception desk, also for a dossier sent on to
    /// another agency; not those below it).
    pub agency_id: Option<String>,
    /// Only dossiers of this procedure (its id).
    pub procedure_id: Option<String>,
    /// Only dossiers received through this channel.
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
    /// Only dossiers assigned to this officer (a user id).
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
    /// The leaders' list: results proposed for their approval.
    AwaitingApproval,
    /// Open dossiers another agency sent on to this one (liên thông), which it holds now.
    Held,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorklistQuery {
    /// Which list: `overdue`, `due_soon` (within `hours`), `awaiting_acceptance` (online, unanswered for more than 8 working hours), `awaiting_approval` (results proposed for the leader's approval) or `held` (dossiers other agencies sent on to this one, liên thông).
    #[param(inline)]
    pub kind: WorklistKind,
    /// For `due_soon`: the horizon in working hours (default 8).
    pub hours: Option<i64>,
    /// One agency of the caller's scope (404 outside it); default: the whole scope.
    pub agency_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptQuery {
    /// `html` (printable, the default) or `json`.
    #[param(inline)]
    pub format: Option<ReceiptFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptFormat {
    Html,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_identity_numbers() {
        assert!(validate_id_number("051090001234").is_ok());
        assert!(validate_id_number("212345678").is_ok());
        assert!(validate_id_number("05109000123").is_err(), "11 digits fit nobody");
        assert!(validate_id_number("0312345678").is_ok(), "a tax code");
        assert!(validate_id_number("05109000123a").is_err());
        assert!(id_number_fits(ApplicantKind::Organization, "0312345678"));
        assert!(!id_number_fits(ApplicantKind::Citizen, "0312345678"));
    }
}
