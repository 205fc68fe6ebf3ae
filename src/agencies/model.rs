use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::scope::child_path;
use crate::clock;
use crate::db::schema::agencies;
use crate::enums::text_enum;
use crate::error::{validation_codes, validation_error};
use crate::i18n::Text;

/// The level of an agency in the administrative tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Huyện: only in records from before 1 July 2025, when districts were abolished.
    District,
    /// Xã / phường / đặc khu.
    Commune,
}

text_enum!(AgencyLevel { Province => "province", District => "district", Commune => "commune" });

impl AgencyLevel {
    /// Which parent an agency of this level may have: a province stands at the root, a
    /// district under a province, a commune under a province (two-tier government) or, in old
    /// records, under a district.
    pub fn check_parent(self, parent: Option<AgencyLevel>) -> Result<(), Text> {
        match (self, parent) {
            (Self::Province, None) => Ok(()),
            (Self::Province, Some(_)) => {
                Err(Text::fixed("Cấp tỉnh không có cơ quan cấp trên", "a province has no parent agency"))
            }
            (_, None) => Err(Text::fixed(
                "Bắt buộc đối với cấp huyện hoặc cấp xã",
                "required for a district or a commune",
            )),
            (Self::District, Some(Self::Province)) => Ok(()),
            (Self::District, Some(_)) => Err(Text::fixed(
                "Cấp trên của cấp huyện phải là cấp tỉnh",
                "a district's parent must be a province",
            )),
            (Self::Commune, Some(Self::Province | Self::District)) => Ok(()),
            (Self::Commune, Some(_)) => Err(Text::fixed(
                "Cấp trên của cấp xã phải là cấp tỉnh hoặc cấp huyện",
                "a commune's parent must be a province or a district",
            )),
        }
    }

    /// "cấp tỉnh", "cấp huyện", "cấp xã": the level inside a Vietnamese sentence.
    pub fn in_sentence_vi(self) -> &'static str {
        match self {
            Self::Province => "cấp tỉnh",
            Self::District => "cấp huyện",
            Self::Commune => "cấp xã",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = agencies)]
pub struct AgencyRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl AgencyRow {
    /// A new agency under `parent` (none: a province), its path below its parent's.
    pub fn new_under(
        parent: Option<&AgencyRow>,
        id: String,
        code: String,
        name: String,
        level: AgencyLevel,
        now: NaiveDateTime,
    ) -> Self {
        AgencyRow {
            path: child_path(parent.map(|p| p.path.as_str()), &id),
            id,
            code,
            name,
            level: level.as_str().to_owned(),
            parent_id: parent.map(|p| p.id.clone()),
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Agency {
    #[schema(example = "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b")]
    pub id: String,
    /// The agency's electronic identifier (mã định danh điện tử).
    #[schema(example = "000.00.21.H56")]
    pub code: String,
    #[schema(example = "UBND xã Tỉnh Châu")]
    pub name: String,
    pub level: AgencyLevel,
    pub parent_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<AgencyRow> for Agency {
    type Error = anyhow::Error;
    fn try_from(row: AgencyRow) -> anyhow::Result<Self> {
        Ok(Self {
            level: AgencyLevel::from_db(&row.level)?,
            id: row.id,
            code: row.code,
            name: row.name,
            parent_id: row.parent_id,
            created_at: clock::from_db(row.created_at),
            updated_at: clock::from_db(row.updated_at),
        })
    }
}

/// Letters, digits, dot, dash and underscore: the shape of electronic identifiers.
pub fn validate_code(code: &str) -> Result<(), ValidationError> {
    let ok = !code.is_empty()
        && code.len() <= 64
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok { Ok(()) } else { Err(validation_error(validation_codes::CODE, &[])) }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "000.00.21.H56", "name": "UBND xã Tỉnh Châu", "level": "commune", "parent_id": "5f1c8e2d-6a7b-4c3d-9e0f-1a2b3c4d5e6f"}))]
pub struct NewAgency {
    #[validate(custom(function = "validate_code"))]
    pub code: String,
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 255), custom(function = "crate::text::single_line"))]
    pub name: String,
    pub level: AgencyLevel,
    /// Required for districts and communes; absent for a province.
    pub parent_id: Option<String>,
}

/// Changes to an agency; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "UBND xã Tỉnh Châu"}))]
pub struct AgencyPatch {
    #[validate(custom(function = "validate_code"))]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 255), custom(function = "crate::text::single_line"))]
    pub name: Option<String>,
    pub level: Option<AgencyLevel>,
    /// Move the agency (with everything below it) under another parent.
    pub parent_id: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgencyQuery {
    /// Only the direct children of this agency.
    pub parent_id: Option<String>,
    /// Only agencies of this level.
    pub level: Option<AgencyLevel>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_follow_the_administrative_levels() {
        use AgencyLevel::*;
        assert!(Province.check_parent(None).is_ok());
        assert!(Province.check_parent(Some(Province)).is_err());
        assert!(Commune.check_parent(Some(Province)).is_ok());
        assert!(Commune.check_parent(Some(District)).is_ok());
        assert!(Commune.check_parent(Some(Commune)).is_err());
        assert!(Commune.check_parent(None).is_err());
        assert!(District.check_parent(Some(Province)).is_ok());
        assert!(District.check_parent(Some(District)).is_err());
    }

    #[test]
    fn codes_are_identifier_shaped() {
        assert!(validate_code("000.00.21.H56").is_ok());
        assert!(validate_code("").is_err());
        assert!(validate_code("a b").is_err());
        assert!(validate_code("xã").is_err());
    }
}
