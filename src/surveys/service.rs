//! Recording a survey: who may answer for whom, and one answer per dossier.

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;

use super::model::{NewSurvey, Source, SurveyRow};
use super::store;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::clock;
use crate::db::DbConnection;
use crate::dossiers::access::load_visible;
use crate::error::ApiError;
use crate::i18n::{Text, common};
use crate::records::outbox::{self, NewEvent};

fn may_import(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Integration)
}

/// Where the answer comes from, as the caller may claim it: a citizen answers as citizen; staff
/// record kiosk or paper answers; integration and admin callers import.
fn source_of(caller: &Caller, body: &NewSurvey) -> Result<Source, ApiError> {
    let importing = may_import(caller);
    Ok(match (caller.role, body.source) {
        (Role::Leader, _) => {
            return Err(ApiError::Forbidden(Text::fixed(
                "Lãnh đạo chỉ xem kết quả đánh giá, không ghi nhận đánh giá",
                "leaders read surveys; they do not record them",
            )));
        }
        (Role::Citizen, None | Some(Source::Citizen)) => Source::Citizen,
        (Role::Citizen, Some(_)) => {
            return Err(ApiError::invalid_field(
                "source",
                Text::fixed("Công dân chỉ đánh giá với nguồn citizen", "a citizen answers as citizen"),
            ));
        }
        (_, Some(Source::Citizen)) => {
            return Err(ApiError::invalid_field(
                "source",
                Text::fixed(
                    "Chỉ công dân mới đánh giá với nguồn citizen",
                    "only the citizen answers as citizen",
                ),
            ));
        }
        (_, Some(Source::Import)) if !importing => {
            return Err(ApiError::invalid_field(
                "source",
                Text::fixed(
                    "Chỉ tài khoản tích hợp và quản trị viên được nhập dữ liệu từ hệ thống khác",
                    "only integration and admin callers import",
                ),
            ));
        }
        (_, Some(source)) => source,
        (_, None) if body.submitted_at.is_some() => Source::Import,
        (_, None) => Source::Kiosk,
    })
}

/// When the answer was given: now, or for an import the instant it names (not in the future).
fn submitted_at_of(caller: &Caller, body: &NewSurvey, now: DateTime<Utc>) -> Result<NaiveDateTime, ApiError> {
    Ok(match body.submitted_at {
        Some(_) if !may_import(caller) => {
            return Err(ApiError::invalid_field(
                "submitted_at",
                Text::fixed(
                    "Chỉ tài khoản tích hợp và quản trị viên được nhập phiếu đánh giá từ hệ thống khác",
                    "only integration and admin callers import surveys",
                ),
            ));
        }
        Some(at) if at > now => {
            return Err(ApiError::invalid_field("submitted_at", common::MUST_NOT_BE_FUTURE));
        }
        Some(at) => clock::to_db(at),
        None => clock::to_db(now),
    })
}

/// Rate a dossier, once: its owner as citizen, or staff recording a kiosk or paper answer, or an
/// import by integration and admin callers.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, dossier_id = ?id))]
pub fn submit(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    body: NewSurvey,
) -> Result<SurveyRow, ApiError> {
    let dossier = load_visible(conn, caller, id)?;
    let source = source_of(caller, &body)?;
    let now = clock::now();
    let submitted_at = submitted_at_of(caller, &body, now)?;
    if let Some(existing) = store::for_dossier(conn, &dossier.id)? {
        return Err(ApiError::Conflict {
            detail: Text::fixed(
                "Hồ sơ này đã được đánh giá: mỗi hồ sơ chỉ có một phiếu đánh giá",
                "this dossier has been rated already: one survey per dossier",
            ),
            field: None,
            existing_id: Some(existing.id),
        });
    }
    let row = SurveyRow {
        id: Uuid::new_v4().to_string(),
        dossier_id: dossier.id,
        agency_id: dossier.agency_id,
        level: body.level.as_str().to_owned(),
        comment: body.comment,
        source: source.as_str().to_owned(),
        recorded_by: caller.id.clone(),
        submitted_at,
        created_at: clock::to_db(now),
    };
    store::insert(conn, &row)?;
    crate::records::counters::record_survey(
        conn,
        (&row.agency_id, &dossier.procedure_id),
        body.level,
        row.submitted_at,
    )?;
    let data = serde_json::json!({"id": row.id, "dossier_id": row.dossier_id, "agency_id": row.agency_id, "level": row.level, "source": row.source, "submitted_at": row.submitted_at.and_utc()});
    outbox::insert_events(
        conn,
        &[NewEvent {
            event_type: "survey.submitted",
            aggregate_type: "survey",
            aggregate_id: &row.id,
            agency_id: &row.agency_id,
            occurred_at: row.submitted_at,
            data: data.to_string(),
        }],
    )?;
    Ok(row)
}
