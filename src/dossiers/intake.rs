//! Intake, pure: what a `NewDossier` may claim from this caller, the instants it is received and
//! accepted at, and the row it becomes. It knows neither HTTP nor SQL; `service::intake` looks
//! up the agency, procedure, due instants and the day's number, and writes the row.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::may_import;
use super::lifecycle::Status;
use super::model::{DossierComponent, NewDossier, id_number_fits, normalize_phone};
use super::row::DossierRow;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::catalogue::search;
use crate::clock;
use crate::enums::Channel;
use crate::error::ApiError;
use crate::i18n::{Text, common};
use crate::records::history::FUTURE_SKEW;

/// What the caller may claim, checked before anything is looked up: the channel of its role,
/// fields that are the portal's or the desk's to set, the identity number's kind, and import-only
/// instants.
pub fn check_claims(new: &NewDossier, caller: &Caller) -> Result<(), ApiError> {
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
        check_citizen_claims(new)?;
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
    Ok(())
}

/// A portal reference or a payment is the portal's or the desk's to record, not a citizen's claim.
fn check_citizen_claims(new: &NewDossier) -> Result<(), ApiError> {
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
    Ok(())
}

/// When the dossier reached the system and when it was officially received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub submitted_at: DateTime<Utc>,
    /// Desk and postal intake is accepted at once; online intake waits for `accept`.
    pub accepted_at: Option<DateTime<Utc>>,
}

/// The instants of intake: now, or for an import the ones it names, never in the future and
/// accepted no earlier than submitted.
pub fn received(new: &NewDossier, now: DateTime<Utc>) -> Result<Received, ApiError> {
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
    Ok(Received { submitted_at, accepted_at })
}

/// Every component digitized or taken from the citizen's data store (report.md, digitization).
pub fn fully_digitized(components: &[DossierComponent]) -> bool {
    components.iter().all(|c| c.digitized || c.reused_from_store)
}

/// What intake looked up for the row: the agency, the procedure's fee, the legal and answer due
/// instants and the dossier's code.
pub struct Looked {
    pub agency_id: String,
    pub procedure_id: String,
    pub fee: i64,
    pub due_at: Option<DateTime<Utc>>,
    pub answer_due_at: Option<DateTime<Utc>>,
    pub code: String,
}

/// The row a received dossier becomes.
pub fn row(
    new: NewDossier,
    caller: &Caller,
    received: Received,
    looked: Looked,
    now: DateTime<Utc>,
) -> Result<DossierRow, ApiError> {
    let Received { submitted_at, accepted_at } = received;
    let accepted = accepted_at.is_some();
    let staff_receiver =
        caller.kind == SubjectKind::User && matches!(caller.role, Role::Officer | Role::Admin);
    let (applicant, payment, db) =
        (new.applicant, new.fee_paid, |t: Option<DateTime<Utc>>| t.map(clock::to_db));
    Ok(DossierRow {
        id: Uuid::new_v4().to_string(),
        code: looked.code,
        agency_id: looked.agency_id,
        procedure_id: looked.procedure_id,
        channel: new.channel.as_str().to_owned(),
        status: if accepted { Status::Processing } else { Status::Submitted }.as_str().to_owned(),
        applicant_kind: applicant.kind.as_str().to_owned(),
        applicant_name_folded: search::fold(applicant.full_name.trim()),
        applicant_name: applicant.full_name.trim().to_owned(),
        applicant_id_number: applicant.id_number,
        applicant_phone: applicant.phone.as_deref().map(normalize_phone),
        applicant_email: applicant.email,
        applicant_address: applicant.address,
        owner_id: (caller.role == Role::Citizen).then(|| caller.id.clone()),
        components: serde_json::to_string(&new.components).map_err(anyhow::Error::from)?,
        fee: looked.fee,
        payment_method: payment.as_ref().map(|p| p.method.as_str().to_owned()),
        payment_amount: payment.as_ref().map(|p| p.amount),
        external_ref: new.external_ref.map(|r| r.trim().to_owned()),
        submitted_at: clock::to_db(submitted_at),
        accepted_at: db(accepted_at),
        first_response_at: db(accepted_at.filter(|_| new.channel == Channel::Online)),
        due_at: db(looked.due_at),
        appointment_at: db(looked.due_at),
        supplement_requested_at: None,
        apologized_at: None,
        resolved_at: None,
        outcome: None,
        result_digitized: false,
        reception_digitized: accepted && fully_digitized(&new.components),
        returned_at: None,
        withdrawn_at: None,
        rejected_at: None,
        received_by: (accepted && staff_receiver).then(|| caller.id.clone()),
        resolved_by: None,
        resolved_by_agency_id: None,
        answer_due_at: db(looked.answer_due_at),
        // Stamped by `store` on every write.
        last_event_at: None,
        assignee_id: None,
        last_step_at: clock::to_db(accepted_at.unwrap_or(submitted_at)),
        version: 1,
        created_at: clock::to_db(now),
        updated_at: clock::to_db(now),
    })
}
