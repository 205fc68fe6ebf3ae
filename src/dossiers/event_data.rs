//! What a dossier event carries (the outbox: the feed and the webhooks), pure: the dossier after
//! the change, never the applicant's personal data, and the step that changed it — who took it
//! (`actor`: id, kind, role, display name, title, unit with id, code and name), the action, its
//! note and when, and the step in the shape of the national portal's progress update
//! (`progress`, `CapNhatTienDoHoSoMC`), made by the same function that maps the history for
//! `GET …/dvcqg/dossiers/{id}/progress`, so that an adapter forwards each step as it comes
//! without another call.
//!
//! The actor's name and unit come from the caller's profile, read with the account's state and
//! cached with it (`auth::accounts`): no query per write. The applicant's own steps name no one
//! ("Công dân", no id): the record's `ChuHoSo` names them, to those allowed to see it.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::row::DossierRow;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::integration::dvcqg::progress;

/// The step an event reports: who, what (the history's action), its note, when.
pub struct Taken<'a> {
    pub caller: &'a Caller,
    pub action: &'a str,
    pub note: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// The event's `data`.
pub fn data(row: &DossierRow, step: &Taken) -> anyhow::Result<Value> {
    let utc = |t: Option<chrono::NaiveDateTime>| t.map(|t| t.and_utc());
    let caller = step.caller;
    let citizen = caller.role == Role::Citizen;
    let person = caller.kind_label() == "user";
    let profile = caller.profile.as_deref().filter(|_| !citizen);
    let unit = profile.and_then(|p| p.unit_for(&row.agency_id, person));
    let named =
        progress::actor(Some(caller.role), profile.map(|p| p.name.as_str()), unit.map(|u| u.name.as_str()));
    let progress_step = progress::Step {
        action: step.action.to_owned(),
        to_status: row.status.clone(),
        at: step.at.naive_utc(),
        actor: named.clone(),
    };
    let assigned = row.assignee_id.is_some() || step.action == "assign";
    Ok(json!({
        "id": row.id, "code": row.code, "status": row.status, "agency_id": row.agency_id,
        "holder_agency_id": row.holder_agency_id,
        "procedure_id": row.procedure_id, "channel": row.channel, "external_ref": row.external_ref,
        "submitted_at": row.submitted_at.and_utc(), "accepted_at": utc(row.accepted_at),
        "due_at": utc(row.due_at), "appointment_at": utc(row.appointment_at),
        "resolved_at": utc(row.resolved_at), "outcome": row.outcome,
        "returned_at": utc(row.returned_at), "version": row.version,
        "action": step.action, "note": step.note, "at": step.at,
        "actor": {
            "id": (!citizen).then_some(&caller.id),
            "kind": caller.kind_label(),
            "role": caller.role.as_str(),
            "name": named.name,
            "title": named.title,
            "unit": unit,
        },
        "progress": progress::step(&progress_step, assigned)?,
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::auth::profile::{Profile, Unit};
    use crate::auth::tokens::SubjectKind;
    use crate::dossiers::fixtures;
    use crate::enums::Channel;
    use crate::labels::Labelled;

    fn unit() -> Unit {
        Unit { id: "c1".into(), code: "P01.C01".into(), name: "UBND xã Tỉnh Châu".into() }
    }

    #[test]
    fn an_officers_step_names_them_their_title_and_unit() {
        let mut officer = fixtures::officer();
        officer.profile = Some(Arc::new(Profile { name: "Trần Thị Cúc".into(), units: vec![unit()] }));
        let mut row = fixtures::row(Channel::Direct, &officer);
        row.agency_id = "c1".into();
        let step = Taken { caller: &officer, action: "accept", note: Some("Đủ"), at: fixtures::now() };
        let data = super::data(&row, &step).unwrap();
        assert_eq!(data["actor"]["name"], "Trần Thị Cúc");
        assert_eq!(data["actor"]["title"], Role::Officer.label().vi.as_ref());
        assert_eq!(data["actor"]["unit"]["code"], "P01.C01");
        assert_eq!((data["action"].as_str(), data["note"].as_str()), (Some("accept"), Some("Đủ")));
        assert_eq!(data["progress"]["NguoiXuLy"], "Trần Thị Cúc");
        assert_eq!(data["progress"]["PhongBanXuLy"], "UBND xã Tỉnh Châu");
        assert!(data.get("applicant").is_none() && !data.to_string().contains(&row.applicant_name));
    }

    #[test]
    fn the_applicants_step_names_no_one_and_a_portal_acts_for_the_dossiers_agency() {
        let mut citizen = fixtures::caller(Role::Citizen, SubjectKind::User);
        citizen.profile = Some(Arc::new(Profile { name: "Nguyễn Văn Án".into(), units: vec![] }));
        let row = fixtures::row(Channel::Online, &citizen);
        let step = Taken { caller: &citizen, action: "withdraw", note: None, at: fixtures::now() };
        let own = data(&row, &step).unwrap();
        assert_eq!(
            (own["actor"]["id"].clone(), own["actor"]["name"].clone()),
            (Value::Null, json!("Công dân"))
        );
        assert!(!own.to_string().contains("Nguyễn Văn Án"));

        let mut portal = fixtures::caller(Role::Integration, SubjectKind::Service);
        let other = Unit { id: "c2".into(), ..unit() };
        portal.profile = Some(Arc::new(Profile { name: "Cổng DVC".into(), units: vec![other, unit()] }));
        let mut row = fixtures::row(Channel::Online, &portal);
        row.agency_id = "c1".into();
        let step = Taken { caller: &portal, action: "accept", note: None, at: fixtures::now() };
        let by_portal = data(&row, &step).unwrap();
        let actor = &by_portal["actor"];
        assert_eq!((actor["unit"]["id"].as_str(), actor["title"].clone()), (Some("c1"), Value::Null));
    }
}
