use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::agencies::model::validate_code;
use crate::clock;
use crate::db::schema::procedures;
use crate::enums::{OnlineService, text_enum};
use crate::error::{validation_codes, validation_error};

/// The level of government that decides the procedure (cấp thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureLevel {
    Central,
    Province,
    District,
    Commune,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Working days of 8 working hours.
    WorkingDays,
    WorkingHours,
}

text_enum!(ProcedureLevel { Central => "central", Province => "province", District => "district", Commune => "commune" });
text_enum!(TimeUnit { WorkingDays => "working_days", WorkingHours => "working_hours" });

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProcessingTime {
    #[validate(range(min = 0, max = 3650))]
    #[schema(example = 3)]
    pub value: i64,
    pub unit: TimeUnit,
}

impl ProcessingTime {
    pub fn of(procedure: &ProcedureRow) -> anyhow::Result<Self> {
        Ok(ProcessingTime {
            value: procedure.processing_value,
            unit: TimeUnit::from_db(&procedure.processing_unit)?,
        })
    }

    pub fn working_minutes(&self) -> i64 {
        match self.unit {
            TimeUnit::WorkingDays => self.value * crate::calendar::working_time::MINUTES_PER_WORKING_DAY,
            TimeUnit::WorkingHours => self.value * 60,
        }
    }
}

/// One document the dossier contains (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 500), custom(function = "crate::text::single_line"))]
    #[schema(example = "Tờ khai đăng ký khai sinh theo mẫu")]
    pub name: String,
    pub required: bool,
}

/// The provincial decision that published the procedure, and when it was posted at the desk.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 100), custom(function = "crate::text::single_line"))]
    #[schema(example = "1234/QĐ-UBND")]
    pub decision_number: Option<String>,
    #[validate(custom(function = "crate::clock::validate_date"))]
    pub signed_on: Option<NaiveDate>,
    /// When it was posted (niêm yết) at the desk.
    #[validate(custom(function = "crate::clock::validate_date"))]
    pub posted_on: Option<NaiveDate>,
}

/// The publication with its posting compliance: posted within 5 working days of signing.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationView {
    pub decision_number: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub posted_on: Option<NaiveDate>,
    /// The last day to post it: 5 working days after the signing day.
    pub posting_deadline: Option<NaiveDate>,
    /// Null while it cannot be judged (no signing date, or not posted and not yet late).
    pub posted_in_time: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = procedures)]
