//! `GET /audit`: the trail for administrators, filtered, newest first, as pages of JSON or as
//! one CSV file of every matching row.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Witness;
use super::event::{Action, ActorKind, SubjectType};
use super::store::{self, Filter, Row};
use crate::auth::caller::{AdminOnly, Authorized};
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::clock;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::csv::HeaderLang;
use crate::http::extract::QueryParams;
use crate::http::pagination;
use crate::http::responses as r;
use crate::i18n::{Text, nouns};
use crate::vietnamese::csv_cell;

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditFormat {
    /// A page of events.
    #[default]
    Json,
    /// Every event that matches, as one CSV file (`limit` and `cursor` do not apply).
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Events by this user or service account (its id).
    pub actor_id: Option<String>,
    /// Events about this kind of record.
    #[param(inline)]
    pub subject_type: Option<SubjectType>,
    /// Events about this record (a user's, a dossier's, … id).
    pub subject_id: Option<String>,
    /// Only events of this action.
    #[param(inline)]
    pub action: Option<Action>,
    /// Events of this agency and those below it.
    pub agency_id: Option<String>,
    /// Events at or after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, deserialize_with = "crate::http::extract::lenient_instant_opt")]
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<AuditFormat>,
    /// CSV: the column headers' language, `en` (machine names, the default) or `vi`.
    #[param(inline)]
    pub lang: Option<HeaderLang>,
}

/// One event of the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    /// Increasing in the order the rows were written.
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub action: Action,
    pub actor_kind: ActorKind,
    /// The user or service account; none for an anonymous actor.
    pub actor_id: Option<String>,
    /// Username or client id when the event was recorded; for an anonymous actor, the name
    /// they gave (a refused sign-in).
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    /// The client's address (behind a trusted proxy, the one it forwarded).
    pub client_address: Option<String>,
    pub subject_type: Option<SubjectType>,
    pub subject_id: Option<String>,
    /// The agency whose administrators see the event.
    pub agency_id: Option<String>,
    /// Ids, roles, formats and reasons; never a password, token, secret or document content.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// A stored code as the enum it came from.
fn code<T: serde::de::DeserializeOwned>(stored: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(stored.to_owned()))
        .map_err(|e| anyhow::anyhow!("an audit row holds {stored:?}: {e}"))
}

impl TryFrom<Row> for AuditEvent {
    type Error = anyhow::Error;

    fn try_from(row: Row) -> anyhow::Result<Self> {
        Ok(Self {
            id: row.id,
            occurred_at: clock::from_db(row.occurred_at),
            action: code(&row.action)?,
            actor_kind: code(&row.actor_kind)?,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            actor_role: row.actor_role.as_deref().map(code).transpose()?,
            client_address: row.client_address,
            subject_type: row.subject_type.as_deref().map(code).transpose()?,
            subject_id: row.subject_id,
            agency_id: row.agency_id,
            details: serde_json::from_str(&row.details)?,
        })
    }
}

/// Rows read per query while a CSV file is written.
const CSV_CHUNK: i64 = 1_000;

/// A page of the trail. Named (not `Page<AuditEvent>`) so that the document refers to
/// `AuditEvent` rather than inlining it beside an unused component.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The audit trail: security events and access to personal data, newest first.
///
/// Administrators only: a system administrator reads every event, an agency's administrator
/// those of their agency and below. `format=csv` gives every matching event as one file (and
/// is itself recorded as an `export`). Reads of a dossier and exports are queued and written
/// within about a second; this endpoint waits for those already made, so it shows them.
#[utoipa::path(
    operation_id = "audit_list",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "Events, newest first", content(
            (AuditPage = "application/json"),
            (String = "text/csv"),
        )),
        r::ReportProblems,
    ),
    security(("bearer" = []))
)]
#[get("/audit")]
pub async fn list_audit(
    auth: Authorized<AdminOnly>,
    query: QueryParams<AuditQuery>,
    db: web::Data<Db>,
    witness: Witness,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = decode_position(query.cursor.as_deref())?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ApiError::invalid_field(
            "from",
            Text::fixed("Không được sau `to`", "must not be after `to`"),
        ));
    }
    witness.recorder().flush().await;
    let scope = auth.scope();
    let format = query.format.unwrap_or_default();
    let filters = serde_json::json!({
        "actor_id": query.actor_id, "subject_type": query.subject_type, "subject_id": query.subject_id,
        "action": query.action, "agency_id": query.agency_id, "from": query.from, "to": query.to,
    });
    let lang = query.lang;
    let filter_query = query;
    match format {
        AuditFormat::Json => {
            let rows = db
                .run(move |conn| {
                    let filter = filter(conn, &scope, filter_query)?;
                    Ok(store::list(conn, &filter, after, limit + 1)?)
                })
                .await?;
            let page = pagination::page(rows, limit, |row| position(row.occurred_at, row.id), |row| row);
            let items = page.items.into_iter().map(AuditEvent::try_from).collect::<anyhow::Result<_>>()?;
            Ok(HttpResponse::Ok().json(AuditPage { items, next_cursor: page.next_cursor }))
        }
        AuditFormat::Csv => {
            let (body, rows) = db
                .run(move |conn| {
                    let filter = filter(conn, &scope, filter_query)?;
                    csv(conn, &filter, lang)
                })
                .await?;
            let export = witness
                .by(&auth, Action::Export)
                .about(SubjectType::AuditTrail, "audit_events")
                .in_agency(auth.agency_id.clone())
                .with(serde_json::json!({"format": "csv", "rows": rows, "filters": filters}));
            witness.saw(export);
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""))
                .body(body))
        }
    }
}

