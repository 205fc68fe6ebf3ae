//! Feedback rules that need the database: visibility, intake, steps, the agency's time limit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::lifecycle::{self, Facts, FeedbackAction, FeedbackStatus};
use super::model::{Feedback, FeedbackChannel, FeedbackRow, NewFeedback, Submitter};
use super::store;
use crate::agencies::access::load_named;
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::{Scope, lineage};
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::add_working_days;
use crate::catalogue::store as procedures;
use crate::clock;
use crate::contact::normalize_phone;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::i18n::{Text, common, nouns};
use crate::notifications::enqueue::{About, Recipient, enqueue};
use crate::notifications::texts::{self, Language};
use crate::records::history::{self, FUTURE_SKEW, NewStep, Trail};
use crate::records::outbox::{self, NewEvent};
use crate::users::store as users;

/// Decree 20/2008 and the national portal's PAKN rules: 15 working days to answer.
pub const DEFAULT_WORKING_DAYS: i64 = 15;

pub fn load_visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<FeedbackRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::FEEDBACK))?;
    let visible = if caller.role == Role::Citizen {
        row.owner_id.as_deref() == Some(caller.id.as_str())
    } else {
        let scope = caller.scope();
        scope == Scope::All
            || agencies::find(conn, &row.agency_id)?.is_some_and(|a| scope.contains(&a.id, &a.path))
    };
    if visible { Ok(row) } else { Err(ApiError::not_found(nouns::FEEDBACK)) }
}

/// The agency's limit in working days: its own, else the nearest agency's above it, else 15;
/// with the agency that defines it.
pub fn limit_of(conn: &mut DbConnection, agency_id: &str) -> Result<(i64, Option<String>), ApiError> {
    let agency = agencies::find(conn, agency_id)?.ok_or_else(|| ApiError::not_found(nouns::AGENCY))?;
    let ancestry = lineage(&agency.path);
    let limits: HashMap<String, i64> = store::limits_of(conn, &ancestry)?.into_iter().collect();
    Ok(ancestry
        .iter()
        .rev()
        .find_map(|id| limits.get(id).map(|days| (*days, Some(id.clone()))))
        .unwrap_or((DEFAULT_WORKING_DAYS, None)))
}

fn due(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_id: &str,
    from: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let (days, _) = limit_of(conn, agency_id)?;
    let calendar = calendars.get(conn, Some(agency_id))?;
    add_working_days(from, days, &calendar.calendar)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("agency {agency_id} has no working time")))
}

/// An action as a Vietnamese verb, for "may not … feedback".
fn verb_vi(action: FeedbackAction) -> &'static str {
    match action {
        FeedbackAction::Process => "đưa vào xử lý",
        FeedbackAction::Respond => "trả lời",
        FeedbackAction::Reject => "từ chối",
        FeedbackAction::Forward => "chuyển",
        FeedbackAction::Publish => "công khai kết quả",
    }
}

/// One step for the history and the outbox.
struct Entry<'a> {
    action: &'a str,
    event_type: &'a str,
    from: Option<FeedbackStatus>,
    at: DateTime<Utc>,
    note: Option<String>,
}

fn record(
    conn: &mut DbConnection,
    row: &FeedbackRow,
    caller: &Caller,
    entry: Entry<'_>,
) -> Result<(), ApiError> {
    let Entry { action, event_type, from, at, note } = entry;
    let step =
        NewStep { action, from_status: from.map(FeedbackStatus::as_str), to_status: &row.status, at, note };
    history::append(conn, Trail::Feedback, &row.id, step, caller)?;
    // The event carries no content and no contacts: adapters sync status.
    let data = serde_json::json!({
        "id": row.id, "agency_id": row.agency_id, "channel": row.channel, "status": row.status,
        "received_at": row.received_at.and_utc(), "due_at": row.due_at.and_utc(),
        "responded_at": row.responded_at.map(|t| t.and_utc()), "published_at": row.published_at.map(|t| t.and_utc()),
        "forwarded_from": row.forwarded_from, "external_ref": row.external_ref, "version": row.version,
    });
    outbox::insert_events(
        conn,
        &[NewEvent {
            event_type,
            aggregate_type: "feedback",
            aggregate_id: &row.id,
            agency_id: &row.agency_id,
            occurred_at: clock::to_db(at),
            data: data.to_string(),
        }],
    )?;
    Ok(())
}

