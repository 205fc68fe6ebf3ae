//! What the slice's unit tests start from: callers, a new dossier, a fixed now, its row.

use chrono::{DateTime, TimeZone, Utc};

use super::intake::{self, Looked};
use super::model::{Applicant, ApplicantKind, DossierComponent, NewDossier};
use super::row::DossierRow;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::enums::Channel;
use crate::error::ApiError;

pub fn caller(role: Role, kind: SubjectKind) -> Caller {
    Caller {
        id: format!("{role}-1"),
        kind,
        role,
        agency_id: None,
        agencies: Vec::new(),
        personal_data: false,
        profile: None,
    }
}

pub fn officer() -> Caller {
    caller(Role::Officer, SubjectKind::User)
}

pub fn new(channel: Channel) -> NewDossier {
    NewDossier {
        procedure_id: "procedure".into(),
        agency_id: "commune".into(),
        channel,
        applicant: Applicant {
            kind: ApplicantKind::Citizen,
            full_name: "  Nguyễn Văn Án ".into(),
            id_number: Some("051090001234".into()),
            phone: Some("+84 912 345 678".into()),
            email: None,
            address: None,
            notify: true,
        },
        components: vec![
            DossierComponent { name: "Tờ khai".into(), digitized: true, reused_from_store: false },
            DossierComponent {
                name: "Giấy chứng sinh".into(), digitized: false, reused_from_store: true
            },
        ],
        fee_paid: None,
        external_ref: None,
        submitted_at: None,
        accepted_at: None,
        result_delivery: Default::default(),
    }
}

/// The one field an error names.
pub fn field(result: Result<impl std::fmt::Debug, ApiError>) -> String {
    match result {
        Err(ApiError::Validation(errors)) if errors.len() == 1 => errors[0].field.clone(),
        other => panic!("expected one invalid field, got {other:?}"),
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 5, 2, 0, 0).unwrap()
}

/// What intake looks up for the fixtures' dossier, due at `due`.
pub fn looked(due: Option<DateTime<Utc>>) -> Looked {
    Looked {
        agency_id: "commune".into(),
        procedure_id: "procedure".into(),
        fee: 8000,
        due_at: due,
        answer_due_at: None,
        code: "C01-240105-0001".into(),
    }
}

/// The row of a dossier received now through `channel` by `by`, due in three days if accepted.
pub fn row(channel: Channel, by: &Caller) -> DossierRow {
    let received = intake::received(&new(channel), now()).unwrap();
    let due = received.accepted_at.map(|at| at + chrono::Duration::days(3));
    intake::row(new(channel), by, received, looked(due), now()).unwrap()
}
