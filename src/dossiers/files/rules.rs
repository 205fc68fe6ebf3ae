//! When a file may be added to or removed from a dossier, and what it changes in the dossier's
//! digitization. Pure: the status, the role and the slot decide.
//!
//! - A component's scan may be added while the dossier is open: by the citizen who owns it
//!   before it is accepted or while a supplement is asked for, by the desk and the systems at
//!   any open step.
//! - A result paper may be added once the dossier is resolved, until the result is returned.
//! - A file may be removed only before the dossier is accepted; afterwards it is evidence.
//! - A component counts as digitized once it has a file (or was reused from the citizen data
//!   store, or is marked digitized by imported history). The reception figure is the snapshot
//!   taken when the dossier is received complete; scans the desk adds while the dossier is
//!   still being processed complete that snapshot, because scanning follows the paper at the
//!   desk. A result counts as digitized once it has a file.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::role::Role;
use crate::dossiers::intake::fully_digitized;
use crate::dossiers::lifecycle::Status;
use crate::dossiers::model::DossierComponent;
use crate::enums::text_enum;
use crate::error::ApiError;
use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A scan of one of the dossier's components.
    Component,
    /// A result paper.
    Result,
}

text_enum!(FileKind { Component => "component", Result => "result" });

/// Which part of the dossier a file is: a component by its index, or the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Component(usize),
    Result,
}

impl Slot {
    /// The slot a form names: a component needs its index, a result has none.
    pub fn of(kind: FileKind, component: Option<i64>, components: usize) -> Result<Self, ApiError> {
        match (kind, component) {
            (FileKind::Result, None) => Ok(Slot::Result),
            (FileKind::Result, Some(_)) => Err(ApiError::invalid_field(
                "component",
                Text::fixed(
                    "Chỉ ghi thành phần cho tệp của thành phần hồ sơ",
                    "only a component file names a component",
                ),
            )),
            (FileKind::Component, Some(i)) if i >= 0 && (i as usize) < components => {
                Ok(Slot::Component(i as usize))
            }
            (FileKind::Component, Some(_)) => Err(ApiError::invalid_field(
                "component",
                Text::new(
                    format!("Hồ sơ có {components} thành phần, đánh số từ 0"),
                    format!("the dossier has {components} components, numbered from 0"),
                ),
            )),
            (FileKind::Component, None) => Err(ApiError::invalid_field(
                "component",
                Text::fixed(
                    "Hãy ghi số thứ tự của thành phần hồ sơ (từ 0)",
                    "name the component's index (from 0)",
                ),
            )),
        }
    }

    pub fn component(self) -> Option<i64> {
        match self {
            Slot::Component(i) => Some(i as i64),
            Slot::Result => None,
        }
    }
}

/// A refusal of a rule, with its stable name.
fn rule(rule: &'static str, vi: &'static str, en: &'static str) -> ApiError {
    ApiError::Rule { rule, detail: Text::fixed(vi, en) }
}

fn forbidden(vi: &'static str, en: &'static str) -> ApiError {
    ApiError::Forbidden(Text::fixed(vi, en))
}

/// Leaders read a dossier's files; everyone else who sees the dossier may change some of them.
pub fn check_may_change(role: Role) -> Result<(), ApiError> {
    match role {
        Role::Leader => Err(forbidden("Lãnh đạo chỉ xem tệp của hồ sơ", "leaders read a dossier's files")),
        _ => Ok(()),
    }
}

/// Whether `role` may add a file to `slot` of a dossier in `status`.
pub fn check_add(role: Role, status: Status, slot: Slot) -> Result<(), ApiError> {
    check_may_change(role)?;
    match (role, slot) {
        (Role::Citizen, Slot::Result) => {
            Err(forbidden("Công dân không nộp tệp kết quả", "a citizen does not upload result papers"))
        }
        (Role::Citizen, Slot::Component(_)) => match status {
            Status::Submitted | Status::SupplementRequested => Ok(()),
            _ => Err(rule(
                "component_files_before_acceptance",
                "Công dân chỉ nộp tệp thành phần hồ sơ trước khi hồ sơ được tiếp nhận hoặc khi được yêu cầu bổ sung",
                "a citizen adds component files before acceptance or when a supplement is asked for",
            )),
        },
        (_, Slot::Component(_)) if status.is_open() => Ok(()),
        (_, Slot::Component(_)) => Err(rule(
            "component_files_while_open",
            "Chỉ thêm tệp thành phần khi hồ sơ đang được giải quyết",
            "component files are added while the dossier is open",
        )),
        (_, Slot::Result) if status == Status::Resolved => Ok(()),
        (_, Slot::Result) => Err(rule(
            "result_files_between_resolution_and_return",
            "Chỉ đính kèm tệp kết quả khi hồ sơ đã có kết quả và chưa trả kết quả",
            "result files are attached once the dossier is resolved, until the result is returned",
        )),
    }
}

/// Whether `role` may remove a file from a dossier in `status`, accepted or not.
pub fn check_remove(role: Role, status: Status, accepted: bool) -> Result<(), ApiError> {
    check_may_change(role)?;
    if accepted || !status.is_open() {
        return Err(rule(
            "files_kept_after_acceptance",
            "Tệp của hồ sơ đã được tiếp nhận (hoặc đã kết thúc) là chứng cứ và không được xóa",
            "the files of a dossier that was accepted (or closed) are evidence and are kept",
        ));
    }
    Ok(())
}

