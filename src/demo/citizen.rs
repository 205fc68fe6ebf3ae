//! The demo's verified citizen (`congdan`, with a phone and an address) and two dossiers of
//! today that show every notification a citizen receives: received, supplement asked for, an
//! apology with a new appointment, the result ready and handed over; and a refusal. Dated now,
//! far from the seed's half-year, so the report's figures do not move. Without a channel
//! configured the messages are `skipped`; `GET /api/v1/notifications` as `congdan` lists them.

use chrono::Duration;

use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::DbConnection;
use crate::dossiers::model::{Applicant, ApplicantKind, DossierComponent, NewDossier, Outcome};
use crate::dossiers::service;
use crate::dossiers::steps::{Change, Step};
use crate::enums::Channel;
use crate::error::ApiError;
use crate::users::store as users;

pub const PHONE: &str = "0905123456";
pub const EMAIL: &str = "congdan@example.vn";

fn person(id: &str, role: Role, agency_id: Option<&str>) -> Caller {
    Caller {
        id: id.to_owned(),
        kind: SubjectKind::User,
        role,
        agency_id: agency_id.map(str::to_owned),
        agencies: Vec::new(),
        personal_data: false,
        profile: None,
    }
}

/// `citizen` and `officer` are user ids; `commune` the agency; `procedure` an active procedure.
pub fn journey(
    conn: &mut DbConnection,
    (citizen, officer): (&str, &str),
    commune: &str,
    procedure: &str,
) -> Result<(), ApiError> {
    let mut account = users::find(conn, citizen)?.ok_or_else(|| anyhow::anyhow!("congdan vanished"))?;
    account.phone = Some(PHONE.into());
    account.email = Some(EMAIL.into());
    users::update(conn, &account)?;
    let calendars = CalendarCache::default();
    let citizen = person(citizen, Role::Citizen, None);
    let officer = person(officer, Role::Officer, Some(commune));
    let submit = |conn: &mut DbConnection| {
        let new = NewDossier {
            procedure_id: procedure.to_owned(),
            agency_id: commune.to_owned(),
            channel: Channel::Online,
            applicant: Applicant {
                kind: ApplicantKind::Citizen,
                full_name: "Nguyễn Văn Dân".into(),
                id_number: Some("051090004321".into()),
                phone: None,
                email: None,
                address: Some("Thôn 2, xã Tỉnh Châu, tỉnh Quảng Ngãi".into()),
                notify: true,
            },
            components: vec![DossierComponent {
                name: "Tờ khai".into(),
                digitized: true,
                reused_from_store: false,
            }],
            external_ref: None,
            fee_paid: None,
            submitted_at: None,
            accepted_at: None,
            result_delivery: Default::default(),
        };
        service::intake(conn, &calendars, &citizen, new)
    };
    let step = |change| Step { change, at: None, note: None };
    let first = submit(conn)?.id;
    for (who, change) in [
        (&officer, Change::Accept),
        (&officer, Change::RequestSupplement { reason: "Bản sao giấy chứng sinh có chứng thực".into() }),
        (&citizen, Change::Supplement { components: None }),
        (
            &officer,
            Change::Apologize {
                reason: "Chờ xác minh của cơ quan khác".into(),
                new_appointment_at: clock::now() + Duration::days(7),
            },
        ),
        (
            &officer,
            Change::Resolve { outcome: Outcome::Approved, result_digitized: true, resolving_agency_id: None },
        ),
        (&officer, Change::Return),
    ] {
        service::act(conn, &calendars, who, &first, step(change))?;
    }
    let second = submit(conn)?.id;
    let refusal = Change::Reject { reason: "Thủ tục không thuộc thẩm quyền của xã".into() };
    service::act(conn, &calendars, &officer, &second, step(refusal))?;
    Ok(())
}
