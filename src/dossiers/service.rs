//! Dossier rules that need the database: who may see and act, intake, steps, updates. Every
//! write is one transaction: the dossier row, its history row and its outbox event.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::lifecycle::{self, Action, Facts, Status};
use super::model::{
    ANSWER_WITHIN_MINUTES, Applicant, ApplicantKind, Dossier, DossierComponent, DossierPatch, DossierRow,
    FeePayment, HistoryRow, NewDossier, Outcome, PaymentMethod, id_number_fits, normalize_phone,
};
use super::store;
use crate::agencies::access::load_named;
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::auth::tokens::SubjectKind;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{add_working_time, vietnam};
use crate::catalogue::model::ProcessingTime;
use crate::catalogue::{search, store as procedures};
use crate::clock;
use crate::db::{DbConnection, next_sequence};
use crate::enums::Channel;
use crate::error::ApiError;
use crate::i18n::{Text, common, lower_first, nouns};
use crate::labels::Labelled;
use crate::records::counters as report_counters;
use crate::records::outbox::{self, NewEvent};
use crate::users::store as users;

/// Clock skew tolerated on imported instants ("never in the future").
const FUTURE_SKEW: Duration = Duration::seconds(60);

/// The dossier if the caller may see it; otherwise the same 404 as a missing one. Citizens see
/// their own; everyone else the dossiers of the agencies in their scope.
pub fn load_visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<DossierRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::DOSSIER))?;
    if visible(conn, caller, &row)? { Ok(row) } else { Err(ApiError::not_found(nouns::DOSSIER)) }
}

pub fn visible(conn: &mut DbConnection, caller: &Caller, row: &DossierRow) -> Result<bool, ApiError> {
    if caller.role == Role::Citizen {
        return Ok(row.owner_id.as_deref() == Some(caller.id.as_str()));
    }
    let scope = caller.scope();
    if scope == Scope::All {
        return Ok(true);
    }
    Ok(agencies::find(conn, &row.agency_id)?.is_some_and(|a| scope.contains(&a.id, &a.path)))
}

/// Whether the caller sees personal data: the agency's staff and the applicant's own account;
/// not service accounts, which forward status, not identities.
pub fn sees_personal_data(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Leader | Role::Officer | Role::Citizen)
}

fn may_import(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Integration)
}

/// The instant of a step: now for officers; an import may name an earlier one, never before the
/// previous step nor in the future.
fn step_instant(
    caller: &Caller,
    given: Option<DateTime<Utc>>,
    previous: DateTime<Utc>,
    now: DateTime<Utc>,
    field: &str,
) -> Result<DateTime<Utc>, ApiError> {
    let Some(at) = given else { return Ok(now.max(previous)) };
    if !may_import(caller) {
        return Err(ApiError::invalid_field(field, common::IMPORT_ONLY));
    }
    if at > now + FUTURE_SKEW {
        return Err(ApiError::invalid_field(field, common::MUST_NOT_BE_FUTURE));
    }
    if at < previous {
        return Err(ApiError::invalid_field(
            field,
            Text::fixed(
                "Không được sớm hơn bước xử lý trước đó của hồ sơ",
                "must not precede the dossier's previous step",
            ),
        ));
    }
    Ok(clock::to_db(at).and_utc())
}

fn processing_time(conn: &mut DbConnection, procedure_id: &str) -> Result<ProcessingTime, ApiError> {
    let procedure = procedures::find(conn, procedure_id)?
        .ok_or_else(|| anyhow::anyhow!("procedure {procedure_id} vanished"))?;
    Ok(ProcessingTime::of(&procedure)?)
}

