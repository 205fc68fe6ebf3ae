//! The dossier's handling step by step, as the portal's progress update takes it
//! (`CapNhatTienDoHoSoMC`), pure: the history's steps and who took them in, the steps out. No
//! HTTP, no SQL, no clock.

use chrono::NaiveDateTime;

use super::mapping::{portal_date, portal_status};
use super::model::ProgressStep;
use crate::auth::role::Role;
use crate::dossiers::lifecycle::{Action, Status};
use crate::labels::Labelled;

/// Who took a step, as the portal shows it: a name, a title and a unit, each when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub name: Option<String>,
    pub title: Option<String>,
    pub unit: Option<String>,
}

/// One step of the history.
#[derive(Debug, Clone)]
pub struct Step {
    pub action: String,
    pub to_status: String,
    pub at: NaiveDateTime,
    pub actor: Actor,
}

/// What a step did, in words; `None` for what the history also keeps but is no handling of the
/// dossier (files added, read or linked: the record's file lists carry them).
pub fn what_was_done(action: &str) -> Option<String> {
    match action {
        "intake" => Some("Nộp hồ sơ".to_owned()),
        "update" => Some("Cập nhật hồ sơ".to_owned()),
        other => Action::ALL.iter().find(|a| a.as_str() == other).map(|a| a.label().vi.into_owned()),
    }
}

/// Who took a step, as the portal names them, from what is known of the account (`role`: None
/// when nobody is on record): the applicant's own step is "Công dân" (the record's `ChuHoSo`
/// names them), a service account has a name and a unit but no title, a person their role's
/// Vietnamese label as title. The progress endpoint (from the history) and the dossier events
/// (from the caller) both name the actor through this.
pub fn actor(role: Option<Role>, name: Option<&str>, unit: Option<&str>) -> Actor {
    match role {
        Some(Role::Citizen) => Actor { name: Some("Công dân".to_owned()), ..Default::default() },
        Some(Role::Integration) => {
            Actor { name: name.map(str::to_owned), title: None, unit: unit.map(str::to_owned) }
        }
        Some(role) => Actor {
            name: name.map(str::to_owned),
            title: Some(role.label().vi.into_owned()),
            unit: unit.map(str::to_owned),
        },
        None => Actor::default(),
    }
}

/// One step in the portal's shape, `None` for what is no handling (`what_was_done`). `assigned`:
/// whether the dossier had been handed to an officer by then. The endpoint maps each step of the
/// history through this, an event its own step: the two agree.
pub fn step(step: &Step, assigned: bool) -> anyhow::Result<Option<ProgressStep>> {
    let Some(done) = what_was_done(&step.action) else { return Ok(None) };
    Ok(Some(ProgressStep {
        nguoi_xu_ly: step.actor.name.clone(),
        chuc_danh: step.actor.title.clone(),
        phong_ban_xu_ly: step.actor.unit.clone(),
        noi_dung_xu_ly: done,
        thoi_diem_xu_ly: portal_date(step.at),
        trang_thai: portal_status(Status::from_db(&step.to_status)?, assigned).code(),
    }))
}

/// The steps in the portal's shape, in order. A step's `TrangThai` is the portal's status after
/// it; a dossier counts as handed on (4 rather than 2) from its first `assign` step, or from the
/// last step when it has an assignee now (an update may assign without an `assign` step).
pub fn progress(steps: &[Step], assigned_now: bool) -> anyhow::Result<Vec<ProgressStep>> {
    let mut assigned = false;
    let mut out = Vec::new();
    for (i, one) in steps.iter().enumerate() {
        assigned |= one.action == "assign" || (assigned_now && i + 1 == steps.len());
        out.extend(step(one, assigned)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn step(action: &str, to_status: &str, hour: u32) -> Step {
        Step {
            action: action.into(),
            to_status: to_status.into(),
            at: NaiveDate::from_ymd_opt(2024, 1, 8).unwrap().and_hms_opt(hour, 0, 0).unwrap(),
            actor: Actor {
                name: Some("Trần Thị Cúc".into()), title: Some("Cán bộ".into()), unit: None
            },
        }
    }

    #[test]
    fn each_step_with_what_was_done_and_the_status_after_it() {
        let steps = [
            step("intake", "submitted", 1),
            step("accept", "processing", 2),
            step("file_added", "processing", 2),
            step("assign", "processing", 3),
            step("resolve", "resolved", 4),
        ];
        let out = progress(&steps, true).unwrap();
        let statuses: Vec<u8> = out.iter().map(|s| s.trang_thai).collect();
        assert_eq!(statuses, [1, 2, 4, 9], "files are not steps; assignment hands it on");
        assert_eq!(out[0].noi_dung_xu_ly, "Nộp hồ sơ");
        assert_eq!(out[1].thoi_diem_xu_ly, "20240108090000", "Vietnam time");
        assert_eq!(out[1].nguoi_xu_ly.as_deref(), Some("Trần Thị Cúc"));
        assert_eq!(out[1].chuc_danh.as_deref(), Some("Cán bộ"));
    }

    #[test]
    fn an_update_that_assigned_shows_on_the_last_step() {
        let steps = [step("intake", "processing", 1), step("update", "processing", 2)];
        let statuses: Vec<u8> = progress(&steps, true).unwrap().iter().map(|s| s.trang_thai).collect();
        assert_eq!(statuses, [2, 4]);
        let statuses: Vec<u8> = progress(&steps, false).unwrap().iter().map(|s| s.trang_thai).collect();
        assert_eq!(statuses, [2, 2]);
        assert!(progress(&[step("intake", "nonsense", 1)], false).is_err());
    }

    #[test]
    fn the_applicant_is_named_by_role_only_and_systems_have_no_title() {
        let citizen = actor(Some(Role::Citizen), Some("Nguyễn Văn Án"), Some("UBND xã"));
        assert_eq!(citizen, Actor { name: Some("Công dân".into()), title: None, unit: None });
        let portal = actor(Some(Role::Integration), Some("Cổng DVC"), Some("UBND xã"));
        assert_eq!((portal.title, portal.unit.as_deref()), (None, Some("UBND xã")));
        let officer = actor(Some(Role::Officer), Some("Trần Thị Cúc"), None);
        assert_eq!(officer.title, Some(Role::Officer.label().vi.into_owned()));
        assert_eq!(actor(None, Some("x"), None), Actor::default());
    }
}
