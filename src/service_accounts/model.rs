use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::clock;
use crate::db::schema::service_accounts;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = service_accounts)]
pub struct ServiceAccountRow {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub personal_data: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAccount {
    pub id: String,
    /// Send as `client_id` with the `client_credentials` grant.
    #[schema(example = "svc_3f2a9c7d1e8b4a6f9c0d2e4f6a8b0c1d")]
    pub client_id: String,
    #[schema(example = "Cổng DVC quốc gia adapter")]
    pub name: String,
    /// The agencies whose records the account may see and change.
    pub agency_ids: Vec<String>,
    pub active: bool,
    /// Whether an administrator granted it the applicants' identity numbers and contacts: in the
    /// national portal's record and in the dossiers it reads by id (each reading audited), never in
    /// lists. Granting and withdrawing it are audited and hold at once for issued tokens.
    pub personal_data: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ServiceAccount {
    pub fn from_row(row: ServiceAccountRow, agency_ids: Vec<String>) -> Self {
        Self {
            id: row.id,
            client_id: row.client_id,
            name: row.name,
            agency_ids,
            active: row.active,
            personal_data: row.personal_data,
            created_at: clock::from_db(row.created_at),
            updated_at: clock::from_db(row.updated_at),
        }
    }
}

/// The account with its secret: returned once, on creation and on rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAccountWithSecret {
    #[serde(flatten)]
    pub account: ServiceAccount,
    /// Shown only now; store it in the adapter's configuration.
    pub client_secret: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Cổng DVC quốc gia adapter", "agency_ids": ["0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b"]}))]
pub struct NewServiceAccount {
    #[serde(deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub name: String,
    #[validate(length(min = 1, max = 500))]
    pub agency_ids: Vec<String>,
    /// Grant the applicants' identity numbers and contacts (default false).
    #[serde(default)]
    pub personal_data: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Cổng dịch vụ công tỉnh Quảng Ngãi", "active": true}))]
pub struct ServiceAccountPatch {
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::single_line"))]
    pub name: Option<String>,
    pub active: Option<bool>,
    #[validate(length(min = 1, max = 500))]
    pub agency_ids: Option<Vec<String>>,
    /// Grant (true) or withdraw (false) the applicants' identity numbers and contacts.
    pub personal_data: Option<bool>,
}
