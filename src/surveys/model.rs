use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::surveys;
use crate::enums::{Level, text_enum};

/// How the answer reached the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The citizen, through their own account.
    Citizen,
    /// The desk's kiosk or tablet.
    Kiosk,
    /// A paper form typed in by an officer.
    Paper,
    /// Imported from an older system.
    Import,
}

text_enum!(Source { Citizen => "citizen", Kiosk => "kiosk", Paper => "paper", Import => "import" });

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys, treat_none_as_default_value = false)]
pub struct SurveyRow {
    pub id: String,
    pub dossier_id: String,
    pub agency_id: String,
    pub level: String,
    pub comment: Option<String>,
    pub source: String,
    pub recorded_by: String,
    pub submitted_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Survey {
    pub id: String,
    pub dossier_id: String,
    pub agency_id: String,
    pub level: Level,
    pub comment: Option<String>,
    pub source: Source,
    pub submitted_at: DateTime<Utc>,
}

impl TryFrom<SurveyRow> for Survey {
    type Error = anyhow::Error;
    fn try_from(row: SurveyRow) -> anyhow::Result<Self> {
        Ok(Self {
            level: Level::from_db(&row.level)?,
            source: Source::from_db(&row.source)?,
            id: row.id,
            dossier_id: row.dossier_id,
            agency_id: row.agency_id,
            comment: row.comment,
            submitted_at: row.submitted_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "very_satisfied", "comment": "Cán bộ hướng dẫn tận tình"}))]
pub struct NewSurvey {
    pub level: Level,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(max = 2000), custom(function = "crate::text::multi_line"))]
    pub comment: Option<String>,
    /// Officers: `kiosk` (the default) or `paper`. Citizens answer as `citizen`; imports are `import`.
    pub source: Option<Source>,
    /// Import only (integration and admin callers).
    #[validate(custom(function = "crate::clock::validate_instant"))]
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurveyQuery {
    /// Only surveys of dossiers received by this agency (an id; not those below it).
    pub agency_id: Option<String>,
    /// Only answers of this satisfaction level.
    pub level: Option<Level>,
    /// Submitted at or after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub submitted_from: Option<DateTime<Utc>>,
    /// Submitted before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub submitted_to: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