/// The digitization a dossier's files give it.
pub struct Digitization {
    pub components: Vec<DossierComponent>,
    pub reception: bool,
    pub result: bool,
}

/// A file was added to `slot`: the component counts as digitized (and, while the dossier is
/// processed, the reception figure is taken again); a result file digitizes the result.
pub fn after_add(mut now: Digitization, status: Status, slot: Slot) -> Digitization {
    match slot {
        Slot::Component(i) => {
            if let Some(component) = now.components.get_mut(i) {
                component.digitized = true;
            }
            if status == Status::Processing {
                now.reception = fully_digitized(&now.components);
            }
        }
        Slot::Result => now.result = true,
    }
    now
}

/// A file was removed from component `i` (before acceptance, so no snapshot was taken): the
/// component stays digitized only if another file remains for it.
pub fn after_remove(mut now: Digitization, slot: Slot, another_remains: bool) -> Digitization {
    if let Slot::Component(i) = slot
        && let Some(component) = now.components.get_mut(i)
    {
        component.digitized = another_remains;
    }
    now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digitization(flags: &[bool]) -> Digitization {
        let components = flags
            .iter()
            .enumerate()
            .map(|(i, d)| DossierComponent { name: format!("c{i}"), digitized: *d, reused_from_store: false })
            .collect();
        Digitization { components, reception: false, result: false }
    }

    fn rule_of(e: ApiError) -> &'static str {
        match e {
            ApiError::Rule { rule, .. } => rule,
            other => panic!("not a rule: {other:?}"),
        }
    }

    #[test]
    fn slots_need_a_component_index_in_range_and_results_none() {
        assert_eq!(Slot::of(FileKind::Component, Some(1), 2).unwrap(), Slot::Component(1));
        assert_eq!(Slot::of(FileKind::Result, None, 2).unwrap(), Slot::Result);
        for bad in [
            Slot::of(FileKind::Component, Some(2), 2),
            Slot::of(FileKind::Component, Some(-1), 2),
            Slot::of(FileKind::Component, None, 2),
            Slot::of(FileKind::Result, Some(0), 2),
        ] {
            assert!(matches!(bad, Err(ApiError::Validation(_))), "{bad:?}");
        }
    }

    #[test]
    fn who_adds_what_when() {
        let c = Slot::Component(0);
        assert!(check_add(Role::Citizen, Status::Submitted, c).is_ok());
        assert!(check_add(Role::Citizen, Status::SupplementRequested, c).is_ok());
        assert_eq!(
            rule_of(check_add(Role::Citizen, Status::Processing, c).unwrap_err()),
            "component_files_before_acceptance"
        );
        assert!(matches!(
            check_add(Role::Citizen, Status::Resolved, Slot::Result),
            Err(ApiError::Forbidden(_))
        ));
        assert!(matches!(check_add(Role::Leader, Status::Submitted, c), Err(ApiError::Forbidden(_))));
        assert!(check_add(Role::Officer, Status::Processing, c).is_ok());
        assert_eq!(
            rule_of(check_add(Role::Officer, Status::Returned, c).unwrap_err()),
            "component_files_while_open"
        );
        assert!(check_add(Role::Officer, Status::Resolved, Slot::Result).is_ok());
        assert!(check_add(Role::Integration, Status::Resolved, Slot::Result).is_ok());
        for status in [Status::Processing, Status::Returned, Status::Rejected] {
            assert_eq!(
                rule_of(check_add(Role::Officer, status, Slot::Result).unwrap_err()),
                "result_files_between_resolution_and_return"
            );
        }
    }

    #[test]
    fn files_are_removed_only_before_acceptance() {
        assert!(check_remove(Role::Citizen, Status::Submitted, false).is_ok());
        assert!(check_remove(Role::Officer, Status::SupplementRequested, false).is_ok());
        assert_eq!(
            rule_of(check_remove(Role::Officer, Status::SupplementRequested, true).unwrap_err()),
            "files_kept_after_acceptance"
        );
        assert_eq!(
            rule_of(check_remove(Role::Admin, Status::Processing, true).unwrap_err()),
            "files_kept_after_acceptance"
        );
        assert_eq!(
            rule_of(check_remove(Role::Citizen, Status::Withdrawn, false).unwrap_err()),
            "files_kept_after_acceptance"
        );
    }

    #[test]
    fn a_file_digitizes_its_component_and_completes_the_reception_figure_while_processed() {
        let before_acceptance =
            after_add(digitization(&[false, true]), Status::Submitted, Slot::Component(0));
        assert!(before_acceptance.components[0].digitized);
        assert!(!before_acceptance.reception, "taken when the dossier is accepted");
        let at_the_desk = after_add(digitization(&[false, true]), Status::Processing, Slot::Component(0));
        assert!(at_the_desk.reception);
        let half = after_add(digitization(&[false, false]), Status::Processing, Slot::Component(0));
        assert!(!half.reception, "one component is still on paper");
        assert!(after_add(digitization(&[]), Status::Resolved, Slot::Result).result);
    }

    #[test]
    fn removing_the_last_file_of_a_component_undigitizes_it() {
        assert!(!after_remove(digitization(&[true]), Slot::Component(0), false).components[0].digitized);
        assert!(after_remove(digitization(&[true]), Slot::Component(0), true).components[0].digitized);
    }
}