/// The store's filter for the query, within the caller's scope; an agency outside it is a 404.
fn filter(conn: &mut DbConnection, scope: &Scope, query: AuditQuery) -> Result<Filter, ApiError> {
    let agencies = match &query.agency_id {
        None => crate::auth::scope::agency_ids(conn, scope)?,
        Some(id) => match store::agency(conn, id)? {
            Some((id, path)) if scope.contains(&id, &path) => {
                crate::auth::scope::agency_ids(conn, &Scope::Subtree(id))?
            }
            _ => return Err(ApiError::not_found(nouns::AGENCY)),
        },
    };
    Ok(Filter {
        agencies,
        actor_id: query.actor_id,
        subject_type: query.subject_type.map(SubjectType::as_str),
        subject_id: query.subject_id,
        action: query.action.map(Action::as_str),
        from: query.from.map(clock::to_db),
        to: query.to.map(clock::to_db),
    })
}

/// Every matching event as CSV, and how many there were. Each cell is neutralised against
/// spreadsheet formulas: names and details are what users typed.
/// The CSV's columns: machine name and Vietnamese header.
const CSV_COLUMNS: [(&str, &str); 12] = [
    ("id", "Số thứ tự"),
    ("occurred_at", "Thời điểm"),
    ("action", "Hành động"),
    ("actor_kind", "Loại chủ thể"),
    ("actor_id", "Mã người thực hiện"),
    ("actor_name", "Người thực hiện"),
    ("actor_role", "Vai trò"),
    ("client_address", "Địa chỉ máy khách"),
    ("subject_type", "Loại đối tượng"),
    ("subject_id", "Mã đối tượng"),
    ("agency_id", "Mã cơ quan"),
    ("details", "Chi tiết"),
];

fn csv(
    conn: &mut DbConnection,
    filter: &Filter,
    lang: Option<HeaderLang>,
) -> Result<(Vec<u8>, usize), ApiError> {
    let mut writer = crate::http::csv::writer();
    writer.write_record(crate::http::csv::header(&CSV_COLUMNS, lang)).map_err(anyhow::Error::from)?;
    let (mut after, mut count) = (None, 0);
    loop {
        let rows = store::list(conn, filter, after, CSV_CHUNK)?;
        let Some(last) = rows.last() else { break };
        after = Some((last.occurred_at, last.id));
        let full = rows.len() as i64 == CSV_CHUNK;
        for row in rows {
            count += 1;
            let id = row.id.to_string();
            let at = clock::from_db(row.occurred_at).to_rfc3339();
            let cells = [
                Some(id.as_str()),
                Some(at.as_str()),
                Some(row.action.as_str()),
                Some(row.actor_kind.as_str()),
                row.actor_id.as_deref(),
                row.actor_name.as_deref(),
                row.actor_role.as_deref(),
                row.client_address.as_deref(),
                row.subject_type.as_deref(),
                row.subject_id.as_deref(),
                row.agency_id.as_deref(),
                Some(row.details.as_str()),
            ];
            writer
                .write_record(cells.map(|cell| csv_cell(cell.unwrap_or_default()).into_owned()))
                .map_err(anyhow::Error::from)?;
        }
        if !full {
            break;
        }
    }
    Ok((writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?, count))
}

/// The sort key of an event in a cursor: its instant and id.
fn position(at: NaiveDateTime, id: i64) -> String {
    pagination::position(at, &id.to_string())
}

/// The (instant, id) inside a cursor made by [`position`]; a 400 naming `cursor` otherwise.
fn decode_position(cursor: Option<&str>) -> Result<Option<(NaiveDateTime, i64)>, ApiError> {
    match pagination::decode_position(cursor)? {
        None => Ok(None),
        Some((at, id)) => id.parse().map(|id| Some((at, id))).map_err(|_| pagination::not_a_cursor("cursor")),
    }
}
