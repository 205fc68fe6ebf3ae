//! A dossier's life as a pure state machine (Decree 61/2018 arts. 17–20, carried into Decree
//! 118/2025; api.md "dossiers"). It knows neither HTTP nor SQL: given the status and the facts
//! that the one-stop rules depend on, it says which status an action leads to, or which rule
//! forbids it.
//!
//! A procedure may require the leader's approval of its result (`requires_approval`): there
//! `resolve` only proposes the result and the dossier waits in `awaiting_approval` (still open:
//! the legal clock runs) until a leader `approve`s it (resolved) or `send-back`s it (processing).
//!
//! Joint processing (liên thông): while processing, the holding agency may `transfer` the dossier
//! to another agency, which then holds it; the status stays `processing`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Online, awaiting official receipt.
    Submitted,
    /// Sent back for the missing documents (once).
    SupplementRequested,
    /// Accepted: the legal clock runs.
    Processing,
    /// The officer proposed the result; it waits for the leader's approval (the clock runs).
    AwaitingApproval,
    /// A result exists (approved or a reasoned refusal).
    Resolved,
    /// The result was handed to the applicant.
    Returned,
    /// Refused at reception, before acceptance.
    Rejected,
    /// Withdrawn by the applicant, or stopped.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::SupplementRequested,
        Status::Processing,
        Status::AwaitingApproval,
        Status::Resolved,
        Status::Returned,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::SupplementRequested => "supplement_requested",
            Status::Processing => "processing",
            Status::AwaitingApproval => "awaiting_approval",
            Status::Resolved => "resolved",
            Status::Returned => "returned",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn from_db(value: &str) -> anyhow::Result<Self> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| anyhow::anyhow!("unknown dossier status {value:?}"))
    }

    /// The open statuses: still being worked, so a due date can pass. A result awaiting the
    /// leader's approval is not a result yet: the report counts the dossier as in progress.
    pub const OPEN: [Status; 4] =
        [Status::Submitted, Status::SupplementRequested, Status::Processing, Status::AwaitingApproval];
    /// [`Status::OPEN`] as stored, for queries.
    pub const OPEN_TEXT: [&'static str; 4] = [
        Status::OPEN[0].as_str(),
        Status::OPEN[1].as_str(),
        Status::OPEN[2].as_str(),
        Status::OPEN[3].as_str(),
    ];

    /// Still being worked: a due date can pass.
    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Accept,
    RequestSupplement,
    Supplement,
    Assign,
    Resolve,
    Return,
    Withdraw,
    Reject,
    Apologize,
    Approve,
    SendBack,
    Transfer,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::Accept,
        Action::RequestSupplement,
        Action::Supplement,
        Action::Assign,
        Action::Resolve,
        Action::Return,
        Action::Withdraw,
        Action::Reject,
        Action::Apologize,
        Action::Approve,
        Action::SendBack,
        Action::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::RequestSupplement => "request-supplement",
            Action::Supplement => "supplement",
            Action::Assign => "assign",
            Action::Resolve => "resolve",
            Action::Return => "return",
            Action::Withdraw => "withdraw",
            Action::Reject => "reject",
            Action::Apologize => "apologize",
            Action::Approve => "approve",
            Action::SendBack => "send-back",
            Action::Transfer => "transfer",
        }
    }

    /// The outbox event type, e.g. `dossier.accepted`.
    pub fn event_type(self) -> &'static str {
        match self {
            Action::Accept => "dossier.accepted",
            Action::RequestSupplement => "dossier.supplement_requested",
            Action::Supplement => "dossier.supplemented",
            Action::Assign => "dossier.assigned",
            Action::Resolve => "dossier.resolved",
            Action::Return => "dossier.returned",
            Action::Withdraw => "dossier.withdrawn",
            Action::Reject => "dossier.rejected",
            Action::Apologize => "dossier.apologized",
            Action::Approve => "dossier.approved",
            Action::SendBack => "dossier.sent_back",
            Action::Transfer => "dossier.transferred",
        }
    }

    /// The outbox event of this action when it led to `to`: a `resolve` that only proposes
    /// the result is no resolution, and says so.
    pub fn event_type_to(self, to: Status) -> &'static str {
        match (self, to) {
            (Action::Resolve, Status::AwaitingApproval) => PROPOSED_EVENT,
            _ => self.event_type(),
        }
    }
}

