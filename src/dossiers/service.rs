//! The dossier use cases that need the database: receive, take a step, update. Each is one
//! transaction (run by the caller): the dossier row, its report counters, its history row and
//! its outbox events. The rules themselves are pure, in `intake`, `steps` and `lifecycle`.

use chrono::{DateTime, Utc};

use super::access::{check_held_by, check_may_act, check_may_update, check_signs_for, load_visible};
use super::event_data::{self, Taken};
use super::files::store as files;
use super::intake::{self, Looked};
use super::lifecycle::{self, Action, Status};
use super::lookup;
use super::model::{ANSWER_WITHIN_MINUTES, DossierPatch, FeePayment, NewDossier};
use super::notices;
use super::row::DossierRow;
use super::steps::{self, Change, Step};
use super::store;
use super::views::{self, PublicDossier, Receipt, ReceiptNames, etag};
use crate::agencies::access::load_named;
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::add_working_time;
use crate::catalogue::model::{ProcedureRow, ProcessingTime};
use crate::catalogue::store as procedures;
use crate::clock;
use crate::clock::vietnam;
use crate::db::{DbConnection, next_sequence};
use crate::enums::Channel;
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::i18n::{Text, nouns};
use crate::notifications::texts::DossierNews;
use crate::records::counters as report_counters;
use crate::records::history::{self, NewStep, Trail};
use crate::records::outbox::{self, NewEvent};
use crate::users::store as users;

/// Receive a dossier. Desk and postal intake is accepted at once (the receipt is issued and the
/// clock starts); online intake waits for `accept`.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, agency_id = ?new.agency_id))]
pub fn intake(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    new: NewDossier,
) -> Result<DossierRow, ApiError> {
    let now = clock::now();
    intake::check_claims(&new, caller)?;
    // Citizens may submit to any agency; staff and systems to those in their scope.
    let scope = if caller.role == Role::Citizen { Scope::All } else { caller.scope() };
    let agency = load_named(conn, &scope, &new.agency_id, "agency_id")?;
    let procedure = procedures::find(conn, &new.procedure_id)?.filter(|p| p.active).ok_or_else(|| {
        ApiError::invalid_field(
            "procedure_id",
            Text::fixed("Không có thủ tục hành chính đang áp dụng này", "no such active procedure"),
        )
    })?;
    if let Some(reference) = &new.external_ref
        && let Some(existing) = store::find_by_external_ref(conn, &agency.id, reference)?
    {
        return Err(ApiError::Conflict {
            detail: Text::new(
                format!("Cơ quan này đã có hồ sơ với external_ref {reference:?}"),
                format!("this agency already has a dossier with external_ref {reference:?}"),
            ),
            field: Some("external_ref".into()),
            existing_id: Some(existing),
        });
    }
    let received = intake::received(&new, now)?;
    let due_at = match received.accepted_at {
        Some(at) => Some(due_from(conn, calendars, &agency.id, &procedure, at)?),
        None => None,
    };
    let answer_due_at = match new.channel {
        Channel::Online => Some(working_time_after(
            conn,
            calendars,
            &agency.id,
            received.submitted_at,
            ANSWER_WITHIN_MINUTES,
        )?),
        _ => None,
    };
    // Every intake of the agency that day takes the next number of the day's sequence row and
    // holds that row (like the day's report counters) to its commit: gap-free numbers and exact
    // counters serialize one agency's intakes on one commit at a time (bench/README.md). So
    // everything that can be is looked up above, and from here to the commit each table gets
    // one statement: the dossier, its first history step, its counters, its events.
    let day = received.submitted_at.with_timezone(&vietnam()).format("%y%m%d").to_string();
    let sequence = next_sequence(conn, &agency.code, &day)?;
    let code = format!("{}-{day}-{sequence:04}", agency.code);
    let looked = Looked {
        agency_id: agency.id,
        procedure_id: procedure.id,
        fee: procedure.fee,
        due_at,
        answer_due_at,
        code,
    };
    let row = intake::row(new, caller, received, looked, now)?;
    store::insert(conn, &row)?;
    report_counters::record_dossier(conn, None, &row.facts())?;
    let first = received.accepted_at.unwrap_or(received.submitted_at);
    let step = NewStep { action: "intake", from_status: None, to_status: &row.status, at: first, note: None };
    history::append_numbered(conn, Trail::Dossier, &row.id, 1, step, caller)?;
    let taken = |at| Taken { caller, action: "intake", note: None, at };
    let mut steps = vec![("dossier.submitted", taken(received.submitted_at))];
    steps.extend(received.accepted_at.map(|at| ("dossier.accepted", taken(at))));
    events(conn, &row, &steps)?;
    if received.accepted_at.is_some() {
        notices::tell(conn, &row, &DossierNews::Received, now)?;
    }
    Ok(row)
}