fn may_import(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Integration)
}

/// When the feedback was received: now, or for an import the instant it names (not in the
/// future).
fn received_at(
    received: Option<DateTime<Utc>>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    Ok(match received {
        Some(_) if !may_import(caller) => {
            return Err(ApiError::invalid_field(
                "received_at",
                Text::fixed(
                    "Chỉ tài khoản tích hợp và quản trị viên được nhập phản ánh, kiến nghị từ hệ thống khác",
                    "only integration and admin callers import feedback",
                ),
            ));
        }
        Some(at) if at > now + FUTURE_SKEW => {
            return Err(ApiError::invalid_field("received_at", common::MUST_NOT_BE_FUTURE));
        }
        Some(at) => clock::to_db(at).and_utc(),
        None => now,
    })
}

/// Record feedback received at the desk, online or from another system.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, agency_id = ?new.agency_id))]
pub fn intake(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    new: NewFeedback,
) -> Result<FeedbackRow, ApiError> {
    if caller.role == Role::Leader {
        return Err(ApiError::Forbidden(Text::fixed(
            "Lãnh đạo chỉ xem phản ánh, kiến nghị; cán bộ một cửa mới ghi nhận",
            "leaders read feedback; officers record it",
        )));
    }
    if caller.role == Role::Citizen && new.external_ref.is_some() {
        return Err(ApiError::invalid_field(
            "external_ref",
            Text::fixed(
                "Do tài khoản tích hợp của cổng dịch vụ công hoặc Bộ phận một cửa ghi",
                "set by the portal's service account or the desk",
            ),
        ));
    }
    let now = clock::now();
    let received_at = received_at(new.received_at, caller, now)?;
    let scope = if caller.role == Role::Citizen { Scope::All } else { caller.scope() };
    let agency = load_named(conn, &scope, &new.agency_id, "agency_id")?;
    let external_ref = new.external_ref.as_deref().map(|r| r.trim().to_owned());
    if let Some(reference) = &external_ref
        && let Some(existing) = store::find_by_external_ref(conn, &agency.id, reference)?
    {
        return Err(ApiError::Conflict {
            detail: Text::new(
                format!("Cơ quan này đã có phản ánh, kiến nghị với external_ref {reference:?}"),
                format!("this agency already has feedback with external_ref {reference:?}"),
            ),
            field: Some("external_ref".into()),
            existing_id: Some(existing),
        });
    }
    if let Some(procedure_id) = &new.procedure_id
        && procedures::find(conn, procedure_id)?.is_none()
    {
        return Err(ApiError::invalid_field(
            "procedure_id",
            Text::fixed("Không có thủ tục hành chính này", "no such procedure"),
        ));
    }
    if let Some(dossier_id) = &new.dossier_id {
        // Feedback may name only a dossier the caller may see.
        crate::dossiers::access::load_visible(conn, caller, dossier_id).map_err(|_| {
            ApiError::invalid_field("dossier_id", Text::fixed("Không có hồ sơ này", "no such dossier"))
        })?;
    }
    let due_at = due(conn, calendars, &agency.id, received_at)?;
    let row = FeedbackRow {
        id: Uuid::new_v4().to_string(),
        agency_id: agency.id,
        channel: new.channel.as_str().to_owned(),
        subject: new.subject.trim().to_owned(),
        content: new.content,
        submitter_name: new.submitter.full_name.trim().to_owned(),
        submitter_phone: new.submitter.phone.as_deref().map(normalize_phone),
        submitter_email: new.submitter.email,
        submitter_address: new.submitter.address,
        owner_id: (caller.role == Role::Citizen).then(|| caller.id.clone()),
        dossier_id: new.dossier_id,
        procedure_id: new.procedure_id,
        status: FeedbackStatus::Received.as_str().to_owned(),
        received_at: clock::to_db(received_at),
        due_at: clock::to_db(due_at),
        response: None,
        responded_at: None,
        rejected_at: None,
        published_at: None,
        forwarded_from: None,
        last_step_at: clock::to_db(received_at),
        version: 1,
        created_at: clock::to_db(now),
        updated_at: clock::to_db(now),
        external_ref,
    };
    store::insert(conn, &row)?;
    record(
        conn,
        &row,
        caller,
        Entry { action: "intake", event_type: "feedback.received", from: None, at: received_at, note: None },
    )?;
    Ok(row)
}