/// The event of a result proposed for the leader's approval.
pub const PROPOSED_EVENT: &str = "dossier.result_proposed";

/// The facts, beyond the status, that the rules depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Officially received (accepted_at set).
    pub accepted: bool,
    /// A supplement was already requested once.
    pub supplement_requested_before: bool,
    /// An apology with a new appointment was already issued.
    pub apologized_before: bool,
    /// The procedure's result is the leader's to approve.
    pub requires_approval: bool,
}

/// Why an action is refused: the rule's name (stable, for clients) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub rule: &'static str,
    pub message: Text,
}

/// A refusal with its text in Vietnamese and English.
pub const fn refuse(rule: &'static str, vi: &'static str, en: &'static str) -> Refusal {
    Refusal { rule, message: Text::fixed(vi, en) }
}

/// A closed dossier is nobody's to work on (also for `PATCH … assignee_id`).
pub const ASSIGN_OPEN_ONLY: Refusal = refuse(
    "assign_open_only",
    "Không thể phân công xử lý hồ sơ đã kết thúc",
    "a closed dossier cannot be assigned",
);

// The rules that refuse a step, by name.
const ACCEPT_SUBMITTED_ONLY: Refusal = refuse(
    "accept_submitted_only",
    "Chỉ tiếp nhận được hồ sơ đã nộp đang chờ tiếp nhận",
    "only a submitted dossier awaiting receipt can be accepted",
);

const SUPPLEMENT_ONCE: Refusal = refuse(
    "supplement_once",
    "Hồ sơ chỉ được yêu cầu bổ sung một lần: phiếu yêu cầu phải nêu đầy đủ mọi nội dung cần bổ sung ngay từ đầu",
    "a dossier is returned for supplement at most once: the slip must list everything missing in one go",
);

const SUPPLEMENT_WHILE_OPEN: Refusal = refuse(
    "supplement_while_open",
    "Chỉ yêu cầu bổ sung khi hồ sơ đang chờ tiếp nhận hoặc đang giải quyết",
    "a supplement can be requested only while the dossier awaits receipt or is being processed",
);

const SUPPLEMENT_REQUESTED_FIRST: Refusal =
    refuse("supplement_requested_first", "Hồ sơ không có yêu cầu bổ sung nào", "no supplement was requested");

const RESOLVE_PROCESSING_ONLY: Refusal = refuse(
    "resolve_processing_only",
    "Chỉ giải quyết được hồ sơ đang trong quá trình giải quyết",
    "only a dossier being processed can be resolved",
);

const APPROVE_REQUIRES_AWAITING_APPROVAL: Refusal = refuse(
    "approve_requires_awaiting_approval",
    "Chỉ phê duyệt được hồ sơ đang chờ lãnh đạo phê duyệt kết quả",
    "only a dossier whose proposed result awaits the leader's approval can be approved",
);

const SEND_BACK_REQUIRES_AWAITING_APPROVAL: Refusal = refuse(
    "send_back_requires_awaiting_approval",
    "Chỉ trả lại để xử lý lại hồ sơ đang chờ lãnh đạo phê duyệt kết quả",
    "only a dossier whose proposed result awaits the leader's approval can be sent back",
);

const TRANSFER_WHILE_PROCESSING: Refusal = refuse(
    "transfer_while_processing",
    "Chỉ chuyển liên thông hồ sơ đã tiếp nhận và đang giải quyết",
    "only an accepted dossier being processed can be transferred to another agency",
);

const RETURN_RESOLVED_ONLY: Refusal = refuse(
    "return_resolved_only",
    "Chỉ trả kết quả cho hồ sơ đã giải quyết xong",
    "only a resolved dossier's result can be returned",
);

const WITHDRAW_OPEN_ONLY: Refusal =
    refuse("withdraw_open_only", "Không thể rút hồ sơ đã kết thúc", "a closed dossier cannot be withdrawn");

const REJECT_BEFORE_ACCEPTANCE: Refusal = refuse(
    "reject_before_acceptance",
    "Chỉ từ chối tiếp nhận được hồ sơ chưa được tiếp nhận; hồ sơ đã tiếp nhận thì giải quyết với kết quả từ chối",
    "a dossier can be refused at reception only before it is accepted; after that it is resolved as refused",
);

