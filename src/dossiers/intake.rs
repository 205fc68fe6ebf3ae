//! Intake, pure: what a `NewDossier` may claim from this caller, the instants it is received and
//! accepted at, and the row it becomes. It knows neither HTTP nor SQL; `service::intake` looks
//! up the agency, procedure, due instants and the day's number, and writes the row.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::may_import;
use super::lifecycle::Status;
use super::model::{DossierComponent, NewDossier, id_number_fits};
use super::row::DossierRow;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::catalogue::search;
use crate::clock;
use crate::contact::normalize_phone;
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

/// Every component digitized or taken from the citizen's data store (docs/report.md, digitization).
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
        applicant_notify: applicant.notify,
        result_delivery: new.result_delivery.as_str().to_owned(),
        appointment_before_supplement: None,
        appointment_after_supplement: None,
        portal_synced_version: None,
        proposal: None,
        holder_agency_id: None,
        assignee_id: None,
        last_step_at: clock::to_db(accepted_at.unwrap_or(submitted_at)),
        version: 1,
        created_at: clock::to_db(now),
        updated_at: clock::to_db(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossiers::fixtures::{caller, field, looked, new, now, officer};
    use crate::dossiers::model::{ApplicantKind, FeePayment, PaymentMethod};

    #[test]
    fn each_role_claims_only_its_own_channel_and_fields() {
        let citizen = caller(Role::Citizen, SubjectKind::User);
        assert_eq!(field(check_claims(&new(Channel::Direct), &citizen)), "channel");
        assert!(check_claims(&new(Channel::Online), &citizen).is_ok());
        assert_eq!(field(check_claims(&new(Channel::Online), &officer())), "channel");
        assert!(check_claims(&new(Channel::Postal), &officer()).is_ok());

        let referenced = NewDossier { external_ref: Some("G22.1".into()), ..new(Channel::Online) };
        assert_eq!(field(check_claims(&referenced, &citizen)), "external_ref");
        let paid = NewDossier {
            fee_paid: Some(FeePayment { method: PaymentMethod::Online, amount: 8000 }),
            ..new(Channel::Online)
        };
        assert_eq!(field(check_claims(&paid, &citizen)), "fee_paid");
        assert!(check_claims(&paid, &caller(Role::Integration, SubjectKind::Service)).is_ok());
    }

    #[test]
    fn identity_numbers_fit_the_applicant_and_history_is_for_importers() {
        let mut organization = new(Channel::Direct);
        organization.applicant.kind = ApplicantKind::Organization;
        assert_eq!(field(check_claims(&organization, &officer())), "applicant.id_number");

        let imported = NewDossier { accepted_at: Some(now()), ..new(Channel::Direct) };
        assert_eq!(field(check_claims(&imported, &officer())), "accepted_at");
        assert!(check_claims(&imported, &caller(Role::Admin, SubjectKind::User)).is_ok());
        assert!(check_claims(&imported, &caller(Role::Integration, SubjectKind::Service)).is_ok());
    }

    #[test]
    fn desk_intake_is_accepted_at_once_and_online_waits() {
        assert_eq!(
            received(&new(Channel::Direct), now()).unwrap(),
            Received { submitted_at: now(), accepted_at: Some(now()) }
        );
        assert_eq!(
            received(&new(Channel::Online), now()).unwrap(),
            Received { submitted_at: now(), accepted_at: None }
        );
    }

    #[test]
    fn imported_instants_are_ordered_and_never_in_the_future() {
        let hour = chrono::Duration::hours(1);
        let early = NewDossier {
            submitted_at: Some(now() - hour),
            accepted_at: Some(now() - hour * 2),
            ..new(Channel::Online)
        };
        assert_eq!(field(received(&early, now())), "accepted_at");
        let future = NewDossier { submitted_at: Some(now() + hour), ..new(Channel::Online) };
        assert_eq!(field(received(&future, now())), "submitted_at");
        // Within the tolerated clock skew, a minute ahead is still now.
        let skewed =
            NewDossier { submitted_at: Some(now() + chrono::Duration::seconds(30)), ..new(Channel::Online) };
        assert!(received(&skewed, now()).is_ok());
        let import = NewDossier {
            submitted_at: Some(now() - hour * 3),
            accepted_at: Some(now() - hour),
            ..new(Channel::Online)
        };
        assert_eq!(received(&import, now()).unwrap().accepted_at, Some(now() - hour));
    }

    #[test]
    fn the_row_of_a_desk_intake() {
        let due = now() + chrono::Duration::days(3);
        let got = received(&new(Channel::Direct), now()).unwrap();
        let row = row(new(Channel::Direct), &officer(), got, looked(Some(due)), now()).unwrap();
        assert_eq!(row.status, "processing");
        assert_eq!(row.code, "C01-240105-0001");
        assert_eq!(row.applicant_name, "Nguyễn Văn Án");
        assert_eq!(row.applicant_phone.as_deref(), Some("0912345678"));
        assert!(row.reception_digitized, "digitized or reused, every component");
        assert_eq!(row.received_by.as_deref(), Some("officer-1"));
        assert_eq!((row.due_at, row.appointment_at), (Some(clock::to_db(due)), Some(clock::to_db(due))));
        assert_eq!(row.first_response_at, None, "only online submissions await a first answer");
        assert_eq!(row.owner_id, None);
        assert_eq!(row.version, 1);
    }

    #[test]
    fn the_row_of_an_online_submission() {
        let citizen = caller(Role::Citizen, SubjectKind::User);
        let mut dossier = new(Channel::Online);
        dossier.components[0].digitized = false;
        let got = received(&dossier, now()).unwrap();
        let row = row(dossier, &citizen, got, looked(None), now()).unwrap();
        assert_eq!(row.status, "submitted");
        assert_eq!(row.owner_id.as_deref(), Some("citizen-1"));
        assert!(!row.reception_digitized, "not received yet");
        assert_eq!((row.accepted_at, row.received_by, row.due_at), (None, None, None));
    }
}
