//! The catalogue as a citizen reads it without signing in: active procedures only, with what one
//! needs to prepare a dossier (documents, time, fee), not the desk's posting compliance.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Component, ProcedureLevel, ProcedureQuery, ProcedureRow, ProcessingTime};
use super::store;
use crate::db::Db;
use crate::enums::OnlineService;
use crate::error::ApiError;
use crate::http::cache::{self, Audience};
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;
use crate::i18n::nouns;

/// An active procedure as the public catalogue shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProcedure {
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
    /// The documents a dossier contains.
    pub components: Vec<Component>,
    /// The provincial decision that published it.
    #[schema(example = "1234/QĐ-UBND")]
    pub decision_number: Option<String>,
    /// The agency whose catalogue this entry belongs to; null for the national catalogue.
    pub agency_id: Option<String>,
}

impl TryFrom<ProcedureRow> for PublicProcedure {
    type Error = anyhow::Error;

    fn try_from(row: ProcedureRow) -> anyhow::Result<Self> {
        Ok(Self {
            level: ProcedureLevel::from_db(&row.level)?,
            online_service: OnlineService::from_db(&row.online_service)?,
            processing_time: ProcessingTime::of(&row)?,
            components: serde_json::from_str(&row.components)?,
            id: row.id,
            code: row.code,
            name: row.name,
            field: row.field,
            fee: row.fee,
            decision_number: row.decision_number,
            agency_id: row.agency_id,
        })
    }
}

/// The staff list's filters, less `include_inactive`: deactivated procedures are never public.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicProcedureQuery {
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
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Search and list the active procedures, ordered by code, without signing in.
///
/// The same search as `GET /api/v1/procedures` (accents and case ignored), over active
/// procedures only. Cacheable: an `ETag` (a digest of the body) and `Cache-Control: public,
/// max-age=300`; `If-None-Match` with the ETag answers 304.
#[utoipa::path(
    operation_id = "public_list_procedures",
    tag = "public",
    params(PublicProcedureQuery),
    responses(
        (status = 200, description = "A page of active procedures, ordered by code", body = Page<PublicProcedure>, headers(
            ("ETag" = String, description = "A digest of the body"),
            ("Cache-Control" = String, description = "`public, max-age=300`"),
        )),
        (status = 304, description = "The page named by `If-None-Match` is current"),
        (status = 400, response = r::BadRequest),
    ),
    security()
)]
#[get("/public/procedures")]
pub async fn list_public_procedures(
    req: HttpRequest,
    query: QueryParams<PublicProcedureQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_cursor(query.cursor.as_deref())?;
    // The staff list's query, active procedures only.
    let query = ProcedureQuery {
        q: query.q,
        field: query.field,
        level: query.level,
        online_service: query.online_service,
        agency_id: query.agency_id,
        include_inactive: Some(false),
        limit: query.limit,
        cursor: query.cursor,
    };
    let rows = db.run(move |conn| Ok(store::query(conn, &query, after.as_deref(), limit + 1)?)).await?;
    let page = pagination::page(rows, limit, |row| row.code.clone(), |row| row);
    let items = page.items.into_iter().map(PublicProcedure::try_from).collect::<anyhow::Result<_>>()?;
    cache::json(&req, Audience::Everyone, &Page { items, next_cursor: page.next_cursor })
}

/// Read one active procedure without signing in; a deactivated or unknown one is a 404.
///
/// Cacheable like the list: `ETag`, `Cache-Control: public, max-age=300`, 304 on a match.
#[utoipa::path(
    operation_id = "public_get_procedure",
    tag = "public",
    params(("id" = String, Path, description = "Procedure id")),
    responses(
        (status = 200, description = "The procedure", body = PublicProcedure, headers(
            ("ETag" = String, description = "A digest of the body"),
            ("Cache-Control" = String, description = "`public, max-age=300`"),
        )),
        (status = 304, description = "The procedure named by `If-None-Match` is current"),
        (status = 404, response = r::NotFound),
    ),
    security()
)]
#[get("/public/procedures/{id}")]
pub async fn get_public_procedure(
    req: HttpRequest,
    id: web::Path<String>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let row = db
        .run(move |conn| {
            store::find(conn, &id)?
                .filter(|row| row.active)
                .ok_or_else(|| ApiError::not_found(nouns::PROCEDURE))
        })
        .await?;
    cache::json(&req, Audience::Everyone, &PublicProcedure::try_from(row)?)
}