pub struct ProcedureRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub field: String,
    pub field_folded: String,
    pub level: String,
    pub online_service: String,
    pub processing_value: i64,
    pub processing_unit: String,
    pub fee: i64,
    pub components: String,
    pub decision_number: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub posted_on: Option<NaiveDate>,
    pub agency_id: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub requires_approval: bool,
    pub national_code: Option<String>,
    pub field_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Procedure {
    pub id: String,
    /// National procedure code.
    #[schema(example = "1.001193")]
    pub code: String,
    #[schema(example = "Thủ tục đăng ký khai sinh")]
    pub name: String,
    /// Lĩnh vực.
    #[schema(example = "Hộ tịch")]
    pub field: String,
    pub level: ProcedureLevel,
    pub online_service: OnlineService,
    pub processing_time: ProcessingTime,
    /// Fee in VND.
    #[schema(example = 0)]
    pub fee: i64,
    pub components: Vec<Component>,
    pub publication: PublicationView,
    /// The agency whose catalogue this entry belongs to; null for the national catalogue.
    pub agency_id: Option<String>,
    pub active: bool,
    /// The agency's leader approves the result: an officer's `resolve` only proposes it.
    pub requires_approval: bool,
    /// The national catalogue's code when `code` is a local one (the national portal is sent this
    /// one); null when `code` is already national.
    #[schema(example = json!(null))]
    pub national_code: Option<String>,
    /// The national catalogue's code of the field (lĩnh vực), sent to the national portal.
    #[schema(example = "G09-TP04")]
    pub field_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProcedureRow {
    pub fn to_api(self, publication: PublicationView) -> anyhow::Result<Procedure> {
        Ok(Procedure {
            level: ProcedureLevel::from_db(&self.level)?,
            online_service: OnlineService::from_db(&self.online_service)?,
            processing_time: ProcessingTime {
                value: self.processing_value,
                unit: TimeUnit::from_db(&self.processing_unit)?,
            },
            components: serde_json::from_str(&self.components)?,
            publication,
            id: self.id,
            code: self.code,
            name: self.name,
            field: self.field,
            fee: self.fee,
            agency_id: self.agency_id,
            active: self.active,
            requires_approval: self.requires_approval,
            national_code: self.national_code,
            field_code: self.field_code,
            created_at: clock::from_db(self.created_at),
            updated_at: clock::from_db(self.updated_at),
        })
    }
}

fn validate_not_blank(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() { Err(validation_error(validation_codes::BLANK, &[])) } else { Ok(()) }
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
    "online_service": "full", "processing_time": {"value": 8, "unit": "working_hours"}, "fee": 0,
    "components": [{"name": "Tờ khai đăng ký khai sinh theo mẫu", "required": true}, {"name": "Giấy chứng sinh", "required": true}],
    "publication": {"decision_number": "1234/QĐ-UBND", "signed_on": "2024-01-03", "posted_on": "2024-01-08"}
}))]
pub struct NewProcedure {
    #[validate(custom(function = "validate_code"))]
    pub code: String,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 1000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub name: String,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 200),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub field: String,
    pub level: ProcedureLevel,
    pub online_service: OnlineService,
    #[validate(nested)]
    pub processing_time: ProcessingTime,
    #[validate(range(min = 0, max = 1_000_000_000))]
    pub fee: i64,
    #[validate(nested, length(max = 100))]
    #[serde(default)]
    pub components: Vec<Component>,
    #[validate(nested)]
    #[serde(default)]
    pub publication: Option<Publication>,
    /// The agency whose catalogue this entry belongs to; absent for the national catalogue.
    #[serde(default)]
    pub agency_id: Option<String>,
    /// The agency's leader approves the result (an officer's `resolve` only proposes it);
    /// default false.
    #[serde(default)]
    pub requires_approval: bool,
    /// The national catalogue's code, when `code` is a local one.
    #[serde(default)]
    #[validate(custom(function = "validate_code"))]
    pub national_code: Option<String>,
    /// The national catalogue's code of the field (lĩnh vực).
    #[serde(default)]
    #[validate(custom(function = "validate_code"))]
    pub field_code: Option<String>,
}

/// Changes to a procedure; absent fields stay as they are. `active: false` deactivates it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"fee": 8000, "processing_time": {"value": 3, "unit": "working_days"}}))]
pub struct ProcedurePatch {
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 1000),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(
        length(max = 200),
        custom(function = "validate_not_blank"),
        custom(function = "crate::text::single_line")
    )]
    pub field: Option<String>,
    pub level: Option<ProcedureLevel>,
    pub online_service: Option<OnlineService>,
    #[validate(nested)]
    pub processing_time: Option<ProcessingTime>,
    #[validate(range(min = 0, max = 1_000_000_000))]
    pub fee: Option<i64>,
    #[validate(nested, length(max = 100))]
    pub components: Option<Vec<Component>>,
    #[validate(nested)]
    pub publication: Option<Publication>,
    pub active: Option<bool>,
    /// Whether the leader approves results proposed from now on (a result already proposed
    /// still awaits its approval).
    pub requires_approval: Option<bool>,
    /// The national catalogue's code, when `code` is a local one; `""` removes it.
    #[validate(custom(function = "validate_code_or_empty"))]
    pub national_code: Option<String>,
    /// The national catalogue's code of the field; `""` removes it.
    #[validate(custom(function = "validate_code_or_empty"))]
    pub field_code: Option<String>,
}

/// A code, or `""` in a change to say "none".
fn validate_code_or_empty(code: &str) -> Result<(), ValidationError> {
    if code.is_empty() { Ok(()) } else { validate_code(code) }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureQuery {
    /// Words to find in the name, field or code, accents and case ignored ("ho tich").
    pub q: Option<String>,
    /// Lĩnh vực, accents and case ignored.
    pub field: Option<String>,
    /// Only procedures of this level.
    pub level: Option<ProcedureLevel>,
    /// Only procedures offered online to this extent.
    pub online_service: Option<OnlineService>,
    /// Only this agency's entries.
    pub agency_id: Option<String>,
    /// Include deactivated procedures (default: false).
    pub include_inactive: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Rows that created a procedure.
    pub created: usize,
    /// Rows that updated the procedure with the same code.
    pub updated: usize,
}
