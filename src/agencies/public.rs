//! The agencies a citizen can submit a dossier to, listed without signing in.
//!
//! Which ones: provinces and communes, the two levels that run a one-stop desk since districts
//! were abolished on 1 July 2025 (the provincial public-service centre and the commune's desk).
//! Districts stay in the tree for older records only, so they are never offered. Every agency of
//! those levels is listed, with or without procedures of its own: most of what a commune handles
//! is in the national catalogue, which belongs to no agency.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{Agency, AgencyLevel};
use super::store::{self, ListFilter};
use crate::auth::scope::Scope;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::cache::{self, Audience};
use crate::http::extract::QueryParams;
use crate::http::pagination::{self, Page};
use crate::http::responses as r;

/// The levels that receive dossiers today.
const DESK_LEVELS: [AgencyLevel; 2] = [AgencyLevel::Province, AgencyLevel::Commune];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicAgencyQuery {
    /// Only the direct children of this agency (a province's communes).
    pub parent_id: Option<String>,
    /// `province` or `commune` (a `district` finds nothing: districts no longer receive
    /// dossiers).
    pub level: Option<AgencyLevel>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List the agencies that receive dossiers, ordered by code, without signing in.
///
/// Provinces and communes: districts no longer run a one-stop desk. Cacheable: an `ETag` (a
/// digest of the body) and `Cache-Control: public, max-age=300`; `If-None-Match` with the ETag
/// answers 304.
#[utoipa::path(
    operation_id = "public_list_agencies",
    tag = "public",
    params(PublicAgencyQuery),
    responses(
        (status = 200, description = "A page of agencies, ordered by code", body = Page<Agency>, headers(
            ("ETag" = String, description = "A digest of the body"),
            ("Cache-Control" = String, description = "`public, max-age=300`"),
        )),
        (status = 304, description = "The page named by `If-None-Match` is current"),
        (status = 400, response = r::BadRequest),
    ),
    security()
)]
#[get("/public/agencies")]
pub async fn list_public_agencies(
    req: HttpRequest,
    query: QueryParams<PublicAgencyQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_cursor(query.cursor.as_deref())?;
    let levels = DESK_LEVELS.into_iter().filter(|l| query.level.is_none_or(|asked| asked == *l));
    let filter = ListFilter { parent_id: query.parent_id, levels: levels.map(AgencyLevel::as_str).collect() };
    let rows = match filter.levels.is_empty() {
        true => Vec::new(),
        false => {
            db.run(move |conn| Ok(store::list(conn, &Scope::All, &filter, after.as_deref(), limit + 1)?))
                .await?
        }
    };
    let page = pagination::page(rows, limit, |row| row.code.clone(), |row| row);
    let items = page.items.into_iter().map(Agency::try_from).collect::<anyhow::Result<_>>()?;
    cache::json(&req, Audience::Everyone, &Page { items, next_cursor: page.next_cursor })
}