const APOLOGY_ONCE: Refusal = refuse(
    "apology_once",
    "Mỗi hồ sơ chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần",
    "only one apology with a new appointment is allowed",
);

const APOLOGY_WHILE_PROCESSING: Refusal = refuse(
    "apology_while_processing",
    "Chỉ xin lỗi và hẹn lại ngày trả kết quả đối với hồ sơ đã tiếp nhận và đang giải quyết",
    "an apology with a new appointment is issued only for an accepted dossier still being processed",
);

/// The status after `action`, or the rule that forbids it.
pub fn next(status: Status, facts: Facts, action: Action) -> Result<Status, Refusal> {
    use Action as A;
    use Status as S;
    match (action, status) {
        (A::Accept, S::Submitted) => Ok(S::Processing),
        (A::Accept, _) => Err(ACCEPT_SUBMITTED_ONLY),

        (A::RequestSupplement, S::Submitted | S::Processing) if facts.supplement_requested_before => {
            Err(SUPPLEMENT_ONCE)
        }
        (A::RequestSupplement, S::Submitted | S::Processing) => Ok(S::SupplementRequested),
        (A::RequestSupplement, _) => Err(SUPPLEMENT_WHILE_OPEN),

        (A::Supplement, S::SupplementRequested) if facts.accepted => Ok(S::Processing),
        (A::Supplement, S::SupplementRequested) => Ok(S::Submitted),
        (A::Supplement, _) => Err(SUPPLEMENT_REQUESTED_FIRST),

        (A::Assign, s) if s.is_open() => Ok(s),
        (A::Assign, _) => Err(ASSIGN_OPEN_ONLY),

        (A::Resolve, S::Processing) if facts.requires_approval => Ok(S::AwaitingApproval),
        (A::Resolve, S::Processing) => Ok(S::Resolved),
        (A::Resolve, _) => Err(RESOLVE_PROCESSING_ONLY),

        (A::Approve, S::AwaitingApproval) => Ok(S::Resolved),
        (A::Approve, _) => Err(APPROVE_REQUIRES_AWAITING_APPROVAL),

        (A::SendBack, S::AwaitingApproval) => Ok(S::Processing),
        (A::SendBack, _) => Err(SEND_BACK_REQUIRES_AWAITING_APPROVAL),

        (A::Transfer, S::Processing) => Ok(S::Processing),
        (A::Transfer, _) => Err(TRANSFER_WHILE_PROCESSING),

        (A::Return, S::Resolved) => Ok(S::Returned),
        (A::Return, _) => Err(RETURN_RESOLVED_ONLY),

        (A::Withdraw, s) if s.is_open() => Ok(S::Withdrawn),
        (A::Withdraw, _) => Err(WITHDRAW_OPEN_ONLY),

        (A::Reject, S::Submitted | S::SupplementRequested) if !facts.accepted => Ok(S::Rejected),
        (A::Reject, _) => Err(REJECT_BEFORE_ACCEPTANCE),

        (A::Apologize, S::Processing | S::SupplementRequested | S::AwaitingApproval)
            if facts.accepted && facts.apologized_before =>
        {
            Err(APOLOGY_ONCE)
        }
        (A::Apologize, S::Processing | S::SupplementRequested | S::AwaitingApproval) if facts.accepted => {
            Ok(status)
        }
        (A::Apologize, _) => Err(APOLOGY_WHILE_PROCESSING),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Status as S;

    fn facts(accepted: bool, supplemented: bool, apologized: bool) -> Facts {
        Facts {
            accepted,
            supplement_requested_before: supplemented,
            apologized_before: apologized,
            requires_approval: false,
        }
    }

    /// Every state × action, with the facts a real dossier in that state can have. The table
    /// is the specification; `None` means refused.
    #[test]
    fn every_state_and_action() {
        let accepted = facts(true, false, false);
        let fresh = facts(false, false, false);
        let signed = Facts { requires_approval: true, ..accepted };
        #[rustfmt::skip]
        let table: &[(S, Facts, [Option<S>; 12])] = &[
            //                      accept           req-suppl                    suppl               assign                        resolve          return          withdraw          reject           apologize        approve   send-back   transfer
            (S::Submitted, fresh, [Some(S::Processing), Some(S::SupplementRequested), None, Some(S::Submitted), None, None, Some(S::Withdrawn), Some(S::Rejected), None, None, None, None]),
            (S::SupplementRequested, facts(false, true, false), [None, None, Some(S::Submitted), Some(S::SupplementRequested), None, None, Some(S::Withdrawn), Some(S::Rejected), None, None, None, None]),
            (S::SupplementRequested, facts(true, true, false), [None, None, Some(S::Processing), Some(S::SupplementRequested), None, None, Some(S::Withdrawn), None, Some(S::SupplementRequested), None, None, None]),
            (S::Processing, accepted, [None, Some(S::SupplementRequested), None, Some(S::Processing), Some(S::Resolved), None, Some(S::Withdrawn), None, Some(S::Processing), None, None, Some(S::Processing)]),
            (S::Processing, signed, [None, Some(S::SupplementRequested), None, Some(S::Processing), Some(S::AwaitingApproval), None, Some(S::Withdrawn), None, Some(S::Processing), None, None, Some(S::Processing)]),
            (S::AwaitingApproval, signed, [None, None, None, Some(S::AwaitingApproval), None, None, Some(S::Withdrawn), None, Some(S::AwaitingApproval), Some(S::Resolved), Some(S::Processing), None]),
            (S::Resolved, accepted, [None, None, None, None, None, Some(S::Returned), None, None, None, None, None, None]),
            (S::Resolved, signed, [None, None, None, None, None, Some(S::Returned), None, None, None, None, None, None]),
            (S::Returned, accepted, [None, None, None, None, None, None, None, None, None, None, None, None]),
            (S::Rejected, fresh, [None, None, None, None, None, None, None, None, None, None, None, None]),
            (S::Withdrawn, accepted, [None, None, None, None, None, None, None, None, None, None, None, None]),
        ];
        for (status, facts, expected) in table {
            for (action, want) in A::ALL.into_iter().zip(expected) {
                let got = next(*status, *facts, action).ok();
                assert_eq!(got, *want, "{status:?} {facts:?} --{action:?}-->");
            }
        }
    }

    #[test]
    fn a_result_the_leader_signs_is_proposed_then_approved_or_sent_back() {
        let signed = Facts { requires_approval: true, ..facts(true, false, false) };
        assert_eq!(next(S::Processing, signed, A::Resolve), Ok(S::AwaitingApproval));
        assert_eq!(A::Resolve.event_type_to(S::AwaitingApproval), "dossier.result_proposed");
        assert_eq!(A::Resolve.event_type_to(S::Resolved), "dossier.resolved");
        assert_eq!(
            next(S::AwaitingApproval, signed, A::Resolve).unwrap_err().rule,
            "resolve_processing_only",
            "a proposal is not proposed twice"
        );
        assert_eq!(
            next(S::Processing, signed, A::Approve).unwrap_err().rule,
            "approve_requires_awaiting_approval"
        );
        assert_eq!(
            next(S::Resolved, signed, A::SendBack).unwrap_err().rule,
            "send_back_requires_awaiting_approval"
        );
        assert!(S::AwaitingApproval.is_open(), "the clock runs while the leader decides");
    }

    #[test]
    fn supplement_is_requested_at_most_once() {
        let after_one = facts(true, true, false);
        assert_eq!(next(S::Processing, after_one, A::RequestSupplement).unwrap_err().rule, "supplement_once");
        assert_eq!(
            next(S::Submitted, facts(false, true, false), A::RequestSupplement).unwrap_err().rule,
            "supplement_once"
        );
    }

    #[test]
    fn one_apology_only() {
        assert_eq!(
            next(S::Processing, facts(true, false, true), A::Apologize).unwrap_err().rule,
            "apology_once"
        );
        assert_eq!(
            next(S::Submitted, facts(false, false, false), A::Apologize).unwrap_err().rule,
            "apology_while_processing"
        );
    }

    #[test]
    fn refusal_after_acceptance_is_a_refused_resolution_not_a_rejection() {
        assert_eq!(
            next(S::Processing, facts(true, false, false), A::Reject).unwrap_err().rule,
            "reject_before_acceptance"
        );
        assert_eq!(next(S::Processing, facts(true, false, false), A::Resolve), Ok(S::Resolved));
    }

    #[test]
    fn status_text_round_trips() {
        for s in S::ALL {
            assert_eq!(S::from_db(s.as_str()).unwrap(), s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for a in A::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