/// Take one step of the lifecycle.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, dossier_id = ?id, action = step.change.action().as_str()))]
pub fn act(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    id: &str,
    step: Step,
) -> Result<DossierRow, ApiError> {
    let mut row = load_visible(conn, caller, id)?;
    let before = row.clone();
    let action = step.change.action();
    check_may_act(caller, action)?;
    check_signs_for(caller, action, &row)?;
    if action != Action::Withdraw {
        check_held_by(caller, action, &row)?;
    }
    let now = clock::now();
    let at = steps::instant(caller, step.at, row.last_step_at.and_utc(), now)?;
    let from = Status::from_db(&row.status)?;
    // The procedure as it is now: approval applies to results proposed from now on.
    let requires_approval = action == Action::Resolve
        && procedures::find(conn, &row.procedure_id)?.is_some_and(|p| p.requires_approval);
    let to = lifecycle::next(from, steps::facts(&row, requires_approval), action)
        .map_err(|refusal| ApiError::Rule { rule: refusal.rule, detail: refusal.message })?;
    steps::check(&row, &step, at)?;
    check_references(conn, &row, &step.change)?;
    let due = match steps::starts_clock(&row, &step.change) {
        true => {
            let procedure = procedures::find(conn, &row.procedure_id)?
                .ok_or_else(|| anyhow::anyhow!("procedure {} vanished", row.procedure_id))?;
            Some(due_from(conn, calendars, &row.agency_id, &procedure, at)?)
        }
        false => None,
    };
    let sent_to = match &step.change {
        Change::Transfer { to_agency_id } => Some(to_agency_id.clone()),
        _ => None,
    };
    let note = steps::apply(&mut row, step, to, at, due, caller)?;
    save(conn, &before, &mut row, now, STEP_RACED)?;
    chain(conn, &before, &row, sent_to, note.clone(), (caller, at))?;
    let news = notices::news_of(action, to, note.as_deref());
    let taken = Taken { caller, action: action.as_str(), note: note.as_deref(), at };
    events(conn, &row, &[(action.event_type_to(to), taken)])?;
    record(conn, &row, caller, (action.as_str(), Some(from), at, note))?;
    if let Some(news) = news {
        notices::tell(conn, &row, &news, now)?;
    }
    Ok(row)
}

/// Joint processing: a transfer adds the next hop of the dossier's chain; once the result is
/// recorded (the holder went back to the desk) every hop still out is closed.
fn chain(
    conn: &mut DbConnection,
    before: &DossierRow,
    row: &DossierRow,
    sent_to: Option<String>,
    note: Option<String>,
    (caller, at): (&Caller, DateTime<Utc>),
) -> Result<(), ApiError> {
    if let Some(to_agency_id) = sent_to {
        let seq = store::hops(conn, &row.id)?.len() as i64 + 1;
        let hop = store::HopRow {
            dossier_id: row.id.clone(),
            seq,
            from_agency_id: before.holder().to_owned(),
            to_agency_id,
            sent_at: clock::to_db(at),
            sent_by: caller.id.clone(),
            note,
            returned_at: None,
        };
        store::insert_hop(conn, &hop)?;
    } else if before.holder_agency_id.is_some() && row.holder_agency_id.is_none() {
        store::close_hops(conn, &row.id, clock::to_db(at))?;
    }
    Ok(())
}