pub enum Detail {
    None,
    Response(String),
    Reason(String),
    Forward { agency_id: String, note: Option<String> },
}

/// Take one step of the feedback's lifecycle.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, feedback_id = ?id, action = action.as_str()))]
#[allow(clippy::too_many_arguments)]
pub fn act(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    id: &str,
    if_match: &IfMatch,
    action: FeedbackAction,
    at: Option<DateTime<Utc>>,
    detail: Detail,
) -> Result<FeedbackRow, ApiError> {
    let mut row = load_visible(conn, caller, id)?;
    if_match.check(&etag(&row))?;
    if !matches!(caller.role, Role::Admin | Role::Officer | Role::Integration) {
        return Err(ApiError::Forbidden(Text::new(
            format!("Vai trò của bạn không được {} phản ánh, kiến nghị", verb_vi(action)),
            format!("your role may not {} feedback", action.as_str()),
        )));
    }
    let now = clock::now();
    let too_early =
        Text::fixed("Không được sớm hơn bước xử lý trước đó", "must not precede the previous step");
    let at = history::instant(at, row.last_step_at.and_utc(), now, may_import(caller), too_early)?;
    let from = FeedbackStatus::from_db(&row.status)?;
    let facts = Facts { responded: row.responded_at.is_some(), published: row.published_at.is_some() };
    let to = lifecycle::next(from, facts, action)
        .map_err(|r| ApiError::Rule { rule: r.rule, detail: r.message })?;
    let note = apply(conn, calendars, &mut row, action, detail, at)?;
    let expected = row.version;
    row.status = to.as_str().to_owned();
    row.last_step_at = clock::to_db(at).max(row.last_step_at);
    row.version += 1;
    row.updated_at = clock::to_db(now);
    if !store::update(conn, &row, expected)? {
        return Err(ApiError::conflict(Text::fixed(
            "Phản ánh, kiến nghị vừa thay đổi trong khi bước này đang được ghi nhận; hãy đọc lại và thử lại",
            "the feedback changed while this step was being recorded; read it again and retry",
        )));
    }
    record(
        conn,
        &row,
        caller,
        Entry { action: action.as_str(), event_type: action.event_type(), from: Some(from), at, note },
    )?;
    if action == FeedbackAction::Respond {
        tell_answered(conn, &row, now)?;
    }
    Ok(row)
}