fn due_from(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    agency_id: &str,
    procedure_id: &str,
    start: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let minutes = processing_time(conn, procedure_id)?.working_minutes();
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

fn history(
    conn: &mut DbConnection,
    row: &DossierRow,
    action: &str,
    from: Option<Status>,
    caller: &Caller,
    at: DateTime<Utc>,
    note: Option<String>,
) -> Result<(), ApiError> {
    let seq = store::next_history_seq(conn, &row.id)?;
    store::insert_history(
        conn,
        &HistoryRow {
            id: Uuid::new_v4().to_string(),
            dossier_id: row.id.clone(),
            seq,
            action: action.to_owned(),
            from_status: from.map(|s| s.as_str().to_owned()),
            to_status: row.status.clone(),
            actor_id: Some(caller.id.clone()),
            actor_kind: caller.kind_label().into(),
            at: clock::to_db(at),
            note,
            recorded_at: clock::to_db(clock::now()),
        },
    )?;
    Ok(())
}

/// The outbox event: what adapters need to sync the status, never personal data.
fn event(
    conn: &mut DbConnection,
    row: &DossierRow,
    event_type: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let data = serde_json::json!({
        "id": row.id, "code": row.code, "status": row.status, "agency_id": row.agency_id,
        "procedure_id": row.procedure_id, "channel": row.channel, "external_ref": row.external_ref,
        "submitted_at": row.submitted_at.and_utc(), "accepted_at": row.accepted_at.map(|t| t.and_utc()),
        "due_at": row.due_at.map(|t| t.and_utc()), "appointment_at": row.appointment_at.map(|t| t.and_utc()),
        "resolved_at": row.resolved_at.map(|t| t.and_utc()), "outcome": row.outcome,
        "returned_at": row.returned_at.map(|t| t.and_utc()), "version": row.version,
    });
    outbox::insert_event(
        conn,
        &NewEvent {
            event_type,
            aggregate_type: "dossier",
            aggregate_id: &row.id,
            agency_id: &row.agency_id,
            occurred_at: clock::to_db(at),
            data: data.to_string(),
        },
    )?;
    Ok(())
}

/// Every component digitized or taken from the citizen's data store (report.md, digitization).
fn fully_digitized(components: &[DossierComponent]) -> bool {
    components.iter().all(|c| c.digitized || c.reused_from_store)
}

fn components_of(row: &DossierRow) -> Result<Vec<DossierComponent>, ApiError> {
    Ok(serde_json::from_str(&row.components).map_err(anyhow::Error::from)?)
}

fn components_json(components: &[DossierComponent]) -> Result<String, ApiError> {
    Ok(serde_json::to_string(components).map_err(anyhow::Error::from)?)
}

/// Receive a dossier. Desk and postal intake is accepted at once (the receipt is issued and the
/// clock starts); online intake waits for `accept`.
pub fn intake(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    new: NewDossier,
) -> Result<DossierRow, ApiError> {
    let now = clock::now();
    match caller.role {
        Role::Citizen if new.channel != Channel::Online => {
            return Err(ApiError::invalid_field(
                "channel",
                Text::fixed("Công dân chỉ nộp hồ sơ trực tuyến", "citizens submit online"),
            ));
        }
        Role::Officer if new.channel == Channel::Online => {
            return Err(ApiError::invalid_field(
                "channel",
                Text::fixed(
                    "Cán bộ chỉ tiếp nhận hồ sơ trực tiếp và qua bưu chính; hồ sơ trực tuyến do công dân hoặc cổng dịch vụ công nộp",
                    "officers record desk and postal intake; online dossiers come from the citizen or the portal",
                ),
            ));
        }
        _ => {}
    }
    if caller.role == Role::Citizen {
        // A portal reference or a payment is the portal's or the desk's to record, not a claim.
        if new.external_ref.is_some() {
            return Err(ApiError::invalid_field(
                "external_ref",
                Text::fixed(
                    "Do tài khoản tích hợp của cổng dịch vụ công hoặc Bộ phận một cửa ghi",
                    "set by the portal's service account or the desk",
                ),
            ));
        }
        if new.fee_paid.is_some() {
            return Err(ApiError::invalid_field(
                "fee_paid",
                Text::fixed(
                    "Việc thanh toán do Bộ phận một cửa hoặc nền tảng thanh toán ghi nhận",
                    "a payment is recorded by the desk or the payment platform",
                ),
            ));
        }
    }
    if let Some(id_number) = &new.applicant.id_number
        && !id_number_fits(new.applicant.kind, id_number)
    {
        return Err(ApiError::invalid_field(
            "applicant.id_number",
            Text::fixed(
                "Số định danh của cá nhân gồm 9 hoặc 12 chữ số; mã số thuế của tổ chức gồm 10 hoặc 13 chữ số",
                "a person's is 9 or 12 digits, an organization's tax code 10 or 13",
            ),
        ));
    }
    if !may_import(caller) {
        for (field, given) in [("submitted_at", new.submitted_at), ("accepted_at", new.accepted_at)] {
            if given.is_some() {
                return Err(ApiError::invalid_field(
                    field,
                    Text::fixed(
                        "Chỉ tài khoản tích hợp và quản trị viên được nhập dữ liệu lịch sử",
                        "only integration and admin callers import history",
                    ),
                ));
            }
        }
    }
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
    let submitted_at = match new.submitted_at {
        Some(at) if at > now + FUTURE_SKEW => {
            return Err(ApiError::invalid_field("submitted_at", common::MUST_NOT_BE_FUTURE));
        }
        Some(at) => clock::to_db(at).and_utc(),
        None => now,
    };
    let accepted_at = match (new.channel, new.accepted_at) {
        (_, Some(at)) if at < submitted_at => {
            return Err(ApiError::invalid_field(
                "accepted_at",
                Text::fixed("Không được sớm hơn submitted_at", "must not precede submitted_at"),
            ));
        }
        (_, Some(at)) if at > now + FUTURE_SKEW => {
            return Err(ApiError::invalid_field("accepted_at", common::MUST_NOT_BE_FUTURE));
        }
        (_, Some(at)) => Some(clock::to_db(at).and_utc()),
        (Channel::Direct | Channel::Postal, None) => Some(submitted_at),
        (Channel::Online, None) => None,
    };
    let due_at = match accepted_at {
        Some(at) => Some(due_from(conn, calendars, &agency.id, &procedure.id, at)?),
        None => None,
    };
    let applicant = new.applicant;
    let payment = new.fee_paid;
    let status = if accepted_at.is_some() { Status::Processing } else { Status::Submitted };
    let answer_due_at = match new.channel {
        Channel::Online => {
            Some(working_time_after(conn, calendars, &agency.id, submitted_at, ANSWER_WITHIN_MINUTES)?)
        }
        _ => None,
    };
    let staff_receiver =
        caller.kind == SubjectKind::User && matches!(caller.role, Role::Officer | Role::Admin);
    // Every intake of the agency that day takes the next number of the day's sequence row and
    // holds that row (like the day's report counters) to its commit: gap-free numbers and exact
    // counters serialize one agency's intakes on one commit at a time (bench/README.md).
    let day = submitted_at.with_timezone(&vietnam()).format("%y%m%d").to_string();
    let sequence = next_sequence(conn, &agency.code, &day)?;
    let row = DossierRow {
        id: Uuid::new_v4().to_string(),
        code: format!("{}-{day}-{sequence:04}", agency.code),
        agency_id: agency.id,
        procedure_id: procedure.id,
        channel: new.channel.as_str().to_owned(),
        status: status.as_str().to_owned(),
        applicant_kind: applicant.kind.as_str().to_owned(),
        applicant_name_folded: search::fold(applicant.full_name.trim()),
        applicant_name: applicant.full_name.trim().to_owned(),
        applicant_id_number: applicant.id_number,
        applicant_phone: applicant.phone.as_deref().map(normalize_phone),
        applicant_email: applicant.email,
        applicant_address: applicant.address,
        owner_id: (caller.role == Role::Citizen).then(|| caller.id.clone()),
        components: components_json(&new.components)?,
        fee: procedure.fee,
        payment_method: payment.as_ref().map(|p| p.method.as_str().to_owned()),
        payment_amount: payment.as_ref().map(|p| p.amount),
        external_ref: new.external_ref.map(|r| r.trim().to_owned()),
        submitted_at: clock::to_db(submitted_at),
        accepted_at: accepted_at.map(clock::to_db),
        first_response_at: accepted_at.filter(|_| new.channel == Channel::Online).map(clock::to_db),
        due_at: due_at.map(clock::to_db),
        appointment_at: due_at.map(clock::to_db),
        supplement_requested_at: None,
        apologized_at: None,
        resolved_at: None,
        outcome: None,
        result_digitized: false,
        reception_digitized: accepted_at.is_some() && fully_digitized(&new.components),
        returned_at: None,
        withdrawn_at: None,
        rejected_at: None,
        received_by: (accepted_at.is_some() && staff_receiver).then(|| caller.id.clone()),
        resolved_by: None,
        resolved_by_agency_id: None,
        answer_due_at: answer_due_at.map(clock::to_db),
        // Stamped by `store` on every write.
        last_event_at: None,
        assignee_id: None,
        last_step_at: clock::to_db(accepted_at.unwrap_or(submitted_at)),
        version: 1,
        created_at: clock::to_db(now),
        updated_at: clock::to_db(now),
    };
    store::insert(conn, &row)?;
    report_counters::record_dossier(conn, None, &row.facts())?;
    history(conn, &row, "intake", None, caller, accepted_at.unwrap_or(submitted_at), None)?;
    event(conn, &row, "dossier.submitted", submitted_at)?;
    if let Some(at) = accepted_at {
        event(conn, &row, "dossier.accepted", at)?;
    }
    Ok(row)
}

/// What an action carries beyond its kind.
pub enum StepDetail {
    None,
    Reason(String),
    Supplement(Option<Vec<DossierComponent>>),
    Assign(String),
    Resolve { outcome: Outcome, result_digitized: bool, resolving_agency_id: Option<String> },
    Apologize { reason: String, new_appointment_at: DateTime<Utc> },
}

pub struct Step {
    pub action: Action,
    pub at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub detail: StepDetail,
}

/// Who may take which step: citizens withdraw and supplement their own dossiers; officers,
/// admins and the portal's service accounts work them; leaders read.
fn may_act(caller: &Caller, action: Action) -> bool {
    match caller.role {
        Role::Admin | Role::Officer | Role::Integration => true,
        Role::Citizen => matches!(action, Action::Withdraw | Action::Supplement),
        Role::Leader => false,
    }
}

/// An officer or leader of the dossier's agency, active.
fn check_assignee(conn: &mut DbConnection, agency_id: &str, user_id: &str) -> Result<(), ApiError> {
    let user = users::find(conn, user_id)?;
    let eligible = user.is_some_and(|u| {
        u.active
            && u.agency_id.as_deref() == Some(agency_id)
            && matches!(u.role.as_str(), "officer" | "leader" | "admin")
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

/// Take one step of the lifecycle.
pub fn act(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    id: &str,
    step: Step,
) -> Result<DossierRow, ApiError> {
    let mut row = load_visible(conn, caller, id)?;
    let before = row.clone();
    if !may_act(caller, step.action) {
        return Err(ApiError::Forbidden(Text::new(
            format!(
                "Vai trò của bạn không được thực hiện thao tác “{}” với hồ sơ",
                lower_first(&step.action.label().vi)
            ),
            format!("your role may not {} a dossier", step.action.as_str()),
        )));
    }
    let now = clock::now();
    let at = step_instant(caller, step.at, row.last_step_at.and_utc(), now, "at")?;
    let from = Status::from_db(&row.status)?;
    let facts = Facts {
        accepted: row.accepted_at.is_some(),
        supplement_requested_before: row.supplement_requested_at.is_some(),
        apologized_before: row.apologized_at.is_some(),
    };
    let to = lifecycle::next(from, facts, step.action)
        .map_err(|refusal| ApiError::Rule { rule: refusal.rule, detail: refusal.message })?;
    let online = row.channel == Channel::Online.as_str();
    let at_db = clock::to_db(at);
    let mut note = step.note;
    match (step.action, step.detail) {
        (Action::Accept, _) => {
            row.accepted_at = Some(at_db);
            row.reception_digitized = fully_digitized(&components_of(&row)?);
            let due = due_from(conn, calendars, &row.agency_id, &row.procedure_id, at)?;
            row.due_at = Some(clock::to_db(due));
            row.appointment_at = row.due_at;
            if caller.kind == SubjectKind::User {
                row.received_by = Some(caller.id.clone());
            }
        }
        (Action::RequestSupplement, StepDetail::Reason(reason)) => {
            row.supplement_requested_at = Some(at_db);
            note = Some(reason);
        }
        (Action::Supplement, StepDetail::Supplement(components)) => {
            if let Some(components) = components {
                row.components = components_json(&components)?;
            }
            if row.accepted_at.is_some() {
                // The clock restarts with the full limit when the complete dossier is back, which
                // is when it is received complete: the digitization snapshot is taken again.
                let due = clock::to_db(due_from(conn, calendars, &row.agency_id, &row.procedure_id, at)?);
                row.due_at = Some(due);
                row.reception_digitized = fully_digitized(&components_of(&row)?);
                // The appointment follows the new due date; an apology's later one stands.
                row.appointment_at = Some(match (row.apologized_at, row.appointment_at) {
                    (Some(_), Some(promised)) => promised.max(due),
                    _ => due,
                });
            }
        }
        (Action::Assign, StepDetail::Assign(user_id)) => {
            check_assignee(conn, &row.agency_id, &user_id)?;
            row.assignee_id = Some(user_id);
        }
        (Action::Resolve, StepDetail::Resolve { outcome, result_digitized, resolving_agency_id }) => {
            if outcome == Outcome::Refused && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(ApiError::invalid_field(
                    "note",
                    Text::fixed("Văn bản từ chối phải nêu rõ lý do", "a refusal states its reasons"),
                ));
            }
            if let Some(agency_id) = &resolving_agency_id {
                // Any agency of the directory: the point is that it is not this one.
                if *agency_id == row.agency_id || agencies::find(conn, agency_id)?.is_none() {
                    return Err(ApiError::invalid_field(
                        "resolving_agency_id",
                        Text::fixed(
                            "Phải là một cơ quan khác đang có trong danh mục, hoặc để trống khi chính cơ quan này giải quyết",
                            "another existing agency, or absent when this agency produced the result",
                        ),
                    ));
                }
            }
            row.resolved_by_agency_id = resolving_agency_id;
            row.resolved_at = Some(at_db);
            row.outcome = Some(outcome.as_str().to_owned());
            row.result_digitized = result_digitized;
            row.resolved_by = Some(caller.id.clone());
        }
        (Action::Return, _) => row.returned_at = Some(at_db),
        (Action::Withdraw, StepDetail::Reason(reason)) => {
            row.withdrawn_at = Some(at_db);
            note = Some(reason);
        }
        (Action::Reject, StepDetail::Reason(reason)) => {
            row.rejected_at = Some(at_db);
            note = Some(reason);
        }
        (Action::Apologize, StepDetail::Apologize { reason, new_appointment_at }) => {
            let current = row.appointment_at.map(|t| t.and_utc());
            if current.is_some_and(|c| new_appointment_at <= c) || new_appointment_at <= at {
                return Err(ApiError::invalid_field(
                    "new_appointment_at",
                    Text::fixed(
                        "Phải muộn hơn ngày hẹn trả hiện tại",
                        "must be later than the current appointment",
                    ),
                ));
            }
            row.apologized_at = Some(at_db);
            row.appointment_at = Some(clock::to_db(new_appointment_at));
            note = Some(reason);
        }
        (action, _) => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "{} called with the wrong detail",
                action.as_str()
            )));
        }
    }
    // An online submission's first answer: accepted, sent back for supplement, or refused.
    if online
        && row.first_response_at.is_none()
        && matches!(step.action, Action::Accept | Action::RequestSupplement | Action::Reject)
    {
        row.first_response_at = Some(at_db);
    }
    let expected = row.version;
    row.status = to.as_str().to_owned();
    row.last_step_at = at_db.max(row.last_step_at);
    row.version += 1;
    row.updated_at = clock::to_db(now);
    if !store::update(conn, &row, expected)? {
        return Err(ApiError::conflict(Text::fixed(
            "Hồ sơ vừa thay đổi trong khi bước này đang được ghi nhận; hãy đọc lại và thử lại",
            "the dossier changed while this step was being recorded; read it again and retry",
        )));
    }
    report_counters::record_dossier(conn, Some(&before.facts()), &row.facts())?;
    history(conn, &row, step.action.as_str(), Some(from), caller, at, note)?;
    event(conn, &row, step.action.event_type(), at)?;
    Ok(row)
}