/// What a step names in the database exists: an active officer of the agency to assign, another
/// agency that produced the result, another agency to transfer the dossier to.
fn check_references(conn: &mut DbConnection, row: &DossierRow, change: &Change) -> Result<(), ApiError> {
    match change {
        Change::Assign { user_id } => check_assignee(conn, row.holder(), user_id),
        Change::Resolve { resolving_agency_id: Some(agency_id), .. }
            // Any agency of the directory: the point is that it is not this one.
            if *agency_id == row.agency_id || agencies::find(conn, agency_id)?.is_none() =>
        {
            Err(ApiError::invalid_field(
                "resolving_agency_id",
                Text::fixed(
                    "Phải là một cơ quan khác đang có trong danh mục, hoặc để trống khi chính cơ quan này giải quyết",
                    "another existing agency, or absent when this agency produced the result",
                ),
            ))
        }
        Change::Transfer { to_agency_id }
            if to_agency_id == row.holder() || agencies::find(conn, to_agency_id)?.is_none() =>
        {
            Err(ApiError::invalid_field(
                "to_agency_id",
                Text::fixed(
                    "Phải là một cơ quan khác (không phải cơ quan đang giữ hồ sơ) đang có trong danh mục",
                    "another existing agency, not the one holding the dossier",
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// An officer or leader of the agency holding the dossier, active.
fn check_assignee(conn: &mut DbConnection, agency_id: &str, user_id: &str) -> Result<(), ApiError> {
    let user = users::find(conn, user_id)?;
    let eligible = user.is_some_and(|u| {
        u.active
            && u.agency_id.as_deref() == Some(agency_id)
            && u.role
                .parse::<Role>()
                .is_ok_and(|role| matches!(role, Role::Officer | Role::Leader | Role::Admin))
    });
    if eligible {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "user_id",
            Text::fixed(
                "Không phải cán bộ đang hoạt động của cơ quan giải quyết hồ sơ",
                "not an active officer of the dossier's agency",
            ),
        ))
    }
}

/// Record digitization, payment or assignment.
#[tracing::instrument(skip_all, fields(caller = ?caller.id, dossier_id = ?id))]
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: &IfMatch,
    patch: DossierPatch,
) -> Result<DossierRow, ApiError> {
    let mut row = load_visible(conn, caller, id)?;
    let before = row.clone();
    check_may_update(caller)?;
    if_match.check(&etag(&row))?;
    let status = Status::from_db(&row.status)?;
    if let Some(components) = &patch.components {
        row.components = serde_json::to_string(components).map_err(anyhow::Error::from)?;
    }
    if let Some(digitized) = patch.result_digitized {
        if row.resolved_at.is_none() {
            return Err(ApiError::invalid_field(
                "result_digitized",
                Text::fixed("Hồ sơ chưa có kết quả giải quyết", "the dossier has no result yet"),
            ));
        }
        row.result_digitized = digitized;
    }
    if let Some(FeePayment { method, amount }) = patch.fee_paid {
        row.payment_method = Some(method.as_str().to_owned());
        row.payment_amount = Some(amount);
    }
    if let Some(user_id) = patch.assignee_id {
        if !status.is_open() {
            let refusal = lifecycle::ASSIGN_OPEN_ONLY;
            return Err(ApiError::Rule { rule: refusal.rule, detail: refusal.message });
        }
        check_assignee(conn, row.holder(), &user_id)?;
        row.assignee_id = Some(user_id);
    }
    let now = clock::now();
    save(conn, &before, &mut row, now, UPDATE_RACED)?;
    record(conn, &row, caller, ("update", Some(status), now, None))?;
    events(conn, &row, &[("dossier.updated", Taken { caller, action: "update", note: None, at: now })])?;
    Ok(row)
}

/// Somebody changed the dossier between its read and its write (the version moved on).
const STEP_RACED: Text = Text::fixed(
    "Hồ sơ vừa thay đổi trong khi bước này đang được ghi nhận; hãy đọc lại và thử lại",
    "the dossier changed while this step was being recorded; read it again and retry",
);
const UPDATE_RACED: Text = Text::fixed(
    "Hồ sơ vừa thay đổi trong khi nội dung cập nhật đang được ghi nhận; hãy đọc lại và thử lại",
    "the dossier changed while this update was being recorded; read it again and retry",
);

/// Write the changed row back as its next version, unless somebody changed it since it was read
/// (409 with `conflict`, never a lost update), and keep its report counters in step.
pub(super) fn save(
    conn: &mut DbConnection,
    before: &DossierRow,
    row: &mut DossierRow,
    now: DateTime<Utc>,
    conflict: Text,
) -> Result<(), ApiError> {
    row.version = before.version + 1;
    row.updated_at = clock::to_db(now);
    if !store::update(conn, row, before.version)? {
        return Err(ApiError::conflict(conflict));
    }
    report_counters::record_dossier(conn, Some(&before.facts()), &row.facts())?;
    Ok(())
}

/// The history row of a write: (action, from status, when, note).
pub(super) fn record(
    conn: &mut DbConnection,
    row: &DossierRow,
    caller: &Caller,
    (action, from, at, note): (&str, Option<Status>, DateTime<Utc>, Option<String>),
) -> Result<(), ApiError> {
    let step = NewStep { action, from_status: from.map(Status::as_str), to_status: &row.status, at, note };
    Ok(history::append(conn, Trail::Dossier, &row.id, step, caller)?)
}

/// The outbox events of a write, in one statement: what adapters need to sync the status and
/// forward the step, never personal data (`event_data`).
fn events(conn: &mut DbConnection, row: &DossierRow, steps: &[(&str, Taken)]) -> Result<(), ApiError> {
    let events = steps
        .iter()
        .map(|(event_type, step)| Ok((*event_type, step.at, event_data::data(row, step)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    publish(conn, row, &events)
}

/// Outbox events about the dossier, each (type, when, data: never personal data).
pub(super) fn publish(
    conn: &mut DbConnection,
    row: &DossierRow,
    events: &[(&str, DateTime<Utc>, serde_json::Value)],
) -> Result<(), ApiError> {
    let events: Vec<NewEvent> = events
        .iter()
        .map(|(event_type, at, data)| NewEvent {
            event_type,
            aggregate_type: "dossier",
            aggregate_id: &row.id,
            agency_id: &row.agency_id,
            occurred_at: clock::to_db(*at),
            data: data.to_string(),
        })
        .collect();
    Ok(outbox::insert_events(conn, &events)?)
}

/// The receipt slip of a dossier the caller may see, with the names it prints.
/// The receipt slip, and the dossier's agency (for the audit trail: the slip shows the
/// applicant's address and phone).
pub fn receipt(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<(Receipt, String), ApiError> {
    let row = load_visible(conn, caller, id)?;
    let names = receipt_names(conn, &row)?;
    let agency_id = row.agency_id.clone();
    Ok((views::receipt(row, names, caller)?, agency_id))
}

/// The names the receipt and the other forms print beside the dossier's own data.
pub fn receipt_names(conn: &mut DbConnection, row: &DossierRow) -> Result<ReceiptNames, ApiError> {
    let agency = agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
    let procedure =
        procedures::find(conn, &row.procedure_id)?.ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
    let received_by = match &row.received_by {
        Some(id) => users::find(conn, id)?.map(|u| u.full_name),
        None => None,
    };
    let components =
        serde_json::from_str::<Vec<serde_json::Value>>(&row.components).map_err(anyhow::Error::from)?;
    let files = files::names_by_component(conn, &row.id, components.len())?;
    Ok(ReceiptNames {
        agency: agency.name,
        procedure_code: procedure.code,
        procedure: procedure.name,
        received_by,
        files,
    })
}

/// The public lookup by code and check: status and appointment only. A check that does not
/// match is the same 404 as an unknown code (`lookup`).
#[tracing::instrument(skip_all)]
pub fn public(conn: &mut DbConnection, code: &str, check: Option<&str>) -> Result<PublicDossier, ApiError> {
    let row = store::find_by_code(conn, code)?
        .filter(|row| lookup::check_matches(row, check))
        .ok_or_else(|| ApiError::not_found(nouns::DOSSIER))?;
    let agency = agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
    let procedure =
        procedures::find(conn, &row.procedure_id)?.ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
    views::public(row, agency.name, procedure.name)
}

/// The legal due instant of the dossier's procedure counted from `start` in the agency's
/// working time.
fn due_from(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_id: &str,
    procedure: &ProcedureRow,
    start: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let minutes = ProcessingTime::of(procedure)?.working_minutes();
    working_time_after(conn, calendars, agency_id, start, minutes)
}

/// `minutes` of the agency's working time after `start`.
fn working_time_after(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_id: &str,
    start: DateTime<Utc>,
    minutes: i64,
) -> Result<DateTime<Utc>, ApiError> {
    let calendar = calendars.get(conn, Some(agency_id))?;
    add_working_time(start, minutes, &calendar.calendar)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("agency {agency_id} has no working time")))
}
