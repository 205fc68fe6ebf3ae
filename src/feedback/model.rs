use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use super::lifecycle::FeedbackStatus;
use crate::db::schema::feedback;
use crate::enums::text_enum;
use crate::error::{validation_codes, validation_error};
use crate::records::history;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackChannel {
    /// The national public-service portal's PAKN system.
    NationalPortal,
    ProvincialPortal,
    /// At the desk.
    Direct,
    Hotline,
    Email,
    Other,
}

text_enum!(FeedbackChannel {
    NationalPortal => "national_portal", ProvincialPortal => "provincial_portal", Direct => "direct",
    Hotline => "hotline", Email => "email", Other => "other"
});

fn validate_not_blank(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() { Err(validation_error(validation_codes::BLANK, &[])) } else { Ok(()) }
}

/// Who filed it. Contacts are personal data: the agency's staff and the submitter see them.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submitter {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 200),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[validate(custom(function = "crate::contact::validate_phone"))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 500), custom(function = "crate::text::single_line"))]
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "channel": "national_portal", "subject": "Chậm trả kết quả", "content": "Hồ sơ quá hạn nhưng chưa nhận được thông báo.",
    "agency_id": "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b", "submitter": {"full_name": "Nguyễn Văn An", "phone": "0912345678"}
}))]
pub struct NewFeedback {
    pub channel: FeedbackChannel,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 500),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub subject: String,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 20000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::multi_line")
    )]
    pub content: String,
    pub agency_id: String,
    pub dossier_id: Option<String>,
    pub procedure_id: Option<String>,
    #[validate(nested)]
    pub submitter: Submitter,
    /// Import only (integration and admin callers): when it was received.
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub received_at: Option<DateTime<Utc>>,
    /// The portal's code for this feedback; unique within the agency: a second intake with it
    /// answers 409 with the existing feedback's id. Service accounts and staff only.
    #[validate(length(max = 100), custom(function = "validate_not_blank"))]
    pub external_ref: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = feedback)]
pub struct FeedbackRow {
    pub id: String,
    pub agency_id: String,
    pub channel: String,
    pub subject: String,
    pub content: String,
    pub submitter_name: String,
    pub submitter_phone: Option<String>,
    pub submitter_email: Option<String>,
    pub submitter_address: Option<String>,
    pub owner_id: Option<String>,
    pub dossier_id: Option<String>,
    pub procedure_id: Option<String>,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub response: Option<String>,
    pub responded_at: Option<NaiveDateTime>,
    pub rejected_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub forwarded_from: Option<String>,
    pub last_step_at: NaiveDateTime,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub external_ref: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Feedback {
    pub id: String,
    pub agency_id: String,
    pub channel: FeedbackChannel,
    pub subject: String,
    pub content: String,
    pub submitter: Submitter,
    pub dossier_id: Option<String>,
    pub procedure_id: Option<String>,
    pub status: FeedbackStatus,
    pub received_at: DateTime<Utc>,
    /// The agency's limit (15 working days unless it sets another) after receipt, or after the
    /// forward for forwarded feedback.
    pub due_at: DateTime<Utc>,
    pub response: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// The agency it was forwarded from.
    pub forwarded_from: Option<String>,
    /// Still open and past `due_at` now.
    pub overdue: bool,
    /// The portal's code for this feedback, unique within the agency.
    pub external_ref: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondBody {
    /// The answer, as sent to the submitter.
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 20000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::multi_line")
    )]
    pub response: String,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardBody {
    /// The competent agency.
    pub agency_id: String,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub note: Option<String>,
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// Only feedback in this state.
    pub status: Option<FeedbackStatus>,
    /// Only feedback received through this channel.
    pub channel: Option<FeedbackChannel>,
    /// Only feedback addressed to this agency (an id; not those below it).
    pub agency_id: Option<String>,
    /// Received at or after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub received_from: Option<DateTime<Utc>>,
    /// Received before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub received_to: Option<DateTime<Utc>>,
    /// Only open feedback past its due instant.
    pub overdue: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackWorklistKind {
    Overdue,
    /// Open and due within `hours` working hours.
    DueSoon,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackWorklistQuery {
    /// Which list: `overdue`, or `due_soon` (due within `hours`).
    #[param(inline)]
    pub kind: FeedbackWorklistKind,
    /// For `due_soon`: the horizon in working hours (default 8).
    pub hours: Option<i64>,
    /// One agency of the caller's scope (404 outside it); default: the whole scope.
    pub agency_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackWorklist {
    /// At most 500 items, most urgent first.
    pub items: Vec<Feedback>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackHistoryEntry {
    pub seq: i64,
    pub action: String,
    pub from_status: Option<FeedbackStatus>,
    pub to_status: FeedbackStatus,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackHistory {
    pub items: Vec<FeedbackHistoryEntry>,
}

impl TryFrom<history::Entry> for FeedbackHistoryEntry {
    type Error = anyhow::Error;

    fn try_from(entry: history::Entry) -> anyhow::Result<Self> {
        Ok(FeedbackHistoryEntry {
            seq: entry.seq,
            action: entry.action,
            from_status: entry.from_status.as_deref().map(FeedbackStatus::from_db).transpose()?,
            to_status: FeedbackStatus::from_db(&entry.to_status)?,
            actor_id: entry.actor_id,
            actor_kind: entry.actor_kind,
            at: entry.at.and_utc(),
            note: entry.note,
        })
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"working_days": 10}))]
pub struct FeedbackLimitBody {
    /// Working days to answer feedback.
    #[validate(range(min = 1, max = 365))]
    #[schema(example = 15)]
    pub working_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackLimit {
    pub agency_id: String,
    pub working_days: i64,
    /// The agency whose setting applies (this one or one above it); null for the default of 15.
    pub defined_by: Option<String>,
}
