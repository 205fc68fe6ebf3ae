//! One lifecycle step applied to a dossier row, pure. `lifecycle` decides whether the step is
//! allowed from the status; this module checks what the step carries and records it on the row.
//! What needs the database (the due instant, whether an assignee or agency exists) is looked up
//! by `service::act` beforehand and handed in.
//!
//! On a procedure whose result the leader approves, `resolve` records a [`Proposal`] instead of
//! the result; `approve` makes it the result as of the approval (the report's resolution date),
//! with the proposing officer still the one who answers for its digitization; `send-back`
//! drops it, the leader's reason in the history.
//!
//! `transfer` makes another agency the dossier's holder; when the holder's result is recorded
//! (resolved, or approved) the result goes back to the reception desk: the holder becomes the
//! agency that produced it (`resolved_by_agency_id`) and the desk holds the dossier again, to
//! hand the result over.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::access::may_import;
use super::intake::fully_digitized;
use super::lifecycle::{Action, Facts, Status};
use super::model::{
    ApologizeBody, AssignBody, DossierComponent, Outcome, ReasonBody, ResolveBody, StepBody, SupplementBody,
    TransferBody,
};
use super::row::DossierRow;
use crate::auth::caller::Caller;
use crate::auth::tokens::SubjectKind;
use crate::clock;
use crate::enums::Channel;
use crate::error::ApiError;
use crate::i18n::Text;
use crate::records::history;

/// What a step changes, with what each action carries.
#[derive(Debug, Clone)]
pub enum Change {
    Accept,
    RequestSupplement {
        reason: String,
    },
    /// The dossier's documents after the supplement (replaces the list); `None` keeps it.
    Supplement {
        components: Option<Vec<DossierComponent>>,
    },
    Assign {
        user_id: String,
    },
    Resolve {
        outcome: Outcome,
        result_digitized: bool,
        resolving_agency_id: Option<String>,
    },
    Return,
    Withdraw {
        reason: String,
    },
    Reject {
        reason: String,
    },
    Apologize {
        reason: String,
        new_appointment_at: DateTime<Utc>,
    },
    Approve,
    SendBack {
        reason: String,
    },
    Transfer {
        to_agency_id: String,
    },
}

/// The result an officer proposed, waiting for the leader's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    pub outcome: Outcome,
    /// The result exists electronically.
    pub result_digitized: bool,
    /// Another agency that produced the result (liên thông), as in `resolve`.
    pub resolving_agency_id: Option<String>,
    /// The officer who proposed it; once approved, they answer for the result's digitization.
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
}

impl Proposal {
    /// The proposal stored on the row, if any.
    pub fn of(row: &DossierRow) -> Result<Option<Proposal>, ApiError> {
        let parse = |text: &String| serde_json::from_str(text).map_err(anyhow::Error::from);
        Ok(row.proposal.as_ref().map(parse).transpose()?)
    }
}

impl Change {
    pub fn action(&self) -> Action {
        match self {
            Change::Accept => Action::Accept,
            Change::RequestSupplement { .. } => Action::RequestSupplement,
            Change::Supplement { .. } => Action::Supplement,
            Change::Assign { .. } => Action::Assign,
            Change::Resolve { .. } => Action::Resolve,
            Change::Return => Action::Return,
            Change::Withdraw { .. } => Action::Withdraw,
            Change::Reject { .. } => Action::Reject,
            Change::Apologize { .. } => Action::Apologize,
            Change::Approve => Action::Approve,
            Change::SendBack { .. } => Action::SendBack,
            Change::Transfer { .. } => Action::Transfer,
        }
    }
}

