//! Published answers to feedback (công khai kết quả giải quyết phản ánh, kiến nghị), read without
//! signing in.
//!
//! "Published" is the agency's own decision: `POST /feedback/{id}/publish`, allowed once and only
//! after the answer, sets `published_at`. Only such feedback is listed here; answered but
//! unpublished feedback stays between the agency and the submitter. What is shown is the question
//! and its answer: subject, content, response, the agency and procedure, and the dates. Nothing
//! about the submitter (name, phone, email, address, account) nor the dossier it was about (a
//! dossier id leads to a person) is ever part of this view; the agency publishes the content as
//! written, so it is the agency's to check before publishing.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::FeedbackRow;
use super::store;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::cache::{self, Audience};
use crate::http::extract::QueryParams;
use crate::http::pagination;
use crate::http::responses as r;

/// A published question and its answer, without the submitter.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedFeedback {
    pub id: String,
    /// The agency that answered.
    pub agency_id: String,
    /// The procedure it was about, if any.
    pub procedure_id: Option<String>,
    #[schema(example = "Chậm trả kết quả")]
    pub subject: String,
    /// The feedback as filed.
    pub content: String,
    /// The agency's answer.
    pub response: String,
    pub received_at: DateTime<Utc>,
    pub responded_at: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
}

impl TryFrom<FeedbackRow> for PublishedFeedback {
    type Error = anyhow::Error;

    fn try_from(row: FeedbackRow) -> anyhow::Result<Self> {
        // Publishing needs an answer first (the lifecycle's `publish_after_response`).
        let (Some(response), Some(responded_at), Some(published_at)) =
            (row.response, row.responded_at, row.published_at)
        else {
            anyhow::bail!("published feedback {} has no answer", row.id);
        };
        Ok(Self {
            id: row.id,
            agency_id: row.agency_id,
            procedure_id: row.procedure_id,
            subject: row.subject,
            content: row.content,
            response,
            received_at: row.received_at.and_utc(),
            responded_at: responded_at.and_utc(),
            published_at: published_at.and_utc(),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublishedFeedbackQuery {
    /// Only the answers of this agency.
    pub agency_id: Option<String>,
    /// Only the answers about this procedure.
    pub procedure_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of published answers. Named (not `Page<PublishedFeedback>`) so that the document
/// refers to `PublishedFeedback` rather than inlining it beside an unused component.
#[derive(Serialize, ToSchema)]
pub struct PublishedPage {
    pub items: Vec<PublishedFeedback>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// List the published answers to feedback, newest publication first, without signing in.
///
/// Only feedback whose result the agency published (`POST /api/v1/feedback/{id}/publish`), and
/// nothing about who filed it. Cacheable: an `ETag` (a digest of the body) and `Cache-Control:
/// public, max-age=300`; `If-None-Match` with the ETag answers 304.
#[utoipa::path(
    operation_id = "public_list_feedback",
    tag = "public",
    params(PublishedFeedbackQuery),
    responses(
        (status = 200, description = "A page of published answers, newest first", body = PublishedPage, headers(
            ("ETag" = String, description = "A digest of the body"),
            ("Cache-Control" = String, description = "`public, max-age=300`"),
        )),
        (status = 304, description = "The page named by `If-None-Match` is current"),
        (status = 400, response = r::BadRequest),
    ),
    security()
)]
#[get("/public/feedback")]
pub async fn list_published_feedback(
    req: HttpRequest,
    query: QueryParams<PublishedFeedbackQuery>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_position(query.cursor.as_deref())?;
    let rows = db
        .run(move |conn| Ok(store::published(conn, query.agency_id, query.procedure_id, after, limit + 1)?))
        .await?;
    let answers = rows.into_iter().map(PublishedFeedback::try_from).collect::<anyhow::Result<Vec<_>>>()?;
    let position =
        |answer: &PublishedFeedback| pagination::position(answer.published_at.naive_utc(), &answer.id);
    let page = pagination::page(answers, limit, position, |answer| answer);
    let page = PublishedPage { items: page.items, next_cursor: page.next_cursor };
    cache::json(&req, Audience::Everyone, &page)
}