/// Record digitization, payment or assignment.
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: &crate::http::etag::IfMatch,
    patch: DossierPatch,
) -> Result<DossierRow, ApiError> {
    let mut row = load_visible(conn, caller, id)?;
    let before = row.clone();
    if !matches!(caller.role, Role::Admin | Role::Officer | Role::Integration) {
        return Err(ApiError::Forbidden(Text::fixed(
            "Vai trò của bạn không được thay đổi hồ sơ",
            "your role may not change a dossier",
        )));
    }
    if_match.check(&etag(&row))?;
    let status = Status::from_db(&row.status)?;
    if let Some(components) = &patch.components {
        row.components = components_json(components)?;
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
        check_assignee(conn, &row.agency_id, &user_id)?;
        row.assignee_id = Some(user_id);
    }
    let now = clock::now();
    let expected = row.version;
    row.version += 1;
    row.updated_at = clock::to_db(now);
    if !store::update(conn, &row, expected)? {
        return Err(ApiError::conflict(Text::fixed(
            "Hồ sơ vừa thay đổi trong khi nội dung cập nhật đang được ghi nhận; hãy đọc lại và thử lại",
            "the dossier changed while this update was being recorded; read it again and retry",
        )));
    }
    report_counters::record_dossier(conn, Some(&before.facts()), &row.facts())?;
    history(conn, &row, "update", Some(status), caller, now, None)?;
    event(conn, &row, "dossier.updated", now)?;
    Ok(row)
}