/// A step as requested: the change, when it happened (imports only) and a note for the history.
#[derive(Debug, Clone)]
pub struct Step {
    pub change: Change,
    pub at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// The instant of a step: now for officers; an import may name an earlier one, never before the
/// dossier's previous step nor in the future.
pub fn instant(
    caller: &Caller,
    given: Option<DateTime<Utc>>,
    previous: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let too_early = Text::fixed(
        "Không được sớm hơn bước xử lý trước đó của hồ sơ",
        "must not precede the dossier's previous step",
    );
    history::instant(given, previous, now, may_import(caller), too_early)
}

// What each step's body becomes; the routes hold no rules.
impl StepBody {
    /// A step that carries nothing but its instant and note (accept, return).
    pub fn into_step(self, change: Change) -> Step {
        Step { change, at: self.at, note: self.note }
    }
}

impl ReasonBody {
    /// A step whose reason is its note (request supplement, withdraw, reject).
    pub fn into_step(self, change: fn(String) -> Change) -> Step {
        Step { change: change(self.reason.trim().to_owned()), at: self.at, note: None }
    }
}

impl From<SupplementBody> for Step {
    fn from(body: SupplementBody) -> Step {
        Step { change: Change::Supplement { components: body.components }, at: body.at, note: body.note }
    }
}

impl From<AssignBody> for Step {
    fn from(body: AssignBody) -> Step {
        Step { change: Change::Assign { user_id: body.user_id }, at: body.at, note: body.note }
    }
}

impl From<ResolveBody> for Step {
    fn from(body: ResolveBody) -> Step {
        let ResolveBody { outcome, result_digitized, note, resolving_agency_id, at } = body;
        Step { change: Change::Resolve { outcome, result_digitized, resolving_agency_id }, at, note }
    }
}

impl From<TransferBody> for Step {
    fn from(body: TransferBody) -> Step {
        Step { change: Change::Transfer { to_agency_id: body.to_agency_id }, at: body.at, note: body.note }
    }
}

impl From<ApologizeBody> for Step {
    fn from(body: ApologizeBody) -> Step {
        let change = Change::Apologize {
            reason: body.reason.trim().to_owned(),
            new_appointment_at: body.new_appointment_at,
        };
        Step { change, at: body.at, note: None }
    }
}

/// What the lifecycle's rules depend on, from the row and whether its procedure's result is
/// the leader's to approve.
pub fn facts(row: &DossierRow, requires_approval: bool) -> Facts {
    Facts {
        accepted: row.accepted_at.is_some(),
        supplement_requested_before: row.supplement_requested_at.is_some(),
        apologized_before: row.apologized_at.is_some(),
        requires_approval,
    }
}

/// Whether the step starts the legal clock (acceptance) or restarts it (a supplement after
/// acceptance): then `apply` needs the due instant counted from the step.
pub fn starts_clock(row: &DossierRow, change: &Change) -> bool {
    match change {
        Change::Accept => true,
        Change::Supplement { .. } => row.accepted_at.is_some(),
        _ => false,
    }
}

/// What the step carries, checked against the row: a refusal states its reasons; a new
/// appointment is later than the current one and than the step.
pub fn check(row: &DossierRow, step: &Step, at: DateTime<Utc>) -> Result<(), ApiError> {
    match &step.change {
        Change::Resolve { outcome: Outcome::Refused, .. }
            if step.note.as_deref().is_none_or(|n| n.trim().is_empty()) =>
        {
            Err(ApiError::invalid_field(
                "note",
                Text::fixed("Văn bản từ chối phải nêu rõ lý do", "a refusal states its reasons"),
            ))
        }
        Change::Apologize { new_appointment_at, .. } => {
            let current = row.appointment_at.map(|t| t.and_utc());
            if current.is_some_and(|c| *new_appointment_at <= c) || *new_appointment_at <= at {
                return Err(ApiError::invalid_field(
                    "new_appointment_at",
                    Text::fixed(
                        "Phải muộn hơn ngày hẹn trả hiện tại",
                        "must be later than the current appointment",
                    ),
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Record a checked step on the row, moving it to status `to` at `at`; `due` is the due instant
/// counted from `at` when [`starts_clock`]. Returns the note for the history: the step's note,
/// or the reason the step carries.
pub fn apply(
    row: &mut DossierRow,
    step: Step,
    to: Status,
    at: DateTime<Utc>,
    due: Option<DateTime<Utc>>,
    by: &Caller,
) -> Result<Option<String>, ApiError> {
    let at_db = clock::to_db(at);
    let action = step.change.action();
    let mut note = step.note;
    match step.change {
        Change::Accept => {
            row.accepted_at = Some(at_db);
            row.reception_digitized = fully_digitized(&components_of(row)?);
            row.due_at = due.map(clock::to_db);
            row.appointment_at = row.due_at;
            if by.kind == SubjectKind::User {
                row.received_by = Some(by.id.clone());
            }
        }
        Change::Supplement { components } => {
            supplement(row, components, due.map(clock::to_db))?;
            // The portal's NgayHenTraMoi: the appointment the restarted clock set (none before
            // acceptance, when no clock ran).
            row.appointment_after_supplement = due.and(row.appointment_at);
        }
        Change::Assign { user_id } => row.assignee_id = Some(user_id),
        Change::Resolve { outcome, result_digitized, resolving_agency_id } => {
            let proposal = Proposal {
                outcome,
                result_digitized,
                resolving_agency_id,
                proposed_by: by.id.clone(),
                proposed_at: at,
            };
            match to {
                Status::AwaitingApproval => {
                    row.proposal = Some(serde_json::to_string(&proposal).map_err(anyhow::Error::from)?);
                }
                _ => resolve(row, proposal, at_db),
            }
        }
        Change::Approve => {
            let proposal = Proposal::of(row)?
                .ok_or_else(|| anyhow::anyhow!("dossier {} awaits approval without a proposal", row.id))?;
            resolve(row, proposal, at_db);
        }
        Change::SendBack { reason } => {
            row.proposal = None;
            note = Some(reason);
        }
        Change::Transfer { to_agency_id } => row.holder_agency_id = Some(to_agency_id),
        Change::Return => row.returned_at = Some(at_db),
        Change::RequestSupplement { reason } => {
            row.supplement_requested_at = Some(at_db);
            // The portal's NgayHenTraTruoc: the appointment in force when it was asked for.
            row.appointment_before_supplement = row.appointment_at;
            note = Some(reason);
        }
        Change::Withdraw { reason } => {
            row.withdrawn_at = Some(at_db);
            note = Some(reason);
        }
        Change::Reject { reason } => {
            row.rejected_at = Some(at_db);
            note = Some(reason);
        }
        Change::Apologize { reason, new_appointment_at } => {
            row.apologized_at = Some(at_db);
            row.appointment_at = Some(clock::to_db(new_appointment_at));
            note = Some(reason);
        }
    }
    // An online submission's first answer: accepted, sent back for supplement, or refused.
    if row.channel == Channel::Online.as_str()
        && row.first_response_at.is_none()
        && matches!(action, Action::Accept | Action::RequestSupplement | Action::Reject)
    {
        row.first_response_at = Some(at_db);
    }
    row.status = to.as_str().to_owned();
    row.last_step_at = at_db.max(row.last_step_at);
    Ok(note)
}

/// The result recorded at `at` (the resolution, or the approval of the proposal).
fn resolve(row: &mut DossierRow, proposal: Proposal, at: NaiveDateTime) {
    // The result of a transferred dossier is its holder's, and goes back to the desk.
    let holder = row.holder_agency_id.take();
    row.resolved_by_agency_id = proposal.resolving_agency_id.or(holder);
    row.resolved_at = Some(at);
    row.outcome = Some(proposal.outcome.as_str().to_owned());
    row.result_digitized = proposal.result_digitized;
    row.resolved_by = Some(proposal.proposed_by);
    row.proposal = None;
}

/// The requested documents arrived. After acceptance the clock restarts with the full limit
/// when the complete dossier is back, which is when it is received complete: the digitization
/// snapshot is taken again, and the appointment follows the new due date unless an apology's
/// later one stands.
fn supplement(
    row: &mut DossierRow,
    components: Option<Vec<DossierComponent>>,
    due: Option<NaiveDateTime>,
) -> Result<(), ApiError> {
    if let Some(components) = components {
        row.components = serde_json::to_string(&components).map_err(anyhow::Error::from)?;
    }
    if let Some(due) = due {
        row.due_at = Some(due);
        row.reception_digitized = fully_digitized(&components_of(row)?);
        row.appointment_at = Some(match (row.apologized_at, row.appointment_at) {
            (Some(_), Some(promised)) => promised.max(due),
            _ => due,
        });
    }
    Ok(())
}

fn components_of(row: &DossierRow) -> Result<Vec<DossierComponent>, ApiError> {
    Ok(serde_json::from_str(&row.components).map_err(anyhow::Error::from)?)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::auth::role::Role;
    use crate::dossiers::fixtures::{caller, field, now, officer, row};

    fn step(change: Change, note: Option<&str>) -> Step {
        Step { change, at: None, note: note.map(str::to_owned) }
    }

    #[test]
    fn officers_act_now_and_imports_name_a_time_in_order() {
        let portal = caller(Role::Integration, SubjectKind::Service);
        let earlier = now() - Duration::hours(2);
        assert_eq!(instant(&officer(), None, earlier, now()).unwrap(), now());
        assert_eq!(
            instant(&officer(), None, now() + Duration::hours(1), now()).unwrap(),
            now() + Duration::hours(1)
        );
        assert_eq!(field(instant(&officer(), Some(earlier), earlier, now())), "at");
        assert_eq!(instant(&portal, Some(earlier), earlier, now()).unwrap(), earlier);
        assert_eq!(field(instant(&portal, Some(earlier - Duration::hours(1)), earlier, now())), "at");
        assert_eq!(field(instant(&portal, Some(now() + Duration::hours(1)), earlier, now())), "at");
    }

    #[test]
    fn a_refusal_states_its_reasons_and_an_apology_promises_later() {
        let dossier = row(Channel::Direct, &officer());
        let refused =
            Change::Resolve { outcome: Outcome::Refused, result_digitized: false, resolving_agency_id: None };
        assert_eq!(field(check(&dossier, &step(refused.clone(), Some("  ")), now())), "note");
        assert!(check(&dossier, &step(refused, Some("Không đủ điều kiện")), now()).is_ok());

        let appointment = dossier.appointment_at.unwrap().and_utc();
        let apology = |at| Change::Apologize { reason: "Cần xác minh".into(), new_appointment_at: at };
        assert_eq!(field(check(&dossier, &step(apology(appointment), None), now())), "new_appointment_at");
        assert!(check(&dossier, &step(apology(appointment + Duration::days(1)), None), now()).is_ok());
    }

    #[test]
    fn accepting_an_online_dossier_starts_the_clock_and_answers_it() {
        let citizen = caller(Role::Citizen, SubjectKind::User);
        let mut dossier = row(Channel::Online, &citizen);
        assert!(starts_clock(&dossier, &Change::Accept));
        let due = now() + Duration::days(2);
        let note = apply(
            &mut dossier,
            step(Change::Accept, Some("đủ")),
            Status::Processing,
            now(),
            Some(due),
            &officer(),
        );
        assert_eq!(note.unwrap().as_deref(), Some("đủ"));
        assert_eq!(dossier.status, "processing");
        assert_eq!(dossier.accepted_at, Some(clock::to_db(now())));
        assert_eq!(
            (dossier.due_at, dossier.appointment_at),
            (Some(clock::to_db(due)), Some(clock::to_db(due)))
        );
        assert_eq!(dossier.first_response_at, Some(clock::to_db(now())));
        assert!(dossier.reception_digitized);
        assert_eq!(dossier.received_by.as_deref(), Some("officer-1"));

        // The portal accepting on the desk's behalf is no officer who answers for digitization.
        let mut by_portal = row(Channel::Online, &citizen);
        let portal = caller(Role::Integration, SubjectKind::Service);
        apply(&mut by_portal, step(Change::Accept, None), Status::Processing, now(), Some(due), &portal)
            .unwrap();
        assert_eq!(by_portal.received_by, None);
    }

    #[test]
    fn a_supplement_after_acceptance_restarts_the_clock_but_keeps_a_later_apology() {
        let mut dossier = row(Channel::Direct, &officer());
        let supplement = Change::Supplement { components: None };
        assert!(starts_clock(&dossier, &supplement));
        assert!(!starts_clock(&row(Channel::Online, &officer()), &supplement), "not accepted yet: no clock");
        let promised = now() + Duration::days(30);
        dossier.apologized_at = Some(clock::to_db(now()));
        dossier.appointment_at = Some(clock::to_db(promised));
        let due = now() + Duration::days(5);
        apply(&mut dossier, step(supplement, None), Status::Processing, now(), Some(due), &officer())
            .unwrap();
        assert_eq!(dossier.due_at, Some(clock::to_db(due)));
        assert_eq!(
            dossier.appointment_at,
            Some(clock::to_db(promised)),
            "the apology's later promise stands"
        );
        assert_eq!(dossier.appointment_after_supplement, dossier.appointment_at, "kept for the portal");
    }

    #[test]
    fn a_proposal_becomes_the_result_as_of_the_approval_by_its_officer() {
        let mut dossier = row(Channel::Direct, &officer());
        let resolve = Change::Resolve {
            outcome: Outcome::Approved,
            result_digitized: true,
            resolving_agency_id: Some("labour-office".into()),
        };
        let proposed_at = now() - Duration::hours(3);
        apply(&mut dossier, step(resolve, None), Status::AwaitingApproval, proposed_at, None, &officer())
            .unwrap();
        assert_eq!(dossier.status, "awaiting_approval");
        assert_eq!((dossier.resolved_at, dossier.outcome.as_deref()), (None, None), "no result yet");
        let proposal = Proposal::of(&dossier).unwrap().unwrap();
        assert_eq!((proposal.proposed_by.as_str(), proposal.proposed_at), ("officer-1", proposed_at));

        let leader = caller(Role::Leader, SubjectKind::User);
        apply(&mut dossier, step(Change::Approve, None), Status::Resolved, now(), None, &leader).unwrap();
        assert_eq!(dossier.resolved_at, Some(clock::to_db(now())), "resolved when approved");
        assert_eq!(dossier.outcome.as_deref(), Some("approved"));
        assert!(dossier.result_digitized);
        assert_eq!(dossier.resolved_by_agency_id.as_deref(), Some("labour-office"));
        assert_eq!(dossier.resolved_by.as_deref(), Some("officer-1"), "the proposer answers for it");
        assert_eq!(dossier.proposal, None);
    }

    #[test]
    fn sending_back_drops_the_proposal_and_keeps_the_reason() {
        let mut dossier = row(Channel::Direct, &officer());
        let resolve = Change::Resolve {
            outcome: Outcome::Approved,
            result_digitized: false,
            resolving_agency_id: None,
        };
        apply(&mut dossier, step(resolve, None), Status::AwaitingApproval, now(), None, &officer()).unwrap();
        let leader = caller(Role::Leader, SubjectKind::User);
        let back = Change::SendBack { reason: "Sai tên cha".into() };
        let note = apply(&mut dossier, step(back, None), Status::Processing, now(), None, &leader).unwrap();
        assert_eq!(note.as_deref(), Some("Sai tên cha"));
        assert_eq!((dossier.status.as_str(), dossier.proposal.as_deref()), ("processing", None));
        assert_eq!(dossier.resolved_at, None);
    }

    #[test]
    fn a_transferred_dossiers_result_is_its_holders_and_goes_back_to_the_desk() {
        let mut dossier = row(Channel::Direct, &officer());
        let transfer = Change::Transfer { to_agency_id: "labour-office".into() };
        apply(&mut dossier, step(transfer, None), Status::Processing, now(), None, &officer()).unwrap();
        assert_eq!(dossier.holder(), "labour-office");
        let resolve =
            Change::Resolve { outcome: Outcome::Approved, result_digitized: true, resolving_agency_id: None };
        apply(&mut dossier, step(resolve, None), Status::Resolved, now(), None, &officer()).unwrap();
        assert_eq!(dossier.resolved_by_agency_id.as_deref(), Some("labour-office"));
        assert_eq!(dossier.holder_agency_id, None, "the desk hands the result over");
        assert_eq!(dossier.holder(), dossier.agency_id);
    }

    #[test]
    fn a_reason_becomes_the_history_note() {
        let mut dossier = row(Channel::Direct, &officer());
        let change = Change::Withdraw { reason: "Công dân xin rút".into() };
        let note =
            apply(&mut dossier, step(change, Some("ignored")), Status::Withdrawn, now(), None, &officer());
        assert_eq!(note.unwrap().as_deref(), Some("Công dân xin rút"));
        assert_eq!(dossier.withdrawn_at, Some(clock::to_db(now())));
        assert_eq!(dossier.status, "withdrawn");
    }
}