/// The submitter hears of the answer at the phone and the address they gave (or their account's),
/// unless their account said no.
fn tell_answered(conn: &mut DbConnection, row: &FeedbackRow, now: DateTime<Utc>) -> Result<(), ApiError> {
    let owner = match &row.owner_id {
        Some(id) => users::find(conn, id)?,
        None => None,
    };
    if owner.as_ref().is_some_and(|o| !o.notify) {
        return Ok(());
    }
    let phone = row.submitter_phone.clone().or_else(|| owner.as_ref().and_then(|o| o.phone.clone()));
    let email = row.submitter_email.clone().or_else(|| owner.as_ref().and_then(|o| o.email.clone()));
    if phone.is_none() && email.is_none() {
        return Ok(());
    }
    let language = owner.as_ref().map_or(Language::Vi, |o| Language::from_db(&o.language));
    let message =
        texts::feedback_answered(&row.subject, row.response.as_deref().unwrap_or_default(), language);
    let recipient = Recipient { user_id: row.owner_id.clone(), phone, email, language };
    Ok(enqueue(conn, &recipient, About { dossier_id: None, feedback_id: Some(&row.id) }, &message, now)?)
}

/// Record what the step carries on the row; the note for the history.
fn apply(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    row: &mut FeedbackRow,
    action: FeedbackAction,
    detail: Detail,
    at: DateTime<Utc>,
) -> Result<Option<String>, ApiError> {
    let at_db = clock::to_db(at);
    Ok(match (action, detail) {
        (FeedbackAction::Respond, Detail::Response(response)) => {
            row.response = Some(response);
            row.responded_at = Some(at_db);
            None
        }
        (FeedbackAction::Reject, Detail::Reason(reason)) => {
            row.rejected_at = Some(at_db);
            Some(reason)
        }
        (FeedbackAction::Forward, Detail::Forward { agency_id, note }) => {
            if agency_id == row.agency_id {
                return Err(ApiError::invalid_field(
                    "agency_id",
                    Text::fixed("Phải chuyển đến một cơ quan khác", "forward to another agency"),
                ));
            }
            // The competent agency may lie outside the forwarding caller's scope.
            let target = agencies::find(conn, &agency_id)?
                .ok_or_else(|| ApiError::invalid_field("agency_id", common::NO_SUCH_AGENCY))?;
            row.forwarded_from = Some(std::mem::replace(&mut row.agency_id, target.id));
            row.due_at = clock::to_db(due(conn, calendars, &row.agency_id, at)?);
            note
        }
        (FeedbackAction::Publish, _) => {
            row.published_at = Some(at_db);
            None
        }
        (FeedbackAction::Process, _) => None,
        (action, _) => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "{} called with the wrong detail",
                action.as_str()
            )));
        }
    })
}

/// The feedback's ETag: it changes with every step (its version).
pub fn etag(row: &FeedbackRow) -> String {
    format!("\"{}-v{}\"", &row.id[..row.id.len().min(8)], row.version)
}

pub fn to_api(row: FeedbackRow, caller: &Caller) -> Result<Feedback, ApiError> {
    let status = FeedbackStatus::from_db(&row.status)?;
    // People only: a service account's grant of personal data is about dossiers' applicants, and
    // feedback reads are not on the audit trail.
    let personal = crate::dossiers::access::people_see_personal_data(caller);
    Ok(Feedback {
        overdue: matches!(status, FeedbackStatus::Received | FeedbackStatus::Processing)
            && row.due_at.and_utc() < clock::now(),
        channel: FeedbackChannel::from_db(&row.channel)?,
        status,
        submitter: Submitter {
            full_name: row.submitter_name,
            phone: row.submitter_phone.filter(|_| personal),
            email: row.submitter_email.filter(|_| personal),
            address: row.submitter_address.filter(|_| personal),
        },
        id: row.id,
        agency_id: row.agency_id,
        subject: row.subject,
        content: row.content,
        dossier_id: row.dossier_id,
        procedure_id: row.procedure_id,
        received_at: row.received_at.and_utc(),
        due_at: row.due_at.and_utc(),
        response: row.response,
        responded_at: row.responded_at.map(|t| t.and_utc()),
        rejected_at: row.rejected_at.map(|t| t.and_utc()),
        published_at: row.published_at.map(|t| t.and_utc()),
        forwarded_from: row.forwarded_from,
        external_ref: row.external_ref,
        version: row.version,
    })
}