pub fn etag(row: &DossierRow) -> String {
    format!("\"{}-v{}\"", &row.id[..row.id.len().min(8)], row.version)
}

/// The dossier as the API shows it to this caller.
pub fn to_api(row: DossierRow, caller: &Caller) -> Result<Dossier, ApiError> {
    let now = clock::now();
    let status = Status::from_db(&row.status)?;
    let personal = sees_personal_data(caller);
    let fee_paid = match (row.payment_method.as_deref(), row.payment_amount) {
        (Some(method), Some(amount)) => Some(FeePayment { method: PaymentMethod::from_db(method)?, amount }),
        _ => None,
    };
    Ok(Dossier {
        overdue: status.is_open() && row.due_at.is_some_and(|d| d.and_utc() < now),
        channel: Channel::from_db(&row.channel)?,
        status,
        applicant: Applicant {
            kind: ApplicantKind::from_db(&row.applicant_kind)?,
            full_name: row.applicant_name,
            id_number: row.applicant_id_number.filter(|_| personal),
            phone: row.applicant_phone.filter(|_| personal),
            email: row.applicant_email.filter(|_| personal),
            address: row.applicant_address.filter(|_| personal),
        },
        components: serde_json::from_str(&row.components).map_err(anyhow::Error::from)?,
        fee_paid,
        outcome: row.outcome.as_deref().map(Outcome::from_db).transpose()?,
        id: row.id,
        code: row.code,
        agency_id: row.agency_id,
        procedure_id: row.procedure_id,
        fee: row.fee,
        external_ref: row.external_ref,
        submitted_at: row.submitted_at.and_utc(),
        accepted_at: row.accepted_at.map(|t| t.and_utc()),
        first_response_at: row.first_response_at.map(|t| t.and_utc()),
        due_at: row.due_at.map(|t| t.and_utc()),
        appointment_at: row.appointment_at.map(|t| t.and_utc()),
        supplement_requested_at: row.supplement_requested_at.map(|t| t.and_utc()),
        apologized_at: row.apologized_at.map(|t| t.and_utc()),
        resolved_at: row.resolved_at.map(|t| t.and_utc()),
        result_digitized: row.result_digitized,
        reception_digitized: row.reception_digitized,
        returned_at: row.returned_at.map(|t| t.and_utc()),
        withdrawn_at: row.withdrawn_at.map(|t| t.and_utc()),
        rejected_at: row.rejected_at.map(|t| t.and_utc()),
        received_by: row.received_by,
        resolved_by: row.resolved_by,
        resolved_by_agency_id: row.resolved_by_agency_id,
        assignee_id: row.assignee_id,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}
